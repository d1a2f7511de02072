"""Dialogue acts on the HELD-OUT split of knowledge/dialoog/: per-act precision, recall, F1, accuracy,
next to the simplest baseline (most frequent act) and the old rule-based intent (question/situation/unsure),
plus the detail accuracy (attribute of partner questions, kind of small talk and actions).

Run: PYTHONPATH=. .venv/bin/python bench/dialogue_acts.py   (prints tables only, never the held-out texts)
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.conversation.acts.corpus import ACTS, load_split  # noqa: E402
from bot.conversation.acts.model import train  # noqa: E402
from bot.conversation.intent import classify  # noqa: E402

CORPUS = ROOT / "knowledge" / "dialoog"
OLD_MAP = {"question": "vraag_publicatie", "situation": "situatie", "unsure": "onduidelijk"}


def prf(gold: list[str], pred: list[str], label: str) -> tuple[float, float, float, int]:
    tp = sum(g == p == label for g, p in zip(gold, pred, strict=True))
    n_pred, n_gold = pred.count(label), gold.count(label)
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0), n_gold


def accuracy(gold: list[str], pred: list[str]) -> float:
    return sum(g == p for g, p in zip(gold, pred, strict=True)) / max(len(gold), 1)


def main() -> None:
    train_set, heldout = load_split(CORPUS, "train"), load_split(CORPUS, "heldout")
    from bot.retrieval.embeddings import USEEmbeddings

    ngrams_only = train(train_set)  # the first-run model (n-grams only), for comparison
    started = time.perf_counter()
    model = train(train_set, encoder=USEEmbeddings())
    train_s = time.perf_counter() - started
    texts = [u.text for u in heldout]
    gold = [u.act for u in heldout]
    started = time.perf_counter()
    predictions = model.predict_many(texts)
    per_ms = (time.perf_counter() - started) * 1000 / max(len(texts), 1)
    pred = [p.act for p in predictions]
    majority = Counter(u.act for u in train_set).most_common(1)[0][0]
    baseline = [majority] * len(gold)
    old = [OLD_MAP[classify(t).kind] for t in texts]
    first = [p.act for p in ngrams_only.predict_many(texts)]
    print(
        f"train {len(train_set)} utterances in {train_s:.2f} s; held-out {len(heldout)}; {per_ms:.2f} ms/utterance"
    )
    print(
        "columns: n-grams + USE vectors (P R F1) | n-grams only, the default and first-run model | old rules"
    )
    print(f"{'act':<18} {'n':>4} {'P':>5} {'R':>5} {'F1':>5} | {'ngram F1':>8} | {'old F1':>6}")
    for act in ACTS:
        p, r, f, n = prf(gold, pred, act)
        print(f"{act:<18} {n:>4} {p:5.2f} {r:5.2f} {f:5.2f} | {prf(gold, first, act)[2]:8.2f} | "
              f"{prf(gold, old, act)[2]:6.2f}")  # fmt: skip
    print(
        f"{'accuracy':<18} {len(gold):>4} {accuracy(gold, pred):17.3f} | {accuracy(gold, first):8.3f} | "
        f"{accuracy(gold, old):6.3f}   (majority baseline {accuracy(gold, baseline):.3f})"
    )
    with_detail = [(u, p) for u, p in zip(heldout, predictions, strict=True) if u.detail and p.act == u.act]
    detail_ok = sum(u.detail == p.detail for u, p in with_detail)
    print(f"detail (attribuut/soort) accuracy where the act is right: {detail_ok}/{len(with_detail)}")
    unsure = sum(p.act == "onduidelijk" for p in predictions)
    print(
        f"'onduidelijk' predicted for {unsure}/{len(texts)} held-out messages (gold {gold.count('onduidelijk')})"
    )


if __name__ == "__main__":
    main()
