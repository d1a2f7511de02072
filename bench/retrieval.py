"""Retrieval quality: BM25 alone, dense alone and the hybrid on the dev questions and our own set.

Run: .venv/bin/python bench/retrieval.py   (builds the index in a temporary data directory)
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.config import Settings  # noqa: E402
from bot.retrieval.embeddings import USEEmbeddings  # noqa: E402
from bot.retrieval.evaluate import LabelledQuestion, evaluate, load_questions  # noqa: E402
from bot.retrieval.index import KnowledgeIndex  # noqa: E402

DEV = Path("/work/shared/eval/dev_questions.yaml")
if not DEV.exists():
    DEV = ROOT.parent / "shared" / "eval" / "dev_questions.yaml"
OWN = ROOT / "tests" / "retrieval" / "labelled_questions.yaml"


def table(index: KnowledgeIndex, name: str, questions: list[LabelledQuestion]) -> None:
    r = index.retriever
    n = sum(1 for q in questions if not q.out_of_scope)
    print(f"\n{name} ({n} in-scope questions)")
    print(f"{'retriever':<10} {'chapter-hit@3':>14} {'fact@3':>8} {'MRR@10':>8}")
    for label, search in (("bm25", r.search_bm25), ("dense", r.search_dense), ("hybrid", r.search)):
        m = evaluate(lambda q, s=search: s(q, k=10), questions)
        print(f"{label:<10} {m.chapter_hit_at_3:>14.2f} {m.fact_at_3:>8.2f} {m.mrr_at_10:>8.2f}")
    oos = [q for q in questions if q.out_of_scope]
    ins = [q for q in questions if not q.out_of_scope]
    caught = sum(not index.scope.is_in_scope(q.q, r.search(q.q, k=10)) for q in oos)
    rejected = [q.q for q in ins if not index.scope.is_in_scope(q.q, r.search(q.q, k=10))]
    print(f"out-of-scope recognised {caught}/{len(oos)}; in-scope rejected {len(rejected)}/{len(ins)}")
    for q in rejected:
        print(f"  rejected: {q}")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(WIJKBOT_DATA_DIR=Path(tmp))
        started = time.perf_counter()
        index = KnowledgeIndex.load_or_build(settings, USEEmbeddings())
        print(f"index: {len(index.passages)} passages, built in {time.perf_counter() - started:.1f} s")
        table(index, f"dev questions {DEV}", load_questions(DEV))
        table(index, "own labelled questions (tests/retrieval/labelled_questions.yaml)", load_questions(OWN))


if __name__ == "__main__":
    main()
