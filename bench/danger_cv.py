"""Leave-one-writer-out CV of the DANGER-TYPE head only: fast, to choose its features (bot/understanding/danger.py).

Same writer folds as bench/safety_cv.py; per fold the shared featurizer is fitted on the training texts (as at index
time) and only the danger head is trained, on the labelled safety cases of the other writers. Prints per variant the
head's accuracy on acuut and zorg cases, per danger type, and the full confusion table (label -> head). The held-out
split (heldout_*) is never read.

Run: PYTHONPATH=. .venv/bin/python bench/danger_cv.py [--grid role_weight=0,1 --grid danger_c=2,4] [--extra FILE]
"""

from __future__ import annotations

import argparse
import itertools
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.writer_cv import CachingEncoder, constants_from  # noqa: E402
from bot.retrieval.embeddings import USEEmbeddings  # noqa: E402
from bot.understanding.chat import load_chat  # noqa: E402
from bot.understanding.corpus import load_corpus, load_corpus_file  # noqa: E402
from bot.understanding.danger import DangerHead  # noqa: E402
from bot.understanding.features import Featurizer, lexicon_columns  # noqa: E402
from bot.understanding.lexicon import load_lexicon  # noqa: E402
from bot.understanding.safety_eval import print_confusion  # noqa: E402
from bot.understanding.taxonomy import load_taxonomy  # noqa: E402
from bot.understanding.training import KnowledgePaths, encode, examples_for  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--set", action="append", default=[], help="NAME=VALUE for every variant")
    parser.add_argument("--grid", action="append", default=[], help="NAME=V1,V2 (all combinations)")
    parser.add_argument("--extra", action="append", type=Path, default=[])
    parser.add_argument("--misses", action="store_true", help="print the first variant's wrong types")
    args = parser.parse_args()
    paths = KnowledgePaths.under(ROOT / "knowledge")
    taxonomy, lexicon = load_taxonomy(paths.taxonomy), load_lexicon(paths.lexicon)
    corpus = load_corpus(paths.corpus, taxonomy)
    for extra in args.extra:
        corpus += load_corpus_file(extra, taxonomy)
    base = constants_from(args.set)
    examples, hits = examples_for(corpus, taxonomy, lexicon, load_chat(paths.dialoog), base)
    dense = encode(CachingEncoder(USEEmbeddings()), [e.text or "." for e in examples])  # type: ignore[arg-type]
    writer = np.array([i.writer for i in corpus] + [""] * (len(examples) - len(corpus)))
    risky = np.array([e.danger is not None for e in examples])
    names = [g.split("=")[0] for g in args.grid]
    values = [g.split("=")[1].split(",") for g in args.grid]
    variants = [dict(zip(names, v, strict=True)) for v in itertools.product(*values)] or [{}]
    # writers with safety cases (a writer of ordinary contrast examples only has nothing to test; its texts stay in
    # every fold's featurizer)
    writers = list(dict.fromkeys(i.writer for i in corpus if i.danger is not None))
    print(f"danger head, leave-one-writer-out: {len(writers)} writers, {int(risky.sum())} safety cases; "
          f"fixed: {', '.join(args.set) or '-'}")  # fmt: skip
    start = time.perf_counter()
    folds = []
    for held in writers:
        train = np.flatnonzero(writer != held)
        featurizer = Featurizer(base, lexicon_columns(lexicon)).fit([examples[i].text for i in train])
        rows = np.flatnonzero(risky)
        folds.append(
            (held, rows, featurizer.transform([examples[i].text for i in rows], dense[rows], hits[rows]))
        )
    print(f"(features {time.perf_counter() - start:.0f} s)")
    for k, variant in enumerate(variants):
        constants = constants_from([*args.set, *(f"{n}={v}" for n, v in variant.items())])
        pairs: list[tuple[str, str]] = []
        levels: list[str] = []
        for held, rows, features in folds:
            test = writer[rows] == held
            texts = [examples[i].text for i in rows]
            labels = [str(examples[i].danger) for i in rows]
            head = DangerHead(constants).fit(features[~test], [t for t, h in zip(texts, test, strict=True) if not h],
                                             [lab for lab, h in zip(labels, test, strict=True) if not h])  # fmt: skip
            idx = np.flatnonzero(test)
            p = head.predict_proba(features[idx], [texts[i] for i in idx])
            for i, probs in zip(idx, p, strict=True):
                pairs.append((labels[i], str(head.classes_[int(np.argmax(probs))])))
                levels.append(examples[rows[i]].level)
                if args.misses and k == 0 and pairs[-1][0] != pairs[-1][1]:
                    print(f"  [{pairs[-1][0]} -> {pairs[-1][1]}] {texts[i][:150]}")
        right = [a == b for a, b in pairs]
        by_level = {
            lv: [r for r, x in zip(right, levels, strict=True) if x == lv] for lv in ("acuut", "zorg")
        }
        label = ", ".join(f"{n}={v}" for n, v in variant.items()) or "as configured"
        print(f"\n== {label}: right {sum(right)}/{len(right)} = {np.mean(right):.3f}; acuut "
              f"{sum(by_level['acuut'])}/{len(by_level['acuut'])}, zorg {sum(by_level['zorg'])}/{len(by_level['zorg'])}")  # fmt: skip
        print_confusion(pairs, f"danger CV, {label}")


if __name__ == "__main__":
    main()
