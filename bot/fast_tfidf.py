"""TfidfVectorizer.transform without scikit-learn's per-call input checks (issue #12).

The same arithmetic as scikit-learn (its own counting, idf and in-place L2 normalisation), without the checks of
the fitted matrix: each asks narwhals whether the matrix is a data frame, which costs more than the arithmetic
for one short message. Bit for bit the same matrix (tests/conversation/test_acts_tfidf.py,
tests/understanding/test_fast_tfidf.py). Used on every turn: the act model, the situation model's features and
the ranker's character n-grams of a situation.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import scipy.sparse as sp


def tfidf(vectorizer: Any, texts: list[str]) -> sp.csr_matrix:
    """vectorizer.transform(texts) of a fitted TfidfVectorizer, as a CSR matrix (scikit-learn's own call when the
    vectorizer is set up in a way this does not cover). scikit-learn is imported here, not with this module: a
    cold `wijkbot ask` imports the modules that use this without loading scikit-learn."""
    import numpy as np
    import scipy.sparse as sp
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.utils.sparsefuncs_fast import inplace_csr_row_normalize_l2

    transformer = getattr(vectorizer, "_tfidf", None)
    if transformer is None or not hasattr(transformer, "idf_") or transformer.norm not in ("l2", None):
        return sp.csr_matrix(vectorizer.transform(texts))
    dtype = (
        vectorizer.dtype if vectorizer.dtype in (np.float32, np.float64) else np.float64
    )  # as validate_data
    matrix = sp.csr_matrix(CountVectorizer.transform(vectorizer, texts), dtype=dtype)
    if transformer.sublinear_tf:
        np.log(matrix.data, matrix.data)
        matrix.data += 1.0
    matrix.data *= transformer.idf_[matrix.indices]
    if transformer.norm == "l2":
        inplace_csr_row_normalize_l2(matrix)
    return matrix
