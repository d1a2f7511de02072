"""Native thread pools (OpenBLAS, OpenMP, MKL) limited before numpy loads, at every entry point.

On a shared 2-core machine the default of one spinning BLAS thread per core fights the event loop and
other processes (issue #12). `limit_native_threads()` runs when the `bot` package is imported, so the CLI,
the bot, the web app, the tests and the bench scripts all get it before numpy is imported. It only sets
defaults: an operator's own OPENBLAS_NUM_THREADS (etc.) wins. WIJKBOT_THREADS (default 1) sets them all.
"""

from __future__ import annotations

import os
from typing import Any

THREADS_ENV = "WIJKBOT_THREADS"
DEFAULT_THREADS = 1
_POOL_VARIABLES = (
    "OPENBLAS_NUM_THREADS",
    "OMP_NUM_THREADS",
    "MKL_NUM_THREADS",
    "BLIS_NUM_THREADS",
    "VECLIB_MAXIMUM_THREADS",
    "NUMEXPR_NUM_THREADS",
)


def configured_threads(environ: dict[str, str] | None = None) -> int:
    """The number of native threads per pool: WIJKBOT_THREADS, or 1 when unset or invalid."""
    raw = (environ if environ is not None else os.environ).get(THREADS_ENV, "").strip()
    try:
        value = int(raw)
    except ValueError:
        return DEFAULT_THREADS
    return value if value >= 1 else DEFAULT_THREADS


def limit_native_threads(threads: int | None = None) -> int:
    """Set the pool sizes as environment defaults and, for pools already loaded, through threadpoolctl."""
    count = threads if threads is not None else configured_threads()
    for name in _POOL_VARIABLES:
        if threads is not None:
            os.environ[name] = str(count)
        else:
            os.environ.setdefault(name, str(count))
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - threadpoolctl is a dependency
        return count
    threadpool_limits(limits=count)
    return count


def pool_summary() -> list[dict[str, Any]]:
    """The loaded native thread pools (after numpy is imported), as threadpoolctl reports them."""
    import numpy  # noqa: F401  - load the BLAS that numpy links
    from threadpoolctl import threadpool_info

    return [
        {"api": p.get("user_api"), "library": p.get("internal_api"), "threads": p.get("num_threads")}
        for p in threadpool_info()
    ]


def use_threads(threads: int | None) -> str:
    """For bench scripts' --threads: apply it (None keeps WIJKBOT_THREADS) and describe the pools in use."""
    if threads is not None:
        os.environ[THREADS_ENV] = str(threads)  # read again by USEEmbeddings for its per-call limit
    count = limit_native_threads(threads)
    pools = ", ".join(f"{p['library']} ({p['api']}) {p['threads']}" for p in pool_summary()) or "none loaded"
    return f"threads: WIJKBOT_THREADS={count}; native pools in use: {pools}; {os.cpu_count()} CPU(s)"
