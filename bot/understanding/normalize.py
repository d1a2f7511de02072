"""Situation text normalisation: note-style abbreviations, irregular verb forms, word variants for matching."""

from __future__ import annotations

import re
import threading
import unicodedata
from dataclasses import dataclass

_TOKEN = re.compile(r"[a-z0-9]+(?:['.-][a-z0-9]+)*")
_DIMINUTIVE = re.compile(r"(?:etje|tje|pje|kje|je)s?$")
_PLURAL = re.compile(r"(?:en|s)$")
MEMO_SIZE = 50_000


def fold(text: str) -> str:
    """Lowercase, strip diacritics, unify apostrophes and dashes."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = (decomposed if decomposed.isascii()  # no combining marks: the common case, skipped char by char
             else "".join(ch for ch in decomposed if not unicodedata.combining(ch)))  # fmt: skip
    return re.sub(r"[\u2010-\u2015]", "-", plain.replace("\u2019", "'"))


@dataclass(frozen=True, slots=True)
class Token:
    """One word of a situation with the forms it may match (folded, lemma, stem, without ge-/diminutive)."""

    text: str
    position: int
    start: int
    variants: tuple[str, ...]


class Normalizer:
    """Data-driven clean-up of phone-typed notes (knowledge/signalen.yaml: afkortingen, woordvormen).

    Thread-safe: the Snowball stemmer is not, so it is used under a lock and its results are memoised.
    """

    def __init__(self, *, abbreviations: dict[str, str] | None = None, lemmas: dict[str, str] | None = None,
                 false_friends: frozenset[str] = frozenset(), neutral: tuple[str, ...] = ()) -> None:  # fmt: skip
        words = sorted((fold(n) for n in neutral if n.strip()), key=len, reverse=True)
        self._neutral = (
            re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b") if words else None
        )
        self.abbreviations = {fold(k): fold(v) for k, v in (abbreviations or {}).items()}
        self.lemmas = {fold(k): fold(v) for k, v in (lemmas or {}).items()}
        self.false_friends = frozenset(fold(w) for w in false_friends)
        self._lock = threading.Lock()
        self._stemmer: object | None = None
        self._memo: dict[str, tuple[str, ...]] = {}

    def _stem(self, word: str) -> str:
        with self._lock:
            if self._stemmer is None:
                import Stemmer

                self._stemmer = Stemmer.Stemmer("dutch")
            return str(self._stemmer.stemWord(word))  # type: ignore[attr-defined,union-attr]

    def expand(self, text: str) -> str:
        """Folded text with abbreviations written out ("mw kan nt lezen" -> "mevrouw kan niet lezen")."""
        folded = fold(text)
        if self.abbreviations:
            folded = _TOKEN.sub(lambda m: self._abbreviation(m.group(0)), folded)
        return folded

    def mask(self, expanded: str) -> str:
        """Blank out everyday phrases that only look like a signal ("koffie drinken"); same length."""
        if self._neutral is None:
            return expanded
        return self._neutral.sub(lambda m: "_" * len(m.group(0)), expanded)

    def _abbreviation(self, word: str) -> str:
        return self.abbreviations.get(word.rstrip("."), self.abbreviations.get(word, word))

    def tokens(self, expanded: str) -> list[Token]:
        """Tokens of an already expanded text, each with its match variants."""
        out: list[Token] = []
        for position, match in enumerate(_TOKEN.finditer(expanded)):
            word = match.group(0)
            out.append(Token(word, position, match.start(), self.variants(word)))
        return out

    def variants(self, word: str) -> tuple[str, ...]:
        known = self._memo.get(word)
        if known is not None:
            return known
        found = self._variants(word)
        if len(self._memo) < MEMO_SIZE:
            self._memo[word] = found
        return found

    def _variants(self, word: str) -> tuple[str, ...]:
        if word in self.false_friends:
            return ()
        forms = {word}
        lemma = self.lemmas.get(word)
        if lemma:
            forms.add(lemma)
        if len(word) >= 6 and word.startswith("ge"):
            forms.add(word[2:])
        for form in list(forms):
            if len(form) >= 6:
                small = _DIMINUTIVE.sub("", form)
                if len(small) >= 4:
                    forms.add(small)
            if len(form) >= 5:
                forms.add(self._stem(form))
                forms.add(_PLURAL.sub("", form))
        return tuple(sorted(forms, key=len, reverse=True))


_CLAUSE_END = re.compile(r"[.,;:!?\n()]|\s(?:en|maar|want|omdat|terwijl|wel|of)\s")


@dataclass(frozen=True, slots=True)
class Negation:
    """Local negation (knowledge/signalen.yaml: ontkenning): 'geen schulden', 'hij drinkt niet', 'geld is geen
    probleem'. A problem word with a negation just before it (one word may sit in between) or right after it, in
    the same clause, does not count. Words for help or means ('geen huisarts', 'geen uitkering') stay signals:
    missing help is a need. Reassurances ('financieel gaat het goed') are removed from the text altogether.
    """

    before: re.Pattern[str] | None = None
    after: re.Pattern[str] | None = None
    cues: tuple[str, ...] = ()
    needs: re.Pattern[str] | None = None
    reassurances: tuple[re.Pattern[str], ...] = ()
    # where a SAFETY signal stands (bot/understanding/scope.py): told as past or over ('vroeger', 'nu rustig'), and
    # the danger called not acute ('niet acuut', 'no immediate danger'). Features for the safety heads, not rules.
    past: re.Pattern[str] | None = None
    safe: re.Pattern[str] | None = None
    # extra cues that negate a safety signal only ('no', 'denies': English notes), beside `cues`
    safety_before: re.Pattern[str] | None = None

    @classmethod
    def from_data(cls, data: dict[str, object]) -> Negation:
        cues = tuple(fold(str(w)) for w in data.get("woorden", []) or [])  # type: ignore[attr-defined]
        after = [str(p) for p in data.get("na", []) or []]  # type: ignore[attr-defined]
        needs = [fold(str(w)) for w in data.get("behoefte", []) or []]  # type: ignore[attr-defined]
        calm = [str(p) for p in data.get("geruststellingen", []) or []]  # type: ignore[attr-defined]
        past = [str(p) for p in data.get("verleden", []) or []]  # type: ignore[attr-defined]
        safe = [str(p) for p in data.get("veilig", []) or []]  # type: ignore[attr-defined]
        extra = [fold(str(w)) for w in data.get("woorden_veiligheid", []) or []]  # type: ignore[attr-defined]
        both = "|".join(re.escape(c) for c in (*cues, *extra))
        joined = "|".join(re.escape(c) for c in cues)
        return cls(
            before=re.compile(rf"\b(?:{joined})\s+(?:\w+\s+)?$") if cues else None,
            after=re.compile("|".join(f"(?:{p})" for p in after)) if after else None,
            cues=cues,
            needs=re.compile(r"\b(?:" + "|".join(re.escape(n) for n in needs) + ")") if needs else None,
            reassurances=tuple(re.compile(p) for p in calm),
            past=re.compile("|".join(f"(?:{p})" for p in past)) if past else None,
            safe=re.compile("|".join(f"(?:{p})" for p in safe)) if safe else None,
            safety_before=re.compile(rf"\b(?:{both})\s+(?:\w+\s+)?$") if both else None,
        )

    def calm_spans(self, text: str) -> list[tuple[int, int]]:
        """Spans of reassurances ('geld is geen probleem'): no signal and no meaning counts there."""
        return [m.span() for pattern in self.reassurances for m in pattern.finditer(text)]

    def safety_negated(self, text: str, start: int, end: int, phrase: str) -> bool:
        """Whether a safety signal at text[start:end] is negated: as `negated`, plus the safety-only cues."""
        if self.negated(text, start, end, phrase) is not None:
            return True
        head = _clause_tail(text[max(0, start - 40) : start])
        return self.safety_before is not None and self.safety_before.search(head) is not None

    def negated(self, text: str, start: int, end: int, phrase: str) -> tuple[int, int] | None:
        """The span of cue + signal when the signal at text[start:end] is negated, else None."""
        matched = text[start:end]
        if self.needs is not None and self.needs.search(matched):
            return None
        if any(re.search(rf"\b{c}\b", matched) and c not in phrase for c in self.cues):
            return start, end  # 'gebruikt geen drugs' matched as 'gebruikt .. drugs'
        head = _clause_tail(text[max(0, start - 40) : start])
        if self.before is not None and (found := self.before.search(head)):
            return start - (len(head) - found.start()), end
        tail = _clause_head(text[end : end + 40])
        if self.after is not None and (found := self.after.match(tail)):
            return start, end + found.end()
        return None


def _clause_tail(text: str) -> str:
    parts = _CLAUSE_END.split(text)
    return parts[-1] if parts else text


def _clause_head(text: str) -> str:
    found = _CLAUSE_END.search(text)
    return text[: found.start()] if found else text
