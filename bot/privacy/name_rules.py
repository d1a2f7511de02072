"""Names as people type them in chat: any case, with titles, particles and initials.

deduce (names.py) finds capitalised names in running text. These rules add what it misses:
- a title with a name: "mw jansen", "dhr de boer", "fam. el amrani", "MEVROUW JANSEN";
- a particle with a surname: "el Amrani", "van der berg";
- a first name with a surname in lower case: "jan de vries", "fatima el amrani";
- initials with a surname: "J. de Vries", "A.B. Smit";
- a rare first name or surname on its own in any case: "sanne", "yilmaz";
- in a very short text (a label), any word that is not Dutch: "Amrani".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from bot.privacy.vocabulary import USED_FREQUENCY, Vocabulary

_TOKEN = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
TITLES = frozenset(
    [
        "mw",
        "mevr",
        "mevrouw",
        "dhr",
        "dhr",
        "meneer",
        "heer",
        "hr",
        "fam",
        "familie",
        "gezin",
        "juf",
        "juffrouw",
        "oma",
        "opa",
        "tante",
        "mr",
    ]
)
PARTICLES = frozenset(
    [
        "van",
        "de",
        "der",
        "den",
        "het",
        "'t",
        "ter",
        "ten",
        "te",
        "el",
        "al",
        "abu",
        "ben",
        "bin",
        "bou",
        "la",
        "le",
        "da",
        "di",
        "du",
        "von",
    ]
)
_STRONG_PARTICLES = frozenset(
    ["el", "al", "abu", "ben", "bin", "bou"]
)  # Arabic/Berber: before a surname only
_ARTICLES = frozenset(
    [
        "de",
        "het",
        "een",
        "die",
        "deze",
        "dat",
        "onze",
        "mijn",
        "zijn",
        "haar",
        "hun",
        "jouw",
        "uw",
        "elke",
        "ieder",
    ]
)
_INITIALS = re.compile(r"(?<![\w.])(?:[A-Z]\.[ \t]?){1,4}(?=[ \t]*[A-Za-z'])")
_SHORT_TEXT_WORDS = 3


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    start: int
    end: int
    tight: bool  # only spaces or a dot between this token and the one before it

    @property
    def low(self) -> str:
        return self.text.lower()

    @property
    def capitalised(self) -> bool:
        return self.text[:1].isupper()


_TIGHT = re.compile(r"[ \t]{1,2}|\.[ \t]?|[ \t]?-[ \t]?")


def tokens(text: str) -> list[Token]:
    out: list[Token] = []
    previous_end = 0
    for m in _TOKEN.finditer(text):
        tight = bool(out) and bool(_TIGHT.fullmatch(text[previous_end : m.start()]))
        out.append(Token(m.group(0), m.start(), m.end(), tight))
        previous_end = m.end()
    return out


class NameRules:
    """Rule-based name spans on top of deduce; see the module docstring."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        self._vocab = vocabulary

    def find(self, text: str) -> list[tuple[int, int]]:
        toks = tokens(text)
        english = self._vocab.reads_english([t.low for t in toks])
        return _RulePass(_Words(self._vocab, english=english)).find(text, toks)


class _Words:
    """The vocabulary as seen for one text: in an English text, frequent English words are ordinary too."""

    def __init__(self, vocab: Vocabulary, *, english: bool) -> None:
        self._vocab = vocab
        self._english = english

    def is_common(self, word: str) -> bool:
        return self._vocab.is_common(word, english=self._english)

    def is_known(self, word: str) -> bool:
        return self._vocab.is_known(word, english=self._english)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._vocab, name)


class _RulePass:
    """The rules, applied to one text."""

    def __init__(self, words: _Words) -> None:
        self._vocab = words

    def find(self, text: str, toks: list[Token]) -> list[tuple[int, int]]:
        spans: list[tuple[int, int]] = []
        for i, tok in enumerate(toks):
            for rule in (self._titled, self._particled, self._full_name):
                span = rule(toks, i)
                if span is not None:
                    spans.append(span)
            if self._rare_name(toks, i) or (
                len(toks) <= _SHORT_TEXT_WORDS and self._foreign_word(tok, len(toks))
            ):
                spans.append((tok.start, tok.end))
        spans.extend(self._initials(text))
        return spans

    # -- rules ---------------------------------------------------------------------------------
    def _titled(self, toks: list[Token], i: int) -> tuple[int, int] | None:
        """A title, optional particles, then a name-like word."""
        if toks[i].low not in TITLES:
            return None
        j, particles = self._skip_particles(toks, i + 1)
        if j >= len(toks) or not self._adjacent(toks, i, j):
            return None
        word, vocab = toks[j], self._vocab
        if len(word.text) < 2 or word.low in _ARTICLES:
            return None
        if not word.capitalised:
            # 'mw jansen' and 'dhr de boer' are names; 'mw alleenstaand' and 'gezin heeft' are not.
            listed = vocab.is_name(word.low)
            if particles and vocab.is_common(word.low) and not listed:
                return None
            if not particles and vocab.is_known(word.low) and (not listed or vocab.is_common(word.low)):
                return None
        return toks[i].start, self._extend(toks, j)

    def _particled(self, toks: list[Token], i: int) -> tuple[int, int] | None:
        """el/al/ben + surname, van der/van den/ter + surname, van/de + a capitalised surname."""
        low = toks[i].low
        if low not in PARTICLES or (i > 0 and toks[i - 1].low in TITLES):
            return None
        j, _ = self._skip_particles(toks, i)
        if j >= len(toks) or not self._adjacent(toks, i, j):
            return None
        word, vocab = toks[j], self._vocab
        chain = " ".join(t.low for t in toks[i:j])
        if low in _STRONG_PARTICLES:  # 'el amrani' yes, 'al het geld' no
            named = not vocab.is_known(word.low) or (word.capitalised and not vocab.is_common(word.low))
        elif chain in {"van der", "van den", "ter", "ten", "van 't"}:
            named = not vocab.is_common(word.low) or vocab.is_surname(word.low)
        else:  # 'van Dijk'; a bare 'de' + capital is too often a place ('in De Velden')
            named = low == "van" and word.capitalised and vocab.is_surname(word.low)
            named = named and not vocab.is_common(word.low)
        return (toks[i].start, self._extend(toks, j)) if named else None

    def _full_name(self, toks: list[Token], i: int) -> tuple[int, int] | None:
        """A first name followed by (particles and) a surname, any case: 'jan de vries'."""
        vocab = self._vocab
        first = toks[i]
        if not vocab.is_first_name(first.low) or vocab.is_common(first.low):
            return None
        if i > 0 and toks[i - 1].low in _ARTICLES:
            return None
        j, _ = self._skip_particles(toks, i + 1)
        if j >= len(toks) or not self._adjacent(toks, i, j):
            return None
        last = toks[j]
        if (vocab.is_surname(last.low) and not vocab.is_common(last.low)) or not vocab.is_known(last.low):
            return first.start, self._extend(toks, j)
        if j > i + 1 and vocab.is_surname(last.low):  # 'jan de vries': a particle makes 'vries' a surname
            return first.start, self._extend(toks, j)
        return None

    def _rare_name(self, toks: list[Token], i: int) -> bool:
        """A listed name that is no Dutch word ('sanne', 'yilmaz'), not after an article."""
        tok, vocab = toks[i], self._vocab
        if len(tok.text) < 3 or (i > 0 and toks[i - 1].low in _ARTICLES):
            return False
        if (
            not vocab.is_name(tok.low)
            or vocab.frequency(tok.low) >= USED_FREQUENCY
            or vocab.is_common(tok.low)
        ):
            return False
        return not vocab.is_inflection(tok.low)  # 'wijntjes' is a word, not a name

    def _foreign_word(self, tok: Token, count: int) -> bool:
        """In a label-sized text: a word that is not Dutch at all is most likely a name."""
        if len(tok.text) < 4 or (tok.text.isupper() and len(tok.text) <= 5):
            return False
        if not tok.capitalised and count > 2:  # lower case in a longer text: too often a typo or jargon
            return False
        return not self._vocab.is_known(tok.low)

    def _initials(self, text: str) -> list[tuple[int, int]]:
        """'J. de Vries', 'A.B. Smit': initials, particles, a capitalised word that is not common."""
        out: list[tuple[int, int]] = []
        for m in _INITIALS.finditer(text):
            rest = tokens(text[m.end() :])
            j, _ = self._skip_particles(rest, 0)
            if j < len(rest) and rest[j].capitalised and not self._vocab.is_common(rest[j].low):
                out.append((m.start(), m.end() + rest[j].end))
        return out

    # -- helpers ----------------------------------------------------------------------------------
    @staticmethod
    def _skip_particles(toks: list[Token], j: int) -> tuple[int, bool]:
        start = j
        while j < len(toks) - 1 and toks[j].low in PARTICLES and j - start < 3:
            j += 1
        return j, j > start

    @staticmethod
    def _adjacent(toks: list[Token], a: int, b: int) -> bool:
        """Tokens a..b follow each other with only spaces or a dot between (no commas, no digits)."""
        return all(toks[k].tight for k in range(a + 1, b + 1))

    def _extend(self, toks: list[Token], j: int) -> int:
        """Take in one more capitalised surname-like word: 'mevrouw Fatima Amrani'."""
        end = toks[j].end
        nxt = toks[j + 1] if j + 1 < len(toks) else None
        if nxt is not None and nxt.tight and nxt.capitalised and not self._vocab.is_common(nxt.low):
            return nxt.end
        return end
