"""Hybrid retrieval: four per-query signals, each min-max normalised, fused with fixed weights.

Signals for every passage (the corpus is small, so every passage is scored, none is missing):
- word: BM25 over Snowball-stemmed Dutch words (exact topic words; also `search_bm25`);
- ngram: BM25 over character 4-grams of the words (compounds like wijkverpleegkundige/wijkverpleging,
  and typos), the strongest single signal on paraphrased questions;
- dense: cosine of the query with the passage's best unit (sentence windows, heading, whole passage);
- chapter: cosine of the query with the mean direction of the passage's chapter (a topic prior that
  lifts passages of the right chapter when the words of the question are vague);
- topic: best cosine of the query with the chapter's /vragen title, summary and advice (knowledge/vragen.yaml),
  a second chapter prior in plain words that helps paraphrases and English questions;
- sentence: best cosine of the query with a single sentence of the passage (finer than the dense windows);
- memory (dense and lexical): best similarity with a blind training question attached to the passage
  (bot.retrieval.memory), weights from leave-one-writer-out CV (bench/memory_cv.py).
Plain reciprocal-rank fusion lost to BM25 alone here, so scores are min-max normalised per query and the
lexical signals weigh most. When few query words occur in the corpus (English, paraphrases), the lexical
share shrinks so the dense signals count more.
With a question memory and a learned fusion model attached (bot.retrieval.fusion, trained at index build), the
passages are ranked by that model instead; the fixed-weight score above is one of its features. Leave-one-writer-out
over three training writers (bench/fusion_cv.py), chapter-hit@3 / fact@3 / MRR@10: fixed weights 0.87 / 0.78 / 0.81,
learned 0.89 / 0.79 / 0.82; plain word BM25 0.73 / 0.58 / 0.66.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from bot.retrieval.dense import DenseIndex, unit_mean
from bot.retrieval.fusion import FusionConstants, FusionModel, passage_features, prior_text, static_features
from bot.retrieval.language import english_share
from bot.retrieval.lexical import LexicalIndex, char_ngrams, dutch_tokens, idf_coverage, postings, raw_terms
from bot.retrieval.memory import QuestionMemory
from bot.retrieval.sentences import SentenceVectors, passage_sentences
from bot.retrieval.types import Passage, ScoredPassage
from bot.retrieval.units import lexical_text


@dataclass(frozen=True, slots=True)
class FusionConfig:
    """Weights of the normalised signals. Chosen on the dev and own question sets only."""

    word_weight: float = 0.25
    ngram_weight: float = 1.0
    dense_weight: float = 0.6
    chapter_weight: float = 0.2
    topic_weight: float = 0.4  # grid 0..0.8 on dev, own and dev_u3 questions (never held-out)
    min_lexical_share: float = 0.5
    expansion_weight: float = 0.5
    sentence_weight: float = 0.4  # grid 0..0.8 on the training questions (no training involved) and dev sets
    memory_dense_weight: float = 0.3  # leave-one-writer-out grid, bench/memory_cv.py
    memory_lexical_weight: float = 0.6


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
class Signals:
    """Raw per-passage scores of one query (arrays aligned with HybridRetriever.passages)."""

    word: np.ndarray
    ngram: np.ndarray
    dense: np.ndarray
    chapter: np.ndarray
    topic: np.ndarray | None = None  # best cosine with the chapter's /vragen title, summary and advice
    sentence: np.ndarray | None = None  # best cosine with one sentence of the passage
    memory_dense: np.ndarray | None = None  # best cosine with an attached training question
    memory_lexical: np.ndarray | None = None  # best 4-gram BM25 with an attached training question
    covered: np.ndarray | None = None  # share of the query's word idf (synonyms at half) the passage holds


SEARCH_MEMO = 512  # remembered searches per retriever (the training questions fit)
# remembered query analyses and synonym look-ups per retriever (every training question fits)
ANALYSIS_MEMO = 8192


def synonyms_in(query: str, synonyms: Mapping[str, Sequence[str]]) -> tuple[str, ...]:
    """The synonyms (surface words) of the query's words in a synonym list, without the query's own words."""
    words = raw_terms(query)
    return tuple(s for w in words for s in synonyms.get(w, ()) if s not in words)


def _minmax(values: np.ndarray) -> np.ndarray:
    if not values.size:
        return values
    lo, hi = float(values.min()), float(values.max())
    return (values - lo) / (hi - lo) if hi > lo else np.zeros_like(values)


def _group_key(passage: Passage) -> str:
    """Chapter of the publication, or the source file of a team document."""
    return f"h{passage.chapter}" if passage.is_publication else f"d:{passage.source}"


class HybridRetriever:
    """Search passages with BM25 + dense retrieval. Positions in `passages` match the lexical indexes."""

    def __init__(
        self,
        passages: Sequence[Passage],
        *,
        lexical: LexicalIndex,
        dense: DenseIndex,
        ngram: LexicalIndex | None = None,
        synonyms: Mapping[str, Sequence[str]] | None = None,
        config: FusionConfig | None = None,
        topics: Mapping[int, Sequence[str]] | None = None,
        sentences: SentenceVectors | None = None,
        memory: QuestionMemory | None = None,
        fusion: FusionModel | None = None,
    ) -> None:
        """topics: per publication chapter, texts that say what it is about (the /vragen summaries);
        fusion: the learned ranking model (bot.retrieval.fusion), used together with the memory."""
        self.passages = list(passages)
        self._sentences = sentences
        self._sentence_layout: tuple[np.ndarray, np.ndarray] | None = None
        self._topics = {k: tuple(v) for k, v in (topics or {}).items() if v}
        self._topic_layout: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None = None
        self._lexical = lexical
        self._ngram = ngram
        self._dense = dense
        self._synonyms = {k: tuple(v) for k, v in (synonyms or {}).items()}
        self.config = config or FusionConfig()
        self._position = {p.id: i for i, p in enumerate(self.passages)}
        self._layout: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None = None
        self._memo: OrderedDict[tuple[str, int], tuple[ScoredPassage, ...]] = OrderedDict()
        self._memo_lock = threading.Lock()
        self._memory = memory
        self._fusion = fusion
        self._static = static_features(self.passages) if self.passages else None
        self._passage_terms: list[frozenset[str]] | None = None
        # analysed token -> positions of the passages that hold it (idf coverage)
        self._postings: dict[str, np.ndarray] | None = None
        # A query is analysed several times per search (words, share, coverage, scope) and a training question in
        # several searches and models: analyses and synonyms depend only on the query and this retriever's fixed
        # vocabulary and synonym list, so they are remembered (bounded; the oldest half is dropped when full).
        self._analyses: dict[str, QueryAnalysis] = {}
        self._synonym_memo: dict[str, tuple[str, ...]] = {}
        self._analysis_lock = threading.Lock()
        self._known_signals: Mapping[str, tuple[np.ndarray, Signals]] | None = None  # see reuse_signals

    def reuse_signals(self, known: Mapping[str, tuple[np.ndarray, Signals]] | None) -> None:
        """Signals made earlier without a memory, per query with its vector (the index build's searches of the
        training questions): a search of such a query with the same vector takes them and adds only the memory's
        signals, which are all that an attached memory changes. None: forget them."""
        self._known_signals = known

    def attach_fusion(self, fusion: FusionModel | None) -> None:
        """Rank with a learned fusion model (only while a memory is attached); remembered searches are forgotten."""
        with self._memo_lock:
            self._fusion = fusion
            self._memo.clear()

    def attach_memory(self, memory: QuestionMemory | None) -> None:
        """Use (or drop) a question memory from now on; remembered searches are forgotten."""
        with self._memo_lock:
            self._memory = memory
            self._memo.clear()

    def analyze(self, query: str) -> QueryAnalysis:
        """Analyzed query tokens, the ones the corpus knows, and synonym expansion tokens (remembered)."""
        known = self._analyses.get(query)
        if known is None:
            known = self._analyze(query)
            self._remember(self._analyses, query, known)
        return known

    def _remember(self, memo: dict[str, Any], key: str, value: Any) -> None:
        with self._analysis_lock:
            if len(memo) >= ANALYSIS_MEMO:
                for old in list(memo)[: ANALYSIS_MEMO // 2]:
                    del memo[old]
            memo[key] = value

    def _analyze(self, query: str) -> QueryAnalysis:
        tokens = tuple(dict.fromkeys(dutch_tokens(query)))
        matched = tuple(self._lexical.known_terms(list(tokens)))
        extra: list[str] = []
        for term in raw_terms(query):
            for synonym in self._synonyms.get(term, ()):
                extra.extend(dutch_tokens(synonym))
        expansion = tuple(t for t in dict.fromkeys(extra) if t not in tokens)
        return QueryAnalysis(tokens, matched, tuple(self._lexical.known_terms(list(expansion))))

    def _word_scores(self, analysis: QueryAnalysis) -> np.ndarray:
        scores = self._lexical.scores(list(analysis.matched))
        if analysis.expansion:
            scores = scores + self.config.expansion_weight * self._lexical.scores(list(analysis.expansion))
        return scores

    def synonyms_of(self, query: str) -> list[str]:
        """Synonyms (surface words) of the query's words, from knowledge/synoniemen.yaml (remembered)."""
        known = self._synonym_memo.get(query)
        if known is None:
            known = self._find_synonyms(query)
            self._remember(self._synonym_memo, query, known)
        return list(known)

    def _find_synonyms(self, query: str) -> tuple[str, ...]:
        return synonyms_in(query, self._synonyms)

    def _ngram_scores(self, query: str, *, n: int) -> np.ndarray:
        if self._ngram is None:
            return np.zeros(n, dtype=np.float32)
        grams = list(dict.fromkeys(char_ngrams(query)))
        scores = self._ngram.scores(grams)
        extra = [g for g in dict.fromkeys(char_ngrams(" ".join(self.synonyms_of(query)))) if g not in grams]
        if extra:
            scores = scores + self.config.expansion_weight * self._ngram.scores(extra)
        return scores

    def _unit_layout(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Unit vectors, each unit's passage position, chapter centroids, each passage's chapter row."""
        if self._layout is None:
            matrix = self._dense.unit_matrix()
            keep = [i for i, pid in enumerate(matrix.passage_ids) if pid in self._position]
            vectors = matrix.vectors[keep]
            owner = np.asarray([self._position[matrix.passage_ids[i]] for i in keep], dtype=np.int64)
            groups = list(dict.fromkeys(_group_key(p) for p in self.passages))
            row = {g: n for n, g in enumerate(groups)}
            passage_group = np.asarray([row[_group_key(p)] for p in self.passages], dtype=np.int64)
            unit_group = passage_group[owner] if owner.size else owner
            centroids = np.stack([unit_mean(vectors[unit_group == n]) for n in range(len(groups))])
            self._layout = (vectors, owner, centroids, passage_group)
        return self._layout

    def signals(self, query: str) -> Signals:
        """All raw signals for every passage."""
        return self._signals(query)[0]

    def _signals(self, query: str, vector: np.ndarray | None = None) -> tuple[Signals, np.ndarray]:
        """All raw signals for every passage, and the query's USE vector (`vector`: already embedded)."""
        n = len(self.passages)
        q = self._dense.query_vector(query) if vector is None else vector
        known = self._known_signals.get(query) if self._known_signals is not None else None
        if known is not None and known[1].memory_dense is None and np.array_equal(known[0], q):
            memory_dense, memory_lexical = self._memory_signals(query, q)
            return replace(known[1], memory_dense=memory_dense, memory_lexical=memory_lexical), q
        word = self._word_scores(self.analyze(query))
        ngram = self._ngram_scores(query, n=n)
        vectors, owner, centroids, passage_group = self._unit_layout()
        dense = np.full(n, -1.0, dtype=np.float32)
        if owner.size:
            np.maximum.at(dense, owner, vectors @ q)
        chapter = (centroids @ q)[passage_group] if len(centroids) else np.zeros(n, dtype=np.float32)
        chapter = chapter.astype(np.float32)
        memory_dense, memory_lexical = self._memory_signals(query, q)
        return Signals(
            word, ngram, dense, chapter, self._topic_scores(q, chapter), self._sentence_scores(q),
            memory_dense, memory_lexical, self.covered(query),
        ), q  # fmt: skip

    def _memory_signals(self, query: str, q: np.ndarray) -> tuple[np.ndarray | None, np.ndarray | None]:
        if self._memory is None or not len(self._memory):
            return None, None
        weight = FusionConstants().memory_expansion
        synonyms = " ".join(self.synonyms_of(query)) if weight else ""
        return self._memory.signals(query, q, expansion=synonyms, expansion_weight=weight)

    def covered(self, query: str) -> np.ndarray:
        """Per passage: the idf of the query's known words it holds over the idf of all of them (a synonym
        counts at expansion_weight). A rare word of the question ("tenders" -> aanbesteding, in 2 passages)
        weighs most, whatever the passage's length or how often it repeats the word."""
        analysis = self.analyze(query)
        weights = {t: 1.0 for t in analysis.matched}
        for t in analysis.expansion:
            weights.setdefault(t, self.config.expansion_weight)
        if self._postings is None:
            self._postings = postings(self._terms_of_passages())
        return idf_coverage(self._lexical, self._terms_of_passages(), weights, postings=self._postings)

    def _terms_of_passages(self) -> list[frozenset[str]]:
        if self._passage_terms is None:
            self._passage_terms = [frozenset(dutch_tokens(lexical_text(p))) for p in self.passages]
        return self._passage_terms

    def _sentence_scores(self, q: np.ndarray) -> np.ndarray | None:
        """Per passage: the best cosine of the query with one of its sentences (finer than the windows)."""
        if self._sentences is None or not len(self._sentences):
            return None
        if self._sentence_layout is None:
            rows, owners = [], []
            for i, passage in enumerate(self.passages):
                for _, sentence in passage_sentences(passage):
                    vector = self._sentences.get(sentence)
                    if vector is not None:
                        rows.append(vector)
                        owners.append(i)
            if not rows:
                return None
            self._sentence_layout = (np.vstack(rows), np.asarray(owners, dtype=np.int64))
        matrix, owner = self._sentence_layout
        best = np.full(len(self.passages), -1.0, dtype=np.float32)
        np.maximum.at(best, owner, (matrix @ q).astype(np.float32))
        return best

    def _topic_scores(self, q: np.ndarray, chapter: np.ndarray) -> np.ndarray | None:
        """Per passage: best cosine of the query with a topic text of its chapter (chapter prior if none)."""
        if not self._topics:
            return None
        if self._topic_layout is None:
            pairs = [
                (n, t) for n, texts in self._topics.items() for t in texts
            ]  # one batch: 1 s -> 0.2 s cold
            owners = np.asarray([n for n, _ in pairs])
            order = np.argsort(
                owners, kind="stable"
            )  # the texts grouped by chapter, for a per-chapter maximum
            grouped = owners[order]
            starts = np.flatnonzero(np.r_[True, grouped[1:] != grouped[:-1]])
            # per passage: the group of its chapter's topic texts, or -1 (a team document, a chapter without any)
            group = {int(c): g for g, c in enumerate(grouped[starts])}
            rows = np.asarray([group.get(p.chapter, -1) if p.is_publication else -1 for p in self.passages],
                              dtype=np.int64)  # fmt: skip
            self._topic_layout = (self._dense.query_vectors([t for _, t in pairs]), order, starts, rows)
        vectors, order, starts, rows = self._topic_layout
        sims = vectors @ q
        best = np.maximum.reduceat(sims[order], starts)  # per chapter: the best cosine of its topic texts
        return np.where(rows >= 0, best[np.maximum(rows, 0)].astype(np.float32), chapter).astype(np.float32)

    def document_frequency(self, token: str) -> int:
        """In how many passages an analyzed word token occurs."""
        return self._lexical.document_frequency(token)

    def dense_centroid(self) -> np.ndarray:
        """Mean direction of the indexed text (for the out-of-scope check)."""
        return self._dense.centroid()

    def query_vector(self, query: str) -> np.ndarray:
        return self._dense.query_vector(query)

    def search_bm25(self, query: str, *, k: int = 10) -> list[ScoredPassage]:
        """Word BM25 alone (with synonym expansion), best first."""
        scores = self._word_scores(self.analyze(query))
        order = np.argsort(-scores, kind="stable")[:k]
        return [
            ScoredPassage(self.passages[i], float(scores[i]), bm25=float(scores[i]))
            for i in order
            if scores[i] > 0
        ]

    def search_dense(self, query: str, *, k: int = 10) -> list[ScoredPassage]:
        """Dense retrieval alone through the vector store, best first; score = cosine similarity."""
        out: list[ScoredPassage] = []
        for hit in self._dense.search(query, k=min(k, len(self.passages))):
            position = self._position.get(hit.id)
            if position is not None:
                out.append(ScoredPassage(self.passages[position], hit.similarity, dense=hit.similarity))
        return out

    def lexical_share(self, analysis: QueryAnalysis) -> float:
        """Scale of the lexical weights: 1 when every query word is known, min_lexical_share when none is."""
        low = self.config.min_lexical_share
        return low + (1.0 - low) * analysis.coverage

    def search(self, query: str, *, k: int = 10) -> list[ScoredPassage]:
        """Fused search, best first. score = fused score; .bm25/.dense = raw scores (None if not retrieved).

        Results are remembered per (query, k) for this retriever (at most SEARCH_MEMO): training at index time
        searches each training question for two models."""
        key = (query, k)
        with self._memo_lock:  # channels search from worker threads
            if key in self._memo:
                self._memo.move_to_end(key)
                return list(self._memo[key])
        hits = self._search(query, k=k)
        with self._memo_lock:
            self._memo[key] = tuple(hits)
            if len(self._memo) > SEARCH_MEMO:
                self._memo.popitem(last=False)
        return hits

    def _search(self, query: str, *, k: int) -> list[ScoredPassage]:
        if not self.passages:
            return []
        return self.probe(query, k=k)[0]

    def probe(
        self, query: str, vector: np.ndarray | None = None, *, k: int = 10
    ) -> tuple[list[ScoredPassage], Signals, float]:
        """search() without its memo, with the raw signals and the lexical share it ranked with; `vector`: the
        query's USE vector when it is already embedded (training at index build embeds its questions once)."""
        signals, q = self._signals(query, vector)
        share = self.lexical_share(self.analyze(query))
        fused = self.fuse(signals, lexical_share=share)
        if self._fusion is not None and signals.memory_dense is not None and self._static is not None:
            text = prior_text(query, self.synonyms_of(query), FusionConstants())
            prior = self._fusion.prior.per_passage(q, self.passages, text)
            english = english_share(query) if self._fusion.language else None
            features = passage_features(
                signals, share=share, fused=fused, prior=prior, static=self._static, english=english,
                covered=self._fusion.covered,
            )  # fmt: skip
            fused = self._fusion.scores(features)
        order = np.argsort(-fused, kind="stable")[:k]
        return [self._hit(int(i), float(fused[i]), signals) for i in order], signals, share

    def fuse(self, signals: Signals, *, lexical_share: float) -> np.ndarray:
        """Weighted sum of the min-max normalised signals."""
        cfg = self.config
        lexical = cfg.word_weight * _minmax(signals.word) + cfg.ngram_weight * _minmax(signals.ngram)
        return (
            lexical_share * lexical
            + cfg.dense_weight * _minmax(signals.dense)
            + cfg.chapter_weight * _minmax(signals.chapter)
            + (cfg.topic_weight * _minmax(signals.topic) if signals.topic is not None else 0.0)
            + (cfg.sentence_weight * _minmax(signals.sentence) if signals.sentence is not None else 0.0)
            + (
                cfg.memory_dense_weight * _minmax(signals.memory_dense)
                if signals.memory_dense is not None
                else 0.0
            )
            + (
                cfg.memory_lexical_weight * _minmax(signals.memory_lexical)
                if signals.memory_lexical is not None
                else 0.0
            )
        )

    def _hit(self, i: int, score: float, signals: Signals) -> ScoredPassage:
        word = float(signals.word[i])
        dense = float(signals.dense[i])
        return ScoredPassage(
            self.passages[i],
            score,
            bm25=word if word > 0 else None,
            dense=dense if dense > -1.0 else None,
            extras={"ngram": float(signals.ngram[i]), "chapter": float(signals.chapter[i])},
        )
