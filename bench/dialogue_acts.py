"""Dialogue acts on the HELD-OUT split of knowledge/dialoog/: per-act precision, recall, F1, accuracy,
next to the simplest baseline (most frequent act) and the old rule-based intent (question/situation/unsure),
plus the detail accuracy (attribute of partner questions, kind of small talk and actions).

Run: PYTHONPATH=. .venv/bin/python bench/dialogue_acts.py   (prints tables only, never the held-out texts)

`--cv`: leave-one-writer-out cross-validation on the TRAINING files only (each train_*.yaml is one writer):
train on the other writers, predict the left-out one. This is the estimate the model is tuned on; the
held-out split is not read. `--cv --variants` also prints the candidate settings side by side.

`--unseen FILE`: the same tables for one new blind corpus file, before it is added as training data.
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.conversation.acts.corpus import ACTS, Utterance, corpus_files, load_file, load_split  # noqa: E402
from bot.conversation.acts.model import ModelConfig, train  # noqa: E402
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


def main(unseen: Path | None = None) -> None:
    """The held-out split, or with `unseen` one new blind file (its first run, before it joins training)."""
    train_set = load_split(CORPUS, "train")
    heldout = load_file(unseen) if unseen else load_split(CORPUS, "heldout")
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
        "columns: n-grams + USE vectors (P R F1) | the same model on n-grams only (as in tests) | old rules"
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
    if unseen is None:
        _per_file(gold, pred, first)
    else:
        ap, ar, _, _ = prf(gold, pred, "acuut")
        print(f"unseen {unseen.name}: accuracy {accuracy(gold, pred):.3f} (n-grams only {accuracy(gold, first):.3f}); "
              f"acuut recall {ar:.2f} precision {ap:.2f}")  # fmt: skip


def _per_file(gold: list[str], pred: list[str], first: list[str]) -> None:
    """Summary figures per held-out file (one writer each): accuracy and acuut recall/precision, no texts."""
    print(f"{'held-out file':<28} {'n':>4} {'acc':>6} {'ngram':>6} {'acuut R':>7} {'acuut P':>7}")
    start = 0
    for path in corpus_files(CORPUS, "heldout"):
        end = start + len(load_file(path))
        g, p, f = gold[start:end], pred[start:end], first[start:end]
        ap, ar, _, _ = prf(g, p, "acuut")
        print(f"{path.stem:<28} {len(g):>4} {accuracy(g, p):6.3f} {accuracy(g, f):6.3f} {ar:7.2f} {ap:7.2f}")
        start = end


def _folds() -> list[tuple[str, list[Utterance]]]:
    return [(path.stem.removeprefix("train_"), load_file(path)) for path in corpus_files(CORPUS, "train")]


def cross_validate(
    config: ModelConfig, folds: list[tuple[str, list[Utterance]]], vectors: dict[str, object], encoder: object
) -> tuple[list[str], list[str], dict[str, float], float]:
    """Leave one writer out: gold and predicted acts over all folds, accuracy per writer, detail accuracy."""
    import numpy as np

    gold: list[str] = []
    pred: list[str] = []
    per_writer: dict[str, float] = {}
    detail_ok = detail_n = 0
    for writer, test in folds:
        train_set = [u for other, us in folds if other != writer for u in us]
        train_vectors = np.vstack([vectors[o] for o, _ in folds if o != writer])  # type: ignore[list-item]
        model = train(train_set, config, encoder=encoder, vectors=train_vectors)  # type: ignore[arg-type]
        predictions = model.predict_many([u.text for u in test], vectors=vectors[writer])  # type: ignore[arg-type]
        acts = [p.act for p in predictions]
        per_writer[writer] = accuracy([u.act for u in test], acts)
        gold += [u.act for u in test]
        pred += acts
        hits = [(u, p) for u, p in zip(test, predictions, strict=True) if u.detail and p.act == u.act]
        detail_ok += sum(u.detail == p.detail for u, p in hits)
        detail_n += len(hits)
    return gold, pred, per_writer, detail_ok / max(detail_n, 1)


VARIANTS: dict[str, ModelConfig] = {
    "current": ModelConfig(),
    "argmax (no acuut operating point)": ModelConfig(acute_threshold=None),
    "acuut point 0.4": ModelConfig(acute_threshold=0.4),
    "acuut point 0.2": ModelConfig(acute_threshold=0.2),
    "round 3: logreg, emb 1": ModelConfig(classifier="logreg", embedding_weight=1.0, plain_copies=False,
                                          acute_threshold=None),
    "logreg, emb 1, balanced": ModelConfig(classifier="logreg", embedding_weight=1.0, plain_copies=False,
                                           class_weight="balanced", acute_threshold=None),
    "svm, no plain copies": ModelConfig(plain_copies=False, acute_threshold=None),
    "svm emb 0 (n-grams only)": ModelConfig(embedding_weight=0.0, acute_threshold=None),
    "svm emb 1": ModelConfig(embedding_weight=1.0, acute_threshold=None),
    "svm C=2": ModelConfig(svm_c=2.0, acute_threshold=None),
    "svm balanced": ModelConfig(class_weight="balanced", acute_threshold=None),
}  # fmt: skip


def main_cv(variants: bool) -> None:
    import numpy as np

    from bot.retrieval.embeddings import USEEmbeddings

    folds = _folds()
    encoder = USEEmbeddings()
    vectors = {w: np.asarray(encoder.encode([u.text for u in us]), dtype=np.float32) for w, us in folds}
    print(
        f"leave-one-writer-out over {len(folds)} writers: " + ", ".join(f"{w} ({len(us)})" for w, us in folds)
    )
    configs = VARIANTS if variants else {"current": ModelConfig()}
    results = {}
    for name, config in configs.items():
        started = time.perf_counter()
        results[name] = cross_validate(config, folds, vectors, encoder)
        print(f"  {name}: {(time.perf_counter() - started) / len(folds):.1f} s per fold (train and predict)")
    gold, pred, per_writer, detail = results["current"]
    print(f"{'act':<18} {'n':>4} {'P':>5} {'R':>5} {'F1':>5}")
    for act in ACTS:
        p, r, f, n = prf(gold, pred, act)
        print(f"{act:<18} {n:>4} {p:5.2f} {r:5.2f} {f:5.2f}")
    print(
        f"{'variant':<34} {'accuracy':>8} {'macro F1':>8} {'acuut R':>7} {'acuut P':>7} {'detail':>6}  per writer"
    )
    for name, (g, p_, writers, det) in results.items():
        macro = sum(prf(g, p_, a)[2] for a in ACTS) / len(ACTS)
        ap, ar, _, _ = prf(g, p_, "acuut")
        print(f"{name:<34} {accuracy(g, p_):8.3f} {macro:8.3f} {ar:7.3f} {ap:7.3f} {det:6.3f}  "
              + "  ".join(f"{w} {a:.3f}" for w, a in writers.items()))  # fmt: skip


if __name__ == "__main__":
    if "--cv" in sys.argv:
        main_cv("--variants" in sys.argv)
    elif "--unseen" in sys.argv:
        main(Path(sys.argv[sys.argv.index("--unseen") + 1]))
    else:
        main()
