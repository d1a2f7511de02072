"""Top-3 misses on the keyed dev kaarten (tests/data/dev_*), split by cause (never held-out data).

For each miss (no accepted id among the first three) the first cause that applies, for the best-placed accepted
row A of the situation:
- wijk: an accepted row does not serve the situation's wijk (as the kaart's service_areas are read);
- safety: the key says acuut/zorg (the safety head and the acute ordering decide these);
- order: A is a candidate in a levensgebied that was shown, but ranked below others;
- service domains: A is not a candidate in any shown levensgebied, but one of A's labelled levensgebieden
  (knowledge/diensten/train_r7_<kaart>.yaml or train_r8_, when the kaart's rows are labelled) was shown;
- situation: otherwise (the levensgebieden read in the situation do not include A's labelled / predicted ones).
With --show every miss is printed (situation, shown levensgebieden, top-3, the accepted rows and their domains).

Round 9 (six dev kaarten with Westkoog; the learned order of each kaart fitted on the other five, as
bench/dev_kaarten.py): start (hand-set sum) -> end (learned order): wijk 0 -> 0, safety 10 -> 8, order 22 -> 20,
service domains 4 -> 4, situation 10 -> 10 (46 -> 42 of 490).

Round 10 (eight dev kaarten with Rijnveld and Maasbroek, 670 situations; each kaart's order fitted on the other
seven): start (learned order) -> end (+ key memory, bot/suggestion/rank_memory.py): wijk 0 -> 0, safety 11 -> 10,
order 26 -> 23, service domains 4 -> 4, situation 13 -> 13 (54 -> 50 of 670).

Round 11: `order` split into `order within` (a levensgebied of an accepted row got a place in the first three,
but another row of it was chosen: a better row of the same kind ranked lower) and `order places` (the accepted
rows' levensgebieden were shown but got no place). Nine dev kaarten with Dommelrode (760 situations; each kaart's
order fitted on the other eight), at the branch point a03010d: wijk 0, safety 13 (Dommelrode 3: acute cases read
as level geen), order within 26, order places 6, service domains 4, situation 15 (64 of 760).

Run: PYTHONPATH=. .venv/bin/python bench/dev_misses.py [--show] [--kaart NAME ...]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from dev_kaarten import DEV, PRODUCTION, Bench  # noqa: E402
from rank_cv import parse_value  # noqa: E402

CAUSES = ("wijk", "safety", "order within", "order places", "service domains", "situation")


def labelled_domains(name: str) -> dict[str, list[str]]:
    found = [
        p for r in ("r7", "r8") if (p := ROOT / "knowledge" / "diensten" / f"train_{r}_{name}.yaml").exists()
    ]
    if not found:
        return {}
    path = found[0]
    rows = yaml.safe_load(path.read_text(encoding="utf-8"))["diensten"]
    return {str(r["naam"]): list(r.get("levensgebieden") or []) for r in rows}


def cause_of(
    item: dict[str, Any],
    ranker: Any,
    reading: Any,
    labels: dict[str, list[str]],
    picked: tuple[str, ...] = (),
) -> tuple[str, str]:
    services = ranker.services
    index = {s.id: i for i, s in enumerate(services)}
    accepted = [index[a] for a in item.get("accept") or [] if a in index]
    allowed, _ = ranker._masks(item.get("wijk"))  # noqa: SLF001
    if not all(allowed[i] for i in accepted):
        return "wijk", ""
    if item.get("safety") in ("acuut", "zorg"):
        return "safety", ""
    c = ranker._c  # noqa: SLF001
    shown = reading.shown_domains(fill=c.fill_threshold)
    ids = ranker.prepared.domain_ids
    member = ranker.prepared.membership
    notes = []
    for i in accepted:
        doms = [d for j, d in enumerate(ids) if member[i, j] >= c.min_membership]
        lab = labels.get(services[i].name)
        notes.append(f"{services[i].id}: cand {doms} label {lab}")
    fits = {d for i in accepted for d in shown if member[i, ids.index(d)] >= c.min_membership}
    if fits & set(picked):  # a levensgebied of an accepted row got a place, but another row of it was chosen
        return "order within", "; ".join(notes)
    if fits:  # the accepted rows' levensgebieden were shown but got no place in the first three
        return "order places", "; ".join(notes)
    if any(set(labels.get(services[i].name) or []) & set(shown) for i in accepted):
        return "service domains", "; ".join(notes)
    return "situation", "; ".join(notes)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cache", default=str(Path(tempfile.gettempdir()) / "dev_kaarten"))
    parser.add_argument("--kaart", action="append", default=[])
    parser.add_argument("--show", action="store_true")
    parser.add_argument("--set", action="append", default=[], help="NAME=VALUE (as bench/dev_kaarten.py)")
    args = parser.parse_args()
    from bot.threads import use_threads

    use_threads(None)
    names = args.kaart or list(DEV)
    bench = Bench(names, Path(args.cache), loko_rows=True)
    table: dict[str, Counter[str]] = {}
    for name in names:
        variant = {**PRODUCTION, **{k: parse_value(x) for k, _, x in (s.partition("=") for s in args.set)}}
        ranker = bench.ranker(name, variant)
        labels = labelled_domains(name)
        counts: Counter[str] = Counter()
        for item in bench.items[name]:
            reading, words = bench.read[str(item["s"])]
            result = ranker.suggest(str(item["s"]), reading, wijk=item.get("wijk"), top=3, words=words)
            top = [s.service.id for s in result.suggestions]
            if set(item.get("accept") or []) & set(top):
                continue
            picked = tuple(s.domain for s in result.suggestions)
            cause, note = cause_of(item, ranker, reading, labels, picked)
            counts[cause] += 1
            if args.show:
                probs = sorted(reading.probabilities.items(), key=lambda kv: -kv[1])[:4]
                print(f"[{name}] {cause}: {item['s']}\n  wijk {item.get('wijk')} level {reading.level} "
                      f"shown {reading.shown_domains(fill=bench.full.constants.fill_threshold)} "
                      f"p {[(d, round(p, 2)) for d, p in probs]}\n  top {top}\n  accept {item.get('accept')}\n"
                      f"  {note}")  # fmt: skip
        table[name] = counts
    print("| kaart | " + " | ".join(CAUSES) + " | misses |\n|---|" + "---|" * (len(CAUSES) + 1))
    for name, counts in table.items():
        print(f"| {name} | " + " | ".join(str(counts[c]) for c in CAUSES) + f" | {sum(counts.values())} |")
    total = Counter()
    for counts in table.values():
        total.update(counts)
    print("| all | " + " | ".join(str(total[c]) for c in CAUSES) + f" | {sum(total.values())} |")


if __name__ == "__main__":
    main()
