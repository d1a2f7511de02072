"""The situation training of `wijkbot index` (its second process) by part: wall and CPU seconds of each fit, on a
fresh data dir, in a fresh process per run. Parts nest (indented); a part's figures include the parts inside it.

With --store DIR the vector store `wijkbot index` keeps in the data dir is kept in DIR instead, across runs: the
first run on an empty DIR is a cold build, the later ones a rebuild that reads the vectors of the same calls.

Run: .venv/bin/python bench/training_parts.py [--runs N] [--threads N] [--store DIR]
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.patching import install  # noqa: E402

# (module, attribute path, part): each where its callers look it up
PARTS = [
    ("bot.retrieval.embeddings", "USEEmbeddings._load", "USE model load"),
    ("bot.retrieval.embeddings", "USEEmbeddings._forward", "USE forward passes (all parts)"),
    ("bot.understanding.training", "build_understander", "situation model (build_understander)"),
    ("bot.understanding.training", "examples_for", "  examples + lexicon reading"),
    ("bot.understanding.training", "encode", "  USE vectors of the examples"),
    ("bot.understanding.classifier", "Featurizer.fit", "  featurizer fit (char n-grams)"),
    ("bot.understanding.classifier", "Featurizer.transform", "  featurizer transform"),
    ("bot.understanding.classifier", "Featurizer.fit_transform", "  featurizer fit + transform in one pass"),
    ("bot.understanding.classifier", "fit_domains", "  levensgebieden head (one-vs-rest)"),
    ("bot.understanding.classifier", "fit_level", "  safety level head"),
    ("bot.understanding.classifier", "fit_danger", "  danger head"),
    ("bot.understanding.model", "Understander.learn_first", "  first-kind model (readings + fit)"),
    ("bot.understanding.first_kinds", "FirstKinds.fit", "    first-kind fit"),
    ("bot.understanding.training", "_save_cached", "  write cache"),
    ("bot.suggestion.service", "PartnerService.order_models", "learned candidate order (order_models)"),
    ("bot.suggestion.service", "guess_domains", "  service domains of the keyed kaarten"),
    ("bot.suggestion.service", "PartnerService._vectors", "  service vectors"),
    ("bot.suggestion.service", "PartnerService._ranker", "  rankers"),
    ("bot.suggestion.rank_training", "_read", "  situation readings"),
    ("bot.suggestion.rank_training", "within_groups", "  rows within levensgebieden"),
    ("bot.suggestion.rank_training", "place_groups", "  rows of the places"),
    ("bot.suggestion.rank_model", "RankModel.fit", "  rank model fits"),
    ("bot.understanding.service_models", "ServiceModels._trained_kinds", "partner-kind model (or its cache)"),
    ("bot.understanding.service_models", "DomainModel.__init__", "service-domain model fit"),
    ("bot.understanding.service_models", "DomainModel.probabilities", "service-domain model use"),
]


class Timer:
    def __init__(self) -> None:
        self.wall: dict[str, float] = defaultdict(float)
        self.cpu: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)
        self.active: dict[str, int] = defaultdict(int)

    def wrap(self, part: str, func: Any) -> Any:
        @functools.wraps(func)
        def timed(*args: Any, **kwargs: Any) -> Any:
            outer = self.active[part] == 0
            self.active[part] += 1
            w0, c0 = time.perf_counter(), time.thread_time()
            try:
                return func(*args, **kwargs)
            finally:
                self.active[part] -= 1
                if outer:
                    self.wall[part] += time.perf_counter() - w0
                    self.cpu[part] += time.thread_time() - c0
                    self.calls[part] += 1

        return timed


def _install(timer: Timer) -> None:
    install(PARTS, timer.wrap)


def child() -> None:
    from bot.config import Settings
    from bot.services import _situation_model_line

    timer = Timer()
    _install(timer)
    settings = Settings(WIJKBOT_DATA_DIR=Path(os.environ["WIJKBOT_DATA_DIR"]), OPENAI_API_KEY="",
                        OPENAI_BASE_URL="", CHROMA_HOST="")  # fmt: skip
    store = os.environ.get("PERF_VECTOR_STORE")
    with contextlib.ExitStack() as stack:
        if store:  # the USE vector store of `wijkbot index` (bot.retrieval.vector_store) in a kept folder
            from bot.retrieval.vector_store import storing
            from bot.threads import configured_threads

            stack.enter_context(storing(Path(store), configured_threads()))
        w0, c0 = time.perf_counter(), time.process_time()
        _situation_model_line(settings, aside=True)  # as the training process of `wijkbot index` runs it
        wall, cpu = time.perf_counter() - w0, time.process_time() - c0
        c1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(f"PART\tCPU of forked helpers\t0\t{c1.ru_utime + c1.ru_stime:.3f}\t1")
    for _, _, part in PARTS:
        print(
            f"PART\t{part}\t{timer.wall.get(part, 0.0):.3f}\t{timer.cpu.get(part, 0.0):.3f}\t{timer.calls.get(part, 0)}"
        )
    print(f"PART\ttotal (_situation_model_line)\t{wall:.3f}\t{cpu:.3f}\t1")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--threads", type=int, default=None, help="native threads per pool (WIJKBOT_THREADS)")
    parser.add_argument("--runs", type=int, default=1, help="fresh processes, each on a fresh data dir")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--store", type=Path, default=None,
                        help="keep the index-time USE vector store here across runs (run 2 on: a warm rebuild)")  # fmt: skip
    args = parser.parse_args()
    from bot.threads import use_threads

    line = use_threads(args.threads)
    if args.child:
        child()
        return
    print(line)
    runs: list[dict[str, tuple[float, float, int]]] = []
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as tmp:
            env = {
                k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "TELEGRAM_", "CHROMA_"))
            }
            env["WIJKBOT_DATA_DIR"] = str(Path(tmp) / "data")
            env["PYTHONPATH"] = str(ROOT)
            if args.store:
                env["PERF_VECTOR_STORE"] = str(args.store.resolve())
            cmd = [
                sys.executable,
                __file__,
                "--child",
                *(["--threads", str(args.threads)] if args.threads else []),
            ]
            out = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True, cwd=ROOT).stdout
        parts = {}
        for row in out.splitlines():
            cells = row.split("\t")
            if cells[0] == "PART":
                parts[cells[1]] = (float(cells[2]), float(cells[3]), int(cells[4]))
        runs.append(parts)
    print(f"situation training (second process of `wijkbot index`), fresh data dir, {args.runs} run(s), medians; "
          f"load {os.getloadavg()[0]:.1f}")  # fmt: skip
    width = max(len(p) for p in runs[0])
    print(f"{'part':<{width}}  {'wall s':>7}  {'CPU s':>7}  {'calls':>5}  wall / CPU / calls per run")
    print("-" * (width + 44))
    for part in runs[0]:
        walls = [r[part][0] for r in runs]
        if max(walls) == 0 and max(r[part][1] for r in runs) == 0:
            continue
        cpu = statistics.median(r[part][1] for r in runs)
        print(f"{part:<{width}}  {statistics.median(walls):>7.2f}  {cpu:>7.2f}  {runs[0][part][2]:>5}  "
              f"{' | '.join(f'{r[part][0]:.2f} / {r[part][1]:.2f} / {r[part][2]}' for r in runs)}")  # fmt: skip


if __name__ == "__main__":
    main()
