"""Question memory (doc2query): the blind training questions attached to the passages that hold their facts.

Each in-scope training question (knowledge/vragen_training) is attached to the publication passages that contain
one of its facts, or, when no passage does, to every passage of its chapter. A new question then scores a
passage by its best similarity with an attached training question: a USE cosine (dense) and a BM25 over
character 4-grams (lexical). These are two extra retrieval fields, in the professionals' own words.

Leave-one-writer-out (bench/memory_cv.py; chapter-hit@3 / fact@3 / MRR@10), without -> with the memory at the
weights in use (0.3 dense, 0.6 lexical): writer A -> B 0.79/0.65/0.70 -> 0.85/0.73/0.78; B -> A 0.86/0.75/0.79 ->
0.88/0.79/0.81. Variants that did not improve both directions: a chapter-level memory, a soft vote over the
attached questions instead of the best match, and a learned top-20 reranker (bench/rerank_cv.py).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from bot.retrieval.lexical import LexicalIndex, char_ngrams
from bot.retrieval.training import TrainingQuestion, question_text
from bot.retrieval.types import Passage

MEMORY_SNAPSHOT = "memory"  # folder: memory.npz (texts, vectors, attachments) and bm25/


def attachments(passages: Sequence[Passage], questions: Sequence[TrainingQuestion]) -> list[tuple[int, int]]:
    """(question position, passage position) pairs: passages with a fact, else the chapter's passages."""
    lowered = [p.text.lower() if p.is_publication else "" for p in passages]
    # fact -> the passages that hold it (questions share facts: each looked up once)
    holding: dict[str, set[int]] = {}
    pairs: list[tuple[int, int]] = []
    for qi, question in enumerate(questions):
        found: set[int] = set()
        for fact in (f.lower() for f in question.facts if f.strip()):
            if fact not in holding:
                holding[fact] = {pi for pi, text in enumerate(lowered) if text and fact in text}
            found |= holding[fact]
        hits = sorted(found)  # in passage order, as the scan over the passages gave them
        if not hits:
            hits = [pi for pi, p in enumerate(passages) if p.is_publication and p.chapter == question.chapter]
        pairs.extend((qi, pi) for pi in hits)
    return pairs


class QuestionMemory:
    """Training questions as an extra field of the passages they are about."""

    def __init__(
        self,
        texts: Sequence[str],
        vectors: np.ndarray,
        pairs: np.ndarray,
        n_passages: int,
        lexical: LexicalIndex | None = None,
    ) -> None:
        self.texts = list(texts)
        self._vectors = vectors.astype(np.float32)
        self._question = pairs[:, 0].astype(np.int64) if len(pairs) else np.zeros(0, dtype=np.int64)
        self._passage = pairs[:, 1].astype(np.int64) if len(pairs) else np.zeros(0, dtype=np.int64)
        self._n = n_passages
        if lexical is None and self.texts:
            lexical = LexicalIndex.build(self.texts, analyzer=char_ngrams)
        self._lexical = lexical
        # the attachments grouped by passage (stable order), for a per-passage maximum without np.maximum.at
        order = np.argsort(self._passage, kind="stable")
        self._by_passage = self._question[order]
        owners = self._passage[order]
        first = np.flatnonzero(np.r_[True, owners[1:] != owners[:-1]]) if owners.size else owners
        self._group_start, self._group_passage = first, owners[first]

    @classmethod
    def build(
        cls,
        passages: Sequence[Passage],
        questions: Sequence[TrainingQuestion],
        encode: Callable[[list[str]], np.ndarray],
    ) -> QuestionMemory:
        """Embed the in-scope questions once and attach them to their passages."""
        kept = [q for q in questions if q.in_scope]
        texts = [question_text(q) for q in kept]
        vectors = encode(texts) if texts else np.zeros((0, 1), dtype=np.float32)
        pairs = np.asarray(attachments(passages, kept), dtype=np.int64).reshape(-1, 2)
        return cls(texts, vectors, pairs, len(passages))

    def save(self, directory: Path) -> None:
        """Store in `directory` (created); loading then needs no BM25 build."""
        directory.mkdir(parents=True, exist_ok=True)
        if self._lexical is not None:
            self._lexical.save(directory / "bm25")
        pairs = np.stack([self._question, self._passage], axis=1)
        np.savez(directory / "memory.npz", texts=np.asarray(self.texts, dtype=str), vectors=self._vectors, pairs=pairs,
                 n=np.asarray(self._n))  # fmt: skip

    @classmethod
    def load(cls, directory: Path) -> QuestionMemory | None:
        """The stored memory, or None when there is none."""
        if not (directory / "memory.npz").is_file():
            return None
        data = np.load(directory / "memory.npz", allow_pickle=False)
        texts = [str(t) for t in data["texts"]]
        lexical = LexicalIndex.load(directory / "bm25") if texts else None
        if lexical is not None and lexical.size != len(texts):
            raise ValueError("memory bm25 does not match its questions")
        return cls(texts, data["vectors"], data["pairs"], int(data["n"]), lexical)

    def __len__(self) -> int:
        return len(self.texts)

    def signals(
        self,
        query: str,
        vector: np.ndarray,
        *,
        leave_out: bool = False,
        hide: np.ndarray | None = None,
        expansion: str = "",
        expansion_weight: float = 0.0,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Per passage: best cosine and best 4-gram BM25 of the query with an attached training question.

        leave_out: ignore memory questions with the query's own text (features of a training question);
        hide: True per memory question to ignore (another writer's questions, when training the fusion);
        expansion: the query's synonyms (Dutch words for its English ones), whose 4-grams add to the BM25 at
        `expansion_weight`, so "tenders" also meets the training questions that say "aanbesteding"."""
        dense = np.zeros(self._n, dtype=np.float32)
        lexical = np.zeros(self._n, dtype=np.float32)
        if not self.texts or not self._question.size:
            return dense, lexical
        sims = (self._vectors @ vector).astype(np.float32)
        assert self._lexical is not None
        grams = list(dict.fromkeys(char_ngrams(query)))
        bm25 = self._lexical.scores(grams)
        extra = (
            [g for g in dict.fromkeys(char_ngrams(expansion)) if g not in grams] if expansion_weight else []
        )
        if extra:
            bm25 = bm25 + expansion_weight * self._lexical.scores(extra)
        if leave_out:
            own = np.asarray([t == query for t in self.texts])
            sims[own], bm25[own] = 0.0, 0.0
        if hide is not None:
            sims, bm25 = np.where(hide, 0.0, sims).astype(np.float32), np.where(hide, 0.0, bm25)
        dense[self._group_passage] = self._best(sims)
        lexical[self._group_passage] = self._best(bm25)
        return dense, lexical

    def _best(self, values: np.ndarray) -> np.ndarray:
        """Per passage with attachments: the largest of its questions' values and 0 (the exact maximum that
        np.maximum.at over the pairs gives, starting from zeros)."""
        best = np.maximum.reduceat(values[self._by_passage], self._group_start)
        return np.maximum(np.zeros(len(best), dtype=values.dtype), best)
