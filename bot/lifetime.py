"""Child processes that never outlive the process that started them (issue #12).

A SIGTERM or SIGKILL of `wijkbot index --rebuild` (or of the bot, whose engine worker may be building the index)
ends that process without running its exit handlers, so multiprocessing never stops its children: the forked
helpers of an index build (bot.index_build, bot.services.situation_model_aside) and the spawned embedding helper
(bot.retrieval.embed_process) went on as orphans, training and embedding for nobody. Each child now watches its
parent: a daemon thread polls the parent's process id and ends the child as soon as the parent is gone.

Polling is used rather than Linux's PR_SET_PDEATHSIG, which fires when the *thread* that started the child
ends, not its process: a child started from a short-lived thread would be killed while its parent still waits.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from typing import Any

WATCH_SECONDS = 0.2  # how often a child looks at its parent: a getppid call, nothing measurable


def exit_with_parent(parent: int, *, every: float = WATCH_SECONDS) -> None:
    """In a child process: end this process (os._exit) as soon as `parent` is no longer its parent, also when the
    parent died before the watch began (the child then belongs to init or a subreaper)."""
    if os.getppid() != parent:
        os._exit(1)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(every)
        os._exit(1)  # no exit handlers: they would wait for work nobody will read

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def watched(target: Callable[..., Any]) -> Callable[..., Any]:
    """`target` for a multiprocessing.Process whose child ends with this (the starting) process. The parent's id
    is read here, before the start, so a parent that dies during the start is noticed too."""
    return _Watched(target, os.getpid())


class _Watched:
    """A picklable wrapper (a spawned child receives it by pickle; a forked one simply has it)."""

    def __init__(self, target: Callable[..., Any], parent: int) -> None:
        self.target = target
        self.parent = parent

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        exit_with_parent(self.parent)
        return self.target(*args, **kwargs)
