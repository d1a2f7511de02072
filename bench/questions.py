"""Publication questions through the acceptance contract `wijkbot eval questions FILE --json`.

Prints per set: chapter-hit@3, fact@3, MRR@10 over the in-scope questions (from the answer's sources),
out-of-scope questions recognised and in-scope questions refused; with one row per value of any
grouping key the file carries (such as `kind`). Only summary rows are printed, never single questions,
unless --misses is given (never use --misses on a held-out set).

Run: .venv/bin/python bench/questions.py FILE [FILE ...] [--misses]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = [
    ROOT / "tests" / "data" / "dev_questions.yaml",
    ROOT / "tests" / "retrieval" / "labelled_questions.yaml",
    ROOT / "tests" / "retrieval" / "dev_questions_u3.yaml",
    ROOT / "tests" / "retrieval" / "heldout_questions_u2.yaml",
    ROOT / "tests" / "retrieval" / "heldout_questions_r3.yaml",
    ROOT / "tests" / "retrieval" / "heldout_questions_r4.yaml",
    ROOT / "tests" / "retrieval" / "heldout_questions_r5.yaml",
    ROOT / "tests" / "retrieval" / "heldout_questions_r6.yaml",
    ROOT / "tests" / "retrieval" / "heldout_questions_r7.yaml",
    ROOT / "tests" / "retrieval" / "heldout_questions_r8.yaml",
    ROOT / "tests" / "retrieval" / "heldout_questions_r9.yaml",
    ROOT / "tests" / "retrieval" / "heldout_questions_r10.yaml",
    ROOT / "tests" / "retrieval" / "heldout_questions_r11.yaml",
    ROOT / "tests" / "retrieval" / "heldout_questions.yaml",
]
_LABEL_KEYS = {"q", "chapter", "facts", "out_of_scope", "note", "notes", "comment", "vorige"}


def is_out(item: dict[str, Any]) -> bool:
    """Out of scope: marked so, or a training-format near miss (`chapter: null`, as in knowledge/vragen_training)."""
    return bool(item.get("out_of_scope")) or ("chapter" in item and item["chapter"] is None)


def run(path: Path, data_dir: Path) -> list[dict[str, Any]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "TELEGRAM_", "CHROMA_"))}
    env["WIJKBOT_DATA_DIR"] = str(data_dir)
    env["PYTHONPATH"] = str(ROOT)
    out = subprocess.run(
        [sys.executable, "-m", "bot", "eval", "questions", str(path), "--json", "--no-answer"],
        env=env, capture_output=True, text=True, cwd=ROOT, check=False,
    )  # fmt: skip
    if out.returncode != 0:
        sys.exit(f"eval questions failed ({out.returncode}): {out.stderr.strip()[-400:]}")
    return json.loads(out.stdout)


def scores(item: dict[str, Any], row: dict[str, Any]) -> tuple[bool, bool, float]:
    chapters = [s["chapter"] for s in row["sources"][:10]]
    hit3 = item.get("chapter") in chapters[:3]
    top3 = " ".join(s["text"] for s in row["sources"][:3]).lower()
    facts = [str(f).lower() for f in item.get("facts") or []]
    fact3 = any(f in top3 for f in facts) if facts else hit3
    rr = next((1.0 / r for r, c in enumerate(chapters, 1) if c == item.get("chapter")), 0.0)
    return hit3, fact3, rr


def summary(items: list[dict[str, Any]], rows: list[dict[str, Any]]) -> str:
    ins = [(i, r) for i, r in zip(items, rows, strict=True) if not is_out(i)]
    oos = [(i, r) for i, r in zip(items, rows, strict=True) if is_out(i)]
    parts = [f"n={len(items):<3}"]
    if ins:
        s = [scores(i, r) for i, r in ins]
        n = len(s)
        hit, fact, mrr = (sum(x[k] for x in s) / n for k in range(3))
        refused = sum(not r["in_scope"] for _, r in ins)
        parts.append(f"hit@3 {hit:.2f}  fact@3 {fact:.2f}  MRR@10 {mrr:.2f}  refused {refused}/{n}")
    if oos:
        caught = sum(not r["in_scope"] for _, r in oos)
        parts.append(f"out of scope recognised {caught}/{len(oos)}")
    return "  ".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path, default=DEFAULT)
    parser.add_argument("--misses", action="store_true", help="list misses (dev sets only)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for path in (p.resolve() for p in args.files):
            items = yaml.safe_load(path.read_text(encoding="utf-8"))["questions"]
            rows = run(path, Path(tmp))
            print(f"\n{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
            print(f"  {'all':<22} {summary(items, rows)}")
            groups: dict[str, list[int]] = defaultdict(list)
            for n, item in enumerate(items):
                for key, value in item.items():
                    if key not in _LABEL_KEYS and isinstance(value, (str, bool, int)):
                        groups[f"{key}={value}"].append(n)
            for name, idx in sorted(groups.items()):
                print(f"  {name[:22]:<22} {summary([items[i] for i in idx], [rows[i] for i in idx])}")
            if args.misses and "heldout" not in path.name:
                for item, row in zip(items, rows, strict=True):
                    if is_out(item):
                        if row["in_scope"]:
                            print(f"    accepted off-topic: {item['q']}")
                        continue
                    hit, fact, _ = scores(item, row)
                    top = [s["chapter"] for s in row["sources"][:3]]
                    if not row["in_scope"]:
                        print(f"    refused: {item['q']}")
                    elif not (hit and fact):
                        print(f"    miss (want {item.get('chapter')}, got {top}): {item['q']}")


if __name__ == "__main__":
    main()
