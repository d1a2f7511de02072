"""Safety levels as the bot reads them, on labelled situation files read as unseen sets.

The understanding is trained from knowledge/ as `wijkbot index` trains it (cached in --cache), then every file given
(the knowledge/situaties format, with an optional `moment: nu|achteraf` on acute items) is read once. Per file:
the level confusion (labelled level in rows, level given in columns), acute given by moment, false acute on ordinary
items, and the danger type as shown on the acute and zorg items. A file that is in the training corpus is not unseen:
the bench says so.

Run: PYTHONPATH=. .venv/bin/python bench/safety_levels.py FILE [FILE ...] [--cache DIR]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.first_split import trained_understander  # noqa: E402
from bot.understanding.corpus import load_corpus_file  # noqa: E402
from bot.understanding.taxonomy import load_taxonomy  # noqa: E402
from bot.understanding.training import KnowledgePaths  # noqa: E402

LEVELS = ("acuut", "zorg", "geen")


def moments(path: Path) -> list[str]:
    """The `moment` of every item in file order ('' where there is none)."""
    items = yaml.safe_load(path.read_text(encoding="utf-8"))["situaties"]
    return [str(item.get("moment") or "") for item in items]


def report(name: str, gold: list, moment: list[str], readings: list) -> Counter[str]:  # type: ignore[type-arg]
    confusion = Counter((g.level, r.level) for g, r in zip(gold, readings, strict=True))
    print(f"\n{name}: {len(gold)} situations")
    print("| labelled \\ given | acuut | zorg | geen |")
    print("|------------------|-------|------|------|")
    for level in LEVELS:
        print(f"| {level:<16} | " + " | ".join(f"{confusion[level, given]:>4}" for given in LEVELS) + " |")
    totals: Counter[str] = Counter()
    for m in ("nu", "achteraf", ""):
        rows = [r for g, r, mm in zip(gold, readings, moment, strict=True) if g.level == "acuut" and mm == m]
        if rows:
            hit = sum(r.level == "acuut" for r in rows)
            print(f"acute given, moment {m or '-'}: {hit}/{len(rows)}")
    acute = [(g, r) for g, r in zip(gold, readings, strict=True) if g.level == "acuut"]
    zorg = [(g, r) for g, r in zip(gold, readings, strict=True) if g.level == "zorg"]
    calm = [r for g, r in zip(gold, readings, strict=True) if g.level == "geen"]
    totals["acute"], totals["acute given"] = len(acute), sum(r.level == "acuut" for _, r in acute)
    totals["zorg"], totals["zorg flagged"] = len(zorg), sum(r.level != "geen" for _, r in zorg)
    totals["calm"], totals["false acute"] = len(calm), sum(r.level == "acuut" for r in calm)
    totals["calm flagged"] = sum(r.level != "geen" for r in calm)
    safe = acute + zorg
    totals["safety"] = len(safe)
    totals["danger shown right"] = sum(r.level != "geen" and r.danger == g.danger for g, r in safe)
    print(f"acute given {totals['acute given']}/{totals['acute']}, zorg flagged {totals['zorg flagged']}/"
          f"{totals['zorg']}, false acute {totals['false acute']}/{totals['calm']}, ordinary flagged "
          f"{totals['calm flagged']}/{totals['calm']}, danger type shown right {totals['danger shown right']}/"
          f"{totals['safety']}")  # fmt: skip
    return totals


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--cache", type=Path, default=None, help="where the trained model is cached")
    args = parser.parse_args()
    paths = KnowledgePaths.under(ROOT / "knowledge")
    taxonomy = load_taxonomy(paths.taxonomy)
    cache = args.cache or Path(tempfile.mkdtemp(prefix="safety_levels_"))
    _, understander = trained_understander(cache)
    trained = {p.resolve() for p in paths.corpus.glob("train_*.yaml")}
    pooled: Counter[str] = Counter()
    for path in args.files:
        gold = load_corpus_file(path, taxonomy)
        readings = understander.understand_many([g.text for g in gold])
        note = " (IN THE TRAINING CORPUS: not unseen)" if path.resolve() in trained else ""
        pooled += report(f"{path.name}{note}", gold, moments(path), readings)
    if len(args.files) > 1:
        print(f"\nPOOLED: acute given {pooled['acute given']}/{pooled['acute']}, zorg flagged "
              f"{pooled['zorg flagged']}/{pooled['zorg']}, false acute {pooled['false acute']}/{pooled['calm']}, "
              f"ordinary flagged {pooled['calm flagged']}/{pooled['calm']}")  # fmt: skip


if __name__ == "__main__":
    main()
