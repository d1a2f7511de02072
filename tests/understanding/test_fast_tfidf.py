"""The situation model's features through bot.fast_tfidf are scikit-learn's TfidfVectorizer.transform, bit for
bit (float32 vectorizers, min_df, one text at a time as a turn reads it, and a batch) (perf18)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import scipy.sparse as sp

from bot.fast_tfidf import tfidf
from bot.understanding.constants import Constants
from bot.understanding.corpus import load_corpus_file
from bot.understanding.features import Featurizer
from bot.understanding.taxonomy import load_taxonomy

ROOT = Path(__file__).resolve().parents[2]
UNSEEN = ["", "clt heeft schulden", "zoon van 16 gamet veel", "Mevr. (81) wdw, valt vaak!!", "😀 xyz qqq"]


def _same(got: sp.csr_matrix, expected: sp.csr_matrix) -> None:
    expected = sp.csr_matrix(expected)
    assert got.format == "csr" and got.dtype == expected.dtype and got.shape == expected.shape
    for name in ("indptr", "indices", "data"):
        assert np.array_equal(getattr(got, name), getattr(expected, name)), name


def test_the_featurizer_reads_texts_as_scikit_learn_does() -> None:
    taxonomy = load_taxonomy(ROOT / "knowledge" / "levensgebieden.yaml")
    path = sorted((ROOT / "knowledge" / "situaties").glob("train_*.yaml"))[0]
    texts = [i.text for i in load_corpus_file(path, taxonomy)][:300]
    featurizer = Featurizer(Constants(), ["a", "b"]).fit(texts)
    assert featurizer.char.dtype == np.float32  # the case the act model's tests do not cover
    for vectorizer in (featurizer.char, featurizer.word):
        for batch in ([t] for t in texts[:20] + UNSEEN):
            _same(tfidf(vectorizer, batch), vectorizer.transform(batch))
        _same(tfidf(vectorizer, texts[:50] + UNSEEN), vectorizer.transform(texts[:50] + UNSEEN))
    rng = np.random.default_rng(1)
    dense, hits = (
        rng.random((len(UNSEEN), 4), dtype=np.float32),
        rng.random((len(UNSEEN), 2), dtype=np.float32),
    )
    plain = (featurizer.char.transform(UNSEEN), featurizer.word.transform(UNSEEN))
    _same(featurizer.transform(UNSEEN, dense, hits),
          sp.hstack(featurizer.blocks(UNSEEN, dense, hits, tfidf=plain), format="csr"))  # fmt: skip
