"""Ranking on the dev kaarten with an answer key, leave one kaart out (never held-out data).

A dev kaart is a folder tests/data/dev_<name>/ with one kaart csv (no levensgebieden column) and situaties.yaml in
the FRESH_A format of bench/unseen.py (s, wijk, accept, safety, first). Per variant (--grid / --set: Constants
fields, and blend / threshold / soft as in bench/rank_cv.py; production is blend 0.5, threshold 0.45, soft blend)
it prints top-3 (an accepted id among the first three) and top-1 per kaart, with the full situation model (these
situations are not training data). Then, leave one kaart out: for each kaart the variant with the best mean top-3
on the OTHER kaarten, and that variant's top-3 / top-1 on the kaart left out (the honest figure).

The service rows of a dev kaart may be training data (knowledge/diensten/train_r7_<name>.yaml, train_r8_<name>.yaml). Then its rows are
taken out of the service-domain model whenever that kaart is scored (--loko-rows, default on), so its service
domains are read as on an unseen kaart.

Round 7 (main cde683e + writer p, this file's first version): see Constants.audience_mismatch / general_penalty.

Round 9: Westkoog (round-9 dev kaart, first run at the branch point 0.856 / 0.644) joined the six; the learned
candidate order (bot/suggestion/rank_training.py) is fitted per scored kaart on the OTHER loaded kaarten (--grid
learned=0,1; with one --kaart there is nothing to fit on: the hand-set sum). Mean top-3 / top-1 over the six:
hand-set sum 0.907 / 0.676 -> learned order 0.915 / 0.715.

Round 10: Rijnveld and Maasbroek (first runs at 5d3af38 with bench/unseen.py 0.88 / 0.70 and 0.93 / 0.74) joined:
eight keyed kaarten, each kaart's order fitted on the other seven. Learned-order settings go through --set/--grid
(RankSettings fields: memory, neighbours, slots, ...; order_c / order_mode for its c / mode). Mean top-3 / top-1:
hand-set sum 0.901 / 0.685, learned order 0.920 / 0.720, + the key memory (recall feature, 5 neighbours) 0.926 /
0.739 (10 neighbours 0.923 / 0.740; gradient boosting instead of the pairwise fit 0.930 / 0.736, too slow per call).

Round 11: Dommelrode joined (first run at the branch point a03010d with bench/unseen.py --dir
tests/data/dev_dommelrode: top-3 0.91, top-1 0.70, acute + fitting first 11/22, acute level 16/22, ordinary given
acute 0/58; here, its order fitted on the other eight: 0.911 / 0.722). Nine keyed kaarten, learned order without
the key memory: mean 0.916 / 0.728.

Run: PYTHONPATH=. .venv/bin/python bench/dev_kaarten.py [--grid general_penalty=0,0.3] [--no-loko-rows]
"""

from __future__ import annotations

import argparse
import itertools
import sys
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from rank_cv import KaartData, kaart_data, parse_value, ranker_for  # noqa: E402
from writer_cv import CachingEncoder  # noqa: E402

from bot.retrieval.embeddings import USEEmbeddings  # noqa: E402
from bot.suggestion.rank_training import Keyed, OrderModels, RankSettings, fit_orders  # noqa: E402
from bot.understanding.constants import Constants  # noqa: E402
from bot.understanding.model import Understander  # noqa: E402
from bot.understanding.service_models import DomainModel  # noqa: E402
from bot.understanding.service_rows import load_services  # noqa: E402
from bot.understanding.training import KnowledgePaths, build_understander  # noqa: E402

KNOWLEDGE = ROOT / "knowledge"
DEV = (
    "heuvelrode",
    "westerhaven",
    "bergeloo",
    "heidebeek",
    "vechtoever",
    "westkoog",
    "rijnveld",
    "maasbroek",
    "dommelrode",
)
PRODUCTION = {"blend": 0.5, "threshold": 0.45, "soft": "blend"}


def service_domains_without(full: Understander, name: str) -> DomainModel | None:
    """The service-domain model trained without the rows of dev kaart `name` (None: no rows of it in training)."""
    rows = load_services(KNOWLEDGE / "diensten", full.taxonomy, set(full.safety.kinds))
    writers = {f"diensten_r7_{name}", f"diensten_r8_{name}"}
    if not any(r.writer in writers for r in rows):
        return None
    learned = full.safety.learned
    settings = learned.domain_settings if learned is not None else None
    return DomainModel(
        [r for r in rows if r.domains and r.writer not in writers], full.taxonomy.ids, settings
    )


class Bench:
    def __init__(
        self, names: list[str], cache: Path, loko_rows: bool, model: dict[str, Any] | None = None
    ) -> None:
        """model: Constants overrides for training the situation model (default: production)."""
        encoder = CachingEncoder(USEEmbeddings())
        constants = replace(Constants(), **(model or {}))
        self.full = build_understander(KnowledgePaths.under(KNOWLEDGE), encoder, cache_dir=cache / "begrip",
                                       constants=constants)  # fmt: skip
        self.kaarten: dict[str, KaartData] = {}
        self.items: dict[str, list[dict[str, Any]]] = {}
        for name in names:
            folder = ROOT / "tests" / "data" / f"dev_{name}"
            data = kaart_data(next(folder.glob("*.csv")), self.full, encoder)
            model = service_domains_without(self.full, name) if loko_rows else None
            if model is not None:
                data.learned = model.probabilities(data.services)
            self.kaarten[name] = data
            text = (folder / "situaties.yaml").read_text(encoding="utf-8")
            self.items[name] = yaml.safe_load(text)["situations"]
        texts = sorted({str(i["s"]) for items in self.items.values() for i in items})
        char = self.full.model.featurizer.char
        readings = self.full.understand_many(texts)
        self.read = {t: (r, char.transform([r.expanded])) for t, r in zip(texts, readings, strict=True)}

    def order_without(self, name: str, v: dict[str, Any]) -> OrderModels | None:
        """The learned order (bot/suggestion/rank_training.py) fitted on the other loaded keyed kaarten, so the
        kaart scored is left out (production fits it on all of knowledge/rangschikking). v learned=0: none."""
        if not v.get("learned", 1):
            return None
        from scipy import sparse

        keyed = []
        for m, data in self.kaarten.items():
            if m != name:
                reads = [self.read[str(i["s"])] for i in self.items[m]]
                keyed.append(Keyed(ranker_for(data, self.full, v), [i for i in self.items[m] if i.get("accept")],
                                   [r for r, _ in reads], sparse.vstack([w for _, w in reads]).tocsr()))  # fmt: skip
        fields = {f: v[f] for f in RankSettings.__dataclass_fields__ if f in v and f not in ("c", "mode")}
        fields.update({f: v[f"order_{f}"] for f in ("c", "mode") if f"order_{f}" in v})
        return fit_orders(keyed, self.full.constants.fill_threshold, RankSettings(**fields))

    def ranker(self, name: str, v: dict[str, Any]) -> Any:
        ranker = ranker_for(self.kaarten[name], self.full, v)
        order = self.order_without(name, v)
        ranker.rank_model, ranker.slot_model = (order.within, order.slots) if order else (None, None)
        ranker.memory = order.memory if order else None
        ranker.slot_first = order.first_fixed if order else True
        return ranker

    def run(self, v: dict[str, Any]) -> dict[str, tuple[float, float]]:
        out = {}
        for name in self.kaarten:
            ranker = self.ranker(name, v)
            top3 = top1 = 0
            for item in self.items[name]:
                reading, words = self.read[str(item["s"])]
                result = ranker.suggest(str(item["s"]), reading, wijk=item.get("wijk"), top=3, words=words)
                ids = [s.service.id for s in result.suggestions]
                accept = set(item.get("accept") or [])
                top3 += bool(accept & set(ids))
                top1 += bool(ids) and ids[0] in accept
            out[name] = (top3 / len(self.items[name]), top1 / len(self.items[name]))
        return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cache", default=str(Path(tempfile.gettempdir()) / "dev_kaarten"))
    parser.add_argument(
        "--kaart", action="append", default=[], help=f"dev kaart names (default {', '.join(DEV)})"
    )
    parser.add_argument("--set", action="append", default=[], help="NAME=VALUE for every variant")
    parser.add_argument("--grid", action="append", default=[], help="NAME=V1,V2,... (all combinations)")
    parser.add_argument("--model-set", action="append", default=[], help="NAME=VALUE: Constants for training")
    parser.add_argument(
        "--no-loko-rows", action="store_true", help="keep a scored kaart's own rows in training"
    )
    args = parser.parse_args()
    from bot.threads import use_threads

    use_threads(None)
    names = args.kaart or list(DEV)
    model = {k: parse_value(x) for k, _, x in (s.partition("=") for s in args.model_set)}
    bench = Bench(names, Path(args.cache), loko_rows=not args.no_loko_rows, model=model)
    base = {**PRODUCTION, **{k: parse_value(x) for k, _, x in (s.partition("=") for s in args.set)}}
    axes = [
        (k, [parse_value(x) for x in xs.split(",")]) for k, _, xs in (g.partition("=") for g in args.grid)
    ]
    print(f"dev kaarten {names}; fixed {base}; model {model}; own service rows out of training: "
          f"{not args.no_loko_rows}")  # fmt: skip
    print("| variant | " + " | ".join(names) + " | mean |\n|---|" + "---|" * (len(names) + 1))
    results: dict[str, dict[str, tuple[float, float]]] = {}
    for combo in itertools.product(*[values for _, values in axes]) if axes else [()]:
        v = {**base, **dict(zip([k for k, _ in axes], combo, strict=True))}
        name = ", ".join(f"{k}={x}" for k, x in v.items() if k not in base) or "base"
        r = results[name] = bench.run(v)
        cells = " | ".join(f"{r[n][0]:.3f} / {r[n][1]:.3f}" for n in names)
        mean = np.mean([r[n][0] for n in names]), np.mean([r[n][1] for n in names])
        print(f"| {name} | {cells} | {mean[0]:.3f} / {mean[1]:.3f} |", flush=True)
    if len(results) > 1 and len(names) > 1:
        print(
            "\nleave one kaart out (variant chosen on the other kaarten -> its figure on the kaart left out):"
        )
        held = []
        for n in names:
            best = max(results, key=lambda k: np.mean([results[k][m][0] for m in names if m != n]))
            held.append(results[best][n])
            print(f"  {n}: {best} -> top-3 {results[best][n][0]:.3f}, top-1 {results[best][n][1]:.3f}")
        print(f"  mean: top-3 {np.mean([h[0] for h in held]):.3f}, top-1 {np.mean([h[1] for h in held]):.3f}")


if __name__ == "__main__":
    main()
