"""What exactly gets indexed for a passage: the BM25 text and the short windows the dense model embeds.

The sentence encoder is trained on sentences: on whole 300-900 character passages its similarity is
blurred, so the dense index holds windows of a few sentences. It also holds the whole passage (with its
chapter and section title), which matches questions about the passage's overall topic better.
A passage scores as its best unit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.retrieval.types import Passage

WINDOW_CHARS = 150
_SENTENCE_END = re.compile(r"(?<=[.!?;:…])\s+|\n+")


@dataclass(frozen=True, slots=True)
class DenseUnit:
    """One embedded window of a passage."""

    id: str
    passage_id: str
    text: str


def lexical_text(passage: Passage) -> str:
    """Text for BM25: chapter title and section heading, then the passage."""
    return "\n".join(part for part in (passage.chapter_title, passage.section, passage.text) if part)


def windows(text: str, *, size: int = WINDOW_CHARS) -> list[str]:
    """Greedy groups of whole sentences of about `size` characters (a long sentence stays whole)."""
    out: list[str] = []
    current = ""
    for sentence in (s.strip() for s in _SENTENCE_END.split(text)):
        if not sentence:
            continue
        if current and len(current) + len(sentence) + 1 > size:
            out.append(current)
            current = sentence
        else:
            current = f"{current} {sentence}".strip()
    if current:
        out.append(current)
    return out


def dense_units(passage: Passage, *, size: int = WINDOW_CHARS) -> list[DenseUnit]:
    """The section heading, the passage's sentence windows, and the whole titled passage."""
    texts = windows(passage.text, size=size)
    if passage.section:
        texts = [passage.section, *texts]
    if len(texts) > 1:
        texts.append(lexical_text(passage))
    return [DenseUnit(f"{passage.id}#{n}", passage.id, t) for n, t in enumerate(texts)]
