"""Embedding a long list of texts in a second process, so a big job (a 10,000-service kaart import) uses both cores.

The process loads the same model files from the data directory (cached tokenizer and weights) and makes the same
forward-pass calls as `bot.understanding.training.encode` would here (chunks of the same size, each chunk's
distinct texts in one call), so the vectors are the same. Only used for long lists, with two or more CPUs and a
model cache on disk; otherwise the caller embeds in-process as before.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # numpy loads in the child only after its thread limits are set
    from concurrent.futures import Future

    import numpy as np

logger = logging.getLogger(__name__)
MIN_TEXTS = 1000  # below this, starting a process (about a second) costs more than it saves


def encode_in_process(embeddings: Any, texts: list[str], *, batch: int) -> Future[np.ndarray] | None:
    """Start embedding `texts` (in chunks of `batch`) in a new process; None when that does not pay or cannot
    give the same vectors (not a USE model with a cache directory, fewer than two CPUs, a short list)."""
    if len(texts) < MIN_TEXTS:
        return None
    futures = encode_jobs_in_process(embeddings, [(texts, batch)])
    return futures[0] if futures else None


def encode_jobs_in_process(
    embeddings: Any, jobs: Sequence[tuple[list[str], int]]
) -> list[Future[np.ndarray]] | None:
    """Start the jobs (texts, chunk size) one after the other in one new process; None when it cannot give the
    same vectors (not a USE model with a cache directory, fewer than two CPUs, inside a helper)."""
    from bot.retrieval.embeddings import USEEmbeddings

    if not isinstance(embeddings, USEEmbeddings) or embeddings.cache_dir is None:
        return None
    if (os.cpu_count() or 1) < 2 or _Helper.inside:
        return None  # a helper never starts helpers of its own
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from bot.lifetime import exit_with_parent

    embeddings.prepare_cache()  # the child reads the tokenizer and weights the parent wrote
    try:
        # the helper ends with this process (bot.lifetime): a killed build leaves no helper embedding for nobody
        pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=exit_with_parent, initargs=(os.getpid(),))  # fmt: skip
    except (
        OSError,
        ValueError,
        AssertionError,
    ) as exc:  # no processes here (a daemonic process, no semaphores)
        logger.info("no helper process for embedding (%s); embedding here", type(exc).__name__)
        return None
    try:
        from bot.retrieval.vector_store import current

        cache_dir, store = str(embeddings.cache_dir), current()
        return [
            pool.submit(_encode, cache_dir, embeddings.threads, texts, batch, store) for texts, batch in jobs
        ]
    except (OSError, RuntimeError, AssertionError) as exc:
        logger.info("no helper process for embedding (%s); embedding here", type(exc).__name__)
        return None
    finally:
        pool.shutdown(wait=False)  # the process exits once its tasks are done


def spread(embeddings: Any) -> contextlib.AbstractContextManager[Any]:
    """embeddings.spread() where the encoder has it (USEEmbeddings), else nothing."""
    method = getattr(embeddings, "spread", None)
    return method() if method is not None else contextlib.nullcontext()


def result_or_none(pending: Future[np.ndarray] | None) -> np.ndarray | None:
    """The other process's vectors; None (embed in this process instead) when there is none or it failed."""
    if pending is None:
        return None
    try:
        return pending.result()
    except Exception as exc:  # noqa: BLE001 - a lost helper process only costs time
        logger.warning("embedding in a second process failed (%s); embedding here", type(exc).__name__)
        return None


class _Helper:
    inside = False  # True in a helper process


def _encode(
    cache_dir: str, threads: int, texts: list[str], batch: int, store: tuple[Path, int] | None = None
) -> np.ndarray:
    """In the child: the same model, the same chunks, the same calls (and the parent's vector store, if any)."""
    from bot.threads import limit_native_threads

    _Helper.inside = True
    limit_native_threads(threads)  # before numpy's BLAS starts its threads

    from bot.retrieval import vector_store
    from bot.retrieval.embeddings import USEEmbeddings

    vector_store.activate(store)

    return encode_chunks(USEEmbeddings(threads=threads, cache_dir=Path(cache_dir)), texts, batch)


def encode_chunks(encoder: Any, texts: list[str], batch: int) -> np.ndarray:
    """`texts` embedded by a fresh encoder (nothing cached) in calls of `batch` texts, as the caller makes them."""
    import numpy as np

    parts = [
        np.asarray(encoder.encode(texts[i : i + batch]), dtype=np.float32)
        for i in range(0, len(texts), batch)
    ]
    return np.vstack(parts) if parts else np.zeros((0, 512), dtype=np.float32)
