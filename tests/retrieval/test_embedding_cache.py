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
