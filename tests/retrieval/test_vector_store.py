"""USE vectors kept per forward pass in the data dir during `wijkbot index` (bot.retrieval.vector_store)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import numpy as np
import pytest

from bot.retrieval import vector_store
from bot.retrieval.embeddings import EMBEDDING_DIM, USEEmbeddings
from bot.retrieval.vector_store import VectorStore, call_key, storing


class Forward(USEEmbeddings):
    """USEEmbeddings whose forward pass (not the store around it) is a fake whose vectors depend on the whole
    call, as USE's do in their last bits."""

    def __init__(self, **kwargs: int) -> None:
        super().__init__(**kwargs)
        self.calls: list[list[str]] = []

    def _forward(self, texts: list[str]) -> np.ndarray:
        self.calls.append(list(texts))
        seed = sum(ord(c) for c in "|".join(texts)) + 1000 * len(self.calls)  # differs per call made
        return np.stack([np.full(EMBEDDING_DIM, seed + i, dtype=np.float32) for i in range(len(texts))])


def test_a_second_build_reads_the_vectors_of_the_same_calls(tmp_path: Path) -> None:
    calls = [["mw 81 valt vaak", "schulden"], ["jongen 16 gamet veel"], ["schulden", "dhr wdw"]]
    with storing(tmp_path, 1):
        first = Forward(cache_size=0)
        made = [first.encode(c) for c in calls]
    assert len(first.calls) == 3
    with storing(tmp_path, 1):
        second = Forward(cache_size=0)
        read = [second.encode(c) for c in calls]
        other = second.encode(["schulden", "mw 81 valt vaak"])  # another call (order): embedded, not read
    assert second.calls == [["schulden", "mw 81 valt vaak"]]
    for a, b in zip(made, read, strict=True):
        assert a.tobytes() == b.tobytes()
    assert other[0].tobytes() != made[0][1].tobytes()


def test_nothing_is_kept_outside_an_index_build(tmp_path: Path) -> None:
    encoder = Forward(cache_size=0)
    encoder.encode(["wat een gebruiker typt"])
    encoder.encode(["wat een gebruiker typt"])
    assert len(encoder.calls) == 2
    assert not list(tmp_path.iterdir())


def test_other_thread_counts_do_not_share_vectors(tmp_path: Path) -> None:
    with storing(tmp_path, 1):
        Forward(cache_size=0, threads=1).encode(["a"])
        two = Forward(cache_size=0, threads=2)
        two.encode(["a"])
    assert two.calls == [["a"]]


def test_an_unreadable_file_is_embedded_again(tmp_path: Path) -> None:
    with storing(tmp_path, 1) as store:
        Forward(cache_size=0).encode(["a", "b"])
        path = store._path(call_key(["a", "b"]))
        path.write_bytes(b"kapot")
        again = Forward(cache_size=0)
        vectors = again.encode(["a", "b"])
        assert again.calls == [["a", "b"]] and vectors.shape == (2, EMBEDDING_DIM)
        np.save(path, np.zeros((3, EMBEDDING_DIM), dtype=np.float32))  # the wrong shape
        third = Forward(cache_size=0)
        third.encode(["a", "b"])
        assert third.calls == [["a", "b"]]


def test_call_keys_keep_text_boundaries() -> None:
    assert call_key(["ab", "c"]) != call_key(["a", "bc"])
    assert call_key(["a"]) != call_key(["a", ""])


def test_prune_keeps_what_the_build_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(vector_store, "MIN_KEEP_BYTES", 0)
    store = VectorStore(tmp_path / "use-vectors-x", 1)
    stale = tmp_path / "use-vectors-old"
    stale.mkdir()
    vectors = np.zeros((1, EMBEDDING_DIM), dtype=np.float32)
    for i in range(6):
        store.put([f"oud {i}"], vectors)
    old = time.time() - 3600
    for path in store.folder.glob("*/*.npy"):
        os.utime(path, (old, old))
    since = time.time() - 1
    store.put(["nieuw"], vectors)
    assert store.get(["oud 0"]) is not None  # read by this build: kept too
    store.prune(used_since=since)
    left = {p.name for p in store.folder.glob("*/*.npy")}
    assert f"{call_key(['nieuw'])}.npy" in left and f"{call_key(['oud 0'])}.npy" in left
    assert len(left) == 4  # used 2 files: KEEP_FACTOR x 2 files kept, the oldest others removed
    assert not stale.exists()


def test_stored_vectors_are_the_bits_of_a_fresh_forward_pass(tmp_path: Path, use_embeddings) -> None:  # type: ignore[no-untyped-def]
    texts = ["mw 79 net thuis na heupoperatie", "koelkast is leeg", "zoon van 16 gamet veel"]
    with storing(tmp_path, use_embeddings.threads):
        use_embeddings._encode_uncached(texts)
        encoder = USEEmbeddings(threads=use_embeddings.threads, cache_size=0)
        encoder._model = use_embeddings._load()
        encoder._forward = None  # type: ignore[assignment,method-assign] # must be read, not embedded
        read = encoder._encode_uncached(texts)
    assert read.tobytes() == use_embeddings._forward(texts).tobytes()


class Pure(Forward):
    """A fake forward pass whose vectors depend on the call's texts only (the same call, the same vectors)."""

    def _forward(self, texts: list[str]) -> np.ndarray:
        self.calls.append(list(texts))
        seed = sum(ord(c) * (i + 1) for i, c in enumerate("|".join(texts)))
        return np.stack([np.full(EMBEDDING_DIM, seed + i, dtype=np.float32) for i in range(len(texts))])


def test_calls_made_aside_in_a_fork_give_the_vectors_made_here() -> None:
    calls = [[f"tekst {i}", f"tekst {i + 1}"] for i in range(0, 12, 2)] + [["tekst 0", "nieuw"]]
    here = Pure(cache_size=64)
    expected = [here.encode(c) for c in calls]
    helped = Pure(cache_size=64)
    plan = helped.plan(calls)
    assert plan[-1] == ["nieuw"]  # "tekst 0" is in the cache by then
    added = helped.aside(plan[3:])
    got = [helped.encode(c) for c in calls]
    helped.forget_expected(added)
    assert helped.calls == calls[:3], "the later calls were made in the fork"
    for a, b in zip(expected, got, strict=True):
        assert a.tobytes() == b.tobytes()


def test_a_fork_that_is_gone_leaves_the_calls_to_this_process() -> None:
    calls = [["a", "b"], ["c"]]
    encoder = Pure(cache_size=0)
    added = encoder.aside(encoder.plan(calls))
    for item in added:
        if hasattr(item, "close"):
            item.close()  # the helper is ended before its vectors are read
    vectors = encoder.encode(calls[0])
    assert encoder.calls == [["a", "b"]] and vectors.shape == (2, EMBEDDING_DIM)


def test_examples_embedded_half_aside_are_the_bits_of_one_process(use_embeddings) -> None:  # type: ignore[no-untyped-def]
    from bot.understanding.classifier import Example
    from bot.understanding.training import encode, examples_aside

    texts = [
        f"mw {60 + i} woont alleen, {'schulden' if i % 3 else 'valt vaak'} en {i} dagen geen eten"
        for i in range(150)
    ]
    examples = [Example(t, (), "geen", None) for t in texts]
    alone = USEEmbeddings(threads=use_embeddings.threads, cache_size=512)
    alone._model = use_embeddings._load()
    helped = USEEmbeddings(threads=use_embeddings.threads, cache_size=512)
    helped._model = use_embeddings._load()
    added = examples_aside(helped, examples)
    assert added, "a helper was started"
    together = encode(helped, texts)
    helped.forget_expected(added)
    assert together.tobytes() == encode(alone, texts).tobytes()
