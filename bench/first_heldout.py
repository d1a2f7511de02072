"""First safety partner kind on a file of labelled acute situations, with every kind available (as a writer saw it).

The file has the shape the blind writers of round 16 wrote (/work/corpus/r16/EERSTE_COMMON.txt): `situaties:` with
`tekst`, `gevaar`, `moment` (nu | achteraf), `medisch` (ja | nee) and `eerste` (the one or two kinds the writer
would call first). The production understanding (trained from knowledge/, cached) reads each text; a hit is a
level read as acute AND the first kind of the ranking's order (bot/understanding/first_kinds.order_kinds with the
production settings, all six kinds present, a row with 112 on the kaart) among `eerste`. Printed: the total, per
danger type, per medisch ja/nee and per moment, each as hits / acute-read / situations.

For a held-out file: run it once before changing anything (first-run figure) and once at the end; never tune on
what it shows (no --misses on held-out data).

Run: PYTHONPATH=. .venv/bin/python bench/first_heldout.py FILE [FILE ...] [--cache DIR] [--misses] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.understanding.first_kinds import KINDS, kind_order  # noqa: E402


def first_kind(understander: Any, reading: Any, present: frozenset[str] = KINDS) -> str | None:
    """The first kind the ranking would show for an acute reading on a kaart with every kind and a 112 row
    (first_kinds.kind_order, as Ranker._kind_order)."""
    order = kind_order(understander.safety, understander.constants, reading.level, reading.danger,
                       reading.danger_probabilities, reading.first_kinds, present, True)  # fmt: skip
    return order[0] if order else None


def score(understander: Any, items: list[dict[str, Any]]) -> tuple[dict[str, Counter[str]], list[str]]:
    """Per group ('all', 'gevaar:X', 'medisch:ja', 'moment:nu', ...): n, acute, hit. And one line per miss."""
    readings = understander.understand_many([str(i["tekst"]) for i in items])
    table: dict[str, Counter[str]] = {}
    misses = []
    for item, reading in zip(items, readings, strict=True):
        acute = reading.level == "acuut"
        kind = first_kind(understander, reading) if acute else None
        hit = acute and kind in set(item["eerste"])
        for group in ("all", f"gevaar:{item['gevaar']}", f"medisch:{item.get('medisch', '?')}",
                      f"moment:{item.get('moment', '?')}"):  # fmt: skip
            counts = table.setdefault(group, Counter())
            counts["n"] += 1
            counts["acute"] += acute
            counts["hit"] += hit
        if not hit:
            misses.append(f"  {item['gevaar']:<19} {item.get('moment', '?'):<8} med {item.get('medisch', '?'):<3} "
                          f"{reading.level}/{reading.danger} first {kind} | key {item['eerste']} | "
                          f"{str(item['tekst'])[:80]}")  # fmt: skip
    return table, misses


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "first_heldout")
    parser.add_argument("--misses", action="store_true", help="print the misses (never on held-out data)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    from bench.first_split import trained_understander

    _, understander = trained_understander(args.cache)
    out = {}
    for path in args.files:
        items = yaml.safe_load(path.read_text(encoding="utf-8"))["situaties"]
        table, misses = score(understander, items)
        out[path.name] = {k: dict(v) for k, v in table.items()}
        if args.json:
            continue
        print(f"\n{path}: acute AND a fitting first kind (every kind available)")
        print("| group | situations | read acute | first kind right |\n|---|---|---|---|")
        for group in sorted(table, key=lambda g: (g != "all", g)):
            c = table[group]
            print(f"| {group} | {c['n']} | {c['acute']} | {c['hit']} ({c['hit'] / c['n']:.2f}) |")
        if args.misses:
            print("\n".join(misses))
    if args.json:
        print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
