"""The ranking variants on the TRAINING corpus on the example kaart (never held-out data): a quick check next to
bench/rank_loko.py, whose dev kaarten have no stored levensgebieden and keys of single rows.

Every training situation is read with the full model (in-sample for the situation model, the same readings for
every variant, so only the comparison counts) and ranked on knowledge/sociale_kaart/voorbeeld.csv; key
tests/kaart/gold_levensgebieden.yaml (the first labelled levensgebied's rows, plus the fitting safety rows), as in
bench/rank_cv.py. Variants: the hand-set sum, the learned order (within + places), with the first place fixed.

Run: PYTHONPATH=. .venv/bin/python bench/rank_corpus.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.config import Settings  # noqa: E402
from bot.retrieval.embeddings import USEEmbeddings  # noqa: E402
from bot.suggestion.service import PartnerService  # noqa: E402
from bot.understanding.corpus import load_corpus  # noqa: E402
from bot.understanding.training import KnowledgePaths, build_understander  # noqa: E402


def main() -> None:
    from bot.threads import use_threads

    use_threads(None)
    cache = Path(tempfile.gettempdir()) / "rank_corpus"
    paths = KnowledgePaths.under(ROOT / "knowledge")
    encoder = USEEmbeddings()
    full = build_understander(paths, encoder, cache_dir=cache / "begrip")
    service = PartnerService(settings=Settings(WIJKBOT_DATA_DIR=cache), embeddings=encoder, understander=full)
    ranker = service._loaded_for(None).ranker  # noqa: SLF001 - the bench swaps the order models
    orders = service.order_models()
    corpus = load_corpus(paths.corpus, full.taxonomy)
    key = yaml.safe_load((ROOT / "tests" / "kaart" / "gold_levensgebieden.yaml").read_text(encoding="utf-8"))
    domains, dangers = key["voorbeeld"]["levensgebieden"], key["voorbeeld"]["gevaar"]
    readings = full.understand_many([i.text for i in corpus])
    words = full.model.featurizer.char.transform([r.expanded for r in readings]).tocsr()
    variants = {
        "hand-set sum": (None, None, False),
        "learned order": (orders.within if orders else None, orders.slots if orders else None, False),
        "learned, first place fixed": (
            orders.within if orders else None,
            orders.slots if orders else None,
            True,
        ),
        "learned within only": (orders.within if orders else None, None, False),
    }
    print(f"{len(corpus)} training situations (in-sample readings) on the example kaart")
    print("| variant | top-3 | top-1 |\n|---|---|---|")
    for name, (within, slots, first) in variants.items():
        ranker.rank_model, ranker.slot_model = within, slots
        ranker.slot_first = first
        top3 = top1 = 0
        for n, (item, reading) in enumerate(zip(corpus, readings, strict=True)):
            ids = [
                s.service.id
                for s in ranker.suggest(item.text, reading, wijk=None, top=3, words=words[n]).suggestions
            ]
            fitting = set(dangers.get(item.danger, [])) if item.danger else set()
            accept = set(domains.get(item.domains[0], [])) | fitting
            top3 += bool(accept & set(ids[:3]))
            top1 += bool(ids) and ids[0] in accept
        print(f"| {name} | {top3 / len(corpus):.3f} | {top1 / len(corpus):.3f} |", flush=True)


if __name__ == "__main__":
    main()
