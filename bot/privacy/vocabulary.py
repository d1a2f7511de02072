"""Word lists that tell a name from an ordinary Dutch word, in any case. Loaded lazily, once per instance.

- deduce's first-name and surname lists (read as plain files; deduce itself is not imported here);
- deduce's whitelists (common words, stop words, medical terms, eponymous diseases);
- word frequencies of Dutch from pyspellchecker (subtitle counts; rare words and list-only words sit at the
  floor of 50, so a frequency of 100 or more means "a word people actually use");
- the words of wijkbot's own knowledge files (publication, signals, synonyms), so domain words such as
  "leerplicht" or "jeugdwet" are never taken for a name.
"""

from __future__ import annotations

import importlib.util
import pickle
import re
import threading
from dataclasses import dataclass
from pathlib import Path

from bot.config import PROJECT_ROOT

_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
# A word counts as "used" from this subtitle frequency on; 50 is the floor of pyspellchecker's nl list.
USED_FREQUENCY = 100
# ...and as common (never a name on its own, even if a list has it: "berg", "boer", "roos") from this one.
COMMON_FREQUENCY = 1000
# A typo of a common word ('schoo') from this length on: among 2,000 rare lower-case first names of deduce's list,
# 56 are a swap or one missing letter away from a common word at 4+ letters, 30 at 5+ ('nadine', 'brecht'). Only a
# lower-case name standing alone loses its mask that way (a title, a cue word or a surname still finds it).
TYPO_MIN_LETTERS = 5
# English subtitle counts: 'will', 'right', 'day', 'mark', 'bill' are common; 'lisa', 'kevin' are not.
ENGLISH_COMMON_FREQUENCY = 20000
# An English word at all, for the rule "a capitalised word in no dictionary is a name".
FOREIGN_FREQUENCY = 1000
_ENGLISH_VOTE = frozenset(
    [
        "the",
        "and",
        "is",
        "he",
        "she",
        "his",
        "her",
        "him",
        "they",
        "them",
        "their",
        "to",
        "of",
        "with",
        "has",
        "have",
        "was",
        "were",
        "will",
        "not",
        "no",
        "it",
        "i",
        "you",
        "my",
        "are",
        "an",
        "this",
        "that",
        "from",
        "for",
        "at",
        "about",
        "who",
        "what",
        "how",
    ]
)
_DUTCH_VOTE = frozenset(
    [
        "de",
        "het",
        "een",
        "en",
        "is",
        "hij",
        "zij",
        "ze",
        "van",
        "met",
        "niet",
        "op",
        "te",
        "dat",
        "die",
        "er",
        "in",
        "zijn",
        "haar",
        "geen",
        "ook",
    ]
)
_SUFFIXES = ("heid", "ing", "ers", "er", "en", "de", "te", "e", "s", "d", "t")
_DIMINUTIVES = ("etjes", "etje", "tjes", "tje", "jes", "je", "pjes", "pje")
_PREFIXES = ("ge", "ver", "be", "ont")
_KNOWLEDGE_FILES = (
    "signalen.yaml",
    "synoniemen.yaml",
    "levensgebieden.yaml",
    "vragen.yaml",
    "algemene_woorden.txt",
    "herkomst.txt",
    "talen.yaml",
)


def words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def _deduce_lists() -> Path:
    spec = importlib.util.find_spec("deduce")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("deduce")
    return Path(next(iter(spec.submodule_search_locations))) / "data" / "lookup" / "src"


def _read_list(path: Path) -> set[str]:
    return {line.strip().lower() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()}


@dataclass(frozen=True)
class _Lists:
    first_names: frozenset[str]
    surnames: frozenset[str]
    whitelist: frozenset[str]
    knowledge: frozenset[str]
    frequency: dict[str, int]
    english: frozenset[str]  # frequent English words, for messages written in English
    public_names: re.Pattern[str] | None  # places, shops, organisations that look like person names
    places: frozenset[str]  # Dutch places, municipalities, provinces, regions (deduce's lists)
    foreign: frozenset[str]  # English words in use (subtitle count >= 1000): 'Facebook', 'Zoom'


def _load() -> _Lists:
    """The lists, copied once through a pickle: the word-frequency dictionaries read to select them (about 60 MB
    of short-lived strings) are freed before the kept words are allocated again, so the kept ones do not pin the
    memory of the freed ones (the engine worker's resident size, issue #12)."""
    return pickle.loads(_packed())  # noqa: S301 - bytes this function just made


def _packed() -> bytes:
    return pickle.dumps(_read_lists(), protocol=pickle.HIGHEST_PROTOCOL)


def _read_lists() -> _Lists:
    from spellchecker import SpellChecker

    base = _deduce_lists()
    first = _read_list(base / "names" / "lst_first_name" / "items.txt")
    surnames = _read_list(base / "names" / "lst_surname" / "items.txt")
    surnames |= _read_list(base / "names" / "lst_interfix_surname" / "items.txt")
    whitelist: set[str] = set()
    for name in ("lst_common_word", "lst_stop_word", "lst_medical_term"):
        whitelist |= _read_list(base / "whitelist" / name / "items.txt")
    knowledge: set[str] = set()
    for path in sorted((PROJECT_ROOT / "knowledge" / "publicatie").glob("*.txt")):
        knowledge.update(words(path.read_text(encoding="utf-8")))
    for name in _KNOWLEDGE_FILES:
        path = PROJECT_ROOT / "knowledge" / name
        if path.exists():
            knowledge.update(words(path.read_text(encoding="utf-8")))
    counts = SpellChecker(language="nl", distance=1).word_frequency
    frequency = {w: int(f) for w, f in counts.items() if f >= USED_FREQUENCY}
    english_counts = SpellChecker(language="en", distance=1).word_frequency
    english = frozenset(w for w, f in english_counts.items() if f >= ENGLISH_COMMON_FREQUENCY)
    foreign = frozenset(w for w, f in english_counts.items() if f >= FOREIGN_FREQUENCY)
    places: set[str] = set()
    for path in (base.parent / "src" / "locations" / "lst_placename").rglob("items.txt"):
        places |= _read_list(path)
    public = _public_names(PROJECT_ROOT / "knowledge" / "publieke_namen.txt")
    return _Lists(
        frozenset(first),
        frozenset(surnames),
        frozenset(whitelist),
        frozenset(knowledge),
        frequency,
        english,
        public,
        frozenset(places),
        foreign,
    )


def _public_names(path: Path) -> re.Pattern[str] | None:
    if not path.exists():
        return None
    names = [
        line.strip()
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    if not names:
        return None
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


class Vocabulary:
    """Lookups on lower-cased single words. Thread-safe lazy load; see the module docstring."""

    def __init__(self) -> None:
        self._lists: _Lists | None = None
        self._lock = threading.Lock()

    def load(self) -> _Lists:
        if self._lists is None:
            with self._lock:
                if self._lists is None:
                    self._lists = _load()
        return self._lists

    def frequency(self, word: str) -> int:
        return self.load().frequency.get(word.lower(), 0)

    def is_first_name(self, word: str) -> bool:
        return word.lower() in self.load().first_names

    def is_surname(self, word: str) -> bool:
        return word.lower() in self.load().surnames

    def public_name_spans(self, text: str) -> list[tuple[int, int]]:
        """Where the text names a public place or organisation (knowledge/publieke_namen.txt)."""
        pattern = self.load().public_names
        return [(m.start(), m.end()) for m in pattern.finditer(text)] if pattern is not None else []

    def is_place(self, word: str) -> bool:
        return word.lower() in self.load().places

    def in_any_dictionary(self, word: str) -> bool:
        """A Dutch word, an English word in use, or a Dutch place: not an unknown name."""
        low = word.lower()
        lists = self.load()
        if low in lists.foreign or low in lists.places:
            return True
        stems = [low] + [low[: -len(s)] for s in _SUFFIXES if low.endswith(s) and len(low) - len(s) >= 3]
        return any(self._known_simple(s) or self._known_tail(s) for s in stems)

    def _known_tail(self, low: str) -> bool:
        """Ends in a Dutch word of 4+ letters after 3+ letters: 'alufolie', 'flexwerker', 'Oosterhoek'."""
        return any(self._known_simple(low[i:]) for i in range(3, len(low) - 3))

    def is_name(self, word: str) -> bool:
        return self.is_first_name(word) or self.is_surname(word)

    def is_common(self, word: str, *, english: bool = False) -> bool:
        """An ordinary word: frequent, whitelisted by deduce, or a word of our own knowledge files
        (english=True: a frequent English word counts too)."""
        lists, low = self.load(), word.lower()
        if english and low in lists.english:
            return True
        return (
            lists.frequency.get(low, 0) >= COMMON_FREQUENCY
            or low in lists.whitelist
            or low in lists.knowledge
        )

    @staticmethod
    def reads_english(lowered_words: list[str]) -> bool:
        """A short stopword vote: more English than Dutch function words (at least two)."""
        english = sum(w in _ENGLISH_VOTE for w in lowered_words)
        return english >= 2 and english > sum(w in _DUTCH_VOTE for w in lowered_words)

    def is_known(self, word: str, *, english: bool = False) -> bool:
        """A Dutch word at all: used, whitelisted, ours, a compound of two such words, or an inflection."""
        low = word.lower()
        if english and low in self.load().english:
            return True
        stems = [low] + [low[: -len(s)] for s in _SUFFIXES if low.endswith(s) and len(low) - len(s) >= 3]
        stems += [
            s[len(p) :] for s in list(stems) for p in _PREFIXES if s.startswith(p) and len(s) - len(p) >= 3
        ]
        return any(self._known_simple(s) or self._compound(s) for s in stems)

    def typo_of_common(self, word: str) -> bool:
        """A common word with one letter left out or two swapped: 'schoo' (school), 'afsrpaak' (afspraak). Not a
        letter added or changed: too many rare first names are that close to a word ('frits', 'kate')."""
        low = word.lower()
        if len(low) < TYPO_MIN_LETTERS:
            return False
        letters = "abcdefghijklmnopqrstuvwxyz"
        swaps = (low[:i] + low[i + 1] + low[i] + low[i + 2 :] for i in range(len(low) - 1))
        inserts = (low[:i] + c + low[i:] for i in range(len(low) + 1) for c in letters)
        return any(self.frequency(w) >= COMMON_FREQUENCY for w in (*swaps, *inserts) if w != low)

    def is_inflection(self, word: str) -> bool:
        """A plural or diminutive of a used word: 'wijntjes', 'huisjes'."""
        low = word.lower()
        return any(
            low.endswith(s) and len(low) - len(s) >= 3 and self._known_simple(low[: -len(s)])
            for s in _SUFFIXES + _DIMINUTIVES
        )

    def _compound(self, low: str) -> bool:
        for i in range(3, len(low) - 2):
            head, tail = low[:i], low[i:]
            if self._known_simple(head) and (
                self._known_simple(tail) or (tail.startswith("s") and self._known_simple(tail[1:]))
            ):
                return True
        return False

    def _known_simple(self, low: str) -> bool:
        lists = self.load()
        if low in lists.whitelist or low in lists.knowledge:
            return True
        return lists.frequency.get(low, 0) >= USED_FREQUENCY and low not in lists.first_names
