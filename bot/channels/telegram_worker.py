"""The engine in its own worker process, so the bot's event loop only talks to Telegram (issue #12).

The bot process keeps the network and the job queue; embedding, suggestion, scrubbing, SQLite and LLM calls run
in one worker process served by `multiprocessing.managers`: every bot thread gets its own connection and the
worker answers each connection in its own thread, so a slow LLM call of one user never holds up the others.
The worker owns the only SQLite connection (one writer).

- A task that raises: the exception comes back to the caller (the channel apologises); the worker lives on.
- A worker that dies: the next call notices, a new worker is started (`handle` answers with an apology for the
  event that was lost; the other calls are retried once). A worker whose bot process died exits by itself.

`EngineWorker` has the same API as `Engine` + `AccessControl` as the channel uses them (see EngineLike and
AccessLike). The terminal and web channels keep the engine in-process.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import sys
import threading
import time
from collections.abc import Callable, Sequence
from multiprocessing.managers import BaseManager, BaseProxy
from typing import TYPE_CHECKING, Any

from bot.conversation.types import Event, Outcome, Reply

if TYPE_CHECKING:
    from bot.config import Settings

logger = logging.getLogger(__name__)

EngineFactory = Callable[["Settings"], tuple[Any, Any]]
EXPOSED = (
    "handle",
    "reminder_due",
    "reminder_sent",
    "pending_reminders",
    "purge",
    "is_allowed",
    "redeem",
    "pid",
)
PARENT_CHECK_SECONDS = 1.0
# What a call raises when the worker process is gone or its socket is closed.
WORKER_GONE = (EOFError, ConnectionError, FileNotFoundError, BrokenPipeError)


class WorkerDied(RuntimeError):
    """The worker process died during a call; a new one has been started."""


def build_engine(settings: Settings) -> tuple[Any, Any]:
    """The real engine and access control over freshly built services (runs inside the worker)."""
    from bot.conversation.access import AccessControl
    from bot.conversation.engine import Engine
    from bot.services import build_services

    services = build_services(settings, progress=_progress)
    access = AccessControl(settings, services.store)
    engine = Engine(services, access=access, on_reload=services.reload_knowledge)
    return engine, access


def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)  # start-up progress (index build), as the CLI shows it


class Served:
    """The object the worker serves: the engine and access control behind one set of methods."""

    def __init__(self, engine: Any, access: Any) -> None:
        self._engine = engine
        self._access = access

    def handle(self, event: Event) -> Outcome:
        result: Outcome = self._engine.handle(event)
        return result

    def reminder_due(self, reminder_id: int) -> Reply | None:
        result: Reply | None = self._engine.reminder_due(reminder_id)
        return result

    def reminder_sent(self, reminder_id: int) -> None:
        self._engine.reminder_sent(reminder_id)

    def pending_reminders(self) -> list[Any]:
        return list(self._engine.pending_reminders())

    def purge(self) -> int:
        return int(self._engine.purge())

    def is_allowed(self, user_id: int) -> bool:
        return bool(self._access.is_allowed(user_id))

    def redeem(self, user_id: int, code: str) -> bool:
        return bool(self._access.redeem(user_id, code))

    def pid(self) -> int:
        return os.getpid()


class _WorkerState:
    """The one Served object of this worker process (set by the initializer, read by the manager)."""

    served: Served | None = None


def _served() -> Served:
    assert _WorkerState.served is not None, "worker initializer did not run"
    return _WorkerState.served


def _init_worker(factory: EngineFactory, settings: Settings, parent: int) -> None:
    """Runs first in the worker: limit threads, build the engine, exit when the bot process goes away."""
    from bot.threads import limit_native_threads

    limit_native_threads()
    if not logging.getLogger().handlers:
        logging.basicConfig(
            level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
        )
    engine, access = factory(settings)
    _WorkerState.served = Served(engine, access)
    threading.Thread(target=_exit_with_parent, args=(parent,), name="parent-watch", daemon=True).start()


def _exit_with_parent(parent: int) -> None:
    """A worker never outlives its bot: after a SIGKILL of the bot, the worker stops within a second."""
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_SECONDS)
    os._exit(0)


class _Manager(BaseManager):
    pass


_Manager.register("engine", callable=_served, exposed=EXPOSED)


class EngineWorker:
    """Client side: the engine API, each call answered by the worker process (thread-safe, blocking)."""

    def __init__(self, settings: Settings, *, factory: EngineFactory = build_engine) -> None:
        self._settings = settings
        self._factory = factory
        self._lock = threading.Lock()
        self._manager: _Manager | None = None
        self._proxy: BaseProxy | None = None
        self._generation = 0
        self.restarts = 0
        # Settings do not change while the bot runs: listed users pass the gate without a round trip.
        self._listed = frozenset(settings.allowed_users) | frozenset(settings.admins)

    # ---- lifecycle ----
    def start(self) -> EngineWorker:
        """Start the worker and wait until its engine is built (index build and warm-up included)."""
        with self._lock:
            self._start_locked()
        return self

    def _start_locked(self) -> None:
        manager = _Manager(ctx=multiprocessing.get_context("spawn"))
        manager.start(_init_worker, (self._factory, self._settings, os.getpid()))
        self._manager = manager
        self._proxy = manager.engine()  # type: ignore[attr-defined]
        self._generation += 1

    def close(self) -> None:
        """Stop the worker process."""
        with self._lock:
            manager, self._manager, self._proxy = self._manager, None, None
        if manager is not None:
            manager.shutdown()

    def __enter__(self) -> EngineWorker:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def pid(self) -> int | None:
        """The worker's process id (None when not running)."""
        process = getattr(self._manager, "_process", None)
        return process.pid if process is not None else None

    def _current(self) -> tuple[BaseProxy, int]:
        with self._lock:
            process = getattr(self._manager, "_process", None)
            if self._proxy is None or process is None or not process.is_alive():
                self._restart_locked()
            assert self._proxy is not None
            return self._proxy, self._generation

    def _restart(self, generation: int) -> None:
        """Start a new worker, unless another thread already replaced the one that failed."""
        with self._lock:
            if generation == self._generation:
                self._restart_locked()

    def _restart_locked(self) -> None:
        old = self._manager
        self._manager, self._proxy = None, None
        if old is not None:
            process = getattr(old, "_process", None)
            if process is not None and process.is_alive():
                process.kill()
        self.restarts += 1
        logger.error("engine worker is gone; starting a new one (restart %d)", self.restarts)
        self._start_locked()

    def _call(self, method: str, *args: Any, retry: bool = True) -> Any:
        proxy, generation = self._current()
        try:
            return proxy._callmethod(method, args)
        except WORKER_GONE as exc:
            self._restart(generation)
            if not retry:
                raise WorkerDied(method) from exc
            proxy, _ = self._current()
            return proxy._callmethod(method, args)

    # ---- the engine and access API ----
    def handle(self, event: Event) -> Outcome:
        """Handle one event in the worker. Not retried: the event may have been half done."""
        result: Outcome = self._call("handle", event, retry=False)
        return result

    def reminder_due(self, reminder_id: int) -> Reply | None:
        result: Reply | None = self._call("reminder_due", reminder_id)
        return result

    def reminder_sent(self, reminder_id: int) -> None:
        self._call("reminder_sent", reminder_id)

    def pending_reminders(self) -> Sequence[Any]:
        result: Sequence[Any] = self._call("pending_reminders")
        return result

    def purge(self) -> int:
        return int(self._call("purge"))

    def is_allowed(self, user_id: int) -> bool:
        """As AccessControl.is_allowed: listed in the settings, or redeemed an invite (asked in the worker)."""
        return user_id in self._listed or bool(self._call("is_allowed", user_id))

    def is_listed(self, user_id: int) -> bool:
        """Listed in the settings (allowed users or admins): known without asking the worker."""
        return user_id in self._listed

    def redeem(self, user_id: int, code: str) -> bool:
        return bool(self._call("redeem", user_id, code, retry=False))

    def worker_pid(self) -> int:
        """The worker's own idea of its process id (a round trip; for tests)."""
        return int(self._call("pid"))
