"""USE vectors of index-time forward passes kept in the data directory, one file per call (issue #12, #7).

A USE forward pass gives a text a vector that depends in its last bits on the other texts of the same call (the
numpy backend packs a call's tokens into one matrix), so a vector is kept under the whole call: the key is the
list of texts of one forward pass, together with the model files, numpy, the BLAS library and the thread count.
A later build that makes the same call (the same training texts in the same chunks) reads the vectors that call
made, bit for bit, so the trained models are the same as without the store; a call that differs is embedded as
usual. Only `wijkbot index` turns the store on (`storing`), for the knowledge files' texts: never for what users
type, which is not written anywhere.

Files are written to a temporary name and renamed, so forked helpers of a build (the situation training, the
question helper) share one folder safely. A file that does not read back as the right shape is embedded again.
`prune` keeps what the last build used and removes the least recently used rest above a size bound.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import shutil
import tempfile
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np

logger = logging.getLogger(__name__)

PREFIX = "use-vectors-"
DIM = 512
MIN_KEEP_BYTES = 64 * 1024 * 1024  # the store may hold this much besides what the last build used
KEEP_FACTOR = 2  # ... or this many times what it used, whichever is more


def _blas_tag() -> str:
    try:
        from threadpoolctl import threadpool_info

        pools = [(p.get("internal_api"), p.get("version"), p.get("architecture")) for p in threadpool_info()
                 if p.get("user_api") == "blas"]  # fmt: skip
    except Exception:  # noqa: BLE001 - no threadpoolctl: numpy's own version still keys the store
        pools = []
    return repr(sorted(pools, key=repr))


def store_tag(threads: int) -> str:
    """What a forward pass's bits depend on besides its texts: the package and its model files (the tokenizer
    and weights caches are named by the same tag), numpy, the BLAS library and its thread count."""
    from bot.retrieval.model_cache import _version_tag

    raw = f"{_version_tag()}|numpy {np.__version__}|{_blas_tag()}|threads {threads}"
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:16]


def call_key(texts: Sequence[str]) -> str:
    """The key of one forward pass: its texts, in order, each with its length (no separator can collide)."""
    digest = hashlib.sha256()
    for text in texts:
        data = text.encode("utf-8", "surrogatepass")
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    return digest.hexdigest()[:40]


class VectorStore:
    """The vectors of whole forward-pass calls in a folder of the data directory (see the module docstring)."""

    def __init__(self, folder: Path, threads: int) -> None:
        self.folder = folder
        self.threads = threads
        self.hits = 0
        self.misses = 0
        self._lock = threading.Lock()

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.npy"

    def get(self, texts: Sequence[str]) -> np.ndarray | None:
        """The vectors this exact call made before, or None."""
        path = self._path(call_key(texts))
        try:
            vectors = np.load(path, allow_pickle=False)
        except (OSError, ValueError, EOFError):
            with self._lock:
                self.misses += 1
            return None
        if vectors.dtype != np.float32 or vectors.shape != (len(texts), DIM):
            with self._lock:
                self.misses += 1
            return None
        with contextlib.suppress(OSError):
            os.utime(path)  # used by this build: prune keeps it
        with self._lock:
            self.hits += 1
        return vectors

    def put(self, texts: Sequence[str], vectors: np.ndarray) -> None:
        """Keep the vectors of this call (a read-only or full data dir just does not keep them)."""
        vectors = np.asarray(vectors)
        if vectors.dtype != np.float32 or vectors.shape != (len(texts), DIM) or not texts:
            return
        path = self._path(call_key(texts))
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, staging = tempfile.mkstemp(dir=path.parent, prefix=".v-", suffix=".npy")
            try:
                with os.fdopen(handle, "wb") as out:
                    np.save(out, vectors, allow_pickle=False)
                os.replace(staging, path)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(staging)
                raise
        except OSError as exc:
            logger.debug("vector store not written (%s)", type(exc).__name__)

    def prune(self, used_since: float) -> None:
        """Remove the files of other tags, and of this tag the least recently used files not used since
        `used_since` (a time.time()) while the folder holds more than max(KEEP_FACTOR x used, MIN_KEEP_BYTES)."""
        for other in self.folder.parent.glob(f"{PREFIX}*"):
            if other.is_dir() and other.name != self.folder.name:
                shutil.rmtree(other, ignore_errors=True)
        files: list[tuple[float, int, Path]] = []
        for path in self.folder.glob("*/*.npy"):
            with contextlib.suppress(OSError):
                stat = path.stat()
                files.append((stat.st_mtime, stat.st_size, path))
        used = sum(size for mtime, size, _ in files if mtime >= used_since)
        if not used:  # this run embedded nothing (everything was current): nothing to judge by
            return
        total = sum(size for _, size, _ in files)
        bound = max(KEEP_FACTOR * used, MIN_KEEP_BYTES)
        for mtime, size, path in sorted(files, key=lambda f: f[0]):
            if total <= bound or mtime >= used_since:
                break
            with contextlib.suppress(OSError):
                path.unlink()
                total -= size
        for stale in self.folder.glob("*/.v-*"):  # staging files of a killed build
            with contextlib.suppress(OSError):
                stale.unlink()


_ACTIVE: VectorStore | None = None


def active(threads: int) -> VectorStore | None:
    """The store of this process (and of its forked helpers), if it is keyed for `threads` BLAS threads."""
    store = _ACTIVE
    return store if store is not None and store.threads == threads else None


def folder_for(data_dir: Path, threads: int) -> Path:
    return data_dir / f"{PREFIX}{store_tag(threads)}"


@contextlib.contextmanager
def storing(data_dir: Path, threads: int) -> Iterator[VectorStore]:
    """Within: USE forward passes of this process and its forked helpers (with `threads` BLAS threads) are kept
    in, and read from, the store under data_dir (bot.retrieval.embeddings). For `wijkbot index` only."""
    global _ACTIVE
    previous = _ACTIVE
    store = VectorStore(folder_for(data_dir, threads), threads)
    _ACTIVE = store
    try:
        yield store
    finally:
        _ACTIVE = previous


def current() -> tuple[Path, int] | None:
    """The active store's folder and threads (for a spawned helper, which gets them as arguments)."""
    return (_ACTIVE.folder, _ACTIVE.threads) if _ACTIVE is not None else None


def activate(where: tuple[Path, int] | None) -> None:
    """In a spawned helper: use the parent's store."""
    global _ACTIVE
    if where is not None:
        _ACTIVE = VectorStore(Path(where[0]), int(where[1]))
