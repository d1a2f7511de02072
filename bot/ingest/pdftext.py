"""Undo PDF text-extraction artefacts: words hyphenated across lines and glued footnote digits."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.ingest.chunking import Paragraph

_EDGE = "()[]{}.,;:!?‘’'“”\"…*"
# A footnote reference glued to a lowercase word: "wijkteams2 hebben", "wor-den1." (not "G32-", not "S1").
_FOOTNOTE_REF = re.compile(r"(?<=[a-zà-ÿ])[1-9]\d?(?=[\s.,;:)’”]|$)")
_ELLIPTIC_NEXT = frozenset({"en", "of", "tot", "als", "t/m"})
_TREMA = {"e": "ë", "i": "ï"}


def _norm(token: str) -> str:
    return token.strip(_EDGE).lower()


@dataclass(frozen=True)
class Vocabulary:
    """Word forms that occur inside lines (not split by a line break), used to decide hyphenation."""

    words: frozenset[str]
    hyphen_prefixes: frozenset[str]

    def __contains__(self, word: str) -> bool:
        return _norm(word) in self.words


def build_vocabulary(lines: Iterable[str]) -> Vocabulary:
    """Collect in-line word forms; the last word of a hyphen-ended line and its continuation are skipped."""
    words: set[str] = set()
    prefixes: Counter[str] = Counter()
    continued = False
    for raw in lines:
        tokens = raw.split()
        ends_hyphen = raw.rstrip().endswith("-")
        for index, token in enumerate(tokens):
            if (index == 0 and continued) or (index == len(tokens) - 1 and ends_hyphen):
                continue
            word = _norm(token)
            if word:
                words.add(word)
            left, sep, right = token.strip(_EDGE).partition("-")
            if sep and left.islower() and left.isalpha() and right[:1].isalpha():
                prefixes[left] += 1
        continued = ends_hyphen
    return Vocabulary(
        words=frozenset(words), hyphen_prefixes=frozenset(p for p, n in prefixes.items() if n >= 2)
    )


def dehyphenate(left: str, right: str, vocab: Vocabulary) -> str:
    """Join a word split as "left-" + "right" across a line break, deciding whether the hyphen is real."""
    core_left = left.lstrip(_EDGE)
    core_right = right.rstrip(_EDGE)
    if not core_left or not core_right:
        return left + "-" + right
    joined, hyphened = left + right, left + "-" + right
    if hyphened in vocab and joined not in vocab:
        return hyphened
    if joined in vocab:
        return joined
    if core_left[-1] in "aeiou" and core_right[0] in _TREMA:
        with_trema = left + _TREMA[core_right[0]] + right[1:]
        if with_trema in vocab:
            return with_trema
    if core_left[-1].isupper() or core_left[-1].isdigit() or not core_right[0].islower():
        return hyphened
    if core_left.split("-")[-1].lower() in vocab.hyphen_prefixes:
        return hyphened
    return joined


def join_lines(lines: Sequence[tuple[str, int]], vocab: Vocabulary) -> Paragraph:
    """Join (line, page) pairs into one paragraph, undoing line-break hyphenation and footnote digits."""
    text = ""
    pages: list[tuple[int, int]] = []
    for raw, page in lines:
        line = " ".join(raw.split())
        if not line:
            continue
        if not pages or pages[-1][1] != page:
            pages.append((len(text) + (1 if text else 0), page))
        text = _append(text, line, vocab)
    if pages:
        pages[0] = (0, pages[0][1])
    return Paragraph(text=remove_footnote_refs(text), pages=tuple(pages))


def _append(text: str, line: str, vocab: Vocabulary) -> str:
    if not text:
        return line
    first, _, rest = line.partition(" ")
    if text.endswith("-") and len(text) > 1 and (text[-2].isalnum() or text[-2] == ")"):
        head, _, last = text[:-1].rpartition(" ")
        prefix = head + " " if head else ""
        if first.lower() in _ELLIPTIC_NEXT:
            return f"{text} {line}"
        merged = dehyphenate(last, first, vocab)
        return prefix + merged + (" " + rest if rest else "")
    if text.endswith("/"):
        return text + line
    if text.endswith(")"):
        last = text.rpartition(" ")[2]
        if (last + first) in vocab:
            return text + line
    return f"{text} {line}"


def remove_footnote_refs(text: str) -> str:
    """Drop footnote digits glued to a word ("wijkteams2 hebben" -> "wijkteams hebben")."""
    return _FOOTNOTE_REF.sub("", text)
