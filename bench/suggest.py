"""Partner-suggestion quality: BM25-only vs dense-only vs wijkbot, on two fictional kaarten.

Run: .venv/bin/python bench/suggest.py [--misses]
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.config import Settings  # noqa: E402
from bot.kaart.evaluation import LabelledSituation, Scores, load_situations, score  # noqa: E402
from bot.kaart.index import dutch_tokens  # noqa: E402
from bot.kaart.service import KaartService  # noqa: E402
from bot.retrieval.embeddings import USEEmbeddings  # noqa: E402

KAARTEN = {
    "voorbeeld": ROOT / "knowledge" / "sociale_kaart" / "voorbeeld.csv",
    "andere_gemeente": ROOT / "tests" / "kaart" / "andere_gemeente.csv",
}


def rankers(service: KaartService, path: Path, embeddings: USEEmbeddings) -> dict[str, object]:
    loaded = service._loaded_for(path)  # noqa: SLF001 - the bench looks inside on purpose
    index = loaded.index
    ids = [s.id for s in index.kaart.services]

    def bm25(sit: LabelledSituation) -> tuple[list[str], None]:
        scores = index.bm25.scores(dutch_tokens(sit.text))
        return [ids[i] for i in np.argsort(-scores)[:3] if scores[i] > 0], None

    def dense(sit: LabelledSituation) -> tuple[list[str], None]:
        scores = index.vectors @ embeddings.encode_query(sit.text)
        return [ids[i] for i in np.argsort(-scores)[:3]], None

    def wijkbot(sit: LabelledSituation) -> tuple[list[str], object]:
        result = service.suggest(sit.text, wijk=sit.wijk, kaart_path=path)
        return [s.service.id for s in result.suggestions], result.safety

    return {"BM25-only": bm25, "dense-only": dense, "wijkbot": wijkbot}


def row(name: str, method: str, s: Scores) -> str:
    nothing = f"{s.nothing_ok}/{s.nothing_cases}" if method == "wijkbot" else "-"
    return (f"| {name:<16} | {method:<10} | {s.recall:6.3f} | {s.top1:6.3f} | "
            f"{s.safety_first}/{s.safety_cases:<3} | {nothing:>7} |")  # fmt: skip


SITUATION_FILES = ("situations.yaml", "situations_holdout.yaml", "situations_holdout2.yaml")


def main() -> None:
    gold = yaml.safe_load((ROOT / "tests" / "kaart" / "gold.yaml").read_text(encoding="utf-8"))
    embeddings = USEEmbeddings()
    with tempfile.TemporaryDirectory() as tmp:
        service = KaartService(settings=Settings(WIJKBOT_DATA_DIR=Path(tmp)), embeddings=embeddings)
        misses: list[str] = []
        for file_name in SITUATION_FILES:
            situations = load_situations(ROOT / "tests" / "kaart" / file_name)
            print(f"\n{file_name}: {len(situations)} situations")
            print("| kaart            | method     | top-3  | top-1  | safety | nothing |")
            print("|------------------|------------|--------|--------|--------|---------|")
            for name, path in KAARTEN.items():
                for method, ranker in rankers(service, path, embeddings).items():
                    result = score(situations, gold[name], ranker)  # type: ignore[arg-type]
                    print(row(name, method, result))
                    if method == "wijkbot":
                        misses += [f"[{name}] {m}" for m in result.misses]
        if "--misses" in sys.argv:
            print("\n".join(misses))


if __name__ == "__main__":
    main()
