"""Sentence splitting and paragraph chunking shared by the publication and team documents."""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

MIN_CHARS = 300
MAX_CHARS = 900

# A sentence ends at . ! ? (optionally followed by a closing quote or bracket), then whitespace, then a
# capital, an opening quote or a bullet.
_SENTENCE_END = re.compile(r"[.!?…]+[’'”\")]*\s+(?=[A-ZÀ-Ý‘'“\"•])")
_BULLET = re.compile(r"\s+(?=•)")
_ABBREVIATIONS = ("e.a.", "o.a.", "bijv.", "bv.", "d.w.z.", "m.b.t.", "i.p.v.", "nr.", "p.", "z.g.a.n.")
_CONTROL = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
)


def strip_control(text: str) -> str:
    """Remove control and invisible formatting characters (keeps newlines and tabs)."""
    return _CONTROL.sub("", text)


@dataclass(frozen=True)
class Paragraph:
    """Paragraph text plus the page each part is on: `pages` holds (char offset, page), offsets ascending."""

    text: str
    pages: tuple[tuple[int, int], ...]

    def page_at(self, offset: int) -> int:
        offsets = [o for o, _ in self.pages]
        index = max(bisect_right(offsets, offset) - 1, 0)
        return self.pages[index][1]


@dataclass(frozen=True)
class Chunk:
    """A piece of a section: text and the page where it starts."""

    text: str
    page: int


def split_sentences(text: str) -> list[tuple[int, str]]:
    """Split text into (offset, sentence) pairs. Bullets start a new sentence."""
    cuts = [0]
    for pattern in (_SENTENCE_END, _BULLET):
        for match in pattern.finditer(text):
            head = text[: match.start() + 1].rsplit(None, 1)[-1].lower()
            if pattern is _SENTENCE_END and head.endswith(_ABBREVIATIONS):
                continue
            cuts.append(match.end())
    cuts = sorted(set(cuts))
    pieces: list[tuple[int, str]] = []
    for start, end in zip(cuts, [*cuts[1:], len(text)], strict=True):
        piece = text[start:end].strip()
        if piece:
            pieces.append((start, piece))
    return pieces


def chunk_paragraphs(
    paragraphs: Sequence[Paragraph], *, min_chars: int = MIN_CHARS, max_chars: int = MAX_CHARS
) -> list[Chunk]:
    """Merge paragraphs (and split long ones on sentences) into chunks of roughly min..max characters.

    Chunks aim at an even size (total / needed chunks). Paragraph starts are preferred cut points;
    no cut leaves fewer than min_chars behind; a chunk only passes max_chars when one sentence does.
    """
    sentences = [
        (paragraph.page_at(offset), sentence, number == 0)
        for paragraph in paragraphs
        for number, (offset, sentence) in enumerate(split_sentences(paragraph.text))
    ]
    total = sum(len(s) + 1 for _, s, _ in sentences)
    target = total / max(1, math.ceil(total / max_chars))
    remaining = total
    chunks: list[Chunk] = []
    parts: list[str] = []
    page = size = 0
    for sentence_page, sentence, new_paragraph in sentences:
        if parts and _cut(size, len(sentence), new_paragraph, remaining, target, min_chars, max_chars):
            chunks.append(Chunk(text=_join(parts), page=page))
            parts, size = [], 0
        if not parts:
            page = sentence_page
        parts.append(("\n" if new_paragraph and parts else "") + sentence)
        size += len(sentence) + 1
        remaining -= len(sentence) + 1
    if parts:
        chunks.append(Chunk(text=_join(parts), page=page))
    return _merge_short_tail(chunks, min_chars=min_chars, max_chars=max_chars)


def _cut(
    size: int, length: int, new_paragraph: bool, remaining: int, target: float, min_chars: int, max_chars: int
) -> bool:
    """Decide whether to start a new chunk before a sentence of `length` characters."""
    if size + length + 1 > max_chars:
        return True
    if remaining < min_chars:
        return False
    if new_paragraph and size >= min(min_chars, target * 0.6):
        return True
    return size >= target


def _join(parts: list[str]) -> str:
    text = ""
    for part in parts:
        if not text:
            text = part.lstrip("\n")
        elif part.startswith("\n"):
            text += part
        else:
            text += " " + part
    return text


def _merge_short_tail(chunks: list[Chunk], *, min_chars: int, max_chars: int) -> list[Chunk]:
    if len(chunks) < 2 or len(chunks[-1].text) >= min_chars // 2:
        return chunks
    last, before = chunks[-1], chunks[-2]
    if len(before.text) + len(last.text) > max_chars + min_chars // 2:
        return chunks
    return [*chunks[:-2], Chunk(text=before.text + "\n" + last.text, page=before.page)]
