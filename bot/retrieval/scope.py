"""Is a question about the publication (or the team's documents)? Measured signals plus a simple rule.

Signals (measured on dev + own labelled questions and ~25 off-topic ones):
- centroid: cosine between the query and the mean of all indexed units. Off-topic questions (weather,
  recipes, sport, capitals) stay at or below 0.08; domain questions, also English ones, mostly above 0.10.
- bm25_top: best raw BM25 score. Off-topic questions only hit a stray common word (<= 2.1).
- dense_top: best single-unit cosine. Off-topic stays below 0.40.
A question is in scope when any signal clears its threshold. No letters at all (emoji) is out of scope.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from bot.retrieval.hybrid import HybridRetriever
from bot.retrieval.types import ScoredPassage

CENTROID_MIN = 0.10
BM25_MIN = 2.5
DENSE_MIN = 0.45
_LETTER = re.compile(r"[^\W\d_]")


@dataclass(frozen=True, slots=True)
class ScopeSignal:
    """Raw evidence that a query is covered by the index."""

    bm25_top: float
    dense_top: float
    centroid: float
    coverage: float
    matched_terms: tuple[str, ...]
    has_letters: bool


class ScopeJudge:
    """Decides in/out of scope for a query and its hits from one HybridRetriever."""

    def __init__(
        self,
        retriever: HybridRetriever,
        *,
        centroid_min: float = CENTROID_MIN,
        bm25_min: float = BM25_MIN,
        dense_min: float = DENSE_MIN,
    ) -> None:
        self._retriever = retriever
        self.centroid_min = centroid_min
        self.bm25_min = bm25_min
        self.dense_min = dense_min

    def signal(self, query: str, hits: Sequence[ScoredPassage]) -> ScopeSignal:
        """Collect the signals; `hits` are the results of retriever.search(query)."""
        analysis = self._retriever.analyze(query)
        centroid_vec = self._retriever.dense_centroid()
        query_vec = self._retriever.query_vector(query)
        centroid = float(np.dot(query_vec, centroid_vec)) if centroid_vec.size else 0.0
        return ScopeSignal(
            bm25_top=max((h.bm25 or 0.0 for h in hits), default=0.0),
            dense_top=max((h.dense or 0.0 for h in hits), default=0.0),
            centroid=centroid,
            coverage=analysis.coverage,
            matched_terms=analysis.matched,
            has_letters=bool(_LETTER.search(query)),
        )

    def decide(self, signal: ScopeSignal) -> bool:
        """True when at least one signal says the index covers the question."""
        if not signal.has_letters:
            return False
        return (
            signal.centroid >= self.centroid_min
            or signal.bm25_top >= self.bm25_min
            or signal.dense_top >= self.dense_min
        )

    def is_in_scope(self, query: str, hits: Sequence[ScoredPassage]) -> bool:
        """Does the publication (or a team document) cover this question?"""
        return self.decide(self.signal(query, hits))
