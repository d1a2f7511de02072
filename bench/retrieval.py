"""Retrieval quality: BM25 alone, dense alone and the hybrid on three labelled question sets.

- dev:     tests/data/dev_questions.yaml (copy of the shared dev set)
- own:     tests/retrieval/labelled_questions.yaml (paraphrases that avoid the publication's words)
- heldout: tests/retrieval/heldout_questions.yaml (written before tuning, never tuned on: the honest estimate)

Run: .venv/bin/python bench/retrieval.py [--misses]   (builds the index in a temporary data directory)
"""

from __future__ import annotations

import argparse
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

SETS = {
    "dev": ROOT / "tests" / "data" / "dev_questions.yaml",
    "own": ROOT / "tests" / "retrieval" / "labelled_questions.yaml",
    "heldout": ROOT / "tests" / "retrieval" / "heldout_questions.yaml",
}


def _in_scope(index: KnowledgeIndex, query: str) -> bool:
    return index.scope.is_in_scope(query, index.retriever.search(query, k=10))


def table(index: KnowledgeIndex, name: str, questions: list[LabelledQuestion], *, misses: bool) -> None:
    r = index.retriever
    oos = [q for q in questions if q.out_of_scope]
    ins = [q for q in questions if not q.out_of_scope]
    caught = sum(not _in_scope(index, q.q) for q in oos)
    rejected = [q.q for q in ins if not _in_scope(index, q.q)]
    print(f"\n{name} ({len(ins)} in scope, {len(oos)} out of scope)")
    print(f"{'retriever':<10} {'chapter-hit@3':>14} {'fact@3':>8} {'MRR@10':>8}")
    hybrid_misses: tuple[str, ...] = ()
    for label, search in (("bm25", r.search_bm25), ("dense", r.search_dense), ("hybrid", r.search)):
        m = evaluate(lambda q, s=search: s(q, k=10), questions)
        print(f"{label:<10} {m.chapter_hit_at_3:>14.2f} {m.fact_at_3:>8.2f} {m.mrr_at_10:>8.2f}")
        hybrid_misses = m.misses
    print(f"out-of-scope recognised {caught}/{len(oos)}; in-scope rejected {len(rejected)}/{len(ins)}")
    if misses:
        for q in hybrid_misses:
            print(f"  hybrid miss: {q}")
        for q in rejected:
            print(f"  rejected: {q}")
        for q in oos:
            if _in_scope(index, q.q):
                print(f"  accepted off-topic: {q.q}")


def _p95(samples: list[float]) -> str:
    samples = sorted(samples)
    p95 = samples[min(len(samples) - 1, int(0.95 * len(samples)))]
    return f"median {samples[len(samples) // 2]:.1f} ms, p95 {p95:.1f} ms"


def latency(index: KnowledgeIndex, queries: list[str]) -> None:
    """search + scope per query: first time (query embedding included) and again (embedding cached)."""
    rounds: list[list[float]] = [[], []]
    fresh = [q.upper() for q in queries]  # texts the embedding cache has not seen yet
    for samples in rounds:
        for q in fresh:
            started = time.perf_counter()
            _in_scope(index, q)
            samples.append((time.perf_counter() - started) * 1000)
    print(f"\nsearch + scope over {len(queries)} queries")
    print(f"  new query (embeds it):   {_p95(rounds[0])}")
    print(f"  repeated query (cached): {_p95(rounds[1])}")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument(
        "--threads", type=int, default=None, help="native threads per pool (default: WIJKBOT_THREADS, 1)"
    )
    args = parser.parse_args()
    from bot.threads import use_threads

    print(use_threads(args.threads))
    misses = "--misses" in sys.argv
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(WIJKBOT_DATA_DIR=Path(tmp))
        started = time.perf_counter()
        index = KnowledgeIndex.load_or_build(settings, USEEmbeddings())
        print(f"index: {len(index.passages)} passages, built in {time.perf_counter() - started:.1f} s")
        all_queries: list[str] = []
        for name, path in SETS.items():
            questions = load_questions(path)
            all_queries += [q.q for q in questions]
            table(index, f"{name}: {path.relative_to(ROOT)}", questions, misses=misses)
        latency(index, all_queries)


if __name__ == "__main__":
    main()
