"""Inflection- and compound-aware matching of lexicon phrases against a situation's tokens.

A lexicon word matches a token when one of the token's variants (lemma, stem, without ge- or diminutive)
starts with the word's base form, or, for words of 5+ letters, contains it as the head of a compound
("huurschuld" -> schuld, "brandwondjes" -> brandwond): the word must end the compound. A phrase matches when all its words are found in
order within a small window (two-word phrases in either order), so extra words do not break a match.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from bot.understanding.normalize import Normalizer, Token, fold

KEY = 4
GAP = 3  # extra tokens allowed inside a phrase
COMPOUND_MIN = 6  # shorter heads hide inside unrelated words (statushouder -> ouder)
HEAD_ENDINGS = frozenset(
    {"", "s", "e", "en", "es", "je", "jes", "tje", "tjes", "pje", "pjes", "n", "ing", "ingen"}
)
COMPOUND_OFFSET = 3  # a compound head starts after at least this many letters


@dataclass(frozen=True, slots=True)
class PhraseHit:
    """Signal number, and the character span of the matched words in the expanded text."""

    signal: int
    start: int
    end: int


def base_form(word: str, normalizer: Normalizer) -> str:
    """The shortest sensible form of a lexicon word (stem, without plural or adjective -e)."""
    if len(word) < 5:
        return word
    forms = [word, re.sub(r"(?:en|e|s)$", "", word)]
    forms += [v for v in normalizer.variants(word) if v and word.startswith(v[: max(3, len(v) - 2)])]
    forms = [f for f in forms if len(f) >= 4 and word.startswith(f[:3])]
    return min(forms, key=len) if forms else word


class PhraseMatcher:
    """Index of plain lexicon phrases; `find` returns the phrases present in a token list."""

    def __init__(self, phrases: list[tuple[int, str]], normalizer: Normalizer) -> None:
        self._phrases: list[tuple[int, tuple[str, ...]]] = []
        self._by_key: dict[str, list[tuple[int, int]]] = defaultdict(list)  # key -> (phrase no, word no)
        self._short: dict[str, list[tuple[int, int]]] = defaultdict(list)  # words under KEY letters
        for signal, phrase in phrases:
            words = tuple(
                base_form(w.lstrip("*"), normalizer) for w in fold(phrase).replace(" .. ", " ").split()
            )
            if not words:
                continue
            number = len(self._phrases)
            self._phrases.append((signal, words))
            for position, word in enumerate(words):
                (self._short[word] if len(word) < KEY else self._by_key[word[:KEY]]).append(
                    (number, position)
                )

    def _candidates(self, variant: str) -> list[tuple[int, int, bool]]:
        out = [(n, p, False) for n, p in self._short.get(variant, [])]
        out += [(n, p, False) for n, p in self._by_key.get(variant[:KEY], [])]
        for offset in range(COMPOUND_OFFSET, len(variant) - COMPOUND_MIN + 1):
            out += [(n, p, True) for n, p in self._by_key.get(variant[offset : offset + KEY], [])]
        return out

    def _word_matches(self, tokens: list[Token]) -> dict[int, dict[int, list[int]]]:
        """phrase no -> word no -> token positions where that word matched."""
        found: dict[int, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
        for token in tokens:
            for variant in token.variants:
                for number, position, compound in self._candidates(variant):
                    word = self._phrases[number][1][position]
                    if _matches(word, variant, compound=compound):
                        found[number][position].append(token.position)
        return found

    def find(self, tokens: list[Token]) -> list[PhraseHit]:
        hits: list[PhraseHit] = []
        for number, words in self._word_matches(tokens).items():
            signal, phrase = self._phrases[number]
            if len(words) < len(phrase):
                continue
            span = _span(words, len(phrase))
            if span is not None:
                hits.append(
                    PhraseHit(
                        signal, tokens[span[0]].start, tokens[span[1]].start + len(tokens[span[1]].text)
                    )
                )
        return hits


def _matches(word: str, variant: str, *, compound: bool) -> bool:
    if len(word) < KEY:
        return variant == word
    if not compound:
        return variant.startswith(word)
    if len(word) < COMPOUND_MIN:
        return False
    index = variant.find(word, COMPOUND_OFFSET)
    return index >= COMPOUND_OFFSET and variant[index + len(word) :] in HEAD_ENDINGS


def _span(words: dict[int, list[int]], size: int) -> tuple[int, int] | None:
    """First token span where all words occur in order within the window (two words: either order)."""
    if size == 1:
        first = min(words[0])
        return first, first
    limit = size - 1 + GAP
    for start in sorted(words[0]):
        chain, last = [start], start
        for position in range(1, size):
            after = [t for t in words[position] if last < t <= start + limit]
            if not after:
                break
            last = min(after)
            chain.append(last)
        if len(chain) == size:
            return start, last
    if size == 2:
        for start in sorted(words[1]):
            before = [t for t in words[0] if start < t <= start + limit]
            if before:
                return start, min(before)
    return None
