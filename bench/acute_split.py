"""Acute first, split by cause, on the dev kaarten: (a) level not acute, (b) acute but the wrong danger type,
(c) right type but the first partner is not of a kind that fits that type (veiligheid.yaml `partners`).

Runs the whole bot (trained understanding + ranking) on acute situations with a danger label: the labelled acute
cases of tests/kaart/gevaar_acuut.yaml (written for this bench, fictional), on every dev kaart (tests/kaart/*.csv,
tests/data/dev_lindenwaard, tests/data/dev_haverdam). Also prints, per kaart, which rows are read as which safety
partner kind, so a misread kind (c) can be told from a ranking miss. Held-out kaarten are not read here.

With --keys: the acute situations of the dev kaarten with an answer key (tests/data/dev_*/situaties.yaml, FRESH_A
format: `first` = the ids that may come first; danger types in tests/kaart/gevaar_dev_kaarten.yaml), split the same way
by the key itself: (a) level, (b) danger type, (c) partner, and (c) further by why: the kind order put another kind
first (c-order), no row of the key has a kind that fits the type (c-kind: how the kaart rows are read), or a row of
the right kind but not the key's (c-row), or no safety partner came first at all (c-none: e.g. the rows do not serve the
situation's wijk); and whether the key wants a national line (a row with a number of
landelijke_lijnen.yaml, such as 112) or a local row.

Run: PYTHONPATH=. .venv/bin/python bench/acute_split.py [--kinds] [--misses] [--keys [--only-keys]]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.config import Settings  # noqa: E402
from bot.kaart.validation import parse_file  # noqa: E402
from bot.retrieval.embeddings import USEEmbeddings  # noqa: E402
from bot.suggestion.service import PartnerService  # noqa: E402
from bot.understanding.training import KnowledgePaths, build_understander  # noqa: E402

KAARTEN = [
    *sorted((ROOT / "tests" / "kaart").glob("*.csv")),
    ROOT / "tests" / "data" / "dev_lindenwaard" / "lindenwaard.csv",
    ROOT / "tests" / "data" / "dev_haverdam" / "haverdam.csv",
]
SITUATIONS = ROOT / "tests" / "kaart" / "gevaar_acuut.yaml"
KEY_DANGERS = ROOT / "tests" / "kaart" / "gevaar_dev_kaarten.yaml"
# the dev kaarten with an answer key: every folder tests/data/dev_* whose acute danger types KEY_DANGERS labels
KEYED = [ROOT / "tests" / "data" / name for name in yaml.safe_load(KEY_DANGERS.read_text(encoding="utf-8"))]


def fitting_order(safety: Any, danger: str) -> tuple[str, ...]:
    """The partner kinds that fit an acute case of this danger type, preferred first (veiligheid.yaml)."""
    return tuple(safety.partner_kinds("acuut", danger))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--kinds", action="store_true", help="print the rows read as a safety partner kind")
    parser.add_argument("--misses", action="store_true")
    parser.add_argument("--keys", action="store_true", help="also the dev kaarten with an answer key")
    parser.add_argument("--only-keys", action="store_true", help="only the dev kaarten with an answer key")
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "acute_split")
    args = parser.parse_args()
    items = yaml.safe_load(SITUATIONS.read_text(encoding="utf-8"))["situations"]
    acute = [i for i in items if i["safety"] == "acute"]
    embeddings = USEEmbeddings()
    with tempfile.TemporaryDirectory() as tmp:
        understander = build_understander(
            KnowledgePaths.under(ROOT / "knowledge"), embeddings, cache_dir=args.cache
        )
        service = PartnerService(settings=Settings(WIJKBOT_DATA_DIR=Path(tmp)), embeddings=embeddings,  # type: ignore[call-arg]
                                 understander=understander)  # fmt: skip
        safety = understander.safety
        if args.keys or args.only_keys:
            keyed_split(service, understander, args.misses)
        if args.only_keys:
            return
        readings = [understander.understand(i["s"]) for i in acute]
        a = sum(r.level != "acuut" for r in readings)
        b = sum(r.level == "acuut" and r.danger != i["danger"] for r, i in zip(readings, acute, strict=True))
        print(f"{len(acute)} acute situations: (a) level not acute {a}, (b) acute, wrong danger type {b}")
        for r, i in zip(readings, acute, strict=True):
            if args.misses and (r.level != "acuut" or r.danger != i["danger"]):
                print(
                    f"    ({'a' if r.level != 'acuut' else 'b'}) {i['danger']} -> {r.level}/{r.danger} | {i['s'][:90]}"
                )
        print(
            "| kaart                      | acute first | (a) level | (b) type | (c) partner | first = preferred kind |"
        )
        print(
            "|----------------------------|-------------|-----------|----------|-------------|------------------------|"
        )
        for path in KAARTEN:
            services = parse_file(path).services
            kinds = dict(zip([s.id for s in services], safety.kinds_of_services(services), strict=True))
            if args.kinds:
                for s in services:
                    if kinds[s.id] or s.crisis:
                        print(f"    {s.id:<24} {sorted(kinds[s.id])!s:<32} {s.name[:60]}")
            split = {"ok": 0, "a": 0, "b": 0, "c": 0, "best": 0}
            present = set().union(*kinds.values())
            for item, reading in zip(acute, readings, strict=True):
                result = service.suggest(item["s"], kaart_path=path)
                first = result.suggestions[0].service if result.suggestions else None
                fitting = set(fitting_order(safety, item["danger"]))
                if reading.level != "acuut":
                    cause = "a"
                elif reading.danger != item["danger"]:
                    cause = "b"
                else:
                    cause = "ok" if first is not None and kinds[first.id] & fitting else "c"
                split[cause] += 1
                best = next((k for k in fitting_order(safety, item["danger"]) if k in present), None)
                split["best"] += cause == "ok" and first is not None and best in kinds[first.id]
                if args.misses and cause == "c":
                    print(f"    (c) {item['danger']}: first {first.id if first else '-'} "
                          f"{sorted(kinds[first.id]) if first else ''} | {item['s'][:80]}")  # fmt: skip
            print(f"| {path.stem[:26]:<26} | {split['ok']:>4}/{len(acute):<6} | {split['a']:9d} | {split['b']:8d} | "
                  f"{split['c']:11d} | {split['best']:22d} |")  # fmt: skip


def keyed_split(service: Any, understander: Any, misses: bool) -> None:
    """The acute situations of the dev kaarten with an answer key, split by cause (see the module text)."""
    safety = understander.safety
    dangers = yaml.safe_load(KEY_DANGERS.read_text(encoding="utf-8"))
    print("| kaart (answer key)  | acute first | (a) level | (b) type | (c) order | (c) kind | (c) row | "
          "(c) none | key wants national / local |")  # fmt: skip
    print("|---------------------|-------------|-----------|----------|-----------|----------|---------|"
          "----------|----------------------------|")  # fmt: skip
    total: dict[str, int] = {}
    notes: list[str] = []
    for folder in KEYED:
        path = next(folder.glob("*.csv"))
        services = parse_file(path).services
        by_id = {s.id: s for s in services}
        kinds = dict(zip(by_id, safety.kinds_of_services(services), strict=True))
        national = {i: safety.national is not None and safety.national.matching(s.phone) is not None
                    for i, s in by_id.items()}  # fmt: skip
        items = yaml.safe_load((folder / "situaties.yaml").read_text(encoding="utf-8"))["situations"]
        acute = [i for i in items if i.get("safety") == "acuut"]
        split = dict.fromkeys(("ok", "a", "b", "order", "kind", "row", "none", "national", "local"), 0)
        for item, danger in zip(acute, dangers[folder.name], strict=True):
            reading = understander.understand(item["s"])
            result = service.suggest(item["s"], kaart_path=path, wijk=item.get("wijk"))
            first = result.suggestions[0].service.id if result.suggestions else "-"
            key = list(item.get("first") or [])
            fitting = set(fitting_order(safety, danger))
            if reading.level == "acuut" and first in key:
                cause = "ok"
            elif reading.level != "acuut":
                cause = "a"
            elif reading.danger != danger:
                cause = "b"
            elif not any(kinds[k] & fitting for k in key):
                cause = "kind"
            elif not kinds.get(first):  # no safety partner first at all (e.g. the wijk shut the rows out)
                cause = "none"
            elif kinds.get(first, set()) & {k for i in key for k in kinds[i]}:
                cause = "row"
            else:
                cause = "order"
            split[cause] += 1
            if cause != "ok":
                split["national" if national.get(key[0]) else "local"] += 1
                notes.append(f"    {folder.name[4:]:<11} ({cause}) {danger} -> {reading.level}/{reading.danger}: first "
                             f"{first} {sorted(kinds.get(first, set()))} | key {key} "
                             f"{[sorted(kinds[k]) for k in key]} | {item['s'][:70]}")  # fmt: skip
        for k, v in split.items():
            total[k] = total.get(k, 0) + v
        _row(folder.name, split, len(acute))
    _row("all", total, sum(len(v) for v in dangers.values()))
    if misses:
        print("\n".join(notes))


def _row(name: str, split: dict[str, int], n: int) -> None:
    print(f"| {name[:19]:<19} | {split['ok']:>4}/{n:<6} | {split['a']:9d} | {split['b']:8d} | {split['order']:9d} | "
          f"{split['kind']:8d} | {split['row']:7d} | {split['none']:8d} | {split['national']:>12} / {split['local']:<11} |")  # fmt: skip


if __name__ == "__main__":
    main()
