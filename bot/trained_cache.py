"""Models trained from the files in knowledge/, kept in the data directory between starts (issue #12).

The dialogue-act model and the partner-kind model were trained at every start of the engine worker (about 6 s and
50-60 MB above the worker's size after start-up). `wijkbot index` now trains them once and writes them here; a
start loads them. A cached model is keyed by everything it is made from: its training data (as the caller passes
it), the package version, the versions of scikit-learn, SciPy and NumPy, and the source code of the modules that
define it. A change to any of them gives a new key, so a stale model is never read: it is trained again (and
the older files of that model are removed). The files are our own pickles, in our own data directory, and
never in git.
"""

from __future__ import annotations

import hashlib
import importlib
import logging
import os
import pickle
import tempfile
from collections.abc import Callable, Iterable
from importlib import metadata
from pathlib import Path
from typing import TypeVar

logger = logging.getLogger(__name__)
T = TypeVar("T")
KEEP = 2  # files kept per model name (the current one and one before)
LIBRARIES = ("wijkbot", "scikit-learn", "scipy", "numpy")


def _versions() -> str:
    out = []
    for name in LIBRARIES:
        try:
            out.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            out.append(f"{name}=?")
    return ";".join(out)


def _source(module: str) -> bytes:
    path = getattr(importlib.import_module(module), "__file__", None)
    return Path(path).read_bytes() if path else module.encode()


def cache_key(name: str, inputs: Iterable[str], modules: Iterable[str]) -> str:
    """Hex digest of the model's name, training inputs, library versions and defining source code."""
    digest = hashlib.sha256()
    for part in (name, _versions(), *inputs):
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    for module in modules:
        digest.update(_source(module))
        digest.update(b"\0")
    return digest.hexdigest()


def cache_path(cache_dir: Path, name: str, key: str) -> Path:
    return cache_dir / f"{name}-{key[:20]}.pkl"


def load_or_train(cache_dir: Path | None, name: str, inputs: Iterable[str], train: Callable[[], T], *,
                  kind: type, modules: Iterable[str] = (), progress: Callable[[str], None] | None = None,
                  announce: str = "") -> T:  # fmt: skip
    """The model cached under this key, or `train()` (then written for the next start). `kind`: the type the
    file must hold (anything else, or a damaged file, is trained again). Without cache_dir: always trains.
    `announce`: a line for the user (Dutch), given to `progress` when a cached model is missing or stale."""
    if cache_dir is None:
        return train()
    path = cache_path(cache_dir, name, cache_key(name, inputs, modules))
    cached = read_model(path, kind)
    if cached is not None:
        return cached  # type: ignore[return-value]
    if progress is not None and announce:
        progress(announce)
    model = train()
    write_model(path, model, name)
    return model


def read_model(path: Path, kind: type) -> object | None:
    """The pickled model at `path` when it is a `kind`; None when missing, damaged or of another type."""
    try:
        with path.open("rb") as handle:
            model = pickle.load(handle)  # noqa: S301 - our own file in our own data directory
    except FileNotFoundError:
        return None
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError) as exc:
        logger.warning("cached model %s not readable (%s); training it again", path.name, type(exc).__name__)
        return None
    return model if isinstance(model, kind) else None


def write_model(path: Path, model: object, name: str, *, keep: int = KEEP) -> None:
    """Write atomically (temporary file, then rename); keep the `keep` newest files of this model name."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{name}-", suffix=".pkl")
        try:
            with os.fdopen(handle, "wb") as out:
                pickle.dump(model, out, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        finally:
            Path(tmp).unlink(missing_ok=True)  # left only when writing failed
        older = sorted(path.parent.glob(f"{name}-*.pkl"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in older[keep:]:
            old.unlink(missing_ok=True)
    except (OSError, pickle.PicklingError, TypeError, AttributeError) as exc:
        logger.warning("model %s not cached: %s", name, type(exc).__name__)
