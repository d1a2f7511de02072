"""`wijkbot index --rebuild` by phase, on a fresh data dir: wall and exclusive time per phase, CPU of this process
and of its child processes. A phase's time excludes the timed phases inside it (the USE forward passes inside the
Chroma writes count as "embeddings", not as "chroma writes").

`wijkbot index` trains the situation model in a second process, and embeds the training questions in a helper
process (bot.index_build): their CPU is in "CPU, child processes"; texts embedded there are not counted here.
It also trains the engine worker's models (act model, partner kinds) into the data dir: "engine models".

At the end, the three figures the issues name, per run with the load average before and after it: the publication
index build (#12: `build_index`, from the start of the command until the index is there, as its "Index opnieuw
gebouwd" line counts), the situation-model training (#7: the second process, its own wall and CPU, and when it is
ready counted from the start of the command) and the total wall of `wijkbot index` on a fresh data dir.

Run: .venv/bin/python bench/index_phases.py [--runs N] [--threads N] [--cpu]
"""

from __future__ import annotations

import argparse
import functools
import os
import resource
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.patching import install  # noqa: E402

# (module, attribute path, phase): the functions timed, each where its callers look it up
PHASES = [
    ("bot.index_build", "questions_aside", "questions aside (prediction + helper start)"),
    ("bot.retrieval.index", "_ingest", "ingest + chunking"),
    ("bot.retrieval.lexical", "LexicalIndex.build", "bm25 (words + 4-grams)"),
    ("bot.retrieval.embeddings", "USEEmbeddings._load", "USE model load"),
    ("bot.retrieval.embeddings", "USEEmbeddings._forward", "embeddings (USE forward passes)"),
    ("bot.retrieval.dense", "DenseIndex.build", "chroma writes"),
    ("bot.retrieval.dense", "DenseIndex.unit_matrix", "chroma read-back of unit vectors"),
    ("bot.retrieval.index", "make_client", "chroma client (import + open)"),
    ("bot.retrieval.sentences", "SentenceVectors.build", "sentence vectors (excl. embeddings)"),
    ("bot.retrieval.index_training", "VectorBook.__init__", "training questions' vectors (excl. embeddings)"),
    ("bot.retrieval.index_training", "_train_scope", "scope model (retrieval + fit)"),
    ("bot.retrieval.index_training", "train_fusion", "fusion model (retrieval + fit)"),
    ("bot.retrieval.memory", "QuestionMemory.build", "question memory"),
    ("bot.answering.sentence_model", "load_or_train", "sentence ranker"),
    ("bot.retrieval.index", "_cleanup", "cleanup of old builds"),
    ("bot.understanding.training", "build_understander", "situation model (in this process)"),
    ("bot.services", "engine_models_line", "engine models (act model, partner kinds)"),
]


class Timer:
    """Exclusive time per phase: time spent in a nested timed phase is not counted for its parent.
    clock: time.perf_counter (wall) or time.process_time (CPU of this process, steadier on a shared machine)."""

    def __init__(self, clock: Any = time.perf_counter) -> None:
        self.clock = clock
        self.seconds: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)
        self.inclusive: dict[str, float] = defaultdict(float)
        self.texts: dict[str, int] = defaultdict(int)  # texts sent to USE, by outermost phase
        self.distinct: set[str] = set()
        self.sent = 0
        self._names: list[str] = []
        self._stack: list[list[float]] = []  # [start, nested seconds]

    def wrap(self, phase: str, func: Any) -> Any:
        @functools.wraps(func)
        def timed(*args: Any, **kwargs: Any) -> Any:
            self._stack.append([self.clock(), 0.0])
            self._names.append(phase)
            if func.__name__ == "_forward":
                texts = list(args[1])
                self.texts[self._names[0]] += len(texts)
                self.sent += len(texts)
                self.distinct.update(texts)
            try:
                return func(*args, **kwargs)
            finally:
                start, nested = self._stack.pop()
                self._names.pop()
                spent = self.clock() - start
                if phase not in self._names:
                    self.inclusive[phase] += spent
                self.seconds[phase] += spent - nested
                self.calls[phase] += 1
                if self._stack:
                    self._stack[-1][1] += spent

        return timed


def _install(timer: Timer) -> None:
    install(PHASES, timer.wrap)


def _cpu() -> tuple[float, float]:
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime, kids.ru_utime + kids.ru_stime


def _headline(started: list[float]) -> None:
    """Print (as HEAD lines) when build_index ends, and the training process's own wall and CPU when it ends."""
    from bot import services

    build, child = services.build_index, services._situation_model_child

    @functools.wraps(build)
    def timed_build(*args: Any, **kwargs: Any) -> Any:
        cpu0 = time.process_time()
        try:
            return build(*args, **kwargs)
        finally:
            print(
                f"HEAD\tbuild\t{time.perf_counter() - started[0]:.3f}\t{time.process_time() - cpu0:.3f}",
                flush=True,
            )

    @functools.wraps(child)
    def timed_child(*args: Any, **kwargs: Any) -> Any:
        w0, c0 = time.perf_counter(), time.process_time()
        try:
            return child(*args, **kwargs)
        finally:
            wall, cpu, ready = (
                time.perf_counter() - w0,
                time.process_time() - c0,
                time.perf_counter() - started[0],
            )
            print(f"HEAD\ttraining\t{wall:.3f}\t{cpu:.3f}\t{ready:.3f}", flush=True)

    services.build_index, services._situation_model_child = timed_build, timed_child


def run_once(clock: Any) -> tuple[float, float, float, Timer]:
    """One `wijkbot index --rebuild` in this process; returns wall, own CPU, children's CPU and the timer."""
    timer = Timer(clock)
    _install(timer)
    origin = [0.0]
    _headline(origin)
    from bot import cli

    cpu0, kids0 = _cpu()
    started = origin[0] = time.perf_counter()
    cli.index(rebuild=True)
    wall = time.perf_counter() - started
    cpu1, kids1 = _cpu()
    return wall, cpu1 - cpu0, kids1 - kids0, timer


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--threads", type=int, default=None, help="native threads per pool (WIJKBOT_THREADS)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--cpu", action="store_true", help="phases in CPU time of the main process, not wall")
    parser.add_argument("--runs", type=int, default=1, help="fresh processes, each on a fresh data dir")
    args = parser.parse_args()
    if args.child:
        from bot.threads import use_threads

        use_threads(args.threads)
        wall, cpu, kids, timer = run_once(time.process_time if args.cpu else time.perf_counter)
        for phase in dict.fromkeys(p for _, _, p in PHASES):
            own, incl = timer.seconds.get(phase, 0.0), timer.inclusive.get(phase, 0.0)
            print(f"PHASE\t{phase}\t{own:.3f}\t{incl:.3f}\t{timer.texts.get(phase, 0)}")
        total = cpu if args.cpu else wall
        print(f"PHASE\tother (imports, io, glue)\t{total - sum(timer.seconds.values()):.3f}\t0\t0")
        print(f"TEXTS\t{timer.sent}\t{len(timer.distinct)}")
        print(f"TOTAL\t{wall:.3f}\t{cpu:.3f}\t{kids:.3f}")
        return
    import subprocess

    runs: list[dict[str, tuple[float, float, int]]] = []
    sent: list[tuple[int, int]] = []
    totals: list[tuple[float, float, float]] = []
    heads: list[dict[str, list[float]]] = []
    loads: list[tuple[float, float]] = []
    for _ in range(args.runs):
        load_before = os.getloadavg()[0]
        with tempfile.TemporaryDirectory() as tmp:
            env = {
                k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "TELEGRAM_", "CHROMA_"))
            }
            env["WIJKBOT_DATA_DIR"] = str(Path(tmp) / "data")
            env["PYTHONPATH"] = str(ROOT)
            cmd = [sys.executable, __file__, "--child"]
            if args.cpu:
                cmd.append("--cpu")
            if args.threads is not None:
                cmd += ["--threads", str(args.threads)]
            out = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True, cwd=ROOT).stdout
        loads.append((load_before, os.getloadavg()[0]))
        phases: dict[str, tuple[float, float, int]] = {}
        heads.append({})
        for line in out.splitlines():
            parts = line.split("\t")
            if parts[0] == "HEAD":
                heads[-1][parts[1]] = [float(v) for v in parts[2:]]
            elif parts[0] == "PHASE":
                phases[parts[1]] = (float(parts[2]), float(parts[3]), int(parts[4]))
            elif parts[0] == "TEXTS":
                sent.append((int(parts[1]), int(parts[2])))
            elif parts[0] == "TOTAL":
                totals.append((float(parts[1]), float(parts[2]), float(parts[3])))
        runs.append(phases)
    print(
        f"`wijkbot index --rebuild`, fresh data dir, {args.runs} run(s); median {'CPU' if args.cpu else 'wall'} seconds; load {os.getloadavg()[0]:.1f}"
    )
    width = max(len(p) for p in runs[0])
    print(f"{'phase':<{width}}  {'own s':>7}  {'incl. s':>7}  {'USE texts':>9}  own s per run")
    print("-" * (width + 50))
    for phase in runs[0]:
        own = [r[phase][0] for r in runs]
        incl = statistics.median(r[phase][1] for r in runs)
        n = runs[0][phase][2]
        print(
            f"{phase:<{width}}  {statistics.median(own):>7.2f}  {incl:>7.2f}  {n:>9}  {' '.join(f'{v:.2f}' for v in own)}"
        )
    print(f"{'texts sent to USE / distinct':<{width}}  {sent[0][0]} / {sent[0][1]}")
    for label, i in (("total wall", 0), ("CPU, this process", 1), ("CPU, child processes", 2)):
        values = [t[i] for t in totals]
        print(f"{label:<{width}}  {statistics.median(values):>9.2f}  {' '.join(f'{v:.2f}' for v in values)}")
    _print_headline(heads, totals, loads)


def _print_headline(
    heads: list[dict[str, list[float]]],
    totals: list[tuple[float, float, float]],
    loads: list[tuple[float, float]],
) -> None:
    """The figures of issues #12 and #7, one row per run, with the machine's load beside them."""
    print()
    print(
        "| run | publication index build (#12): wall s from start / CPU s of build_index | situation-model "
        "training (#7): wall s / CPU s / ready at s | `wijkbot index` total wall s | load 1 min before / after |"
    )
    print("|---|---|---|---|---|")
    for n, (head, total, load) in enumerate(zip(heads, totals, loads, strict=True), 1):
        build = head.get("build", [float("nan")] * 2)
        train = head.get("training", [float("nan")] * 3)
        print(
            f"| {n} | {build[0]:.2f} / {build[1]:.2f} | {train[0]:.2f} / {train[1]:.2f} / {train[2]:.2f} | "
            f"{total[0]:.2f} | {load[0]:.1f} / {load[1]:.1f} |"
        )


if __name__ == "__main__":
    main()
