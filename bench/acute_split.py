"""Acute first, split by cause, on the dev kaarten: (a) level not acute, (b) acute but the wrong danger type,
(c) right type but the first partner is not of a kind that fits that type (veiligheid.yaml `partners`).

Runs the whole bot (trained understanding + ranking) on acute situations with a danger label: the labelled acute
cases of tests/kaart/gevaar_acuut.yaml (written for this bench, fictional), on every dev kaart (tests/kaart/*.csv,
tests/data/dev_lindenwaard, tests/data/dev_haverdam). Also prints, per kaart, which rows are read as which safety
partner kind, so a misread kind (c) can be told from a ranking miss. Held-out kaarten are not read here.

Run: PYTHONPATH=. .venv/bin/python bench/acute_split.py [--kinds] [--misses]
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


def fitting_order(safety: Any, danger: str) -> tuple[str, ...]:
    """The partner kinds that fit an acute case of this danger type, preferred first (veiligheid.yaml)."""
    return tuple(safety.partner_kinds("acuut", danger))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--kinds", action="store_true", help="print the rows read as a safety partner kind")
    parser.add_argument("--misses", action="store_true")
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


if __name__ == "__main__":
    main()
