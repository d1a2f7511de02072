"""Sentence vectors of every indexed passage, embedded once at build time for extractive answer selection.

The extractive answer picks sentences that answer the question (bot.answering.sentence_model); comparing each
candidate sentence with the question by meaning needs its USE vector, and embedding ~20 sentences per question
would cost more than the whole warm turn budget. So they are embedded when the index is built.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from bot.ingest.chunking import split_sentences
from bot.retrieval.types import Passage

SENTENCES_SNAPSHOT = "sentences.npz"


def passage_sentences(passage: Passage) -> list[tuple[int, str]]:
    """(position, sentence) of a passage's text, bullets stripped."""
    out = []
    for position, (_, sentence) in enumerate(split_sentences(passage.text)):
        out.append((position, sentence.lstrip("• ").strip()))
    return out


class SentenceVectors:
    """Sentence text -> L2-normalised USE vector."""

    def __init__(self, texts: Sequence[str], vectors: np.ndarray) -> None:
        self._row = {t: i for i, t in enumerate(texts)}
        self._texts = list(texts)
        self._vectors = np.asarray(vectors, dtype=np.float32)

    @classmethod
    def build(cls, passages: Sequence[Passage], encode: Callable[[list[str]], np.ndarray]) -> SentenceVectors:
        texts = list(dict.fromkeys(s for p in passages for _, s in passage_sentences(p) if s))
        return cls(texts, encode(texts) if texts else np.zeros((0, 0), dtype=np.float32))

    def save(self, path: Path) -> None:
        with path.open("wb") as handle:
            np.savez(handle, texts=np.asarray(self._texts, dtype=str), vectors=self._vectors)

    @classmethod
    def load(cls, path: Path) -> SentenceVectors:
        with np.load(path, allow_pickle=False) as data:
            return cls([str(t) for t in data["texts"]], np.asarray(data["vectors"], dtype=np.float32))

    def __len__(self) -> int:
        return len(self._texts)

    def get(self, sentence: str) -> np.ndarray | None:
        row = self._row.get(sentence)
        return None if row is None else self._vectors[row]
