"""A killed `wijkbot index` leaves no child processes behind (issue #12, bot.lifetime)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT, offline_env

# The helpers an index build starts, started as the build starts them: the situation model's forked trainer
# (bot.services.situation_model_aside; the sentence ranker's and the chapter priors' children in bot.index_build
# are started the same way) and the spawned embedding helper (bot.retrieval.embed_process).
PARENT = """
import sys, time
from pathlib import Path
from bot.config import Settings
from bot.retrieval import embed_process
from bot.retrieval.embeddings import USEEmbeddings
from bot.services import situation_model_aside

class Unprepared(USEEmbeddings):
    def prepare_cache(self) -> None:  # the helper loads the model itself (slow): it is still working when killed
        pass

data = Path(sys.argv[1])
settings = Settings(WIJKBOT_DATA_DIR=data, OPENAI_API_KEY="", OPENAI_BASE_URL="", CHROMA_HOST="")
situation_model_aside(settings)  # trains for a minute or more: far longer than this test waits
futures = embed_process.encode_jobs_in_process(Unprepared(cache_dir=data), [(["een zin"] * 3, 1)])
assert futures, "no embedding helper started"
print("started", flush=True)
time.sleep(120)
"""


def _stat(pid: int) -> list[str] | None:
    """The fields of /proc/PID/stat after the command name, or None when the process is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text.rsplit(")", 1)[1].split()


def _descendants(root: int) -> dict[int, str]:
    """Every process below `root`, with its start time (field 22) to tell a reused process id apart."""
    parents: dict[int, tuple[int, str]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (fields := _stat(int(entry.name))) is not None:
            parents[int(entry.name)] = (int(fields[1]), fields[19])
    found: dict[int, str] = {}
    frontier = [root]
    while frontier:
        parent = frontier.pop()
        for pid, (ppid, started) in parents.items():
            if ppid == parent and pid not in found:
                found[pid] = started
                frontier.append(pid)
    return found


def _alive(pid: int, started: str) -> bool:
    fields = _stat(pid)
    return fields is not None and fields[19] == started and fields[0] != "Z"  # a zombie has ended


@pytest.mark.skipif(sys.platform != "linux", reason="the build forks helpers on Linux only")
def test_killing_the_build_ends_its_helper_processes(tmp_path: Path) -> None:
    parent = subprocess.Popen([sys.executable, "-c", PARENT, str(tmp_path)], env=offline_env(tmp_path), cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
    children: dict[int, str] = {}
    try:
        assert parent.stdout is not None and parent.stdout.readline().strip() == "started", parent.stderr
        children = _descendants(parent.pid)
        assert (
            len(children) >= 2
        )  # the trainer and the embedding helper (and multiprocessing's resource tracker)
        time.sleep(0.5)  # the children are at work, not starting
        os.kill(parent.pid, signal.SIGKILL)  # no exit handlers: only the children themselves can notice
        parent.wait(5)
        deadline = time.monotonic() + 3.0
        while time.monotonic() < deadline and any(_alive(p, s) for p, s in children.items()):
            time.sleep(0.1)
        assert [p for p, s in children.items() if _alive(p, s)] == []
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait()
        for pid, started in children.items():  # a failed run leaves nothing running either
            if _alive(pid, started):
                os.kill(pid, signal.SIGKILL)
