"""A learned near-miss judge: does a question ask for something the publication does not hold?

The rules of ScopeJudge (bot.retrieval.scope) already refuse questions far from the publication (weather,
recipes). Near misses are harder: "hoeveel weken heeft de gemeente voor een Wmo-melding", "welk artikel van de AVG"
sound like the publication's topics but ask for a term, a procedure or a legal ground it does not give.
This model learns them from the labelled training questions (knowledge/vragen_training/): the in-scope questions
against the `buiten` ones, written blind. Features: the multilingual USE vector of the question and the numbers the
rules look at (best unit cosine, closeness to the whole text, best BM25, share of known words, domain words).
A logistic regression, trained when the index is built (deterministic); its weights are kept in the index folder
(not in git), so loading needs numpy only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

SIGNALS = 7  # length of ScopeJudge.evidence(): ScopeSignal.numbers() and two precise-fact cues


@dataclass(frozen=True, slots=True)
class ScopeConstants:
    """Chosen by leave-one-writer-out CV over the three training writers (bench/scope_cv.py), checked on the dev
    sets. Curve by writer (in-scope refused of 740 / near misses caught of 150): rules alone 15 / 43; the judge
    before (precise-fact cue as a hard rule, no neighbours, C 1) at p>=0.8 17 / 80; this judge at p>=0.7 14 / 120,
    p>=0.8 10 / 105, p>=0.9 8 / 90 (chosen: fewest refusals while better than the judge before on both counts;
    at 0.7 it refused core questions such as "hoe zorg ik voor terugkoppeling na een verwijzing?", p 0.80)."""

    dense_weight: float = 1.0
    signal_weight: float = 1.0
    c: float = 10.0  # 1: 15 / 91 at p>=0.7; 30: 13 / 121
    threshold: float = 0.9  # P(out of scope) at or above this refuses
    seed: int = 0


NEIGHBOURS = 3  # nearest in-scope cosine, nearest near-miss cosine, their difference


@dataclass(frozen=True, slots=True)
class ScopeModel:
    """P(out of scope | question vector, retrieval numbers, nearest training questions) =
    sigmoid(weights · features + bias). Keeps the training questions' vectors for the neighbour features."""

    weights: np.ndarray
    bias: float
    constants: ScopeConstants
    known: np.ndarray  # USE vectors of the training questions
    known_out: np.ndarray  # True for a near miss

    def out_probability(self, vector: np.ndarray, numbers: Sequence[float]) -> float:
        """Probability that the question is a near miss (the publication does not answer it)."""
        vectors = vector.reshape(1, -1)
        near = neighbours(vectors, self.known, self.known_out)
        row = features(vectors, np.asarray([numbers], dtype=np.float32), near, self.constants)[0]
        return float(1.0 / (1.0 + np.exp(-(float(row @ self.weights) + self.bias))))

    def is_out(self, vector: np.ndarray, numbers: Sequence[float]) -> bool:
        return self.out_probability(vector, numbers) >= self.constants.threshold

    def save(self, path: Path) -> None:
        with path.open("wb") as handle:
            np.savez(handle, weights=self.weights, bias=np.asarray([self.bias]), known=self.known,
                     known_out=self.known_out)  # fmt: skip

    @classmethod
    def load(cls, path: Path) -> ScopeModel:
        with np.load(path, allow_pickle=False) as data:
            return cls(
                np.asarray(data["weights"], dtype=np.float64), float(data["bias"][0]), ScopeConstants(),
                np.asarray(data["known"], dtype=np.float32), np.asarray(data["known_out"], dtype=bool),
            )  # fmt: skip


def neighbours(
    vectors: np.ndarray, known: np.ndarray, known_out: np.ndarray, hide: np.ndarray | None = None
) -> np.ndarray:
    """Per question: best cosine with an in-scope training question, with a near miss, and their difference.
    hide[i, j] True: training question j does not count for question i (its own writer, at training)."""
    sims = vectors.astype(np.float32) @ known.T.astype(np.float32)
    if hide is not None:
        sims = np.where(hide, -1.0, sims)
    inside = sims[:, ~known_out].max(axis=1) if (~known_out).any() else np.zeros(len(vectors))
    outside = sims[:, known_out].max(axis=1) if known_out.any() else np.zeros(len(vectors))
    return np.stack([inside, outside, outside - inside], axis=1).astype(np.float32)


def features(
    vectors: np.ndarray, numbers: np.ndarray, near: np.ndarray, constants: ScopeConstants
) -> np.ndarray:
    """One row per question: its USE vector, its retrieval numbers and its neighbour numbers, each block weighted."""
    return np.hstack(
        [
            vectors.astype(np.float32) * constants.dense_weight,
            numbers.astype(np.float32) * constants.signal_weight,
            near * constants.signal_weight,
        ]
    )


def train(
    vectors: np.ndarray,
    numbers: np.ndarray,
    out_of_scope: Sequence[bool],
    constants: ScopeConstants | None = None,
    *,
    writers: Sequence[str] | None = None,
) -> ScopeModel:
    """Fit on questions (USE vectors, ScopeJudge.evidence() rows); out_of_scope[i] is True for a near miss.
    writers: who wrote each question; a question's neighbours are then only other writers' questions, as they
    are for a new writer (None: every question is its own writer)."""
    from sklearn.linear_model import LogisticRegression

    constants = constants or ScopeConstants()
    labels = np.asarray(out_of_scope, dtype=bool)
    groups = np.asarray(writers if writers is not None else [str(i) for i in range(len(labels))])
    near = neighbours(vectors, vectors, labels, hide=groups[:, None] == groups[None, :])
    classifier = LogisticRegression(
        C=constants.c, max_iter=3000, class_weight="balanced", random_state=constants.seed
    )
    classifier.fit(features(vectors, numbers, near, constants), labels.astype(int))
    return ScopeModel(
        classifier.coef_[0].astype(np.float64), float(classifier.intercept_[0]), constants,
        vectors.astype(np.float32), labels,
    )  # fmt: skip
