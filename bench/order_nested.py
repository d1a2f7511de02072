"""Nested leave one kaart out for a learned-order setting (the key memory, its neighbours, ...); never held-out data.

bench/dev_kaarten.py chooses a variant for kaart n by the other kaarten's figures, but those figures come from
orders (and key memories) fitted WITH kaart n. Here the choice is nested: for each kaart n left out (outer), every
variant is scored on each other kaart m with the order fitted on the kaarten without n and m (inner), the variant
with the best inner mean top-3 (ties: top-1, then the first listed) is taken, and its figure on n comes from the
order fitted on all kaarten but n. Per unordered pair {n, m} one fit serves both inner scores, so a variant costs
k (k - 1) / 2 + k fits over k kaarten.

Also printed per variant: the guard of round 10. With the order fitted on all keyed dev kaarten, the debt case of
tests/conversation/own_conversations6.yaml on tests/kaart/vierde_gemeente.csv must keep x-schuldhulp in its top 3
(the key memory dropped it there in round 10).

Run: PYTHONPATH=. .venv/bin/python bench/order_nested.py --grid memory=0,1 [--grid neighbours=3,5,10]
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from dev_kaarten import DEV, PRODUCTION, Bench  # noqa: E402
from rank_cv import kaart_data, parse_value, ranker_for  # noqa: E402

from bot.suggestion.rank_training import Keyed, OrderModels, RankSettings, fit_orders  # noqa: E402

GUARD_KAART = ROOT / "tests" / "kaart" / "vierde_gemeente.csv"
GUARD = ("alleenstaande vader, rekeningen stapelen zich op, incasso's en aanmaningen", "x-schuldhulp")


class Nested(Bench):
    def order_on(self, names: list[str], v: dict[str, Any]) -> OrderModels | None:
        from scipy import sparse

        keyed = []
        for m in names:
            reads = [self.read[str(i["s"])] for i in self.items[m]]
            keyed.append(Keyed(ranker_for(self.kaarten[m], self.full, v), [i for i in self.items[m] if i.get("accept")],
                               [r for r, _ in reads], sparse.vstack([w for _, w in reads]).tocsr()))  # fmt: skip
        fields = {f: v[f] for f in RankSettings.__dataclass_fields__ if f in v and f not in ("c", "mode")}
        fields.update({f: v[f"order_{f}"] for f in ("c", "mode") if f"order_{f}" in v})
        return fit_orders(keyed, self.full.constants.fill_threshold, RankSettings(**fields))

    def score(self, data: Any, items: list[dict[str, Any]], order: OrderModels | None, v: dict[str, Any],
              reads: dict[str, Any] | None = None) -> tuple[float, float, list[str]]:  # fmt: skip
        reads = reads or self.read
        ranker = ranker_for(data, self.full, v)
        ranker.rank_model, ranker.slot_model = (order.within, order.slots) if order else (None, None)
        ranker.memory = order.memory if order else None
        ranker.slot_first = order.first_fixed if order else True
        top3 = top1 = 0
        ids: list[str] = []
        for item in items:
            reading, words = reads[str(item["s"])]
            result = ranker.suggest(str(item["s"]), reading, wijk=item.get("wijk"), top=3, words=words)
            ids = [s.service.id for s in result.suggestions]
            accept = set(item.get("accept") or [])
            top3 += bool(accept & set(ids))
            top1 += bool(ids) and ids[0] in accept
        return top3 / max(len(items), 1), top1 / max(len(items), 1), ids


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cache", default=str(Path(tempfile.gettempdir()) / "dev_kaarten"))
    parser.add_argument("--kaart", action="append", default=[])
    parser.add_argument("--set", action="append", default=[])
    parser.add_argument("--grid", action="append", default=[])
    parser.add_argument(
        "--dump", type=Path, help="write the inner and outer figures here (JSON), to combine runs"
    )
    args = parser.parse_args()
    from bot.threads import use_threads

    use_threads(None)
    names = args.kaart or list(DEV)
    bench = Nested(names, Path(args.cache), loko_rows=True)
    base = {**PRODUCTION, **{k: parse_value(x) for k, _, x in (s.partition("=") for s in args.set)}}
    axes = [
        (k, [parse_value(x) for x in xs.split(",")]) for k, _, xs in (g.partition("=") for g in args.grid)
    ]
    variants = [{**base, **dict(zip([k for k, _ in axes], c, strict=True))}
                for c in itertools.product(*[vals for _, vals in axes])] if axes else [base]  # fmt: skip
    label = [", ".join(f"{k}={x}" for k, x in v.items() if k not in base) or "base" for v in variants]
    guard_data = kaart_data(GUARD_KAART, bench.full, bench.full._encoder)  # noqa: SLF001
    reading = bench.full.understand_many([GUARD[0]])[0]
    guard_reads = {GUARD[0]: (reading, bench.full.model.featurizer.char.transform([reading.expanded]))}
    inner: dict[tuple[int, str, str], tuple[float, float]] = {}  # (variant, left out n, scored m)
    outer: dict[tuple[int, str], tuple[float, float]] = {}
    for k, v in enumerate(variants):
        for n, m in itertools.combinations(names, 2):
            order = bench.order_on([x for x in names if x not in (n, m)], v)
            inner[k, n, m] = bench.score(bench.kaarten[m], bench.items[m], order, v)[:2]
            inner[k, m, n] = bench.score(bench.kaarten[n], bench.items[n], order, v)[:2]
        for n in names:
            order = bench.order_on([x for x in names if x != n], v)
            outer[k, n] = bench.score(bench.kaarten[n], bench.items[n], order, v)[:2]
        full = bench.order_on(names, v)
        ids = bench.score(guard_data, [{"s": GUARD[0], "accept": [GUARD[1]]}], full, v, guard_reads)[2]
        plain = np.mean([outer[k, n][0] for n in names]), np.mean([outer[k, n][1] for n in names])
        print(f"{label[k]}: plain LOKO top-3 {plain[0]:.3f} top-1 {plain[1]:.3f}; "
              + " ".join(f"{n} {outer[k, n][0]:.3f}/{outer[k, n][1]:.3f}" for n in names)
              + f"; guard top 3 {ids} -> {'kept' if GUARD[1] in ids else 'LOST'}", flush=True)  # fmt: skip
    if args.dump:
        args.dump.write_text(json.dumps({"names": names, "labels": label,
                                         "inner": [[k, n, m, *f] for (k, n, m), f in inner.items()],
                                         "outer": [[k, n, *f] for (k, n), f in outer.items()]}))  # fmt: skip
    held = []
    for n in names:

        def inner_mean(k: int, n: str = n) -> tuple[float, float]:
            rows = [inner[k, n, m] for m in names if m != n]
            return float(np.mean([r[0] for r in rows])), float(np.mean([r[1] for r in rows]))

        best = max(range(len(variants)), key=lambda k: (*inner_mean(k), -k))
        held.append(outer[best, n])
        means = "; ".join(f"{label[k]} {inner_mean(k)[0]:.3f}" for k in range(len(variants)))
        print(
            f"  {n}: inner ({means}) -> {label[best]}: top-3 {outer[best, n][0]:.3f}, top-1 {outer[best, n][1]:.3f}"
        )
    print(
        f"nested mean: top-3 {np.mean([h[0] for h in held]):.3f}, top-1 {np.mean([h[1] for h in held]):.3f}"
    )


if __name__ == "__main__":
    main()
