"""Hybrid retrieval: BM25 and dense scores, normalised per query and fused with a query-dependent weight.

Plain reciprocal-rank fusion lost to BM25 alone on this corpus, because the dense retriever is clearly
weaker on Dutch domain questions. So each list is min-max normalised per query and BM25 gets most of the
weight, except when few query words occur in the corpus (English or heavily paraphrased questions) or
the best BM25 match is weak: then the dense retriever is trusted more.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from bot.retrieval.dense import DenseIndex
from bot.retrieval.lexical import LexicalIndex, dutch_tokens, raw_terms
from bot.retrieval.types import Passage, ScoredPassage


@dataclass(frozen=True, slots=True)
class FusionConfig:
    """Weights of the fusion. bm25_weight applies when every query term is known to the corpus."""

    bm25_weight: float = 0.8
    min_bm25_weight: float = 0.3
    strong_bm25: float = 5.0
    expansion_weight: float = 0.5
    candidates: int = 40


@dataclass(frozen=True, slots=True)
class QueryAnalysis:
    """How a query meets the corpus vocabulary; also used by the out-of-scope check."""

    tokens: tuple[str, ...]
    matched: tuple[str, ...]
    expansion: tuple[str, ...] = ()

    @property
    def coverage(self) -> float:
        return len(self.matched) / len(self.tokens) if self.tokens else 0.0


@dataclass(frozen=True, slots=True)
class _Scores:
    bm25: np.ndarray
    dense: dict[int, float] = field(default_factory=dict)


class HybridRetriever:
    """Search passages with BM25 + dense retrieval. Positions in `passages` match the lexical index."""

    def __init__(
        self,
        passages: Sequence[Passage],
        *,
        lexical: LexicalIndex,
        dense: DenseIndex,
        synonyms: Mapping[str, Sequence[str]] | None = None,
        config: FusionConfig | None = None,
    ) -> None:
        self.passages = list(passages)
        self._lexical = lexical
        self._dense = dense
        self._synonyms = {k: tuple(v) for k, v in (synonyms or {}).items()}
        self.config = config or FusionConfig()
        self._position = {p.id: i for i, p in enumerate(self.passages)}

    def analyze(self, query: str) -> QueryAnalysis:
        """Analyzed query tokens, the ones the corpus knows, and synonym expansion tokens."""
        tokens = tuple(dict.fromkeys(dutch_tokens(query)))
        matched = tuple(self._lexical.known_terms(list(tokens)))
        extra: list[str] = []
        for term in raw_terms(query):
            for synonym in self._synonyms.get(term, ()):
                extra.extend(dutch_tokens(synonym))
        expansion = tuple(t for t in dict.fromkeys(extra) if t not in tokens)
        return QueryAnalysis(tokens, matched, tuple(self._lexical.known_terms(list(expansion))))

    def _bm25_scores(self, analysis: QueryAnalysis) -> np.ndarray:
        scores = self._lexical.scores(list(analysis.matched))
        if analysis.expansion:
            scores = scores + self.config.expansion_weight * self._lexical.scores(list(analysis.expansion))
        return scores

    def _dense_scores(self, query: str, *, k: int) -> dict[int, float]:
        out: dict[int, float] = {}
        for hit in self._dense.search(query, k=min(k, len(self.passages))):
            position = self._position.get(hit.id)
            if position is not None:
                out[position] = hit.similarity
        return out

    def dense_centroid(self) -> np.ndarray:
        """Mean direction of the indexed text (for the out-of-scope check)."""
        return self._dense.centroid()

    def query_vector(self, query: str) -> np.ndarray:
        return self._dense.query_vector(query)

    def search_bm25(self, query: str, *, k: int = 10) -> list[ScoredPassage]:
        """BM25 alone (with synonym expansion), best first."""
        scores = self._bm25_scores(self.analyze(query))
        order = np.argsort(-scores, kind="stable")[:k]
        return [
            ScoredPassage(self.passages[i], float(scores[i]), bm25=float(scores[i]))
            for i in order
            if scores[i] > 0
        ]

    def search_dense(self, query: str, *, k: int = 10) -> list[ScoredPassage]:
        """Dense retrieval alone, best first; score = cosine similarity."""
        dense = self._dense_scores(query, k=k)
        return [ScoredPassage(self.passages[i], s, dense=s) for i, s in dense.items()]

    def bm25_weight(self, analysis: QueryAnalysis, bm25_top: float) -> float:
        """Trust BM25 by how much of the query the corpus knows and how strong its best match is."""
        cfg = self.config
        confidence = analysis.coverage * min(1.0, bm25_top / cfg.strong_bm25)
        return cfg.min_bm25_weight + (cfg.bm25_weight - cfg.min_bm25_weight) * confidence

    def search(self, query: str, *, k: int = 10) -> list[ScoredPassage]:
        """Fused search, best first. score = fused score; .bm25/.dense = raw scores (None if not retrieved)."""
        if not self.passages:
            return []
        analysis = self.analyze(query)
        scores = _Scores(self._bm25_scores(analysis), self._dense_scores(query, k=self.config.candidates))
        bm25_top = float(scores.bm25.max()) if scores.bm25.size else 0.0
        return self._fuse(scores, weight=self.bm25_weight(analysis, bm25_top), k=k)

    def _fuse(self, scores: _Scores, *, weight: float, k: int) -> list[ScoredPassage]:
        n_cand = self.config.candidates
        bm25_top = [int(i) for i in np.argsort(-scores.bm25, kind="stable")[:n_cand] if scores.bm25[i] > 0]
        candidates = list(dict.fromkeys(bm25_top + list(scores.dense)))
        bm25_max = float(scores.bm25.max()) if scores.bm25.size else 0.0
        dense_values = list(scores.dense.values())
        d_lo, d_hi = (min(dense_values), max(dense_values)) if dense_values else (0.0, 0.0)
        fused: list[ScoredPassage] = []
        for i in candidates:
            raw_b = float(scores.bm25[i])
            raw_d = scores.dense.get(i)
            norm_b = raw_b / bm25_max if bm25_max > 0 else 0.0
            norm_d = (raw_d - d_lo) / (d_hi - d_lo) if raw_d is not None and d_hi > d_lo else 0.0
            score = weight * norm_b + (1.0 - weight) * norm_d
            fused.append(
                ScoredPassage(
                    self.passages[i], score, bm25=raw_b if raw_b > 0 else None, dense=raw_d
                )
            )
        fused.sort(key=lambda h: h.score, reverse=True)
        return fused[:k]
