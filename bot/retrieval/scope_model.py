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

SIGNALS = 5  # length of ScopeSignal.numbers()


@dataclass(frozen=True, slots=True)
class ScopeConstants:
    """Chosen by grouped 5-fold cross-validation on the training questions (bench/scope_cv.py), checked on the
    dev sets: with these, CV refuses no more in-scope questions than the rules alone (5/280) and catches 27 of the
    50 near misses instead of 14; character n-grams, nearest-question and best-sentence features did no better."""

    dense_weight: float = 1.0
    signal_weight: float = 1.0
    c: float = 1.0
    threshold: float = 0.8  # P(out of scope) at or above this refuses
    seed: int = 0


@dataclass(frozen=True, slots=True)
class ScopeModel:
    """P(out of scope | question vector, retrieval numbers) = sigmoid(weights · features + bias)."""

    weights: np.ndarray
    bias: float
    constants: ScopeConstants

    def out_probability(self, vector: np.ndarray, numbers: Sequence[float]) -> float:
        """Probability that the question is a near miss (the publication does not answer it)."""
        row = features(vector.reshape(1, -1), np.asarray([numbers], dtype=np.float32), self.constants)[0]
        return float(1.0 / (1.0 + np.exp(-(float(row @ self.weights) + self.bias))))

    def is_out(self, vector: np.ndarray, numbers: Sequence[float]) -> bool:
        return self.out_probability(vector, numbers) >= self.constants.threshold

    def save(self, path: Path) -> None:
        with path.open("wb") as handle:
            np.savez(handle, weights=self.weights, bias=np.asarray([self.bias]))

    @classmethod
    def load(cls, path: Path) -> ScopeModel:
        with np.load(path, allow_pickle=False) as data:
            return cls(
                np.asarray(data["weights"], dtype=np.float64), float(data["bias"][0]), ScopeConstants()
            )


def features(vectors: np.ndarray, numbers: np.ndarray, constants: ScopeConstants) -> np.ndarray:
    """One row per question: its USE vector and its retrieval numbers, each block weighted."""
    return np.hstack(
        [
            vectors.astype(np.float32) * constants.dense_weight,
            numbers.astype(np.float32) * constants.signal_weight,
        ]
    )


def train(
    vectors: np.ndarray,
    numbers: np.ndarray,
    out_of_scope: Sequence[bool],
    constants: ScopeConstants | None = None,
) -> ScopeModel:
    """Fit on questions (USE vectors, ScopeSignal.numbers() rows); out_of_scope[i] is True for a near miss."""
    from sklearn.linear_model import LogisticRegression

    constants = constants or ScopeConstants()
    labels = np.asarray(out_of_scope, dtype=int)
    classifier = LogisticRegression(
        C=constants.c, max_iter=2000, class_weight="balanced", random_state=constants.seed
    )
    classifier.fit(features(vectors, numbers, constants), labels)
    return ScopeModel(classifier.coef_[0].astype(np.float64), float(classifier.intercept_[0]), constants)
