"""The levensgebieden head's solver (bot/understanding/one_vs_rest.py) solves liblinear's one-vs-rest problems."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import sparse
from sklearn.linear_model import LogisticRegression

from bot.understanding.one_vs_rest import OneVsRestLogistic


def _data(seed: int) -> tuple[sparse.csr_matrix, np.ndarray]:
    """Sparse word-like columns next to a dense block (stored in every row, as the USE vectors), labels from a
    noisy linear rule, one label that never applies."""
    rng = np.random.default_rng(seed)
    n = 300
    words = sparse.random(n, 400, density=0.02, format="csr", random_state=seed, dtype=np.float32)
    dense = rng.normal(size=(n, 16)).astype(np.float32)
    x = sparse.hstack([words, sparse.csr_matrix(dense)], format="csr")
    truth = rng.normal(size=(x.shape[1], 4))
    y = (x @ truth + rng.normal(scale=0.5, size=(n, 4)) > 0.3).astype(np.int8)
    y[:, 3] = 0
    return x, y


@pytest.mark.parametrize("balanced", [False, True])
def test_the_same_problems_as_liblinear(balanced: bool) -> None:
    x, y = _data(3)
    ours = OneVsRestLogistic(4.0, balanced=balanced).fit(x, y)
    probabilities = ours.predict_proba(x)
    assert probabilities.shape == y.shape
    for label in range(y.shape[1]):
        reference = LogisticRegression(C=4.0, solver="liblinear", tol=1e-8,
                                       class_weight="balanced" if balanced else None)  # fmt: skip
        if y[:, label].any():
            reference.fit(x, y[:, label])
            expected = reference.predict_proba(x)[:, 1]
            np.testing.assert_allclose(ours.coef_[label], reference.coef_[0], atol=2e-3)
            assert abs(ours.intercept_[label] - reference.intercept_[0]) < 2e-3
            np.testing.assert_allclose(probabilities[:, label], expected, atol=1e-3)
            assert ((probabilities[:, label] > 0.5) == y[:, label]).mean() > 0.8  # it learned the rule
        else:  # a label without examples: small probabilities everywhere
            assert probabilities[:, label].max() < 0.05


def test_deterministic_and_independent_of_the_other_labels() -> None:
    """The same input gives the same bytes; a label's fit does not depend on which labels are fitted with it
    (beyond rounding)."""
    x, y = _data(5)
    a = OneVsRestLogistic(10.0).fit(x, y)
    b = OneVsRestLogistic(10.0).fit(x, y)
    assert a.coef_.tobytes() == b.coef_.tobytes() and a.intercept_.tobytes() == b.intercept_.tobytes()
    alone = OneVsRestLogistic(10.0).fit(x, y[:, [1]])
    np.testing.assert_allclose(alone.coef_[0], a.coef_[1], atol=1e-9)
