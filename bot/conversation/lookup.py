"""Which partner a message is about: 'de tweede', 'die van schulden', a name on the kaart, or the one in focus.

Names are matched on distinctive words: a word that many kaart entries share ('Lindenhoven', 'Welzijn')
weighs little (inverse document frequency over the kaart), so 'raadslieden' finds the raadslieden and
'wijkverpleegkundige' finds the wijkverpleging (shared stem of at least seven letters).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

import yaml

from bot.kaart.model import Service

ORDINALS = {
    "eerste": 0, "1e": 0, "eerst": 0, "tweede": 1, "2e": 1, "derde": 2, "3e": 2, "vierde": 3, "4e": 3,
    "vijfde": 4, "5e": 4, "zesde": 5, "6e": 5, "first": 0, "second": 1, "third": 2, "fourth": 3, "fifth": 4,
}  # fmt: skip
LAST_WORDS = ("laatste", "onderste", "last")
MIDDLE_WORDS = ("middelste", "middle")
NUMBER_WORDS = ("nummer", "nr", "optie", "partner", "keuze")
# 'de eerste keer dat ik bel', 'eerste x', 'first time': a count of times, no position in a list; 'een eerste
# gesprek', 'de eerste afspraak': a step of the partner's own process, no position either
TIMES_WORDS = frozenset(
    {"x", "keer", "keertje", "maal", "time", "dag", "week", "werkdag", "stap", "stappen", "gesprek", "afspraak",
     "intake", "kennismaking", "contact", "bezoek", "huisbezoek", "meeting", "appointment"}
)  # fmt: skip
STOPWORDS = frozenset(
    ["de", "het", "een", "en", "van", "in", "op", "bij", "met", "voor", "naar", "die", "dat", "deze", "dit", "er", "is", "zijn", "wat", "wie", "hoe", "waar", "wanneer", "welke", "ze", "zij", "hij", "hun", "heb", "hebben", "kan", "kun", "kunnen", "mag", "moet", "ook", "nog", "wel", "niet", "geen", "als", "dan", "of", "om", "te", "tot", "je", "jij", "ik", "we", "wij", "mijn", "onze", "ons", "daar", "hier", "iemand", "iets", "eigenlijk", "nou", "even", "graag", "aan", "uit", "over", "zo",
     # words about the client, never a partner's name ('betaalt de client zelf iets?' is no cliëntondersteuning)
     "client", "clienten", "clientje", "bewoner", "bewoners", "zelf", "betaalt", "betalen",
     # prepositions that kaart names use ('Thuisadministratie door vrijwilligers'): never a name by themselves
     "door", "via", "tussen", "per", "zonder", "tegen", "onder", "na",
     # words about what something costs: 'is het gratis?' never names 'Gratis juridisch advies'
     "gratis", "kosteloos", "goedkoop", "duur", "betaald",
     # everyday words that some kaart names carry ('Eigen Haard'): 'eigen risico', 'eigen huisarts' name no one
     "eigen", "risico", "bijdrage"]
)  # fmt: skip
# The people of a case never name a partner by themselves ('met de vrouw bespreken' is no Vrouwenopvang); they
# still count for a kind of partner ('die van de kinderen').
CASE_PEOPLE = frozenset(
    ["vrouw", "man", "moeder", "vader", "meneer", "mevrouw", "dochter", "zoon", "kind", "kinderen", "kids"]
)
MIN_STEM = 7
PLURAL_END = 2  # a message word that is a name word plus at most this many letters ('-s', '-en')
MIN_NAME_SCORE = 1.2  # at least one fairly distinctive word (idf of a word on two of ~50 entries is ~3.2)


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def words(text: str) -> list[str]:
    found = re.findall(r"[a-z0-9]+", fold(text))
    return [_spelled(w) for w in found if w not in STOPWORDS and len(w) >= 3]


# Everyday spellings of a word part that kaarten write in full: 'budgetburo', 'consultatieburo' (-bureau)
SPELLINGS = (("buro", "bureau"),)


def _spelled(word: str) -> str:
    for short, full in SPELLINGS:
        if short in word and full not in word:
            return word.replace(short, full)
    return word


def same_word(text_word: str, name_word: str) -> float:
    """How surely a word of the message is a word of a name: 1 for the same word, less for a shared part.

    A message word that starts a longer name word ('schuld' -> 'schuldhulpverlening') is a good match, and so
    is a shared compound head ('thuisverpleging' - 'wijkverpleging'); a short name word at the start of a
    longer message word ('thuis' in 'thuisverpleging') is weak: alone it never names a partner."""
    a, b = text_word, name_word
    if a == b:
        return 1.0
    shortest = min(len(a), len(b))
    if shortest >= 5 and b.startswith(a):
        return 0.8
    if _shared(a[::-1], b[::-1]) >= MIN_STEM:
        return 0.6
    if _shared(a, b) >= MIN_STEM:
        return 0.7
    if shortest >= 5 and a.startswith(b) and len(a) - len(b) <= PLURAL_END:
        return 0.8  # 'huisartsen' - 'huisarts', 'jongerenwerkers' - 'jongerenwerker': the plural
    if shortest >= 5 and a.startswith(b):
        return 0.25
    stem = a[: -len(end)] if (end := next((e for e in PLURALS if a.endswith(e)), "")) else ""
    if len(stem) >= MIN_PLURAL_STEM and b.startswith(stem) and len(b) > len(stem) + PLURAL_END:
        return 0.7  # 'schulden' - 'schuldhulp': the plural of the compound's first part
    return 0.0


PLURALS = ("en",)  # not "-s": "ouders" is no "ouderenadviseurs"
MIN_PLURAL_STEM = 5


MIN_TYPO_WORD = (
    7  # 'geldhlp' - 'geldhulp', 'veendjik' - 'veendijk': one slip in a word this long ('melden' is
)
# no 'velden'), never in the first letter
TYPO_MATCH = 0.7


def one_typo(a: str, b: str) -> bool:
    """a and b differ by one letter left out, added, changed, or two neighbours swapped (both long words)."""
    if a == b or min(len(a), len(b)) < MIN_TYPO_WORD or abs(len(a) - len(b)) > 1 or a[0] != b[0]:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = _shared(a, b)
    if len(a) < len(b):  # one letter more in b
        return a[i:] == b[i + 1 :]
    if a[i + 1 :] == b[i + 1 :]:  # one letter changed
        return True
    return a[i] == b[i + 1] and a[i + 1] == b[i] and a[i + 2 :] == b[i + 2 :]  # two letters swapped


def _shared(a: str, b: str) -> int:
    """Length of the common start of a and b."""
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _same(a: str, b: str) -> bool:
    return same_word(a, b) > 0


def ordinal(text: str, count: int) -> int | None:
    """'de tweede' -> 1, 'nummer 3' -> 2, 'de laatste' -> count-1; None when no position is named."""
    tokens = re.findall(r"[a-z0-9]+", fold(text))
    for i, token in enumerate(tokens):
        if token in ORDINALS and i + 1 < len(tokens) and tokens[i + 1] in TIMES_WORDS:
            continue
        if token in ORDINALS and i > 0 and tokens[i - 1] in ("een", "n", "an", "a"):
            continue  # 'hoe lang wachten op een eerste gesprek?' names no position in the list
        if token == "eerst" and (i == 0 or tokens[i - 1] not in ("de", "die")):
            continue  # 'moet ik het eerst met haar bespreken?' is no position; 'de eerst' is a typo of 'de eerste'
        if token in ORDINALS and ORDINALS[token] < count:
            return ORDINALS[token]
        if token in LAST_WORDS and count:
            return count - 1
        if token in MIDDLE_WORDS and count >= 3 and count % 2:
            return count // 2
        if token.isdigit() and i > 0 and tokens[i - 1] in NUMBER_WORDS and 0 < int(token) <= count:
            return int(token) - 1
    return None


_REFERENCE = re.compile(
    r"\b(?:en\s+)?(?:die|degene|diegene|dat|het|de\s+partner)\s+(?:van|voor|over)\s+(?:de\s+|het\s+)?[\w-]+[,:]?\s*"
    r"|\b(?:en\s+)?(?:de|het|bij\s+de|van\s+de)\s+(?:eerste|tweede|derde|vierde|vijfde|laatste|middelste|1e|2e|3e)\b[,:]?\s*",
    re.IGNORECASE,
)


def load_english(path: Path) -> dict[str, str]:
    """English word or phrase -> Dutch words ({} when the file is missing)."""
    if not path.is_file():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {fold(str(k)): str(v) for k, v in (data.get("woorden") or {}).items()}


def with_dutch(text: str, english: Mapping[str, str]) -> str:
    """The text plus the Dutch words for the English ones it uses ('the food bank' -> '... voedselbank')."""
    folded = " " + " ".join(re.findall(r"[a-z0-9']+", fold(text))) + " "
    extra = [dutch for phrase, dutch in english.items() if f" {phrase} " in folded]
    return f"{text} {' '.join(extra)}" if extra else text


def without_reference(text: str) -> str:
    """The question without 'die van taal' or 'de tweede': 'die van taal, wanneer open?' -> 'wanneer open?'."""
    return " ".join(_REFERENCE.sub(" ", text).split())


@dataclass(frozen=True, slots=True)
class NameIndex:
    """Distinctive words per kaart entry, with their idf over the kaart."""

    entries: tuple[tuple[Service, frozenset[str]], ...]
    idf: Mapping[str, float]
    acronyms: frozenset[str] = frozenset()
    by_first: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # name words by first letter
    by_last: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # ... of MIN_STEM+ letters, by last

    @classmethod
    def build(cls, services: Sequence[Service]) -> NameIndex:
        entries = tuple(
            (s, frozenset(words(f"{s.name} {s.organization} {s.id.replace('-', ' ')}")) | _acronym(s.name))
            for s in services
        )
        counts = Counter(w for _, ws in entries for w in ws)
        n = max(len(entries), 1)
        acronyms = frozenset(a for s in services for a in _acronym(s.name) if len(a) < MIN_WORD)
        firsts: dict[str, list[str]] = {}
        lasts: dict[str, list[str]] = {}
        for word in counts:
            firsts.setdefault(word[0], []).append(word)
            if len(word) >= MIN_STEM:
                lasts.setdefault(word[-1], []).append(word)
        idf = {w: math.log((n + 1) / (c + 0.5)) for w, c in counts.items()}
        return cls(entries, idf, acronyms, by_first={k: tuple(v) for k, v in firsts.items()},
                   by_last={k: tuple(v) for k, v in lasts.items()})  # fmt: skip

    def score(
        self, text_words: Sequence[str], name_words: frozenset[str], *,
        near: Mapping[str, Mapping[str, float]] | None = None,
    ) -> float:  # fmt: skip
        """Sum over the message words of the best match; a word that is itself a name word somewhere on the
        kaart ('psychologenpraktijk') only counts for the entries that have it, not partly for others.
        `near`: the weighted matches of each message word (near_words), computed once for all entries."""
        total = 0.0
        for w in set(text_words):
            if w in self.idf:
                total += self.idf[w] if w in name_words else 0.0
            elif near is not None:
                total += max((v for n, v in near[w].items() if n in name_words), default=0.0)
            else:
                total += max((self.idf[n] * _name_word(w, n) for n in name_words), default=0.0)
        return total

    def near_words(self, text_words: Sequence[str]) -> dict[str, dict[str, float]]:
        """Per message word that is no name word itself: idf x match for the kaart's name words it matches.
        Only words with the same first letter, or the same last letter when both have MIN_STEM letters, can
        match at all (same_word, one_typo), so the rest is skipped: the same scores at a fraction of the
        comparisons (issue #12: this look-up was a third of the engine's CPU per update)."""
        near: dict[str, dict[str, float]] = {}
        for w in set(text_words):
            if w in self.idf or w in near:
                continue
            found: dict[str, float] = {}
            for n in self._candidates(w):
                match = _name_word(w, n)
                if match:
                    found[n] = self.idf[n] * match
            near[w] = found
        return near

    def _candidates(self, word: str) -> list[str]:
        same_start = list(self.by_first.get(word[0], ()))
        if len(word) < MIN_STEM:
            return same_start
        return same_start + [n for n in self.by_last.get(word[-1], ()) if n[0] != word[0]]

    def find(self, text: str, *, prefer: Sequence[str] = ()) -> Service | None:
        """The entry the text names; `prefer` (ids last shown, or in the named wijk) wins ties."""
        found = self.find_all(text, prefer=prefer)
        return found[0] if found else None

    def find_all(self, text: str, *, prefer: Sequence[str] = ()) -> list[Service]:
        """Every entry that shares the best score ('de ggz' -> the ggz services), in kaart order."""
        text_words = [w for w in words(text) if w not in CASE_PEOPLE]
        text_words += [w for w in re.findall(r"[a-z]+", fold(text)) if w in self.acronyms]  # 'nr vt'
        if not text_words:
            return []
        scored: list[tuple[float, Service]] = []
        near = self.near_words(text_words) if self.by_first or not self.idf else None
        for service, name_words in self.entries:
            score = self.score(text_words, name_words, near=near)
            score += 0.5 if service.id in prefer and score > 0 else 0.0
            if score >= MIN_NAME_SCORE:
                scored.append((score, service))
        best = max((score for score, _ in scored), default=0.0)
        return [service for score, service in scored if score >= best - 1e-6]


MIN_WORD = 3  # words() keeps words this long; a shorter acronym ('vt') is looked for on its own
ACRONYM_WORDS = (2, 4)  # a name of two to four words has an acronym: 'Veilig Thuis' -> 'vt'
# Short words people type that are no acronym of a partner
NO_ACRONYM = frozenset(["nu", "na", "al", "zo", "om", "ga", "ja", "ok", "oh", "pa", "ma", "mw", "hr", "dr", "ex",
                        "id", "nr", "tel", "wo", "do", "vr", "za", "zo", "di", "mr", "ms", "mn", "zn", "vd"])  # fmt: skip


def _acronym(name: str) -> frozenset[str]:
    """The initials of a name of two to four words ('Veilig Thuis' -> 'vt'), unless they are a common word."""
    parts = re.findall(r"[a-z]+", fold(name.split("(")[0]))
    parts = [p for p in parts if p not in STOPWORDS]
    if not ACRONYM_WORDS[0] <= len(parts) <= ACRONYM_WORDS[1]:
        return frozenset()
    acronym = "".join(p[0] for p in parts)
    return frozenset() if acronym in STOPWORDS or acronym in NO_ACRONYM else frozenset({acronym})


def _name_word(text_word: str, name_word: str) -> float:
    """same_word, and a typed name with one slip ('geldhlp veendjik') still names the partner."""
    return same_word(text_word, name_word) or (TYPO_MATCH if one_typo(text_word, name_word) else 0.0)


LOOSE_WORD = 5  # 'ambagt' - 'ambacht': a sound-alike spelling, only among the partners of this conversation
LOOSE_START = 3  # ... with the same first three letters
LOOSE_RATIO = 0.75  # ... and this much of the letters in common (difflib ratio; 'ambagt'/'ambacht' 0.77)


def loose_word(text_word: str, name_word: str) -> bool:
    """A spelling that sounds like the name word ('ambagt' for 'ambacht', 'werkcentrm'): both at least five
    letters, the same start, most letters in common. Too loose for the whole kaart; the caller limits it to
    the few partners shown in the conversation."""
    if min(len(text_word), len(name_word)) < LOOSE_WORD or text_word[:LOOSE_START] != name_word[:LOOSE_START]:
        return False
    return SequenceMatcher(None, text_word, name_word).ratio() >= LOOSE_RATIO


def loosely_named(text: str, services: Sequence[Service], *, known: Collection[str] = ()) -> Service | None:
    """The one partner among `services` (those of this conversation) whose name a word of the text spells
    loosely; None when none or several do. `known`: words that are themselves meant (language names: 'drents'
    asks for a language, it is no slip of 'Drenthe')."""
    text_words = [w for w in words(text) if w not in CASE_PEOPLE and w not in known]
    found = [
        s
        for s in services
        if any(loose_word(w, n) for w in text_words for n in words(f"{s.name} {s.organization}"))
    ]
    return found[0] if len(found) == 1 else None


def among_shown(text: str, shown: Sequence[Service], topics: Mapping[str, str]) -> Service | None:
    """A partner among those just shown, by position or by the subject ('die van schulden')."""
    position = ordinal(text, len(shown))
    if position is not None:
        return shown[position]
    text_words = words(text)
    best: tuple[int, Service] | None = None
    for service in shown:
        about = words(
            " ".join((service.name, service.organization, topics.get(service.id, ""), *service.themes))
        )
        hits = sum(any(_same(w, a) for a in about) for w in text_words)
        if hits and (best is None or hits > best[0]):
            best = (hits, service)
    return best[1] if best else None


def only_names(text: str, named: Service, english: Mapping[str, str] | None = None) -> bool:
    """The text says nothing but (part of) the partner's name: 'en het mantelzorgpunt?'. With `english`
    (knowledge/engelse_woorden.yaml) a word is also read as its Dutch form: 'en de bieb zelf' names the
    Bibliotheek."""
    own = words(f"{named.name} {named.organization} {' '.join(named.themes)} {named.id.replace('-', ' ')}")
    said = [alias for w in words(text) for alias in _as_dutch(w, english or {})]
    return not [w for w in said if not any(_name_word(w, o) or loose_word(w, o) for o in own)]


def _as_dutch(word: str, english: Mapping[str, str]) -> list[str]:
    """A one-word English or everyday form as the Dutch words it stands for ('bieb' -> ['bibliotheek'])."""
    dutch = english.get(word)
    return words(dutch) or [word] if dutch else [word]
