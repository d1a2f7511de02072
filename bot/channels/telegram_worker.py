"""The engine in its own worker process, so the bot's event loop only talks to Telegram (issue #12).

The bot process keeps the network and the job queue; embedding, suggestion, scrubbing, SQLite and LLM calls run
in one worker process. They talk over one pipe (`multiprocessing.connection`) with small pickled tuples:
`(call id, method, args)` in, `(call id, ok, result or exception)` out. In the worker, the pipe's reader hands each
call to a thread pool, so a slow LLM call of one user never holds up the others; answers go back in the order they
are ready. In the bot, one reader thread resolves the futures of the calls; the event loop awaits them
(`handle_async`) without a thread of its own per call. The worker owns the only SQLite connection (one writer).

- A task that raises: the exception comes back to the caller (the channel apologises); the worker lives on.
- A worker that dies: its pipe closes, every call in flight fails (`WorkerDied`: `handle` answers with an apology
  for the event that was lost; the other calls are retried once), and the next call starts a new worker. A worker
  whose bot process died (its pipe closed) exits by itself.

`EngineWorker` has the same API as `Engine` + `AccessControl` as the channel uses them (see EngineLike and
AccessLike). The terminal and web channels keep the engine in-process.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import ctypes
import dataclasses
import itertools
import logging
import multiprocessing
import os
import sys
import threading
import time
from collections.abc import Callable, Collection, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from multiprocessing.connection import Connection
from multiprocessing.reduction import ForkingPickler
from typing import TYPE_CHECKING, Any

from bot.conversation.types import Button, ContactCard, Event, Outcome, Reply

if TYPE_CHECKING:
    from bot.config import Settings

logger = logging.getLogger(__name__)

EngineFactory = Callable[["Settings"], tuple[Any, ...]]  # engine, access[, its MicroBatcher]
EXPOSED = frozenset(
    ("handle", "reminder_due", "reminder_sent", "pending_reminders", "purge", "is_allowed", "redeem", "pid")
)
TASK_THREADS = 64  # calls served at once in the worker: more than the users who may wait on an LLM at once
PARENT_CHECK_SECONDS = 1.0
STOP_SECONDS = 10.0
SENT_ALONG_KEPT = 1000  # pending reminder records kept for pending_of
M_ARENA_MAX, MALLOC_ARENAS = -8, 2  # glibc mallopt: at most two malloc arenas in the worker
# What a call raises when the worker process is gone or its pipe is closed.
WORKER_GONE = (EOFError, ConnectionError, BrokenPipeError, OSError)


def _as_tuple(cls: type) -> Callable[[Any], tuple[type, tuple[Any, ...]]] | None:
    """A pickle reducer that sends a dataclass as its constructor and field values, in field order. The default
    for a dataclass with slots looks its fields up for every object it reads back; this is the same object at
    about half the cost per call (issue #12). None when a field is not an __init__ argument."""
    fields = dataclasses.fields(cls)
    if any(not f.init for f in fields):
        return None
    names = tuple(f.name for f in fields)

    def reduce(obj: Any) -> tuple[type, tuple[Any, ...]]:
        return cls, tuple(getattr(obj, name) for name in names)

    return reduce


for _cls in (Event, Outcome, Reply, Button, ContactCard):  # what crosses the pipe on every update
    if (_reduce := _as_tuple(_cls)) is not None:
        ForkingPickler.register(_cls, _reduce)


class WorkerDied(RuntimeError):
    """The worker process died during a call; a new one is started on the next call."""


def build_engine(settings: Settings) -> tuple[Any, Any, Any]:
    """The real engine and access control over freshly built services (runs inside the worker). Its models batch
    the texts of the calls served at the same time (bot.channels.batching)."""
    from bot.channels.batching import MicroBatcher, batch_embeddings, batch_situations
    from bot.conversation.access import AccessControl
    from bot.conversation.engine import Engine
    from bot.services import build_services

    batcher = MicroBatcher()
    services = build_services(settings, progress=_progress)
    batch_embeddings(batcher, services.embeddings)
    access = AccessControl(settings, services.store)
    engine = Engine(services, access=access, on_reload=services.reload_knowledge,
                    understanding=worker_understanding(settings, batcher=batcher,
                                                       encoder=services.embeddings))  # fmt: skip
    engine.warm_up()  # the dialogue-act model before the bot polls (read from the data dir; trained when stale)
    batch_situations(batcher, services.kaart.understander())
    return engine, access, batcher


def worker_understanding(settings: Settings, *, batcher: Any = None, encoder: Any = None) -> Any:
    """The worker's act model, kept in the data dir by `wijkbot index` (bot.trained_cache), so a start reads it
    instead of training it (issue #12). `encoder`: the services' USE model, for sentence vectors besides the
    n-grams (as the terminal and `wijkbot eval` read acts; round 10). With a batcher, the readings of the texts
    served at the same time are predicted in one call."""
    from bot.conversation.understanding import Understanding

    if batcher is not None:
        from bot.channels.batching import BatchedUnderstanding

        return BatchedUnderstanding(
            batcher, settings.knowledge_dir, encoder=encoder, cache_dir=settings.data_dir / "dialoog"
        )
    return Understanding(settings.knowledge_dir, encoder=encoder, cache_dir=settings.data_dir / "dialoog")


def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)  # start-up progress (index build), as the CLI shows it


@dataclasses.dataclass(frozen=True, slots=True)
class Handled:
    """An outcome that schedules reminders, with those reminders' pending records (as pending_reminders gives
    them): the channel schedules them without a second call to the worker (issue #12)."""

    outcome: Outcome
    pending: list[Any]


class Served:
    """What the worker serves: the engine and access control behind one set of methods."""

    def __init__(self, engine: Any, access: Any, batcher: Any = None) -> None:
        self._engine = engine
        self._access = access
        self._serving = batcher.serving if batcher is not None else contextlib.nullcontext

    def handle(self, event: Event) -> Outcome | Handled:
        with self._serving():
            result: Outcome = self._engine.handle(event)
        if not result.schedule_reminders:
            return result
        from bot.channels.telegram_jobs import pending_fields

        wanted = set(result.schedule_reminders)  # what the channel asks for next: sent along, no second call
        # only those, looked up by id: listing every pending reminder made each scheduling turn cost more as the
        # reminders of all users piled up (issue #12, perf18)
        return Handled(
            result, [p for p in self._engine.pending_reminders(wanted) if pending_fields(p)[0] in wanted]
        )

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


# ---- the worker process ----------------------------------------------------------------------------------------


def _worker_main(conn: Connection, factory: EngineFactory, settings: Settings, parent: int) -> None:
    """The worker: limit threads, build the engine, say ready, then serve calls until the pipe closes."""
    from bot.threads import limit_native_threads

    limit_native_threads()
    _few_malloc_arenas()
    if not logging.getLogger().handlers:
        logging.basicConfig(
            level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
        )
    threading.Thread(target=_exit_with_parent, args=(parent,), name="parent-watch", daemon=True).start()
    try:
        served = Served(*factory(settings))
    except BaseException as exc:
        conn.send(("failed", type(exc).__name__))
        raise
    give_back_free_memory()
    conn.send(("ready", os.getpid()))
    send_lock = threading.Lock()
    pool = ThreadPoolExecutor(
        max_workers=TASK_THREADS, thread_name_prefix="engine", initializer=skip_parameter_checks
    )
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            os._exit(0)  # the bot process is gone: nobody to answer
        if request is None:  # an orderly stop
            break
        pool.submit(_serve_one, served, conn, send_lock, *request)
    pool.shutdown(wait=True, cancel_futures=True)


def skip_parameter_checks() -> None:
    """scikit-learn checks an estimator's parameters on every predict call (validate_params), about 0.1 ms a call
    and 7% of the engine's CPU per update here. The models are built and fitted with the checks on before the task
    threads start, and their parameters are constants in our code; the results are the same. scikit-learn keeps its
    config per thread, so each task thread sets it (and only when scikit-learn is loaded at all)."""
    sklearn = sys.modules.get("sklearn")
    if sklearn is not None:
        sklearn.set_config(skip_parameter_validation=True)


def give_back_free_memory() -> None:
    """Return the heap pages freed during start-up (index load, word lists read, models read) to the system:
    glibc keeps them otherwise, and they count in the worker's resident memory (malloc_trim)."""
    import gc

    gc.collect()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def _few_malloc_arenas() -> None:
    """glibc gives each of up to 8 x cores threads its own heap (arena); the worker's task threads then hold on to
    memory in many arenas. Two arenas are plenty here (the engine's threads mostly wait on the GIL)."""
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt(M_ARENA_MAX, MALLOC_ARENAS)


def _serve_one(served: Served, conn: Connection, send_lock: threading.Lock, call_id: int, method: str,
               args: tuple[Any, ...]) -> None:  # fmt: skip
    """Run one call and send its result, or the exception it raised (the worker lives on)."""
    try:
        if method not in EXPOSED:
            raise AttributeError(f"not served: {method}")
        reply: tuple[int, bool, Any] = (call_id, True, getattr(served, method)(*args))
    except Exception as exc:
        reply = (call_id, False, exc)
    with send_lock:
        try:
            conn.send(reply)
        except (EOFError, OSError):
            return  # the bot is gone
        except Exception as exc:  # an unpicklable result or exception: say what failed, not what it held
            conn.send((call_id, False, RuntimeError(f"{method}: {type(exc).__name__} in the answer")))


def _exit_with_parent(parent: int) -> None:
    """A worker never outlives its bot: after a SIGKILL of the bot, the worker stops within a second."""
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_SECONDS)
    os._exit(0)


# ---- the bot side ------------------------------------------------------------------------------------------------


class _Link:
    """One running worker process and its pipe: sends calls, a reader thread resolves their futures."""

    def __init__(self, process: Any, conn: Connection, generation: int) -> None:
        self.process = process
        self.conn = conn
        self.generation = generation
        self.dead = False
        self._lock = threading.Lock()  # sending and the table of calls in flight
        self._pending: dict[int, Future[Any]] = {}
        self._ids = itertools.count()
        self._reader = threading.Thread(target=self._read, name="engine-reader", daemon=True)
        self._reader.start()

    def submit(self, method: str, args: tuple[Any, ...]) -> Future[Any]:
        """Send one call; its future gets the result, the task's exception, or WorkerDied."""
        future: Future[Any] = Future()
        with self._lock:
            if self.dead:
                raise WorkerDied(method)
            call_id = next(self._ids)
            self._pending[call_id] = future
            try:
                self.conn.send((call_id, method, args))
            except WORKER_GONE as exc:
                del self._pending[call_id]
                raise WorkerDied(method) from exc
        return future

    def _read(self) -> None:
        while True:
            try:
                call_id, ok, value = self.conn.recv()
            except (EOFError, OSError):
                break
            with self._lock:
                future = self._pending.pop(call_id, None)
            if future is None:
                continue
            if ok:
                future.set_result(value)
            else:
                future.set_exception(value)
        with self._lock:
            self.dead = True
            pending, self._pending = self._pending, {}
        for future in pending.values():
            future.set_exception(WorkerDied("the engine worker stopped"))

    def stop(self) -> None:
        """Ask the worker to finish its calls and exit; kill it when it does not."""
        with self._lock, _suppress():
            self.conn.send(None)
        self.process.join(STOP_SECONDS)
        if self.process.is_alive():
            self.process.kill()
            self.process.join(STOP_SECONDS)
        with _suppress():
            self.conn.close()

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(STOP_SECONDS)
        with _suppress():
            self.conn.close()


def _suppress() -> Any:
    return contextlib.suppress(*WORKER_GONE)


class EngineWorker:
    """Client side: the engine API, each call answered by the worker process (thread-safe; blocking methods
    for threads and `handle_async` for the event loop)."""

    def __init__(self, settings: Settings, *, factory: EngineFactory = build_engine) -> None:
        self._settings = settings
        self._factory = factory
        self._lock = threading.Lock()  # starting and restarting
        self._link: _Link | None = None
        self._generation = 0
        self.restarts = 0
        # Settings do not change while the bot runs: listed users pass the gate without a round trip.
        self._listed = frozenset(settings.allowed_users) | frozenset(settings.admins)
        self._sent_along: dict[int, Any] = {}  # pending reminders that came with an outcome (pending_of)
        self._sent_lock = threading.Lock()

    # ---- lifecycle ----
    def start(self) -> EngineWorker:
        """Start the worker and wait until its engine is built (index build and warm-up included)."""
        with self._lock:
            self._start_locked()
        # At exit multiprocessing waits for its children; the worker only stops when asked or its pipe closes.
        atexit.register(self.close)
        return self

    def _start_locked(self) -> None:
        ctx = multiprocessing.get_context("spawn")
        ours, theirs = ctx.Pipe(duplex=True)
        process = ctx.Process(
            target=_worker_main,
            args=(theirs, self._factory, self._settings, os.getpid()),
            name="wijkbot-engine",
        )
        process.start()
        theirs.close()
        try:
            status = ours.recv()  # EOFError when the worker died while building the engine
        except BaseException:
            process.kill()
            process.join()
            ours.close()
            raise
        if status[0] != "ready":
            process.join(STOP_SECONDS)
            ours.close()
            raise EOFError(f"the engine worker could not start ({status[1]})")
        self._generation += 1
        self._link = _Link(process, ours, self._generation)

    def close(self) -> None:
        """Stop the worker process (again: nothing to do)."""
        with self._lock:
            link, self._link = self._link, None
        if link is not None:
            link.stop()
        atexit.unregister(self.close)

    def __enter__(self) -> EngineWorker:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def pid(self) -> int | None:
        """The worker's process id (None when not running)."""
        link = self._link
        return link.process.pid if link is not None else None

    def _current(self) -> _Link:
        with self._lock:
            link = self._link
            if link is None or link.dead or not link.process.is_alive():
                self._restart_locked()
            assert self._link is not None
            return self._link

    def _restart(self, generation: int) -> None:
        """Start a new worker, unless another thread already replaced the one that failed."""
        with self._lock:
            if generation == self._generation:
                self._restart_locked()

    def _restart_locked(self) -> None:
        old, self._link = self._link, None
        if old is not None:
            old.kill()
        self.restarts += 1
        logger.error("engine worker is gone; starting a new one (restart %d)", self.restarts)
        self._start_locked()

    def _call(self, method: str, *args: Any, retry: bool = True) -> Any:
        link = self._current()
        try:
            return link.submit(method, args).result()
        except WorkerDied:
            if not retry:
                raise
            self._restart(link.generation)
            return self._current().submit(method, args).result()

    # ---- the engine and access API ----
    def handle(self, event: Event) -> Outcome:
        """Handle one event in the worker. Not retried: the event may have been half done."""
        return self._outcome(self._call("handle", event, retry=False))

    def _outcome(self, result: Outcome | Handled) -> Outcome:
        """The outcome; the pending records that came with it are kept for pending_of."""
        if not isinstance(result, Handled):
            return result
        from bot.channels.telegram_jobs import pending_fields

        with self._sent_lock:
            for item in result.pending:
                self._sent_along[pending_fields(item)[0]] = item
            while len(self._sent_along) > SENT_ALONG_KEPT:  # never asked for (no job queue): the oldest go
                del self._sent_along[next(iter(self._sent_along))]
        return result.outcome

    def pending_of(self, reminder_ids: Collection[int]) -> list[Any] | None:
        """The pending records of these reminders as they came with the outcome that scheduled them (taken: each
        once); None when one of them did not come along (then ask pending_reminders)."""
        with self._sent_lock:
            if any(i not in self._sent_along for i in reminder_ids):
                return None
            return [self._sent_along.pop(i) for i in reminder_ids]

    async def handle_async(self, event: Event) -> Outcome:
        """handle() for the event loop: no thread per call while the worker is up (a restart runs in a thread)."""
        link = self._link
        if link is None or link.dead:
            return await asyncio.to_thread(self.handle, event)
        try:
            future = link.submit("handle", (event,))
        except WorkerDied:  # it died just now: restart it in a thread
            return await asyncio.to_thread(self.handle, event)
        return self._outcome(await asyncio.wrap_future(future))

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
