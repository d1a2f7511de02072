"""What the engine worker's memory is: the worker's engine built in this process on a built data dir, then its
resident memory by kind (/proc/self/smaps: anonymous and heap, file-backed libraries, memory-mapped weights) and
the live Python allocations by package (tracemalloc, --objects; slower start).

Run: .venv/bin/python bench/worker_memory.py --data-dir DIR [--objects] [--threads N]
(DIR: a data dir after `wijkbot index`; the worker's database is opened there.)
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def smaps_by_kind() -> dict[str, float]:
    """Resident MB per kind of mapping of this process."""
    totals: dict[str, float] = defaultdict(float)
    name = ""
    for line in Path("/proc/self/smaps").read_text().splitlines():
        if re.match(r"^[0-9a-f]+-[0-9a-f]+ ", line):
            parts = line.split(None, 5)
            name = parts[5] if len(parts) == 6 else ""
        elif line.startswith("Rss:"):
            totals[_kind(name)] += int(line.split()[1]) / 1024
    return dict(totals)


def _kind(name: str) -> str:
    if not name or name.startswith("[anon") or name == "[heap]":
        return "anonymous + heap (Python objects, numpy arrays)"
    if name.startswith("["):
        return f"other {name}"
    if name.endswith(".npy") or "use-weights" in name:
        return "USE weights, memory-mapped .npy (file-backed, shared)"
    for package in (
        "scipy",
        "numpy",
        "sklearn",
        "openblas",
        "libpython",
        "python3",
        "onnx",
        "chroma",
        "sqlite",
    ):
        if package in name.lower():
            return f"library: {package}"
    return "other files and libraries"


def python_objects(limit: int = 15) -> list[tuple[str, float]]:
    """Live Python allocations by top-level package (tracemalloc was started before the engine was built)."""
    import tracemalloc

    snapshot = tracemalloc.take_snapshot()
    by_package: dict[str, float] = defaultdict(float)
    for stat in snapshot.statistics("filename"):
        path = stat.traceback[0].filename
        by_package[_package(path)] += stat.size / 1024 / 1024
    return sorted(by_package.items(), key=lambda kv: -kv[1])[:limit]


def _package(path: str) -> str:
    if "site-packages/" in path:
        return path.split("site-packages/", 1)[1].split("/", 1)[0]
    if "/bot/" in path:
        return "bot/" + path.split("/bot/", 1)[1].split("/", 1)[0]
    if "<frozen" in path or "/lib/python3" in path:
        return "python stdlib (incl. module code)"
    return path.rsplit("/", 1)[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--objects", action="store_true", help="also live Python allocations (tracemalloc)")
    parser.add_argument("--threads", type=int, default=None)
    args = parser.parse_args()
    from bot.threads import use_threads

    print(use_threads(args.threads))
    if args.objects:
        import tracemalloc

        tracemalloc.start()
    from bot.channels.telegram_worker import build_engine, give_back_free_memory
    from bot.config import Settings

    settings = Settings(_env_file=None, WIJKBOT_DATA_DIR=args.data_dir, OPENAI_API_KEY="", OPENAI_BASE_URL="",
                        CHROMA_HOST="")  # type: ignore[call-arg]  # fmt: skip
    engine = build_engine(settings)  # kept: what the worker holds while it serves
    give_back_free_memory()  # as the worker does before it says ready
    status = Path("/proc/self/status").read_text()
    rss = int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024  # type: ignore[union-attr]
    peak = int(re.search(r"VmHWM:\s+(\d+)", status).group(1)) / 1024  # type: ignore[union-attr]
    print(f"\nengine worker after start: resident {rss:.0f} MB, peak {peak:.0f} MB\n")
    print("| resident memory by kind (smaps) | MB |\n|---|---|")
    for kind, mb in sorted(smaps_by_kind().items(), key=lambda kv: -kv[1]):
        if mb >= 1:
            print(f"| {kind} | {mb:.0f} |")
    if args.objects:
        print("\n| live Python allocations by package (tracemalloc) | MB |\n|---|---|")
        for package, mb in python_objects():
            print(f"| {package} | {mb:.1f} |")
    del engine


if __name__ == "__main__":
    main()
