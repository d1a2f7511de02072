"""Partner-suggestion quality: BM25-only vs dense-only vs wijkbot, on three fictional kaarten.

Every situation set is scored on every kaart (gold answers per kaart and levensgebied in tests/kaart/gold.yaml).
derde_gemeente.csv with situaties_blind*.yaml is the closest to acceptance: unseen kaart, unseen situations.
First (truly blind) runs, wijkbot on derde_gemeente, top-3 / top-1 / safety-first:
  situaties_blind.yaml  (before round 2):  0.768 / 0.634 /  8/15
  situaties_blind2.yaml (after round 2):   0.632 / 0.316 /  1/7
Later numbers on these files are no longer held-out.

Run: .venv/bin/python bench/suggest.py [--misses] [--sets a.yaml,b.yaml] [--kaarten voorbeeld,derde_gemeente]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
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

TESTS = ROOT / "tests" / "kaart"
KAARTEN = {
    "voorbeeld": ROOT / "knowledge" / "sociale_kaart" / "voorbeeld.csv",
    "andere_gemeente": TESTS / "andere_gemeente.csv",
    "derde_gemeente": TESTS / "derde_gemeente.csv",
}
SITUATION_FILES = ("situations.yaml", "situations_holdout.yaml", "situations_holdout2.yaml",
                   "situaties_blind.yaml", "situaties_blind2.yaml")  # fmt: skip


def rankers(
    service: KaartService, path: Path, embeddings: USEEmbeddings, timings: list[float]
) -> dict[str, object]:
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
        start = time.perf_counter()
        result = service.suggest(sit.text, wijk=sit.wijk, kaart_path=path)
        timings.append((time.perf_counter() - start) * 1000)
        return [s.service.id for s in result.suggestions], result.safety

    return {"BM25-only": bm25, "dense-only": dense, "wijkbot": wijkbot}


def row(name: str, method: str, s: Scores) -> str:
    nothing = f"{s.nothing_ok}/{s.nothing_cases}" if method == "wijkbot" else "-"
    return (f"| {name:<16} | {method:<10} | {s.recall:6.3f} | {s.top1:6.3f} | "
            f"{s.safety_first:>2}/{s.safety_cases:<3} | {nothing:>7} |")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--misses", action="store_true")
    parser.add_argument("--sets", default=",".join(SITUATION_FILES))
    parser.add_argument("--kaarten", default=",".join(KAARTEN))
    parser.add_argument(
        "--threads", type=int, default=None, help="native threads per pool (default: WIJKBOT_THREADS, 1)"
    )
    args = parser.parse_args()
    from bot.threads import use_threads

    print(use_threads(args.threads))
    gold = yaml.safe_load((TESTS / "gold.yaml").read_text(encoding="utf-8"))
    embeddings = USEEmbeddings()
    timings: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        service = KaartService(settings=Settings(WIJKBOT_DATA_DIR=Path(tmp)), embeddings=embeddings)
        misses: list[str] = []
        for file_name in args.sets.split(","):
            if not (TESTS / file_name).is_file():
                continue
            situations = load_situations(TESTS / file_name)
            print(f"\n{file_name}: {len(situations)} situations "
                  f"({sum(1 for s in situations if s.safety)} safety)")  # fmt: skip
            print("| kaart            | method     | top-3  | top-1  | safety | nothing |")
            print("|------------------|------------|--------|--------|--------|---------|")
            for name in args.kaarten.split(","):
                for method, ranker in rankers(service, KAARTEN[name], embeddings, timings).items():
                    result = score(situations, gold[name], ranker)  # type: ignore[arg-type]
                    print(row(name, method, result))
                    if method == "wijkbot":
                        misses += [f"[{file_name[:14]}|{name}] {m}" for m in result.misses]
        if timings:
            ordered = sorted(timings[len(KAARTEN) :])  # the first calls per kaart are cold
            p = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))]  # noqa: E731
            print(
                f"\nwijkbot suggest latency (warm, 40-service kaarten): p50 {p(0.5):.1f} ms, p95 {p(0.95):.1f} ms"
            )
        if args.misses:
            print("\n".join(misses))


if __name__ == "__main__":
    main()
