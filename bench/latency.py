"""Latency and memory of the answer path (extractive mode), printed as a table.

Measures, on this machine: index build from scratch, warm `ask` p50/p95 in one process,
a cold `wijkbot ask` process, and peak RSS of that process. Uses a temporary data dir.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.config import Settings  # noqa: E402
from bot.retrieval.embeddings import USEEmbeddings  # noqa: E402
from bot.services import build_answer_service, build_index  # noqa: E402


def _env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "TELEGRAM_", "CHROMA_"))}
    env["WIJKBOT_DATA_DIR"] = str(data_dir)
    return env


def _cold_process(data_dir: Path, question: str) -> tuple[float, float]:
    """Wall time (s) and peak RSS (MB) of one `python -m bot ask --json` process."""
    cmd = [
        sys.executable,
        "-c",
        "import resource,sys,runpy;sys.argv=['wijkbot','ask','--json',sys.argv[1]];"
        "import bot.cli as c\ntry:\n c.main()\nexcept SystemExit:\n pass\n"
        # VmHWM, not ru_maxrss: ru_maxrss keeps the high-water mark of the forking bench process across exec
        "print([l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM')][0], file=sys.stderr)",
        question,
    ]
    started = time.perf_counter()
    proc = subprocess.run(cmd, env=_env(data_dir), capture_output=True, text=True, cwd=ROOT, check=True)
    elapsed = time.perf_counter() - started
    rss_kb = int(proc.stderr.strip().splitlines()[-1])
    return elapsed, rss_kb / 1024


def _questions() -> list[str]:
    """Distinct labelled questions from the repository's question files (dev, own, held-out)."""
    files = [
        ROOT / "tests/data/dev_questions.yaml",
        *sorted((ROOT / "tests/retrieval").glob("*questions.yaml")),
    ]
    seen: dict[str, None] = {}
    for file in files:
        for item in yaml.safe_load(file.read_text(encoding="utf-8"))["questions"]:
            seen.setdefault(str(item["q"]), None)
    return list(seen)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument(
        "--threads", type=int, default=None, help="native threads per pool (default: WIJKBOT_THREADS, 1)"
    )
    args = parser.parse_args()
    from bot.threads import use_threads

    print(use_threads(args.threads))
    questions = _questions()
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp) / "data"
        settings = Settings(WIJKBOT_DATA_DIR=data_dir, OPENAI_API_KEY="", OPENAI_BASE_URL="", CHROMA_HOST="")
        embeddings = USEEmbeddings(cache_dir=data_dir)
        started, cpu_started = time.perf_counter(), time.process_time()
        index = build_index(settings, embeddings, rebuild=True)
        build_s, build_cpu = time.perf_counter() - started, time.process_time() - cpu_started
        service = build_answer_service(settings, index, scrubber=None)
        service.answer(questions[0])  # warm-up
        timings = []
        for question in questions[1:]:  # every question once: no query-embedding cache hits
            t0 = time.perf_counter()
            service.answer(question)
            timings.append((time.perf_counter() - t0) * 1000)
        timings.sort()
        p50 = statistics.median(timings)
        p95 = timings[int(len(timings) * 0.95) - 1]
        colds = [_cold_process(data_dir, questions[i % len(questions)]) for i in range(3)]
        cold_s = statistics.median(c[0] for c in colds)
        cold_rss = max(c[1] for c in colds)
    this_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rows = [
        ("index build from scratch", f"{build_s:.2f} s", "<= 10 s"),
        ("index build, CPU of this process", f"{build_cpu:.2f} s", ""),
        (f"warm ask p50 ({len(timings)} distinct questions)", f"{p50:.1f} ms", ""),
        ("warm ask p95", f"{p95:.1f} ms", "<= 30 ms"),
        ("cold `wijkbot ask` process (median of 3)", f"{cold_s:.2f} s", "<= 2 s"),
        ("peak RSS, cold ask process", f"{cold_rss:.0f} MB", "<= 350 MB"),
        ("peak RSS, this bench (build + warm asks)", f"{this_rss:.0f} MB", "<= 500 MB"),
    ]
    width = max(len(r[0]) for r in rows)
    print(f"{'measure':<{width}}  {'value':>10}  goal")
    print("-" * (width + 24))
    for name, value, goal in rows:
        print(f"{name:<{width}}  {value:>10}  {goal}")


if __name__ == "__main__":
    main()
