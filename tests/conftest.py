"""Shared fixtures: settings in tmp_path, and one index build per test session."""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent


def offline_env(data_dir: Path, **extra: str) -> dict[str, str]:
    """Environment for a wijkbot subprocess: no keys, no network services, the given data dir."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("OPENAI_", "TELEGRAM_", "CHROMA_", "WIJKBOT_", "WEBHOOK_"))
    }
    env["WIJKBOT_DATA_DIR"] = str(data_dir)
    env.update(extra)
    return env


def run_cli(
    *args: str, data_dir: Path, timeout: float = 120, **extra: str
) -> subprocess.CompletedProcess[str]:
    """Run `python -m bot ARGS` in a subprocess, like a user would."""
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        env=offline_env(data_dir, **extra),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def _under_xdist() -> bool:
    return bool(os.environ.get("PYTEST_XDIST_WORKER"))


def built_once(tmp_path_factory: pytest.TempPathFactory, name: str, build: Callable[[Path], None]) -> Path:
    """A directory that `build(path)` fills once for the whole run, shared by its pytest-xdist workers (read only).

    The documented xdist pattern: the workers share the parent of their base temp dirs; the first worker to take
    the lock builds, the others wait and then read the result. A build that failed leaves no marker, so the next
    one to ask builds again, as a failed session fixture is built again in a plain run."""
    root = tmp_path_factory.getbasetemp()
    root = root.parent if _under_xdist() else root
    target, done = root / f"{name}-once", root / f"{name}-once.done"
    with (root / f"{name}-once.lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not done.exists():
            shutil.rmtree(target, ignore_errors=True)
            target.mkdir()
            build(target)
            done.touch()
    return target


def built_once_per_run(
    tmp_path_factory: pytest.TempPathFactory, name: str, build: Callable[[Path], None]
) -> Path | None:
    """built_once under pytest-xdist; None in a plain run (then build it yourself, as before)."""
    return built_once(tmp_path_factory, name, build) if _under_xdist() else None


BUILDS = pytest.StashKey[list[subprocess.Popen[str]]]()


def _build_index(data_dir: Path, started: list[subprocess.Popen[str]] | None = None) -> None:
    """`wijkbot index` into data_dir, like run_cli; the process is added to `started` (stopped at session end)."""
    # round 4: the understanding model trains on 3030 situations and 1825 chat messages (was 1610): index takes
    # longer, and on a shared 2-core machine 120 s was not enough
    # a fixed hash seed: test_index_build compares its models with a build in one process, byte for byte
    # round 9: at load average 20 (five engineers' jobs) a build took over 300 s; a failed session fixture is built
    # again for every test that asks for it, which loads the machine further
    command = [sys.executable, "-m", "bot", "index"]
    env = offline_env(data_dir, PYTHONHASHSEED="0")
    with subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True) as process:  # fmt: skip
        if started is not None:
            started.append(process)
        try:
            _, stderr = process.communicate(timeout=900)
        except subprocess.TimeoutExpired:
            process.kill()
            raise
    assert process.returncode == 0, stderr


def _build_shared_index(root: Path, started: list[subprocess.Popen[str]] | None = None) -> None:
    _build_index(root / "data", started)


def pytest_collection_finish(session: pytest.Session) -> None:
    """Start the session's index build as soon as the tests are collected, when one of them needs it (perf12).

    It runs next to the first tests instead of holding up the first test that asks for built_data_dir (and, under
    xdist, the other worker waiting for it): about two minutes on the loaded 2-core machine. One worker (gw0)
    starts it; built_data_dir waits for it through built_once's lock."""
    if os.environ.get("PYTEST_XDIST_WORKER", "gw0") != "gw0":
        return
    if not any("built_data_dir" in getattr(item, "fixturenames", ()) for item in session.items):
        return
    factory: pytest.TempPathFactory = session.config._tmp_path_factory  # type: ignore[attr-defined]
    started = session.config.stash.setdefault(BUILDS, [])

    def build() -> None:
        with contextlib.suppress(Exception):  # a failed build: built_data_dir builds again and reports it
            built_once(factory, "built", lambda root: _build_shared_index(root, started))

    factory.getbasetemp()  # made here, not in the thread
    threading.Thread(target=build, name="early-index-build", daemon=True).start()


def pytest_sessionfinish(session: pytest.Session) -> None:
    """An early build still running when the session ends (a run stopped by -x) is stopped."""
    for process in session.config.stash.get(BUILDS, []):
        if process.poll() is None:
            process.kill()


@pytest.fixture(scope="session")
def built_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data dir with the knowledge index built once for the whole session (treat as read-only).

    perf12: built once for the run, started when the tests are collected (pytest_collection_finish); under
    pytest-xdist each worker reads its own copy (a few seconds; the USE caches are hard links), so no two workers
    write into one data dir."""
    shared = built_once(tmp_path_factory, "built", _build_shared_index) / "data"
    if not _under_xdist():
        return shared
    return copy_data_dir(shared, tmp_path_factory.mktemp("built") / "data")


# The USE model's parsed caches in a data dir (compact tokenizer arrays, weight arrays): written once by rename, read only
# (np.load mmap_mode="r"), so copies of a data dir may share them by hard link. perf11: they are 81 of the built
# data dir's 140 MB, and a copy took 2.8 s wall on the loaded 2-core machine.
SHARED_CACHES = ("use-weights-", "use-tokenizer-", "use-vocab-")


def _link_or_copy(source: str, target: str) -> object:
    if any(part.startswith(SHARED_CACHES) for part in Path(source).parts[-2:]):
        try:
            os.link(source, target)
            return target
        except OSError:
            pass  # another file system: copy
    return shutil.copy2(source, target)


def copy_data_dir(source: Path, target: Path, *, ignore: Any = None) -> Path:
    """A private copy of a built data dir that a test may change; the read-only USE caches are hard links."""
    shutil.copytree(source, target, ignore=ignore, copy_function=_link_or_copy)
    return target


@pytest.fixture
def data_dir(built_data_dir: Path, tmp_path: Path) -> Path:
    """A private copy of the built data dir that a test may change."""
    return copy_data_dir(built_data_dir, tmp_path / "data")


@pytest.fixture(scope="session")
def use_embeddings():  # type: ignore[no-untyped-def]
    """The real USE model, loaded once per session."""
    from bot.retrieval.embeddings import USEEmbeddings

    return USEEmbeddings()


@pytest.fixture(scope="session")
def model_cache_dir(tmp_path_factory: pytest.TempPathFactory, built_data_dir: Path) -> Path:
    """Where the session's trained model is cached; copy it to a data dir as 'begrip' to skip training.

    Seeded with the model `wijkbot index` trained for built_data_dir (same knowledge, encoder and cache key), so
    the session trains the situation model once, not twice."""
    target = tmp_path_factory.mktemp("begrip")
    shutil.copytree(built_data_dir / "begrip", target, dirs_exist_ok=True)
    return target


@pytest.fixture(scope="session")
def use_understander(model_cache_dir: Path, use_embeddings):  # type: ignore[no-untyped-def]
    """The understanding model trained once per session on knowledge/situaties (training split only)."""
    from bot.understanding.training import KnowledgePaths, build_understander

    return build_understander(
        KnowledgePaths.under(ROOT / "knowledge"), use_embeddings, cache_dir=model_cache_dir
    )


def seed_model_cache(model_cache_dir: Path, data_dir: Path) -> None:
    """Give a fresh data dir the session's trained model, as `wijkbot index` would have left it."""
    shutil.copytree(model_cache_dir, data_dir / "begrip", dirs_exist_ok=True)


@pytest.fixture(scope="session", autouse=True)
def shared_act_model() -> Iterator[None]:
    """One n-gram dialogue-act model per knowledge dir for the whole session.

    An Engine built without an `understanding` makes its own `Understanding(knowledge_dir)` and trains the act
    model on first use (about 5 s CPU; perf11: some 20 tests did, in channels, cli, web, followup and answering).
    Training is deterministic (tests/conversation/conftest.py shares one for the same reason), and the instance is
    read-only after training, so the engines of a session share one per knowledge dir. Understandings with an
    encoder or a cache dir are made as asked."""
    import bot.conversation.engine as engine_module

    real = engine_module.Understanding
    made: dict[Path, Any] = {}
    lock = threading.Lock()

    def shared(knowledge_dir: Path, **kwargs: Any) -> Any:
        if kwargs:
            return real(knowledge_dir, **kwargs)
        key = Path(knowledge_dir).resolve()
        with lock:
            if key not in made:
                made[key] = real(knowledge_dir)
            return made[key]

    engine_module.Understanding = shared  # type: ignore[assignment,misc]
    try:
        yield
    finally:
        engine_module.Understanding = real  # type: ignore[misc]


@pytest.fixture(scope="session", autouse=True)
def shared_deduce() -> Iterator[None]:
    """One deduce engine for the session's in-process scrubbers (perf11: building one takes about 2 s CPU, and a
    dozen scrubbers and services were made). The engine is read-only after loading and the bot already shares one
    across threads; a test that counts or breaks the build patches the builder itself, over this one."""
    import bot.privacy.names as names_module

    real = names_module._build_light_deduce
    built: list[Any] = []
    lock = threading.Lock()

    def shared() -> Any:
        with lock:
            if not built:
                built.append(real())
            return built[0]

    names_module._build_light_deduce = shared
    try:
        yield
    finally:
        names_module._build_light_deduce = real
