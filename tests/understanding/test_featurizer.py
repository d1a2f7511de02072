"""The featurizer fitted and applied in one pass (training) gives what fit then transform gives, bit for bit."""

from __future__ import annotations

import pickle
from pathlib import Path

import numpy as np

from bot.understanding.constants import Constants
from bot.understanding.corpus import load_corpus_file
from bot.understanding.features import Featurizer
from bot.understanding.taxonomy import load_taxonomy

ROOT = Path(__file__).resolve().parents[2]


def _state(vectorizer: object) -> bytes:
    state = dict(vars(vectorizer))
    # an id() of the stop-word list: differs between two fits of the same data
    state.pop("_stop_words_id", None)
    return pickle.dumps(sorted(state.items(), key=lambda kv: kv[0]))


def test_fit_transform_is_fit_then_transform() -> None:
    taxonomy = load_taxonomy(ROOT / "knowledge" / "levensgebieden.yaml")
    path = sorted((ROOT / "knowledge" / "situaties").glob("train_*.yaml"))[0]
    texts = [i.text for i in load_corpus_file(path, taxonomy)][:400] + ["", "mw 81 wdw"]
    rng = np.random.default_rng(0)
    dense, hits = rng.random((len(texts), 8), dtype=np.float32), rng.random((len(texts), 3), dtype=np.float32)
    columns = ["a", "b", "c"]
    one, two = Featurizer(Constants(), columns), Featurizer(Constants(), columns)
    fused = one.fit_transform(texts, dense, hits)
    apart = two.fit(texts).transform(texts, dense, hits)
    assert fused.dtype == apart.dtype and fused.shape == apart.shape
    for name in ("indptr", "indices", "data"):
        assert np.array_equal(getattr(fused, name), getattr(apart, name)), name
    assert _state(one.char) == _state(two.char)
    assert _state(one.word) == _state(two.word)
    new = ["clt heeft schulden", "zoon van 16 gamet veel"]
    assert (one.transform(new, dense[:2], hits[:2]) != two.transform(new, dense[:2], hits[:2])).nnz == 0
