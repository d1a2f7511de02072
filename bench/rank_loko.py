"""The learned candidate order (bot/suggestion/rank_model.py) by leave one kaart out over the keyed dev kaarten.

For every keyed dev kaart (tests/data/dev_*; its own service rows out of the service-domain model, as
bench/dev_kaarten.py) every situation is read with the full model; per shown levensgebied the candidates and their
feature rows are collected, labelled 1 when the key accepts the row. Per variant (C, class weight, pointwise or
pairwise, feature subset, which situations train) and per kaart left out: fit on the other kaarten, rank the kaart
left out, and score the whole suggestion (safety picks, slots and all) top-3 / top-1. The hand-set score sum is
the baseline row. Never held-out data.

Round 9 (six keyed dev kaarten incl. Westkoog after its first run, 490 situations; top-3 / top-1, each kaart's
order fitted on the other five; own service rows out of the service-domain model):
| variant                                   | Heuvelrode  | Westerhaven | Bergeloo    | Heidebeek   | Vechtoever  | Westkoog    | mean        |
| hand-set sum (before)                     | 0.963/0.775 | 0.887/0.650 | 0.850/0.600 | 0.938/0.738 | 0.950/0.650 | 0.856/0.644 | 0.907/0.676 |
| within only, point, C 0.1-10              | 0.963/0.812 | 0.912/0.688 | 0.850/0.675 | 0.950/0.775 | 0.900/0.650 | 0.822/0.678 | 0.900/0.713 |
| within only, pair, C 0.1-10               | 0.975/0.800 | 0.900/0.700 | 0.825/0.675 | 0.963/0.775 | 0.925/0.662 | 0.822/0.678 | 0.902/0.715 |
| slot model only (hand-set within)         | 0.950/0.812 | 0.912/0.725 | 0.863/0.662 | 0.950/0.713 | 0.887/0.675 | 0.867/0.667 | 0.905/0.709 |
| within pair C 0.1 + slot pair CHOSEN      | 0.975/0.825 | 0.925/0.838 | 0.838/0.713 | 0.963/0.750 | 0.900/0.738 | 0.867/0.744 | 0.911/0.768 |
| same, slot point                          | 0.975/0.825 | 0.912/0.838 | 0.838/0.713 | 0.963/0.750 | 0.887/0.725 | 0.867/0.744 | 0.907/0.766 |
| same + first place fixed (slot_first_fixed)| 0.975/0.800 | 0.925/0.700 | 0.838/0.675 | 0.975/0.775 | 0.912/0.662 | 0.867/0.678 | 0.915/0.715 |
Slot features without 'score' (the gap stays): the same; without p_domain: 0.909/0.770. First place fixed gains 2 of
490 top-3 hits and loses 26 top-1: not taken. bench/dev_kaarten.py (production path) gives the same rows.

Round 10 (eight keyed kaarten with Rijnveld and Maasbroek; this bench fits without the key memory of
bot/suggestion/rank_memory.py, whose honest figures come from bench/dev_kaarten.py --grid memory=0,1):
hand-set sum 0.901 / 0.685; pair c 0.1 + slot pair (production before) 0.920 / 0.720; + a `cover` feature
(sum of P(levensgebied) x membership) 0.906 / 0.721, dropped; gradient boosting (mode gbm, learning rate 0.1)
0.925 / 0.716, with cover 0.914 / 0.717.

Run: PYTHONPATH=. .venv/bin/python bench/rank_loko.py [--kaart NAME ...] [--grid c=0.1,1] [--grid mode=point,pair]
"""

from __future__ import annotations

import argparse
import itertools
import sys
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from dev_kaarten import DEV, PRODUCTION, Bench  # noqa: E402
from rank_cv import parse_value, ranker_for  # noqa: E402

from bot.suggestion.rank_model import FEATURES, SLOT_FEATURES, RankModel  # noqa: E402
from bot.suggestion.rank_training import Keyed, place_groups  # noqa: E402

Group = tuple[np.ndarray, np.ndarray, bool]  # rows, labels, safety situation


def collect(bench: Bench, name: str) -> tuple[Any, list[Group]]:
    ranker = ranker_for(bench.kaarten[name], bench.full, PRODUCTION)
    groups: list[Group] = []
    for item in bench.items[name]:
        text = str(item["s"])
        reading, words = bench.read[text]
        ctx = ranker.context(text, reading, wijk=item.get("wijk"), words=words, learned=True)
        accept = set(item.get("accept") or [])
        for domain in reading.shown_domains(fill=ranker._c.fill_threshold):  # noqa: SLF001
            candidates, rows = ranker.features(domain, reading, ctx)
            labels = np.array([ranker.services[int(i)].id in accept for i in candidates], dtype=np.int8)
            groups.append((rows, labels, item.get("safety") in ("acuut", "zorg")))
    return ranker, groups


def fit(groups: list[Group], v: dict[str, Any]) -> RankModel:
    keep = [i for i, f in enumerate(FEATURES) if f not in str(v.get("drop", "")).split("+")]
    use = [g for g in groups if (v.get("safety", 1) or not g[2]) and (not v.get("positive", 1) or g[1].any())]
    if v.get("mode") == "gbm":  # dropped features: zero columns
        gone = [i for i in range(len(FEATURES)) if i not in keep]
        zeroed = [(g[0].copy(), g[1]) for g in use]
        for rows, _ in zeroed:
            rows[:, gone] = 0.0
        return RankModel.fit(zeroed, c=v.get("c", 0.1), mode="gbm")
    model = RankModel.fit([(g[0][:, keep], g[1]) for g in use], c=v.get("c", 1.0), mode=v.get("mode", "point"),
                          balanced=bool(v.get("balanced", 0)))  # fmt: skip
    mean, scale, coef = (np.zeros(len(FEATURES), np.float32), np.ones(len(FEATURES), np.float32),
                         np.zeros(len(FEATURES), np.float32))  # fmt: skip
    mean[keep], scale[keep], coef[keep] = model.mean, model.scale, model.coef
    return RankModel(mean, scale, coef)


def slot_groups(bench: Bench, name: str, ranker: Any) -> list[tuple[np.ndarray, np.ndarray]]:
    """Per situation: the places (round, levensgebied) of the candidates as ranked now, their rows, and whether
    the key accepts the candidate in that place (the production fit's own place_groups, on the bench's readings)."""
    items = bench.items[name]
    read = [bench.read[str(item["s"])] for item in items]
    keyed = Keyed(ranker, items, [reading for reading, _ in read], [words for _, words in read])
    return place_groups(keyed, ranker._c.fill_threshold)  # noqa: SLF001


def score(bench: Bench, name: str, ranker: Any) -> tuple[float, float]:
    top3 = top1 = 0
    for item in bench.items[name]:
        text = str(item["s"])
        reading, words = bench.read[text]
        ids = [
            s.service.id
            for s in ranker.suggest(text, reading, wijk=item.get("wijk"), top=3, words=words).suggestions
        ]
        accept = set(item.get("accept") or [])
        top3 += bool(accept & set(ids))
        top1 += bool(ids) and ids[0] in accept
    n = len(bench.items[name])
    return top3 / n, top1 / n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cache", default=str(Path(tempfile.gettempdir()) / "dev_kaarten"))
    parser.add_argument("--kaart", action="append", default=[])
    parser.add_argument("--set", action="append", default=[], help="NAME=VALUE for every variant")
    parser.add_argument("--grid", action="append", default=[], help="NAME=V1,V2,... (all combinations)")
    parser.add_argument("--coef", action="store_true", help="print the coefficients fitted on all kaarten")
    args = parser.parse_args()
    from bot.threads import use_threads

    use_threads(None)
    names = args.kaart or list(DEV)
    bench = Bench(names, Path(args.cache), loko_rows=True)
    data = {n: collect(bench, n) for n in names}
    base = {k: parse_value(x) for k, _, x in (s.partition("=") for s in args.set)}
    axes = [
        (k, [parse_value(x) for x in xs.split(",")]) for k, _, xs in (g.partition("=") for g in args.grid)
    ]
    print(f"dev kaarten {names}; fixed {base}")
    print("| variant | " + " | ".join(names) + " | mean |\n|---|" + "---|" * (len(names) + 1))
    results: dict[str, dict[str, tuple[float, float]]] = {}
    hand = {}
    for n in names:
        data[n][0].rank_model = None
        hand[n] = score(bench, n, data[n][0])
    cells = " | ".join(f"{hand[n][0]:.3f} / {hand[n][1]:.3f}" for n in names)
    print(f"| hand-set sum | {cells} | {np.mean([hand[n][0] for n in names]):.3f} / "
          f"{np.mean([hand[n][1] for n in names]):.3f} |", flush=True)  # fmt: skip
    for combo in itertools.product(*[values for _, values in axes]) if axes else [()]:
        v = {**base, **dict(zip([k for k, _ in axes], combo, strict=True))}
        r = {}
        for n in names:
            ranker = data[n][0]
            within = fit([g for m in names if m != n for g in data[m][1]], v) if v.get("within", 1) else None
            slot = None
            if v.get("slot", 0):
                groups = []
                for m in names:
                    if m != n:
                        data[m][0].rank_model = within
                        groups += slot_groups(bench, m, data[m][0])
                        data[m][0].rank_model = None
                drop = [SLOT_FEATURES.index(f) for f in str(v.get("slot_drop", "")).split("+") if f]
                for rows, _ in groups:
                    rows[:, drop] = 0.0
                slot = RankModel.fit(groups, c=v.get("slot_c", 1.0), mode=v.get("slot_mode", "pair"))
            ranker.rank_model, ranker.slot_model = within, slot
            ranker.slot_first = bool(v.get("first", 0))
            r[n] = score(bench, n, ranker)
            ranker.rank_model = ranker.slot_model = None
        label = ", ".join(f"{k}={x}" for k, x in v.items()) or "learned"
        results[label] = r
        cells = " | ".join(f"{r[n][0]:.3f} / {r[n][1]:.3f}" for n in names)
        print(f"| {label} | {cells} | {np.mean([r[n][0] for n in names]):.3f} / "
              f"{np.mean([r[n][1] for n in names]):.3f} |", flush=True)  # fmt: skip
        if args.coef:
            model = fit([g for m in names for g in data[m][1]], v)
            print("   ", {f: round(float(c), 2) for f, c in zip(FEATURES, model.coef, strict=True)})

    if len(results) > 1:
        print(
            "\nvariant chosen on the other kaarten (their leave-one-kaart-out figures) -> the kaart left out:"
        )
        held = []
        for n in names:
            best = max(
                results,
                key=lambda k: np.mean([results[k][m][0] + 0.01 * results[k][m][1] for m in names if m != n]),
            )
            held.append(results[best][n])
            print(f"  {n}: {best} -> top-3 {results[best][n][0]:.3f}, top-1 {results[best][n][1]:.3f}")
        print(f"  mean: top-3 {np.mean([h[0] for h in held]):.3f}, top-1 {np.mean([h[1] for h in held]):.3f}")


if __name__ == "__main__":
    main()
