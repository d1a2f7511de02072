"""Forward passes in a forked copy of this process (USEEmbeddings.aside): the situation training at index time
embeds half of its examples on the other core (issue #7, #12).

The child is a fork, so it has the model loaded and makes the very calls this process would make, in the same
order (`_encode_uncached`, with the vector store of an index build when there is one); it sends each call's vectors
as soon as they are made, so this process can use the first ones while the child works on. It ends with this
process (bot.lifetime), and a failed or lost child only means the calls are made here after all.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import sys
import threading
from typing import Any

import numpy as np

logger = logging.getLogger(__name__)


def forward_in_fork(encoder: Any, lists: list[list[str]]) -> Pending | None:
    """Fork a child that makes the forward passes of `lists` one after the other; None where it cannot."""
    if sys.platform != "linux" or (os.cpu_count() or 1) < 2 or not lists:
        return None
    import multiprocessing

    receive, send = multiprocessing.Pipe(duplex=False)
    parent = os.getpid()
    try:
        pid = os.fork()
    except OSError as exc:
        logger.info("no forked helper for embedding (%s); embedding here", type(exc).__name__)
        receive.close()
        send.close()
        return None
    if pid == 0:  # the child: no return from here
        code = 0
        try:
            receive.close()
            from bot.lifetime import exit_with_parent

            exit_with_parent(parent)
            for texts in lists:
                send.send(np.ascontiguousarray(encoder._encode_uncached(texts), dtype=np.float32))
        except BaseException:  # noqa: BLE001 - the parent sees the pipe close and embeds the rest itself
            code = 1
        finally:
            with contextlib.suppress(BaseException):
                send.close()
            os._exit(code)
    send.close()
    return Pending(receive, pid, len(lists))


class Pending:
    """The child's results, received in order as they are asked for."""

    def __init__(self, receive: Any, pid: int, count: int) -> None:
        self._receive = receive
        self._pid = pid
        self._count = count
        self._results: list[np.ndarray] = []
        self._failed = False
        self._lock = threading.Lock()

    def part(self, index: int) -> _Part:
        return _Part(self, index)

    def result(self, index: int) -> np.ndarray:
        with self._lock:
            while len(self._results) <= index and not self._failed:
                try:
                    self._results.append(self._receive.recv())
                except (EOFError, OSError):
                    self._failed = True
            if len(self._results) == self._count or self._failed:
                self._reap()
            if index < len(self._results):
                return self._results[index]
        raise RuntimeError("the embedding helper stopped")

    def close(self) -> None:
        """End the child if it still runs (its results are no longer wanted)."""
        with self._lock:
            if self._pid:
                with contextlib.suppress(OSError):
                    os.kill(self._pid, signal.SIGKILL)
            self._reap()
            self._results = []

    def _reap(self) -> None:
        if self._pid:
            with contextlib.suppress(OSError):
                self._receive.close()
            with contextlib.suppress(ChildProcessError, OSError):
                os.waitpid(self._pid, 0)
            self._pid = 0


class _Part:
    """One call's vectors, as a Future's result() (USEEmbeddings._taken)."""

    def __init__(self, pending: Pending, index: int) -> None:
        self._pending = pending
        self._index = index

    def result(self) -> np.ndarray:
        return self._pending.result(self._index)
