"""The embeddings' cache during an index build (issue #12): each text of a build is embedded once."""

from __future__ import annotations

import numpy as np

from bot.retrieval.embeddings import EMBEDDING_DIM, USEEmbeddings


class Counting(USEEmbeddings):
    """USEEmbeddings whose forward pass is replaced by a counter (no model needed)."""

    def __init__(self, **kwargs: int) -> None:
        super().__init__(**kwargs)
        self.calls: list[list[str]] = []

    def _encode_uncached(self, texts: list[str]) -> np.ndarray:
        self.calls.append(list(texts))
        return np.full((len(texts), EMBEDDING_DIM), float(len(self.calls)), dtype=np.float32)


def test_remembering_keeps_every_text_of_a_build_then_shrinks_back() -> None:
    embeddings = Counting(cache_size=4)
    texts = [f"vraag {i}" for i in range(10)]
    with embeddings.remembering(100):
        embeddings.encode(texts)
        for text in texts:  # one at a time, as the scope model's searches do
            embeddings.encode_query(text)
        assert embeddings.calls == [texts], "every text embedded once"
    assert len(embeddings._cache) == 4
    embeddings.encode(texts[:6])  # the cache is back to its usual size: the oldest are gone
    assert embeddings.calls[1] == texts[:6]


def test_chroma_documents_go_through_the_cache() -> None:
    embeddings = Counting()
    first = embeddings.embed_documents(["a", "b", "a"])
    embeddings.encode(["b"])
    assert embeddings.calls == [["a", "b"]]
    assert first[0] == first[2] and len(first[0]) == EMBEDDING_DIM


class BatchDependent(Counting):
    """A forward pass whose vectors depend on the whole list of texts (as USE's do in the last bits)."""

    def _encode_uncached(self, texts: list[str]) -> np.ndarray:
        self.calls.append(list(texts))
        seed = sum(ord(c) for c in "|".join(texts))
        return np.stack([np.full(EMBEDDING_DIM, seed + i, dtype=np.float32) for i in range(len(texts))])


def test_rehearsed_calls_give_the_vectors_of_the_calls_themselves() -> None:
    calls = [
        ["a", "b", "c"],
        ["b", "d"],
        ["e", "f", "a"],
        ["g", "g", "h"],
        ["h", "g"],
        ["c", "i"],
        ["a", "k"],
    ]
    plain, rehearsed = BatchDependent(cache_size=4), BatchDependent(cache_size=4)
    for warm in (plain, rehearsed):  # the same recent texts before (a cache hit changes the uncached list)
        warm.encode(["x", "a"])
        warm.calls.clear()
    added = rehearsed.rehearse(calls)
    assert len(rehearsed.calls) == len(added) == 6  # ["h", "g"]: both still cached then
    for texts in calls:
        assert np.array_equal(plain.encode(texts), rehearsed.encode(texts)), texts
    assert plain.calls == rehearsed.calls, "the same lists embedded, each once: nothing embedded again"
    assert list(rehearsed._cache) == list(plain._cache)
    # a call that was not rehearsed is embedded as usual; forget_expected drops what is left
    assert np.array_equal(plain.encode(["z", "y"]), rehearsed.encode(["z", "y"]))
    rehearsed.forget_expected(added)
    assert rehearsed._expected == []


def test_a_call_that_differs_from_the_rehearsal_is_embedded_as_usual() -> None:
    plain, rehearsed = BatchDependent(cache_size=8), BatchDependent(cache_size=8)
    rehearsed.rehearse([["a", "b"], ["c", "d"]])
    for texts in (["a", "x"], ["c", "d"], ["a", "b"]):  # the first differs: the second's uncached list too
        assert np.array_equal(plain.encode(texts), rehearsed.encode(texts)), texts
