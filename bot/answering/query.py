"""Read a question: reject bad input, truncate, detect language, injection and follow-ups."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.answering import messages
from bot.answering.messages import Language
from bot.ingest.chunking import strip_control
from bot.retrieval.language import reads_english
from bot.retrieval.lexical import raw_terms

_INJECTION = re.compile(
    r"negeer\s+(?:al\s+)?(?:je|jouw|alle|de|eerdere|vorige|bovenstaande)\b.{0,30}?\b(?:instructies|regels|opdracht)"
    r"|vergeet\s+(?:je|jouw|alle|de)\s+(?:eerdere\s+|vorige\s+)?(?:instructies|regels)"
    r"|ignore\s+(?:all\s+|any\s+)?(?:your|the|previous|prior|above|earlier)\b.{0,30}?\binstructions"
    r"|disregard\s+(?:all\s+|your\s+|the\s+|previous\s+)+instructions"
    r"|systeem\s?-?prompt|system\s?-?prompt|systeeminstructies|system\s+message|je\s+(?:eigen\s+)?prompt"
    r"|your\s+(?:initial\s+)?prompt|developer\s+mode|ontwikkelaarsmodus|jailbreak"
    r"|je\s+bent\s+nu\s+(?:een|geen)\b|you\s+are\s+now\s+(?:a|an|no)\b",
    re.IGNORECASE | re.DOTALL,
)
_CONNECTIVE = re.compile(
    r"^\s*(?:en|maar|of|ook|dus|en\s+als|en\s+wat|wat\s+als|hoe\s+dan|waarom\s+dan|en\s+hoe|"
    r"and|but|what\s+about|what\s+if|how\s+so)\b",
    re.IGNORECASE,
)
_ANAPHOR = re.compile(
    r"\b(?:dat|die|dit|deze|hun|hen|ze|zij|daar|daarmee|daarvoor|daarbij|hem|haar|zo|it|that|they|them)\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


class BadQuestion(ValueError):
    """The question cannot be answered as typed; str(error) is a clear Dutch line for the user."""


@dataclass(frozen=True, slots=True)
class PreparedQuestion:
    text: str  # the question as used (stripped, maybe truncated)
    retrieval_query: str  # text + context of earlier turns when it is a follow-up
    language: Language
    is_followup: bool
    is_injection: bool
    previous: str = ""  # the earlier question(s) used as context, "" when none
    notices: list[str] = field(default_factory=list)


def has_words(text: str) -> bool:
    """True when text holds at least one letter or digit (emoji, ZWJ and symbols do not count)."""
    return any(unicodedata.category(ch)[0] in "LN" for ch in text)


def detect_language(text: str) -> Language:
    """'en' when the text reads as English, else 'nl': the function-word vote of bot.retrieval.language, the
    same words the learned fusion's English share counts."""
    return "en" if reads_english(text) else "nl"


def looks_like_injection(text: str) -> bool:
    """True for attempts to override or reveal the assistant's instructions."""
    return bool(_INJECTION.search(text))


def is_followup(text: str) -> bool:
    """A short question that leans on the previous turn ('en bij de huisarts?', 'hoe dan?')."""
    content = len(raw_terms(text))
    if content <= 1:
        return True
    if _CONNECTIVE.search(text) and content <= 5:
        return True
    return content <= 3 and any(_is_pronoun(text, m) for m in _ANAPHOR.finditer(text))


def _is_pronoun(text: str, match: re.Match[str]) -> bool:
    """'dat' in 'als dat niet lukt' points back; 'die' in 'die financiële schotten' is a determiner."""
    following = _WORD.search(text, match.end())
    return following is None or not raw_terms(following.group(0))


def _truncate(text: str, limit: int) -> str:
    cut = text[:limit]
    space = cut.rfind(" ")
    return cut[:space] if space > limit * 0.8 else cut


def _context(history: Sequence[str], limit: int) -> str:
    """The earlier questions this follow-up leans on: the last one, and one more if that was short too."""
    recent = [h.strip()[:limit] for h in history if h and h.strip()]
    if not recent:
        return ""
    parts = [recent[-1]]
    if len(recent) > 1 and is_followup(recent[-1]):
        parts.insert(0, recent[-2])
    return " ".join(parts)


def prepare_question(
    question: str, *, history: Sequence[str] = (), max_chars: int = 2000
) -> PreparedQuestion:
    """Validate and normalise a question; raises BadQuestion for empty or emoji-only input."""
    text = strip_control(unicodedata.normalize("NFC", question or "")).strip()
    if not text:
        raise BadQuestion(messages.text("empty"))
    if not has_words(text):
        raise BadQuestion(messages.text("symbols_only"))
    language = detect_language(text[:max_chars])
    notices: list[str] = []
    if len(text) > max_chars:
        text = _truncate(text, max_chars)
        notices.append(messages.text("truncated", language, limit=messages.number(max_chars)))
    previous = _context(history, max_chars) if is_followup(text) else ""
    if looks_like_injection(previous):
        previous = ""  # never carry an injection attempt into the next turn
    query = f"{previous} {text}" if previous else text
    return PreparedQuestion(
        text=text,
        retrieval_query=query,
        language=language,
        is_followup=bool(previous),
        is_injection=looks_like_injection(text),
        previous=previous,
        notices=notices,
    )
