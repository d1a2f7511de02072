"""Is the danger of an acute situation happening NOW, or was it told or found afterwards? Learned from examples.

The first safety partner of an acute case depends on that: violence going on, a man with a knife at the door, pills
just taken ask for 112 first; a child who tells the teacher about last night, bruises seen on a visit, an older woman
who says her son took her money ask for Veilig Thuis, the huisarts(enpost) or the crisis service first, while still
acute. The blind writers of round 12 (knowledge/eerste_partner_moment.yaml, writers eerste_c and eerste_d) labelled
every acute situation with `moment: nu | achteraf`. A logistic regression on word 1-2-grams of the text as the models
read it (the time words: 'nu', 'net', 'staat voor de deur', 'gisteren', 'vorige week', 'vertelt') and the sentence
vector gives P(nu). The first-kind choice (first_kinds.FirstChoice) reads that probability as a feature and, with a
gate, puts 112 first only when P(nu) reaches it.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

NOW, AFTER = "nu", "achteraf"
MOMENTS = (NOW, AFTER)
# round 16: the same head on the `medisch: ja | nee` labels (is there a bodily emergency too: hurt, limp, pills taken)
MEDICAL, NOT_MEDICAL = "ja", "nee"


class MomentHead:
    """P(the danger is happening now | text, sentence vector)."""

    def __init__(self, *, c: float = 1.0, vector_weight: float = 1.0, chars: bool = False,
                 positive: str = NOW) -> None:  # fmt: skip
        self.c = c
        # the label whose probability p_now gives (NOW; MEDICAL for the medical head)
        self.positive = positive
        self.vector_weight = vector_weight  # 0: words only
        self.chars = chars  # also character 2-4-grams within words (typos, 'nuu', 'vanacht')
        self.words: TfidfVectorizer | None = None
        self.char: TfidfVectorizer | None = None
        self.model: LogisticRegression | None = None

    def _x(self, vectors: np.ndarray, texts: Sequence[str]) -> sparse.csr_matrix:
        assert self.words is not None
        parts = [self.words.transform(list(texts))]
        if self.char is not None:
            parts.append(self.char.transform(list(texts)))
        if self.vector_weight > 0:
            parts.append(sparse.csr_matrix(self.vector_weight * np.atleast_2d(vectors).astype(np.float64)))
        return sparse.hstack(parts, format="csr")

    def fit(self, vectors: np.ndarray, texts: Sequence[str], moments: Sequence[str]) -> MomentHead:
        self.words = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True, dtype=np.float64)
        self.words.fit(list(texts))
        if self.chars:
            self.char = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), min_df=2, sublinear_tf=True,
                                        dtype=np.float64)  # fmt: skip
            self.char.fit(list(texts))
        y = np.array([m == self.positive for m in moments])
        self.model = LogisticRegression(C=self.c, class_weight="balanced", max_iter=2000)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            self.model.fit(self._x(vectors, texts), y)
        return self

    def p_now(self, vectors: np.ndarray, texts: Sequence[str]) -> np.ndarray:
        """P(nu) (P(positive)) per row (0.5 for every row when not fitted)."""
        if self.model is None:
            return np.full(len(texts), 0.5)
        return self.model.predict_proba(self._x(vectors, texts))[:, 1]


def cross_fitted(vectors: np.ndarray, texts: Sequence[str], moments: Sequence[str], groups: Sequence[str], *,
                 c: float = 1.0, vector_weight: float = 1.0,
                 chars: bool = False, labels: Sequence[str] = MOMENTS,
                 positive: str = NOW) -> tuple[MomentHead | None, np.ndarray]:  # fmt: skip
    """A head fitted on every labelled row (moments '' = unlabelled), and P(nu) for EVERY row: for a labelled row
    from a head fitted without its group (writer), for the others from the full head. So a model that reads P(nu) as
    a feature learns how far it can trust it on text it has not seen, not the near-certain P(nu) of its own rows.
    labels / positive: the medical head passes (MEDICAL, NOT_MEDICAL) / MEDICAL and the `medisch` labels as moments."""
    labelled = [i for i, m in enumerate(moments) if m in labels]
    out = np.full(len(texts), 0.5)
    if len({moments[i] for i in labelled}) < 2:
        return None, out

    def head() -> MomentHead:
        return MomentHead(c=c, vector_weight=vector_weight, chars=chars, positive=positive)

    full = head().fit(vectors[labelled], [texts[i] for i in labelled], [moments[i] for i in labelled])
    is_labelled = set(labelled)
    rest = [i for i in range(len(texts)) if i not in is_labelled]
    if rest:
        out[rest] = full.p_now(vectors[rest], [texts[i] for i in rest])
    names = sorted({groups[i] for i in labelled})
    for name in names:
        inside = [i for i in labelled if groups[i] == name]
        train = [i for i in labelled if groups[i] != name]
        if len(names) < 2 or len({moments[i] for i in train}) < 2:
            out[inside] = full.p_now(vectors[inside], [texts[i] for i in inside])
            continue
        fold = head().fit(vectors[train], [texts[i] for i in train], [moments[i] for i in train])
        out[inside] = fold.p_now(vectors[inside], [texts[i] for i in inside])
    return full, out
