"""Which row of a safety kind first (bot/suggestion/first_rows.py): leave one keyed dev kaart out, against the fixed rule.

For every acute situation of a keyed dev kaart (tests/data/dev_*/situaties.yaml with `first` keys; never held-out
data) and every partner kind of its `first` rows that has two or more rows on the kaart (in the situation's wijk), the
rows of that kind are one choice. A hit: the chosen row is a `first` row. The fixed rule is the ranking's without the
model (112 first, then the wijk, then the similarity). Per fold the row model is fitted on the other kaarten' groups.
Only contested groups count (some rows of the kind accepted first, some not).

Run: PYTHONPATH=. .venv/bin/python bench/first_row_cv.py [--grid c=0.1,1,10] [--drop age_fit+age_misfit] [--misses]
"""

from __future__ import annotations

import argparse
import itertools
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.first_split import row_groups, trained_understander  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.suggestion.first_rows import FEATURES, FirstRows  # noqa: E402
from bot.suggestion.service import PartnerService  # noqa: E402


def rule(x: np.ndarray) -> int:
    """The fixed rule: 112, then in the wijk, then the most similar."""
    order = sorted(range(len(x)), key=lambda i: (-x[i, 0], -x[i, 4], -x[i, 5]))
    return order[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--grid", action="append", default=[])
    parser.add_argument("--drop", action="append", default=[], help="feature names joined by +, or -")
    parser.add_argument("--kaart", action="append", default=[])
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "first_split")
    args = parser.parse_args()
    embeddings, understander = trained_understander(args.cache)
    with tempfile.TemporaryDirectory() as tmp:
        service = PartnerService(settings=Settings(WIJKBOT_DATA_DIR=Path(tmp)), embeddings=embeddings,  # type: ignore[call-arg]
                                 understander=understander)  # fmt: skip
        groups = {name[4:]: found for name, found in row_groups(service, understander, args.kaart).items()}
    contested = {k: [(x, y) for x, y in g if y.any() and not y.all()] for k, g in groups.items()}
    print(f"features: {', '.join(FEATURES)}")
    print("| variant | " + " | ".join(f"{k[:10]} ({len(v)})" for k, v in contested.items()) + " | all |")
    hits = {k: sum(bool(y[rule(x)]) for x, y in v) for k, v in contested.items()}
    print("| fixed rule | " + " | ".join(str(h) for h in hits.values()) + f" | {sum(hits.values())} |")
    grid = dict(g.split("=", 1) for g in args.grid) or {"c": "1"}
    for drop, values in itertools.product(
        args.drop or ["-"], itertools.product(*(v.split(",") for v in grid.values()))
    ):
        setting = {k: float(v) for k, v in zip(grid, values, strict=True)}
        dropped = () if drop == "-" else tuple(drop.split("+"))
        hits = {}
        for left in contested:
            train = [g for k, v in groups.items() if k != left for g in v]
            model = FirstRows(c=setting.get("c", 1.0), dropped=dropped).fit(train)
            hits[left] = sum(bool(y[model.best(x)]) for x, y in contested[left])
        name = " ".join(f"{k}={v:g}" for k, v in setting.items()) + (f" drop {drop}" if drop != "-" else "")
        print(f"| {name} | " + " | ".join(str(h) for h in hits.values()) + f" | {sum(hits.values())} |")
        full = FirstRows(c=setting.get("c", 1.0), dropped=dropped).fit(
            [g for v in groups.values() for g in v]
        )
        print(
            "  weights on all: "
            + ", ".join(f"{f} {w:+.2f}" for f, w in zip(FEATURES, full.weights, strict=True))
        )


if __name__ == "__main__":
    main()
