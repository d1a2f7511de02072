"""Learned classifiers: situation -> levensgebieden (multi-label) and safety level + danger type.

`train` is a pure function of the corpus, the lexicon and the encoder; fixed seeds, so the same input gives the
same model. Logistic regression gives probabilities that are calibrated well enough to threshold directly.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression

from bot.understanding.constants import Constants
from bot.understanding.danger import NO_DANGER, DangerHead
from bot.understanding.features import Featurizer
from bot.understanding.one_vs_rest import OneVsRestLogistic


@dataclass(frozen=True, slots=True)
class Example:
    """A training row: expanded text, its vector and lexicon hits, and its labels (domains may be empty)."""

    text: str
    domains: tuple[str, ...]
    level: str
    danger: str | None
    weight: float = (
        1.0  # weight in the safety-level model (realistic class prior, see training.level_weights)
    )
    safety_only: bool = False  # a chat message: trains the safety level only (no levensgebieden known)


@dataclass(slots=True)
class TrainedModel:
    """The fitted parts (picklable; no lexicon or encoder inside)."""

    domain_ids: list[str]
    levels: list[str]
    dangers: list[str]
    featurizer: Featurizer
    domains: Any  # predict_proba(features) -> n x domains
    level: LogisticRegression
    danger: DangerHead
    first: Any = (
        None  # FirstKinds (bot/understanding/first_kinds.py): which safety partner kind first, or None
    )

    def probabilities(
        self, features: sparse.csr_matrix, texts: list[str]
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(n x domains, n x levels, n x dangers) probabilities; texts: the (expanded) texts of the rows. While the
        levensgebieden head is still being fitted (train's `meanwhile`), its probabilities are all 0."""
        domains = (self.domains.predict_proba(features) if self.domains is not None
                   else np.zeros((features.shape[0], len(self.domain_ids))))  # fmt: skip
        return domains, self.level.predict_proba(features), self.danger.predict_proba(features, texts)


def train(examples: list[Example], *, dense: np.ndarray, hits: np.ndarray, domain_ids: list[str],
          dangers: list[str], featurizer: Featurizer, constants: Constants,
          meanwhile: Callable[[TrainedModel], Any] | None = None) -> TrainedModel:  # fmt: skip
    """Fit the three classifiers. dense/hits: one row per example. meanwhile: called in this thread once the
    safety-level and danger heads are fitted, while the levensgebieden head still is (in another thread), with the
    model without that head (`domains` None); what it returns is kept as the model's `first`. For work that reads
    only the safety heads (the first-kind model), which then uses the time this thread would wait."""
    texts = [e.text for e in examples]
    features = featurizer.fit_transform(texts, dense, hits)
    column = {d: j for j, d in enumerate(domain_ids)}
    situation = np.array([not e.safety_only for e in examples])
    y_domains = np.zeros((len(examples), len(domain_ids)), dtype=np.int8)
    for i, example in enumerate(examples):
        for domain in example.domains:
            y_domains[i, column[domain]] = 1
    outside = np.array([not e.domains and not e.safety_only for e in examples])
    rows = np.flatnonzero(situation)
    with ThreadPoolExecutor(max_workers=1) as pool:  # the heads at once (issue #12); the same fits
        domains = pool.submit(fit_domains, features[rows], y_domains[rows], outside[rows], constants)
        level_model = fit_level(features, examples, constants)
        danger_model = fit_danger(features, examples, constants)  # its own role features: danger.py
        model = TrainedModel(domain_ids=list(domain_ids), levels=[str(x) for x in level_model.classes_],
                             dangers=[str(x) for x in danger_model.classes_], featurizer=featurizer,
                             domains=None, level=level_model, danger=danger_model)  # fmt: skip
        if meanwhile is not None:
            model.first = meanwhile(model)
        model.domains = domains.result()
    return model


def fit_domains(features: sparse.csr_matrix, y: np.ndarray, outside: np.ndarray, constants: Constants) -> Any:
    """The levensgebieden head (one-vs-rest, probabilities per domain) on situation rows only.
    Out-of-scope questions (no levensgebied, `outside`) count `outside_repeat` times: a few dozen next to
    thousands of situations would otherwise not teach 'nothing fits'."""
    return _one_vs_rest(features, y, outside, constants)


def _one_vs_rest(
    features: sparse.csr_matrix, y: np.ndarray, outside: np.ndarray, constants: Constants
) -> Any:
    rows = np.concatenate(
        [np.arange(len(y)), np.repeat(np.flatnonzero(outside), constants.outside_repeat - 1)]
    )
    # liblinear's one-vs-rest problems (LogisticRegression(solver="liblinear") per label through round 16), solved
    # for all labels in one pass over the features per step: about half the CPU (issue #7, round 17)
    head = OneVsRestLogistic(constants.domain_c, balanced=constants.domain_balanced)
    return head.fit(features[rows], y[rows])


def fit_level(
    features: sparse.csr_matrix, examples: list[Example], constants: Constants
) -> LogisticRegression:
    """Safety level (acuut / zorg / geen) on every example, weighted by the realistic class prior."""
    levels = np.array([e.level for e in examples])
    weights = np.array([e.weight for e in examples], dtype=np.float64)
    weights *= len(weights) / weights.sum()  # same total as unweighted: C keeps its meaning
    balanced = "balanced" if constants.safety_prior <= 0 else None  # the pre-round-4 model (CV comparison)
    return LogisticRegression(C=constants.level_c, class_weight=balanced, max_iter=3000,
                              random_state=constants.seed).fit(features, levels, sample_weight=weights)  # fmt: skip


def fit_danger(features: sparse.csr_matrix, examples: list[Example], constants: Constants) -> DangerHead:
    """Danger type, trained on the labelled safety cases only (acuut and zorg), with its own role features."""
    risky = np.flatnonzero([e.danger is not None for e in examples])
    labels = [examples[i].danger or NO_DANGER for i in risky]
    return DangerHead(constants).fit(features[risky], [examples[i].text for i in risky], labels)
