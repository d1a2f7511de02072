"""Read a short follow-up with the last question: 'en met de politie?' after 'hoe komen we op één lijn met het
onderwijs?' becomes 'hoe komen we op één lijn met de politie?'.

The follow-up keeps the frame of the last question and swaps its partner, so the answer is about the new
partner within the same topic, instead of a passage about the old partner again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.retrieval.lexical import dutch_tokens

PARTNER_PREPOSITIONS = ("met", "bij")
PREPOSITIONS = ("met", "bij", "voor", "van", "aan", "over", "tot", "naar", "tegenover", "richting")
_PREP = "|".join(PREPOSITIONS)
WITH_PREPOSITION = re.compile(
    rf"^\s*(?:en|maar|ook|of)\s+(?:(?:hoe|wat)\s+(?:zit|werkt|doe|gaat)\s+(?:dat|het)\s+(?:ik\s+)?)?"
    rf"(?:dat\s+)?({_PREP})\s+(.+?)[\s?.!]*$",
    re.IGNORECASE,
)
BARE = re.compile(r"^\s*en\s+((?:de|het|een|die|dat)\s+)?([\w-]+(?:\s+[\w-]+){0,2})[\s?.!]*$", re.IGNORECASE)
NOT_A_PARTNER = frozenset(
    ["als", "dan", "wat", "hoe", "wie", "waarom", "wanneer", "ik", "jij", "we", "zij", "hij"]
)
MAX_SUBJECT_WORDS = 4
MIN_KEY = 4  # 'ggz' and articles are too short to test for; 'politie', 'school' are not
# Where the old partner's words end: punctuation or a word that starts the rest of the sentence.
PHRASE_END = re.compile(
    r"[,;:]|\s(?:te|om|als|en|of|dat|die|zodat|want|maar|terwijl|wanneer|zonder)\b", re.IGNORECASE
)


@dataclass(frozen=True, slots=True)
class Reframed:
    """The last question with the new partner in it, and that partner ('de politie')."""

    question: str
    subject: str

    def mentioned_in(self, answer: str) -> bool:
        """Whether the answer names the partner (a word of at least four letters, or its first five)."""
        folded = answer.casefold()
        keys = [w[:5] for w in re.findall(r"\w+", self.subject.casefold()) if len(w) >= MIN_KEY]
        return not keys or any(k in folded for k in keys)


def reframe(previous: str, text: str, *, partners: frozenset[str] = frozenset()) -> Reframed | None:
    """The last question with the follow-up's partner in it, or None when the text is no such follow-up.

    `partners`: stemmed partner words of the kaart, to find the old partner in a question without
    'met'/'bij' ('hoe krijg ik de huisarts mee?')."""
    previous = previous.strip().rstrip("?.! ")
    if not previous:
        return None
    match = WITH_PREPOSITION.match(text)
    if match:
        preposition, subject = match.group(1).lower(), match.group(2).strip()
    else:
        bare = BARE.match(text)
        if not bare:
            return None
        preposition, subject = "", ((bare.group(1) or "") + bare.group(2)).strip()
    words = subject.lower().split()
    if not words or len(words) > MAX_SUBJECT_WORDS or words[0] in NOT_A_PARTNER:
        return None
    return Reframed(_swap(previous, preposition, subject, partners) + "?", subject)


def _partner_span(previous: str, partners: frozenset[str]) -> tuple[int, int] | None:
    """Where the first kaart partner word sits in the previous question, with its article."""
    for word in re.finditer(r"\w+", previous):
        if partners and set(dutch_tokens(word.group(0))) & partners:
            article = re.search(
                r"\b(?:de|het|een|die|onze|jullie)\s+$", previous[: word.start()], re.IGNORECASE
            )
            return (article.start() if article else word.start(), word.end())
    return None


def _swap(previous: str, preposition: str, subject: str, partners: frozenset[str]) -> str:
    """Replace what follows the preposition of the previous question (the old partner) by `subject`:
    the same preposition first, else 'met'/'bij' (the partner words of a collaboration question), else a
    partner word of the kaart; without any of these the new partner is added."""
    for wanted in ([preposition] if preposition else []) + list(PARTNER_PREPOSITIONS):
        spots = list(re.finditer(rf"\b{wanted}\b", previous, flags=re.IGNORECASE))
        if spots:
            break
    else:
        old_partner = _partner_span(previous, partners)
        if old_partner is not None:
            return f"{previous[: old_partner[0]]}{subject}{previous[old_partner[1] :]}"
        return f"{previous} {preposition or PARTNER_PREPOSITIONS[0]} {subject}"
    last = max(spots, key=lambda m: m.start())
    rest = previous[last.end() :]
    old = PHRASE_END.search(rest)
    tail = rest[old.start() :] if old else ""
    return f"{previous[: last.end()]} {subject}{tail}"
