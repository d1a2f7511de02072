"""The situation -> levensgebieden head on its own, by leave-one-writer-out CV over the TRAINING writers.

Each knowledge/situaties/train_*.yaml file is one writer (more with --extra). For every writer the domain head is
trained on the other writers (plus the writer-free extras of training.examples_for: the domain descriptions and the
out-of-scope questions) and reads that writer's situations. Pooled out of fold it prints, per variant:
  * macro / micro F1 of the chosen levensgebieden (the decision rule of model.Understander._decide);
  * first labelled levensgebied as the most likely one (top-1), among the two / three most likely ones (top-2/3),
    and among the SHOWN ones (what ranking uses: chosen + further ones from fill_threshold, at most 3);
  * a right levensgebied (any labelled one) among the two most likely ones;
  * log loss of the 14 one-vs-rest probabilities (calibration);
and with --table the per-domain precision / recall / F1 and the most frequent confusions (first labelled
levensgebied -> most likely one, when they differ). Never reads heldout_*.

Variants: --set NAME=VALUE (Constants fields such as domain_c, char_weight, dense_weight, lexicon_weight, or the
bench-only keys listed in fit_head) and --grid NAME=V1,V2 (all combinations).

Run: PYTHONPATH=. .venv/bin/python bench/domain_cv.py [--grid domain_c=3,10,30] [--table] [--extra FILE]
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import pickle
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from writer_cv import CachingEncoder  # noqa: E402

from bot.retrieval.embeddings import USEEmbeddings  # noqa: E402
from bot.suggestion.evaluation import per_domain_f1  # noqa: E402
from bot.understanding.classifier import fit_domains  # noqa: E402
from bot.understanding.constants import Constants  # noqa: E402
from bot.understanding.corpus import load_corpus, load_corpus_file  # noqa: E402
from bot.understanding.features import Featurizer, lexicon_columns  # noqa: E402
from bot.understanding.lexicon import load_lexicon  # noqa: E402
from bot.understanding.taxonomy import load_taxonomy  # noqa: E402
from bot.understanding.training import KnowledgePaths, encode, examples_for  # noqa: E402

KNOWLEDGE = ROOT / "knowledge"


@dataclass
class Data:
    texts: list[str]
    hits: np.ndarray
    dense: np.ndarray
    y: np.ndarray  # n x domains (0/1)
    first: np.ndarray  # first labelled domain index, -1 for extras without a domain
    writer: np.ndarray  # '' for the writer-free extras (always in training)
    outside: np.ndarray  # out-of-scope question (no domain)
    ids: list[str]
    columns: list[str]


def load_data(extra: list[Path], cache: Path, drop: list[str] = ()) -> Data:  # type: ignore[assignment]
    paths = KnowledgePaths.under(KNOWLEDGE)
    taxonomy = load_taxonomy(paths.taxonomy)
    lexicon = load_lexicon(paths.lexicon)
    corpus = load_corpus(paths.corpus, taxonomy)
    for path in extra:
        corpus += load_corpus_file(path, taxonomy)
    corpus = [c for c in corpus if c.writer not in drop]
    examples, hits = examples_for(corpus, taxonomy, lexicon, None, Constants())
    examples = [e for e in examples if not e.safety_only]
    hits = hits[: len(examples)]
    texts = [e.text for e in examples]
    key = hashlib.sha256("\n".join(texts).encode()).hexdigest()[:12]
    path = cache / f"dense-{key}.npy"
    if path.exists():
        dense = np.load(path)
    else:
        dense = encode(CachingEncoder(USEEmbeddings()), [t or "." for t in texts])
        cache.mkdir(parents=True, exist_ok=True)
        np.save(path, dense)
    ids = taxonomy.ids
    y = np.zeros((len(examples), len(ids)), dtype=np.int8)
    first = np.full(len(examples), -1)
    for i, e in enumerate(examples):
        for d in e.domains:
            y[i, ids.index(d)] = 1
        if e.domains:
            first[i] = ids.index(e.domains[0])
    writer = np.array([c.writer for c in corpus] + [""] * (len(examples) - len(corpus)))
    outside = np.array([not e.domains for e in examples])
    return Data(texts, hits, dense, y, first, writer, outside, ids, lexicon_columns(lexicon))


TRAIN_ONLY: set[str] = set()  # writers always in training (no fold of their own, not scored)
FOLDS: dict[
    tuple[str, Any], Any
] = {}  # (writer, featurizer settings) -> fitted blocks, reused across variants


def fold_blocks(data: Data, writer: str, constants: Constants) -> tuple[Any, Any]:
    """Unweighted feature blocks (char, word, dense, hits, injuries) of the training and test rows of one fold."""
    key = (writer, constants.char_ngrams)
    if key not in FOLDS:
        train, test = np.flatnonzero(data.writer != writer), np.flatnonzero(data.writer == writer)
        unit = replace(constants, char_weight=1.0, word_weight=1.0, dense_weight=1.0, lexicon_weight=1.0,
                       age_weight=0.0, injury_weight=1.0)  # fmt: skip
        featurizer = Featurizer(unit, data.columns).fit([data.texts[i] for i in train])
        FOLDS[key] = tuple(featurizer.blocks([data.texts[i] for i in rows], data.dense[rows], data.hits[rows])
                           for rows in (train, test))  # fmt: skip
    return FOLDS[key]


def oof(data: Data, constants: Constants) -> np.ndarray:
    """Out-of-fold probabilities (rows of corpus situations; extras stay zero)."""
    p = np.zeros(data.y.shape, dtype=np.float64)
    c = constants
    weights = (c.char_weight, c.word_weight, c.dense_weight, c.lexicon_weight, c.injury_weight)
    for writer in [w for w in dict.fromkeys(data.writer) if w and w not in TRAIN_ONLY]:
        train, test = data.writer != writer, data.writer == writer
        blocks_train, blocks_test = fold_blocks(data, writer, constants)
        x = sparse.hstack([b * w for b, w in zip(blocks_train, weights, strict=True)], format="csr")
        xt = sparse.hstack([b * w for b, w in zip(blocks_test, weights, strict=True)], format="csr")
        model = fit_domains(x, data.y[train], data.outside[train], constants)
        p[test] = model.predict_proba(xt)
    return p


def chosen(p: np.ndarray, c: Constants) -> list[tuple[int, ...]]:
    out = []
    for row in p:
        order = np.argsort(-row)
        if row[order[0]] < c.first_domain_floor:
            out.append(())
            continue
        out.append(
            (int(order[0]), *[int(j) for j in order[1 : c.max_domains] if row[j] >= c.domain_threshold])
        )
    return out


def shown(p: np.ndarray, picked: list[tuple[int, ...]], c: Constants) -> list[set[int]]:
    out = []
    for row, chose in zip(p, picked, strict=True):
        if not chose:
            out.append(set())
            continue
        rest = [int(j) for j in np.argsort(-row) if int(j) not in chose and row[j] >= c.fill_threshold]
        out.append(set(chose) | set(rest[: max(0, 3 - len(chose))]))
    return out


def scores(data: Data, p: np.ndarray, c: Constants) -> dict[str, Any]:
    rows = np.flatnonzero((data.writer != "") & ~np.isin(data.writer, list(TRAIN_ONLY)))
    p, y, first = p[rows], data.y[rows], data.first[rows]
    order = np.argsort(-p, axis=1)
    picked = chosen(p, c)
    gold = [tuple(np.flatnonzero(r)) for r in y]
    f1 = per_domain_f1(gold, picked, list(range(len(data.ids))))
    tp = sum(len(set(g) & set(q)) for g, q in zip(gold, picked, strict=True))
    npred, ngold = sum(len(q) for q in picked), sum(len(g) for g in gold)
    micro = 2 * tp / (npred + ngold)
    eps = 1e-7
    logloss = float(-np.mean(y * np.log(p + eps) + (1 - y) * np.log(1 - p + eps)))
    show = shown(p, picked, c)
    return {
        "macro": float(np.mean([v[2] for v in f1.values()])), "micro": micro,
        "top1": float(np.mean(order[:, 0] == first)),
        "top2": float(np.mean([f in o[:2] for f, o in zip(first, order, strict=True)])),
        "top3": float(np.mean([f in o[:3] for f, o in zip(first, order, strict=True)])),
        "shown": float(np.mean([f in s for f, s in zip(first, show, strict=True)])),
        "any2": float(np.mean([bool(set(np.flatnonzero(r)) & set(o[:2])) for r, o in zip(y, order, strict=True)])),
        "logloss": logloss, "f1": f1,
        "confusions": Counter((data.ids[f], data.ids[o[0]]) for f, o in zip(first, order, strict=True) if o[0] != f),
        "writers": {w: float(np.mean([f in o[:3] for f, o, ww in zip(first, order, data.writer[rows], strict=True)
                                      if ww == w])) for w in dict.fromkeys(data.writer[rows])},
    }  # fmt: skip


def parse_value(text: str) -> Any:
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return {"true": True, "false": False}.get(text.lower(), text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cache", default=str(Path(tempfile.gettempdir()) / "domain_cv"))
    parser.add_argument("--extra", action="append", type=Path, default=[])
    parser.add_argument("--set", action="append", default=[])
    parser.add_argument("--grid", action="append", default=[])
    parser.add_argument(
        "--variant", action="append", default=[], help="NAME=V;NAME=V: one variant (after the grid)"
    )
    parser.add_argument(
        "--table", action="store_true", help="per-domain table and confusions of each variant"
    )
    parser.add_argument("--save", type=Path, help="pickle the out-of-fold probabilities of each variant here")
    parser.add_argument("--drop", action="append", default=[], help="leave this writer out altogether")
    parser.add_argument("--train-only", action="append", default=[], help="this writer only trains (no fold)")
    args = parser.parse_args()
    TRAIN_ONLY.update(args.train_only)
    data = load_data(args.extra, Path(args.cache), args.drop)
    base = {k: parse_value(x) for k, _, x in (s.partition("=") for s in args.set)}
    axes = [
        (k, [parse_value(x) for x in xs.split(",")]) for k, _, xs in (g.partition("=") for g in args.grid)
    ]
    scored = (data.writer != "") & ~np.isin(data.writer, list(TRAIN_ONLY))
    print(f"{int(scored.sum())} scored situations, {len(set(data.writer[scored]))} writers; always in training: "
          f"{sorted(TRAIN_ONLY)}; fixed {base}")  # fmt: skip

    print(
        "| variant | macro F1 | micro F1 | first top-1 | top-2 | top-3 | shown | any right in top-2 | log loss | s |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    saved = {}
    variants = [{**base, **dict(zip([k for k, _ in axes], combo, strict=True))}
                for combo in (itertools.product(*[v for _, v in axes]) if axes else [()])]  # fmt: skip
    if args.variant and not axes:
        variants = []
    variants += [{**base, **{k: parse_value(x) for k, _, x in (p.partition("=") for p in text.split(";"))}}
                 for text in args.variant]  # fmt: skip
    for v in variants:
        c = replace(Constants(), **v)
        start = time.perf_counter()
        p = oof(data, c)
        seconds = time.perf_counter() - start
        s = scores(data, p, c)
        name = ", ".join(f"{k}={x}" for k, x in v.items() if k not in base) or "base"
        print(f"| {name} | {s['macro']:.3f} | {s['micro']:.3f} | {s['top1']:.3f} | {s['top2']:.3f} | {s['top3']:.3f} "
              f"| {s['shown']:.3f} | {s['any2']:.3f} | {s['logloss']:.4f} | {seconds:.0f} |", flush=True)  # fmt: skip
        saved[name] = p
        if args.table:
            print_table(data, s)
    if args.save:
        args.save.write_bytes(pickle.dumps({"p": saved, "first": data.first, "writer": data.writer}))


def print_table(data: Data, s: dict[str, Any]) -> None:
    print("\n| levensgebied | support | precision | recall | F1 |\n|---|---|---|---|---|")
    for j, d in enumerate(data.ids):
        pr, rc, f, n = s["f1"][j]
        print(f"| {d} | {n} | {pr:.3f} | {rc:.3f} | {f:.3f} |")
    print("\nmost frequent confusions (first labelled -> most likely):")
    for (g, q), n in s["confusions"].most_common(15):
        print(f"  {g} -> {q}: {n}")
    print("top-3 per writer:", {w: round(x, 3) for w, x in s["writers"].items()}, "\n")


if __name__ == "__main__":
    main()
