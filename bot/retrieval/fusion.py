"""A learned fusion of the retrieval signals: a small linear ranking model trained on the blind training questions.

The hand-set weights of FusionConfig add min-max normalised signals. This model learns how much each signal
counts from the training questions (knowledge/vragen_training): one row per (question, passage), the label says
whether the passage holds one of the question's facts (or, without facts, is of the question's chapter).
Features per passage: every signal min-max normalised over the passages, the raw cosines (their level says how
sure the match is), the lexical signals scaled by the share of query words the corpus knows, a chapter prior from
a chapter classifier over the question's USE vector (trained on the same questions), the hand-set fused score,
and static passage facts (length, kind, place in its chapter). Logistic regression; a passage's score is the
linear part, so ranking costs one matrix-vector product.
Round 8 (writer CV over seven writers, chapter-hit@3 / fact@3 / MRR@10 pooled, English): the share of the
question's word idf a passage holds; the signals again times the question's English share (an English question
weighs the channels differently); the chapter prior and the memory's 4-gram BM25 read the question's synonyms.
Together 0.959 / 0.909 / 0.916 -> 0.960 / 0.912 / 0.921, English 0.961 / 0.911 / 0.918 -> 0.964 / 0.920 / 0.932
(bench/fusion_cv.py --round7).
Tried and left out: the synonyms' word BM25 as its own column, English inflections in the synonym lookup.

Training rows must look like unseen questions: their memory signals and chapter prior come from the *other*
writers only (leave-one-writer-out inside the training set), see bench/fusion_cv.py, which also chose the
constants below by leave-one-writer-out over the three training writers and the dev sets.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from bot.retrieval.scope_model import word_grams
from bot.retrieval.types import Passage

if TYPE_CHECKING:
    from bot.retrieval.hybrid import Signals

FUSION_MODEL = "fusion_model.npz"
CHAPTERS = 12  # 0 = introduction, 1..10 = the ten questions, 11 = conclusion


@dataclass(frozen=True, slots=True)
class FusionConstants:
    """Chosen by leave-one-writer-out over the training writers (bench/fusion_cv.py), checked on the dev sets."""

    c: float = (
        1.0  # inverse L2 penalty of the ranking model (10 and 100: same pooled CV, lower on the dev sets)
    )
    chapter_c: float = 10.0  # inverse regularisation of the chapter classifier
    chapter_weight: float = (
        0.0  # target weight of a passage of the right chapter without the fact (0.1, 0.3 worse)
    )
    seed: int = 0
    prior_word_weight: float = (
        2.0  # scale of the question's words (TF-IDF) in the chapter prior; 0 = USE only
    )
    language: bool = True  # the signals again, times the question's English share (passage_features)
    covered: bool = True  # the share of the question's word idf a passage holds (Signals.covered)
    memory_expansion: float = (
        0.5  # weight of the synonyms' 4-grams in the memory's BM25 (QuestionMemory.signals)
    )
    prior_expansion: bool = True  # the chapter prior reads the question's words and their synonyms


def prior_text(text: str, synonyms: Sequence[str], constants: FusionConstants) -> str:
    """The words the chapter prior reads: the question, and its synonyms when constants.prior_expansion."""
    return f"{text} {' '.join(synonyms)}".strip() if constants.prior_expansion and synonyms else text


def _minmax(values: np.ndarray) -> np.ndarray:
    lo, hi = float(values.min()), float(values.max())
    return (values - lo) / (hi - lo) if hi > lo else np.zeros_like(values)


def static_features(passages: Sequence[Passage]) -> np.ndarray:
    """Per passage: log length, kader, praktijkvoorbeeld, team document, relative place in its chapter."""
    place: dict[int, int] = {}
    count: dict[int, int] = {}
    for p in passages:
        count[p.chapter] = count.get(p.chapter, 0) + 1
    rows = []
    for p in passages:
        n = place.get(p.chapter, 0)
        place[p.chapter] = n + 1
        rows.append(
            [
                np.log(max(len(p.text), 50)) / 7.0,
                float(p.kind == "kader"),
                float(p.kind == "praktijkvoorbeeld"),
                float(not p.is_publication),
                n / max(count[p.chapter] - 1, 1),
            ]
        )
    return np.asarray(rows, dtype=np.float32)


def passage_features(
    signals: Signals,
    *,
    share: float,
    fused: np.ndarray,
    prior: np.ndarray,
    static: np.ndarray,
    english: float | None = None,
    covered: bool = False,
) -> np.ndarray:
    """One row per passage (see the module text); `prior` = P(passage's chapter | question); `english`: the
    question's English share (bot.retrieval.language), which adds the normalised signals times that share, so
    an English question can weigh the channels differently (None: without those columns); covered: a column
    with the share of the question's word idf each passage holds (Signals.covered)."""
    n = len(fused)
    zeros = np.zeros(n, dtype=np.float32)

    def opt(values: np.ndarray | None) -> np.ndarray:
        return zeros if values is None else values.astype(np.float32)

    word, ngram = _minmax(signals.word), _minmax(signals.ngram)
    columns = [
        word, ngram, _minmax(signals.dense), _minmax(signals.chapter), _minmax(opt(signals.topic)),
        _minmax(opt(signals.sentence)), _minmax(opt(signals.memory_dense)), _minmax(opt(signals.memory_lexical)),
        signals.dense, opt(signals.sentence), opt(signals.memory_dense),
        share * word, share * ngram, prior, np.log(prior + 1e-3) / 7.0, _minmax(fused),
    ]  # fmt: skip
    if covered:
        columns.append(opt(signals.covered))
    if english is not None:
        columns += [english * c for c in columns[:8]] + [english * prior, english * columns[15]]
    return np.hstack([np.stack(columns, axis=1).astype(np.float32), static])


@dataclass(frozen=True, slots=True)
class ChapterPrior:
    """Multinomial logistic regression: USE vector and words (TF-IDF of words and word pairs) of a question ->
    P(chapter). Leave-one-writer-out over four writers, chapter in the top 3: USE alone 0.79, with words 0.87."""

    weights: np.ndarray  # (CHAPTERS, dim)
    bias: np.ndarray  # (CHAPTERS,)
    terms: Mapping[str, int] = field(default_factory=dict)  # word or pair -> column of term_weights
    idf: np.ndarray = field(default_factory=lambda: np.zeros(0))  # per column
    term_weights: np.ndarray = field(default_factory=lambda: np.zeros((CHAPTERS, 0)))  # (CHAPTERS, terms)

    def probabilities(self, vector: np.ndarray, text: str = "") -> np.ndarray:
        logits = self.weights @ vector + self.bias
        if text and self.terms:
            logits = logits + self._word_logits(text)
        exp = np.exp(logits - logits.max())
        return (exp / exp.sum()).astype(np.float32)

    def _word_logits(self, text: str) -> np.ndarray:
        found = [(self.terms[t], n) for t, n in word_grams(text).items() if t in self.terms]
        if not found:
            return np.zeros(len(self.bias))
        columns = np.asarray([c for c, _ in found])
        values = (1.0 + np.log(np.asarray([n for _, n in found], dtype=np.float64))) * self.idf[columns]
        return self.term_weights[:, columns] @ (values / np.linalg.norm(values))

    def per_passage(self, vector: np.ndarray, passages: Sequence[Passage], text: str = "") -> np.ndarray:
        probs = self.probabilities(vector, text)
        chapter, valid = _chapter_layout(passages)
        return np.where(valid, probs[chapter], np.float32(0.0)).astype(np.float32, copy=False)


_LAYOUT: list[tuple[Sequence[Passage], np.ndarray, np.ndarray]] = []  # the last passage list's chapter layout


def _chapter_layout(passages: Sequence[Passage]) -> tuple[np.ndarray, np.ndarray]:
    """Per passage: its chapter row of the prior (0 where none) and whether it has one (a publication passage of
    a known chapter); remembered for the last list of passages (the same list is asked for per question)."""
    if _LAYOUT and _LAYOUT[0][0] is passages and len(passages) == len(_LAYOUT[0][1]):
        return _LAYOUT[0][1], _LAYOUT[0][2]
    valid = np.asarray([p.is_publication and 0 <= p.chapter < CHAPTERS for p in passages], dtype=bool)
    chapter = np.asarray(
        [p.chapter if ok else 0 for p, ok in zip(passages, valid, strict=True)], dtype=np.int64
    )
    _LAYOUT[:] = [(passages, chapter, valid)]
    return chapter, valid


def train_prior(
    vectors: np.ndarray,
    chapters: Sequence[int],
    constants: FusionConstants,
    texts: Sequence[str] | None = None,
) -> ChapterPrior:
    """texts: the questions, for the word features (None or prior_word_weight 0: USE vectors only)."""
    import scipy.sparse as sp
    from sklearn.linear_model import LogisticRegression

    from bot.retrieval.scope_model import fit_idf, word_matrix

    idf = fit_idf(texts, 2) if texts is not None and constants.prior_word_weight > 0 else {}
    model = LogisticRegression(C=constants.chapter_c, max_iter=3000, random_state=constants.seed)
    if idf:
        assert texts is not None
        words = word_matrix(texts, idf) * constants.prior_word_weight
        model.fit(sp.hstack([sp.csr_matrix(vectors), words]).tocsr(), np.asarray(chapters))
    else:
        model.fit(vectors, np.asarray(chapters))
    dim = vectors.shape[1]
    weights = np.zeros((CHAPTERS, dim))
    term_weights = np.zeros((CHAPTERS, len(idf)))
    bias = np.full(CHAPTERS, -30.0)  # a chapter without training questions gets ~0
    coef, intercept = model.coef_, model.intercept_
    if len(model.classes_) == 2:  # one row for the second class: as logits, (0, row)
        coef, intercept = np.vstack([np.zeros_like(coef), coef]), np.concatenate([[0.0], intercept])
    for row, label in enumerate(model.classes_):
        weights[int(label)] = coef[row, :dim]
        term_weights[int(label)] = coef[row, dim:] * constants.prior_word_weight
        bias[int(label)] = intercept[row]
    terms = {t: n for n, t in enumerate(idf)}
    return ChapterPrior(weights, bias, terms, np.asarray(list(idf.values()), dtype=np.float64), term_weights)


@dataclass(frozen=True, slots=True)
class FusionModel:
    """score(passage) = features · weights; plus the chapter prior it was trained with."""

    weights: np.ndarray
    prior: ChapterPrior
    language: bool = False  # trained with the English-share columns of passage_features
    covered: bool = False  # ... and with the idf-coverage column

    def scores(self, features: np.ndarray) -> np.ndarray:
        return features @ self.weights

    def save(self, path: Path) -> None:
        with path.open("wb") as handle:
            np.savez(handle, weights=self.weights, prior_w=self.prior.weights, prior_b=self.prior.bias,
                     prior_terms=np.asarray(list(self.prior.terms), dtype=str), prior_idf=self.prior.idf,
                     prior_tw=self.prior.term_weights, language=np.asarray(self.language),
                     covered=np.asarray(self.covered))  # fmt: skip

    @classmethod
    def load(cls, path: Path) -> FusionModel | None:
        if not path.is_file():
            return None
        with np.load(path, allow_pickle=False) as data:
            bias = np.asarray(data["prior_b"])
            terms = [str(t) for t in data["prior_terms"]] if "prior_terms" in data else []
            prior = ChapterPrior(
                np.asarray(data["prior_w"], dtype=np.float32), bias, {t: n for n, t in enumerate(terms)},
                np.asarray(data["prior_idf"]) if terms else np.zeros(0),
                np.asarray(data["prior_tw"]) if terms else np.zeros((len(bias), 0)),
            )  # fmt: skip
            flags = {k: bool(data[k]) if k in data else False for k in ("language", "covered")}
            return cls(np.asarray(data["weights"], dtype=np.float32), prior, **flags)


def labels(
    passages: Sequence[Passage],
    chapter: int,
    facts: Sequence[str],
    constants: FusionConstants,
    texts: Sequence[str] | None = None,
    memo: dict[Any, np.ndarray] | None = None,
) -> np.ndarray:
    """Target weight per passage: 1 for a passage holding a fact, `chapter_weight` for another passage of the
    right chapter; with no fact found anywhere, every passage of the chapter gets 1. texts: the passages' texts
    in lower case, when already at hand; memo: a dict kept across calls on the same passages (and texts), where
    each fact's and chapter's passages are looked up once."""
    lowered = [f.lower() for f in facts if f.strip()]
    texts = texts if texts is not None else [p.text.lower() for p in passages]
    memo = {} if memo is None else memo

    def looked_up(key: Any, test: Callable[[Passage, str], bool]) -> np.ndarray:
        if key not in memo:
            memo[key] = np.asarray([p.is_publication and test(p, t) for p, t in zip(passages, texts, strict=True)],
                                   dtype=bool)  # fmt: skip
        return memo[key]

    def holds_fact(fact: str) -> Callable[[Passage, str], bool]:
        return lambda _, text: fact in text

    holds = np.zeros(len(passages), dtype=bool)
    for fact in lowered:
        holds |= looked_up(("fact", fact), holds_fact(fact))
    same = looked_up(("chapter", chapter), lambda p, _: p.chapter == chapter)
    if not holds.any():
        return same.astype(np.float64)
    return np.where(holds, 1.0, np.where(same, constants.chapter_weight, 0.0))


def train(
    rows: Sequence[tuple[np.ndarray, np.ndarray]], prior: ChapterPrior, constants: FusionConstants
) -> FusionModel:
    """rows: per training question (features, target weights). A listwise model: per question, a softmax over
    its passages, fitted (L-BFGS, L2 penalty 1/c) to the target weights made a distribution."""
    from scipy.optimize import minimize

    kept = [(x, t / t.sum()) for x, t in rows if t.sum() > 0]
    x = np.stack([k[0] for k in kept]).astype(np.float64)  # (questions, passages, features)
    target = np.stack([k[1] for k in kept])
    dim = x.shape[2]

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        z = x @ w
        z = z - z.max(axis=1, keepdims=True)
        log_p = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
        total = 0.5 * float(w @ w) / constants.c - float((target * log_p).sum())
        grad = w / constants.c + np.einsum("qp,qpf->f", np.exp(log_p) - target, x)
        return total, grad

    result = minimize(loss, np.zeros(dim), jac=True, method="L-BFGS-B", options={"maxiter": 500})
    return FusionModel(result.x.astype(np.float32), prior, constants.language, constants.covered)
