"""Partner suggestion on an unseen municipality: top-3 hit, acute first, false acute. Prints a table.

Uses the acceptance contract `wijkbot eval situations FILE --kaart PATH --json` in a subprocess, so it
measures exactly what a user of another municipality gets. Default set: tests/data/heldout/zuiderhaven
(written blind; never tune on it).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ROOT / "tests" / "data" / "heldout" / "zuiderhaven"


def run(kaart: Path, situations: Path, threads: int, data_dir: Path | None = None) -> list[dict]:
    """data_dir: a data directory kept between runs (its trained-model cache saves the training); default a
    fresh temporary one."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "TELEGRAM_", "CHROMA_"))}
    env["WIJKBOT_THREADS"] = str(threads)
    with tempfile.TemporaryDirectory() as tmp:
        env["WIJKBOT_DATA_DIR"] = str(data_dir) if data_dir is not None else tmp
        out = subprocess.run(
            [sys.executable, "-m", "bot", "eval", "situations", str(situations), "--kaart", str(kaart), "--json"],
            env=env, capture_output=True, text=True, cwd=ROOT, check=False,
        )  # fmt: skip
    if out.returncode != 0:
        sys.exit(f"eval situations failed ({out.returncode}): {out.stderr.strip()[-400:]}")
    return json.loads(out.stdout)


def score(items: list[dict], rows: list[dict]) -> dict[str, str]:
    top3 = top1 = acute_n = acute_ok = acute_level = ordinary_n = false_acute = 0
    for item, row in zip(items, rows, strict=True):
        ids = row["ids"]
        accept = set(item.get("accept") or [])
        top3 += bool(accept & set(ids[:3]))
        top1 += bool(ids and ids[0] in accept)
        level = (row.get("safety") or {}).get("level")
        if item.get("safety") == "acuut":
            acute_n += 1
            acute_level += level == "acute"
            acute_ok += bool(level == "acute" and ids and ids[0] in set(item.get("first") or []))
        elif item.get("safety") in (None, "geen"):
            ordinary_n += 1
            false_acute += level == "acute"
    n = len(items)
    return {
        "situations": str(n),
        "top-3 hit": f"{top3 / n:.2f}",
        "top-1": f"{top1 / n:.2f}",
        "acute: level acute + fitting partner first": f"{acute_ok}/{acute_n}",
        "acute: level acute given": f"{acute_level}/{acute_n}",
        "ordinary given acute": f"{false_acute}/{ordinary_n}",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--dir", type=Path, default=DEFAULT, help="folder with one .csv kaart and situaties.yaml"
    )
    parser.add_argument("--threads", type=int, default=1, help="native threads per pool (WIJKBOT_THREADS)")
    parser.add_argument("--data-dir", type=Path, help="keep this data directory (model cache) between runs")
    args = parser.parse_args()
    kaart = next(args.dir.glob("*.csv"))
    situations = args.dir / "situaties.yaml"
    items = yaml.safe_load(situations.read_text(encoding="utf-8"))["situations"]
    rows = run(kaart, situations, args.threads, args.data_dir)
    print(f"Unseen municipality: {args.dir.name} ({kaart.name}), threads={args.threads}")
    for key, value in score(items, rows).items():
        print(f"  {key:<45} {value}")
    misses = [
        (item["s"], row["ids"][:3])
        for item, row in zip(items, rows, strict=True)
        if not set(item.get("accept") or []) & set(row["ids"][:3])
    ]
    print(f"  misses: {len(misses)}")


if __name__ == "__main__":
    main()
