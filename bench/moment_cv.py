"""The moment head (bot/understanding/moment.py: is the danger happening now or told afterwards?), leave one writer out.

The examples are the acute situations with a `moment` label (knowledge/eerste_partner_moment.yaml: writers eerste_c and
eerste_d, round 12). Per fold the head is fitted on the other writer(s) and scores the left-out writer: accuracy at
P(nu) >= 0.5, log-loss, and the accuracy per danger type; also the share of 'achteraf' rows with P(nu) >= T and of
'nu' rows under T for the gate thresholds T (--gates). Never reads held-out data.

Run: PYTHONPATH=. .venv/bin/python bench/moment_cv.py [--grid c=0.3,1,3 --grid vector=0,1 --grid chars=0,1]
"""

from __future__ import annotations

import argparse
import itertools
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.retrieval.embeddings import USEEmbeddings  # noqa: E402
from bot.understanding.first_kinds import MOMENT_FILE, load_examples  # noqa: E402
from bot.understanding.moment import NOW, MomentHead  # noqa: E402
from bot.understanding.training import KnowledgePaths, build_understander  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--grid", action="append", default=[], help="NAME=V1,V2 for c, vector, chars")
    parser.add_argument("--gates", default="0.3,0.4,0.5,0.6")
    parser.add_argument("--file", type=Path, default=ROOT / "knowledge" / MOMENT_FILE)
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "first_kind_cv")
    args = parser.parse_args()
    examples = [e for e in load_examples(args.file) if e.moment]
    understander = build_understander(
        KnowledgePaths.under(ROOT / "knowledge"), USEEmbeddings(), cache_dir=args.cache
    )
    readings = understander.understand_many([e.text for e in examples])
    vectors = np.vstack([r.vector for r in readings])
    texts = [r.expanded for r in readings]
    y = np.array([e.moment == NOW for e in examples])
    writers = sorted({e.kaart for e in examples})
    print(f"{len(examples)} labelled: " + ", ".join(f"{w} {sum(e.kaart == w for e in examples)} "
          f"(nu {sum(e.kaart == w and e.moment == NOW for e in examples)})" for w in writers))  # fmt: skip
    grid = dict(g.split("=", 1) for g in args.grid) or {"c": "1", "vector": "1", "chars": "0"}
    gates = [float(g) for g in args.gates.split(",")]
    for values in itertools.product(*(v.split(",") for v in grid.values())):
        setting = {k: float(v) for k, v in zip(grid, values, strict=True)}
        p = np.full(len(examples), 0.5)
        for left in writers:
            train = [i for i, e in enumerate(examples) if e.kaart != left]
            test = [i for i, e in enumerate(examples) if e.kaart == left]
            head = MomentHead(c=setting.get("c", 1.0), vector_weight=setting.get("vector", 1.0),
                              chars=bool(setting.get("chars", 0)))  # fmt: skip
            head.fit(vectors[train], [texts[i] for i in train], [examples[i].moment for i in train])
            p[test] = head.p_now(vectors[test], [texts[i] for i in test])
        right = (p >= 0.5) == y
        loss = -np.mean(np.log(np.clip(np.where(y, p, 1 - p), 1e-6, 1)))
        per_writer = " ".join(f"{w} {right[[e.kaart == w for e in examples]].mean():.3f}" for w in writers)
        danger: dict[str, list[bool]] = defaultdict(list)
        for e, r in zip(examples, right, strict=True):
            danger[e.danger].append(bool(r))
        per_danger = " ".join(f"{d[:8]} {np.mean(v):.2f}" for d, v in sorted(danger.items()))
        gate = " ".join(
            f"T{t:g}: after>=T {np.mean(p[~y] >= t):.2f} now<T {np.mean(p[y] < t):.2f}" for t in gates
        )
        name = " ".join(f"{k}={v:g}" for k, v in setting.items())
        print(
            f"{name:<24} acc {right.mean():.3f} logloss {loss:.3f} | {per_writer} | {per_danger}\n    {gate}"
        )


if __name__ == "__main__":
    main()
