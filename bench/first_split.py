"""Acute first on the keyed dev kaarten, every miss split into level / kind / kaart (never held-out data).

For every acute situation of a dev kaart with an answer key (tests/data/dev_*/situaties.yaml, `first` = the ids that
may come first), the whole ranking runs (trained understanding + PartnerService ranking, as `wijkbot eval
situations`). A hit is level acute and the first id in `first` (as bench/unseen.py counts it). A miss is:
- level: the situation is not judged acute;
- kind: judged acute, but the first row's partner kinds share none with the kinds of the key's rows (the kind
  order chose another kind, or no safety row came first);
- kaart: the first row has a kind of a key row, but it is not a key row (the wrong crisis row, a local police row
  instead of the 112 row, ...), or no key row is read as a safety kind at all (the key row's kind is not found).
Also the ordinary situations (safety geen / none) given acute.

Two columns per kaart: `prod` uses the production first-kind and first-row models (trained on knowledge/eerste_partner*.yaml, which
holds these keys); `loko` refits the first-kind model without the examples of the kaart scored (its `kaart:` name),
and the first-row model (bot/suggestion/first_rows.py) without the
`first` keys of that kaart, so its first choice is that of an unseen kaart. The level and danger heads never see these situations.

Run: PYTHONPATH=. .venv/bin/python bench/first_split.py [--misses] [--kaart westkoog ...] [--no-loko]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.config import Settings  # noqa: E402
from bot.kaart.validation import parse_file  # noqa: E402
from bot.retrieval.embeddings import USEEmbeddings  # noqa: E402
from bot.suggestion.first_rows import FirstRows  # noqa: E402
from bot.suggestion.rank_training import Keyed, RankSettings, first_row_groups  # noqa: E402
from bot.suggestion.service import PartnerService  # noqa: E402
from bot.understanding.first_kinds import load_all  # noqa: E402
from bot.understanding.training import KnowledgePaths, build_understander  # noqa: E402

CAUSES = ("ok", "level", "kind", "kaart")


def keyed_folders() -> list[Path]:
    """Every tests/data/dev_* folder with a kaart and situations that carry `first` keys."""
    out = []
    for folder in sorted((ROOT / "tests" / "data").glob("dev_*")):
        path = folder / "situaties.yaml"
        if path.is_file() and any(folder.glob("*.csv")):
            items = yaml.safe_load(path.read_text(encoding="utf-8")).get("situations") or []
            if any(i.get("first") for i in items):
                out.append(folder)
    return out


def split_kaart(service: Any, understander: Any, folder: Path, misses: list[str]) -> Counter[str]:
    path = next(folder.glob("*.csv"))
    safety = understander.safety
    services = parse_file(path).services
    kinds = dict(zip([s.id for s in services], safety.kinds_of_services(services), strict=True))
    items = yaml.safe_load((folder / "situaties.yaml").read_text(encoding="utf-8"))["situations"]
    ranker = service._loaded_for(path).ranker  # noqa: SLF001
    out: Counter[str] = Counter()
    texts = [str(i["s"]) for i in items]
    readings = understander.understand_many(texts)
    for item, reading in zip(items, readings, strict=True):
        words = understander.model.featurizer.char.transform([reading.expanded])
        result = ranker.suggest(item["s"], reading, wijk=item.get("wijk"), top=3, words=words)
        ids = [s.service.id for s in result.suggestions]
        first = ids[0] if ids else "-"
        if item.get("safety") != "acuut":
            if item.get("safety") in (None, "geen"):
                out["ordinary"] += 1
                out["false acute"] += reading.level == "acuut"
                if reading.level == "acuut":
                    misses.append(f"  {folder.name[4:]:<11} FALSE ACUTE p={reading.level_probabilities.get('acuut', 0):.2f} "
                                  f"{reading.danger} | {item['s'][:90]}")  # fmt: skip
            continue
        key = list(item.get("first") or [])
        key_kinds = {k for i in key for k in kinds.get(i, ())}
        if reading.level == "acuut" and first in key:
            cause = "ok"
        elif reading.level != "acuut":
            cause = "level"
        elif not key_kinds or kinds.get(first, set()) & key_kinds:
            cause = "kaart"
        else:
            cause = "kind"
        out[cause] += 1
        if cause != "ok":
            misses.append(f"  {folder.name[4:]:<11} {cause:<5} {reading.level}/{reading.danger} "
                          f"p={reading.level_probabilities.get('acuut', 0):.2f} first {first} "
                          f"{sorted(kinds.get(first, set()))} | key {key} {[sorted(kinds.get(k, ())) for k in key]} "
                          f"| {item['s'][:80]}")  # fmt: skip
    return out


def trained_understander(cache: Path) -> tuple[USEEmbeddings, Any]:
    """The sentence encoder and the understanding trained from knowledge/ (cached in `cache`), one thread each."""
    from bot.threads import use_threads

    use_threads(None)
    embeddings = USEEmbeddings()
    return embeddings, build_understander(
        KnowledgePaths.under(ROOT / "knowledge"), embeddings, cache_dir=cache
    )


def row_groups(service: Any, understander: Any, only: Sequence[str] = ()) -> dict[str, list[Any]]:
    """Per keyed dev kaart (every one, or those named in `only` without 'dev_') its first-row choices
    (bot/suggestion/first_rows.py)."""
    out = {}
    for folder in keyed_folders():
        if only and folder.name[4:] not in only:
            continue
        items = yaml.safe_load((folder / "situaties.yaml").read_text(encoding="utf-8"))["situations"]
        items = [i for i in items if i.get("safety") == "acuut" and i.get("first")]
        ranker = service._loaded_for(next(folder.glob("*.csv"))).ranker  # noqa: SLF001
        readings = understander.understand_many([str(i["s"]) for i in items])
        words = understander.model.featurizer.char.transform([r.expanded for r in readings]).tocsr()
        out[folder.name] = first_row_groups(Keyed(ranker, items, readings, words))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--misses", action="store_true")
    parser.add_argument("--kaart", action="append", default=[])
    parser.add_argument("--no-loko", action="store_true")
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "first_split")
    args = parser.parse_args()
    embeddings, understander = trained_understander(args.cache)
    folders = [f for f in keyed_folders() if not args.kaart or f.name[4:] in args.kaart]
    examples = load_all(ROOT / "knowledge")
    production = understander.first
    tables: dict[str, dict[str, Counter[str]]] = {"prod": {}, "loko": {}}
    notes: dict[str, list[str]] = {"prod": [], "loko": []}
    with tempfile.TemporaryDirectory() as tmp:
        service = PartnerService(settings=Settings(WIJKBOT_DATA_DIR=Path(tmp)), embeddings=embeddings,  # type: ignore[call-arg]
                                 understander=understander)  # fmt: skip
        rows = {} if args.no_loko else row_groups(service, understander)
        settings = RankSettings()
        for folder in folders:
            understander.first = production
            tables["prod"][folder.name] = split_kaart(service, understander, folder, notes["prod"])
            if args.no_loko:
                continue
            understander.learn_first([e for e in examples if e.kaart != folder.name])
            ranker = service._loaded_for(next(folder.glob("*.csv"))).ranker  # noqa: SLF001
            own = ranker.first_rows
            if own is not None:  # the first-row model refitted without this kaart's keys
                others = [g for name, groups in rows.items() if name != folder.name for g in groups]
                ranker.first_rows = FirstRows(
                    c=settings.first_rows_c, dropped=settings.first_rows_dropped
                ).fit(others)
            tables["loko"][folder.name] = split_kaart(service, understander, folder, notes["loko"])
            ranker.first_rows = own
        understander.first = production
    for mode, table in tables.items():
        if not table:
            continue
        print(f"\n{mode}: acute first split (ok / level / kind / kaart of acute), ordinary given acute")
        print(
            "| kaart | acute | ok | level | kind | kaart | ordinary given acute |\n|---|---|---|---|---|---|---|"
        )
        total: Counter[str] = Counter()
        for name, counts in table.items():
            total.update(counts)
            _row(name[4:], counts)
        _row("all", total)
        if args.misses:
            print("\n".join(notes[mode]))


def _row(name: str, c: Counter[str]) -> None:
    acute = sum(c[k] for k in CAUSES)
    print(f"| {name} | {acute} | {c['ok']} | {c['level']} | {c['kind']} | {c['kaart']} | "
          f"{c['false acute']}/{c['ordinary']} |")  # fmt: skip


if __name__ == "__main__":
    main()
