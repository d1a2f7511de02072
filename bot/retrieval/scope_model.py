"""A learned near-miss judge: does a question ask for something the publication does not hold?

The rule-based ScopeJudge (bot.retrieval.scope) already refuses questions far from the publication (weather,
recipes). Near misses are harder: "hoeveel weken heeft de gemeente voor een Wmo-melding", "welk artikel van de AVG"
sound like the publication's topics but ask for a term, a procedure or a legal ground it does not give.
This model learns them from the labelled training questions (knowledge/vragen_training/): the in-scope questions
against the `buiten` ones, written blind by the same writers. Features: character n-gram TF-IDF and the USE
vector of the question, plus how close it comes to the publication (best unit cosine, nearest remembered question
of each kind). Trained at index time, deterministic; no model file in git.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression


@dataclass(frozen=True, slots=True)
class ScopeConstants:
    """Chosen by grouped 5-fold cross-validation on the training questions and checked on the dev sets."""

    char_ngrams: tuple[int, int] = (2, 5)
    char_weight: float = 1.0
    dense_weight: float = 1.0
    near_weight: float = 2.0  # the nearest-question cosines
    c: float = 1.0
    threshold: float = 0.75  # P(out of scope) at or above this refuses; CV: 0.7 and 0.8 bracket it
    seed: int = 0


@dataclass(frozen=True, slots=True)
class ScopeModel:
    """P(out of scope | question). Neighbour features compare with the training questions it was fit on."""

    char: TfidfVectorizer
    classifier: LogisticRegression
    inside: np.ndarray  # USE vectors of the in-scope training questions
    outside: np.ndarray  # USE vectors of the near-miss training questions
    constants: ScopeConstants

    def features(
        self, texts: Sequence[str], vectors: np.ndarray, *, leave_out: bool = False
    ) -> sparse.csr_matrix:
        return _features(self, texts, vectors, leave_out=leave_out)

    def out_probability(self, text: str, vector: np.ndarray) -> float:
        """Probability that the question is a near miss (the publication does not answer it)."""
        row = self.features([text], vector.reshape(1, -1))
        return float(self.classifier.predict_proba(row)[0, 1])

    def is_out(self, text: str, vector: np.ndarray) -> bool:
        return self.out_probability(text, vector) >= self.constants.threshold


def _nearest(vectors: np.ndarray, bank: np.ndarray, *, leave_out: bool) -> np.ndarray:
    """Best cosine of each vector with the bank; with leave_out, an exact copy (itself) does not count."""
    if not len(bank):
        return np.zeros(len(vectors), dtype=np.float32)
    sims = vectors @ bank.T
    if leave_out:
        sims = np.where(sims > 0.9999, -1.0, sims)
    return sims.max(axis=1).astype(np.float32)


def _features(
    model: ScopeModel, texts: Sequence[str], vectors: np.ndarray, *, leave_out: bool
) -> sparse.csr_matrix:
    c = model.constants
    near = np.stack(
        [
            _nearest(vectors, model.inside, leave_out=leave_out),
            _nearest(vectors, model.outside, leave_out=leave_out),
        ],
        axis=1,
    )
    blocks = [
        model.char.transform(list(texts)) * c.char_weight,
        sparse.csr_matrix(vectors.astype(np.float32) * c.dense_weight),
        sparse.csr_matrix(near * c.near_weight),
    ]
    return sparse.hstack(blocks, format="csr")


def train(
    texts: Sequence[str],
    vectors: np.ndarray,
    out_of_scope: Sequence[bool],
    constants: ScopeConstants | None = None,
) -> ScopeModel:
    """Fit on questions with their USE vectors; out_of_scope[i] is True for a near-miss question."""
    constants = constants or ScopeConstants()
    labels = np.asarray(out_of_scope, dtype=bool)
    char = TfidfVectorizer(
        analyzer="char_wb", ngram_range=constants.char_ngrams, sublinear_tf=True, min_df=2,
        strip_accents="unicode", dtype=np.float32,
    )  # fmt: skip
    char.fit(list(texts))
    vectors = np.asarray(vectors, dtype=np.float32)
    unfitted = ScopeModel(char, LogisticRegression(), vectors[~labels], vectors[labels], constants)
    classifier = LogisticRegression(
        C=constants.c, max_iter=2000, class_weight="balanced", random_state=constants.seed
    )
    classifier.fit(_features(unfitted, texts, vectors, leave_out=True), labels.astype(int))
    return ScopeModel(char, classifier, unfitted.inside, unfitted.outside, constants)
