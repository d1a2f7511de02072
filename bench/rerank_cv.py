"""A learned reranker over the top-20 fused passages, measured by leave-one-writer-out (as bench/memory_cv.py).

Features per (question, passage): every signal min-max normalised over the passages (memory signals with the
question's own entry left out when it is a training question), the fused score and 1/rank. Positives are
passages that contain one of the question's facts. Logistic regression; the reranked score is
fused + alpha * p(positive). Held-out sets are never read here.

Run: .venv/bin/python bench/rerank_cv.py
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from memory_cv import (  # noqa: E402
    DEV,
    WRITERS,
    Item,
    _dev_items,
    _metrics,
    _prepare,
    _train_items,
)
from question_sets import index_without_memory  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402

from bot.retrieval.hybrid import HybridRetriever, _minmax  # noqa: E402
from bot.retrieval.memory import QuestionMemory  # noqa: E402

TOP = 20
ALPHAS = (0.0, 0.5, 1.0, 2.0, 10.0)


def _features(retriever: HybridRetriever, item: Item, memory: QuestionMemory, leave_out: bool):
    s = item.signals
    assert s is not None and item.vector is not None
    md, ml = memory.signals(item.text, item.vector, leave_out=leave_out)
    cfg = retriever.config
    fused = retriever.fuse(s, lexical_share=item.share) + cfg.memory_dense_weight * _minmax(md)
    fused = fused + cfg.memory_lexical_weight * _minmax(ml)
    order = np.argsort(-fused, kind="stable")[:TOP]
    cols = [s.word, s.ngram, s.dense, s.chapter, s.topic, s.sentence, md, ml, fused]
    feats = np.stack([_minmax(c)[order] for c in cols if c is not None], axis=1)
    feats = np.hstack(
        [feats, (1.0 / np.arange(1, len(order) + 1))[:, None], np.full((len(order), 1), item.share)]
    )
    return fused, order, feats


def _labels(retriever: HybridRetriever, item: Item, order: np.ndarray) -> np.ndarray:
    facts = [f.lower() for f in item.facts]
    return np.asarray([any(f in retriever.passages[i].text.lower() for f in facts) for i in order])


def _rerank(fused: np.ndarray, order: np.ndarray, p: np.ndarray, alpha: float) -> np.ndarray:
    out = np.full_like(fused, -1e9)
    top = _minmax(fused[order])
    out[order] = top + alpha * p
    return out


def main() -> None:
    with index_without_memory(WRITERS) as (retriever, embeddings, by_writer):
        tests = {w: _train_items(qs) for w, qs in by_writer.items()}
        devs = {p.stem[:14]: _dev_items(p) for p in DEV}
        for items in [*tests.values(), *devs.values()]:
            _prepare(retriever, items)
        both = by_writer["A"] + by_writer["B"]
        memories = {k: QuestionMemory.build(retriever.passages, qs, embeddings.encode)
                    for k, qs in (("A", by_writer["A"]), ("B", by_writer["B"]), ("AB", both))}  # fmt: skip
        cols = [("A->B", "A", tests["A"], tests["B"]), ("B->A", "B", tests["B"], tests["A"])]
        cols += [(n, "AB", tests["A"] + tests["B"], d) for n, d in devs.items()]
        results: dict[float, str] = {a: "" for a in ALPHAS}
        for _, mem, train_items, test_items in cols:
            memory = memories[mem]
            xs, ys = [], []
            for item in train_items:
                if not item.facts:
                    continue
                _, order, feats = _features(retriever, item, memory, True)
                labels = _labels(retriever, item, order)
                if labels.any():
                    xs.append(feats)
                    ys.append(labels)
            model = LogisticRegression(C=1.0, max_iter=2000).fit(np.vstack(xs), np.concatenate(ys))
            prepared = [_features(retriever, item, memory, False) for item in test_items]
            for alpha in ALPHAS:
                scores = [_rerank(f, o, model.predict_proba(x)[:, 1], alpha) for f, o, x in prepared]
                h, f, m = _metrics(retriever, test_items, scores)
                results[alpha] += f"{h:.2f} {f:.2f} {m:.2f}{'':<8}"
        print(f"{'alpha':<8}" + "".join(f"{c:<22}" for c, *_ in cols))
        for alpha in ALPHAS:
            print(f"{alpha:<8}" + results[alpha])


if __name__ == "__main__":
    main()
