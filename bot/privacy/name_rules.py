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
# Clipped Dutch words typed without their apostrophe: 't (het), n (een), k (ik). Lower case and without a dot,
# before a common lower-case word, they are no initial ('in t oude centrum'; 't. de wit' and 'T Smit' still are).
_CLIPPED_WORDS = frozenset(["t", "n", "k"])
_BARE_ARTICLES = frozenset(["het", "'t"])


def _only_article(toks: list[Token], start: int, end: int) -> bool:
    """The particles between a title and the word are only the article 'het' ('mw het er ...')."""
    return end - start == 1 and toks[start].low in _BARE_ARTICLES


_ENGLISH_ONE_LETTER_WORDS = frozenset(["a", "i"])


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words after which an unknown lower-case word is a name: "terugkoppeling van ghebremedhin", "t.n.v. rai".
_CUES_BEFORE = _wordset(
    "van met voor aan tnv namens door heet genaamd naam zoon dochter moeder vader broer zus oma opa "
    "neef nicht buurman buurvrouw collega cliënt client kind mevrouw meneer"
)
_CUES_AFTER = _wordset("zegt zei belt belde heeft had wil wilde komt kwam vertelt vertelde mailt mailde appt")
# Capitalised words after these name an organisation, not a person: "Stichting Humanitas".
_ORGANISATION_WORDS = _wordset(
    "stichting vereniging organisatie bureau praktijk school basisschool team project gemeente wijk "
    "buurt ziekenhuis kliniek centrum hogeschool universiteit bij in uit naar te rond nabij vanuit "
    "richting"
)  # ... and after a preposition of place, a place: 'in Oosterhoek', 'werkt bij Lindenhout'
_APOSTROPHE_ENDINGS = frozenset(["er", "ers", "s", "je", "tje", "tjes", "jes"])  # "zzp'er", "mbo'ers"
# Runs of single letters that are abbreviations, not initials: "d.w.z. de bakker", "t.n.v."
_LETTER_ABBREVIATIONS = tuple(_wordset("dwz oa ea tnv mbt ivm zsm nav ipv bv tav evt ovv"))


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
        # A short message that ends in a question asks about a thing, it is no label: 'insta?', 'telnr?',
        # 'referal?' (chat words and typos in no dictionary); a label or a name alone has no question mark.
        label_like = len(toks) <= _SHORT_TEXT_WORDS and not text.rstrip().endswith("?")
        for i, tok in enumerate(toks):
            for rule in (self._titled, self._particled, self._full_name):
                span = rule(toks, i)
                if span is not None:
                    spans.append(span)
            if (
                self._rare_name(toks, i)
                or (self._unknown_capitalised(toks, i) and (label_like or len(toks) > 1))
                or self._unknown_after_cue(toks, i)
                or (label_like and self._foreign_word(tok, len(toks)))
            ):
                spans.append((tok.start, self._extend(toks, i)))
            initial = self._lower_initial(toks, i, text)
            if initial is not None:
                spans.append(initial)
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
            if _only_article(toks, i + 1, j) and vocab.is_common(word.low):
                return None  # 'als mw het er niet mee eens is': the article 'het', no 't Hart'

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
        elif chain in {"ter", "ten"} and not word.capitalised and vocab.is_common(word.low):
            named = (
                False  # fixed phrases: 'slecht ter been', 'ter plaatse', 'ten slotte' ('ter Horst' is a name)
            )
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
        if not tok.capitalised and vocab.typo_of_common(tok.low):
            return False  # 'wil niet naar schoo': a typed word with a letter missing, not the surname Schoo
        return not vocab.is_inflection(tok.low)  # 'wijntjes' is a word, not a name

    def _unknown(self, word: str) -> bool:
        """In no dictionary (each part of a hyphenated word): 'Tesfamariam', 'Bhagwandin-Jagesar'."""
        pieces = re.split(r"['’]", word)
        if len(pieces) == 2 and pieces[1].lower() in _APOSTROPHE_ENDINGS:
            return False  # a word made from an abbreviation: "zzp'er", "hbo'ers", "sms'je"
        parts = [p for p in re.split(r"['’-]", word) if p]
        return all(
            len(p) >= 2 and not self._vocab.in_any_dictionary(p) and not self._vocab.is_common(p)
            for p in parts
        )

    def _unknown_capitalised(self, toks: list[Token], i: int) -> bool:
        """A capitalised word in no Dutch or English dictionary and no place: a name ('Yonas zegt ...')."""
        tok = toks[i]
        if len(tok.text) < 3 or not tok.capitalised or tok.text.isupper():
            return False
        if any(ch.isupper() for ch in tok.text[1:] if ch.isalpha()) and "-" not in tok.text:
            return False  # 'WhatsApp', 'ZiN': brands and acronyms
        if i > 0 and (toks[i - 1].low in _ARTICLES or toks[i - 1].low in _ORGANISATION_WORDS):
            return False
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        if nxt is not None and nxt.tight and nxt.capitalised and self._vocab.in_any_dictionary(nxt.text):
            return False  # 'Tata Steel', 'Humanitas Thuisadministratie': an organisation
        return self._unknown(tok.text)

    def _unknown_after_cue(self, toks: list[Token], i: int) -> bool:
        """An unknown lower-case word next to a name cue: 'van ghebremedhin', 't.n.v. jhinkoe-rai'."""
        tok = toks[i]
        if len(tok.text) < 4 or tok.capitalised:
            return False
        before = i > 0 and toks[i].tight and (toks[i - 1].low in _CUES_BEFORE or toks[i - 1].low in TITLES)
        tnv = i > 2 and "".join(t.low for t in toks[i - 3 : i]) == "tnv"
        after = i + 1 < len(toks) and toks[i + 1].low in _CUES_AFTER
        return (before or tnv or after) and self._unknown(tok.text)

    def _lower_initial(self, toks: list[Token], i: int, text: str) -> tuple[int, int] | None:
        """One letter, then (particles and) a surname: 'm de boer', 'j.kowalski', 's. ramdin'."""
        tok = toks[i]
        if len(tok.text) != 1 or i + 1 >= len(toks) or not toks[i + 1].tight:
            return None
        dotted = "." in text[tok.end : toks[i + 1].start]
        if tok.low in _ENGLISH_ONE_LETTER_WORDS and not dotted and toks[i + 1].low not in PARTICLES:
            return None  # 'do they need a referal?': an English article or 'i', no initial ('a. smit' is)
        if (
            tok.text in _CLIPPED_WORDS
            and not dotted
            and not toks[i + 1].capitalised
            and self._vocab.is_common(toks[i + 1].low)
        ):
            return (
                None  # 'in t oude centrum', 'op n avond': a clipped 'het' or 'een' before a word, no initial
            )
        run = i
        while run > 0 and len(toks[run - 1].text) == 1 and toks[run].tight:
            run -= 1
        letters = "".join(t.low for t in toks[run : i + 1])
        abbreviated = any(letters.startswith(a) for a in _LETTER_ABBREVIATIONS)
        if (
            len(letters) > 1
            and abbreviated
            and not any(letters == a + tok.low for a in _LETTER_ABBREVIATIONS)
        ):
            return None
        j, particles = self._skip_particles(toks, i + 1)
        if j >= len(toks) or not self._adjacent(toks, i, j) or len(toks[j].text) < 3:
            return None
        word, vocab = toks[j], self._vocab
        short = len(toks) <= _SHORT_TEXT_WORDS + 2
        surname = vocab.is_surname(word.low) and (particles or short or not vocab.is_common(word.low))
        if surname or (not word.capitalised and self._unknown(word.text)):
            return tok.start, self._extend(toks, j)
        return None

    def _foreign_word(self, tok: Token, count: int) -> bool:
        """In a label-sized text: a word that is not Dutch at all is most likely a name."""
        if len(tok.text) < 4 or (tok.text.isupper() and len(tok.text) <= 5):
            return False
        if not tok.capitalised and count > 2:  # lower case in a longer text: too often a typo or jargon
            return False
        return not self._vocab.is_known(tok.low) and self._unknown(tok.text)

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
        if nxt is not None and "-" in toks[j].low and toks[j].low.rsplit("-", 1)[1] in PARTICLES:
            return self._extend(toks, j + 1)  # 'van leeuwen-de graaf'
        if nxt is not None and nxt.tight and toks[j].text[:1].isupper() and self._unknown(nxt.text):
            return nxt.end if nxt.capitalised else end
        if nxt is not None and nxt.tight and nxt.capitalised and not self._vocab.is_common(nxt.low):
            return nxt.end
        return end
