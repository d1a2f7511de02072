"""Learned fusion (bot.retrieval.fusion) against the hand-set fusion and plain BM25, leave-one-writer-out.

For each training writer W: the question memory and the chapter prior hold the other writers' questions; the
ranking model is trained on the other writers' questions, whose own memory and prior features come from the
writers that are neither W nor theirs (so training rows look like unseen questions). Dev sets: memory and prior
of all writers, model trained on all writers. Held-out sets are never read here.

Prints chapter-hit@3 / fact@3 / MRR@10 per column, per soort pooled over the writers, where the misses are
(chapter wrong vs. chapter right but fact not in the top 3), and a few model constants (one changed at a time).

--subset-memories adds the model trained as before round 5 (one question memory built per set of writers instead
of one shared memory with the other writers' questions hidden), to check the cheaper index-time training.

--language adds the model without the English-share columns (bot.retrieval.language) for comparison.

--memory-expansion compares the weight of the synonyms in the question memory's 4-gram BM25.

--prior-expansion compares the chapter prior without the question's synonyms.

--covered compares the model without the idf-coverage column (Signals.covered).

--round7 adds the model with the round-7 columns only (none of the round-8 additions).

--channels prints, per soort and for the learned fusion's misses, the rank of the fact passage in each channel
(word BM25, 4-grams, USE, ...).

--prior-words compares the chapter prior's word weight (0: USE vectors only, as before round 5).

Run: .venv/bin/python bench/fusion_cv.py [--grid] [--subset-memories] [--prior-words]
"""

from __future__ import annotations

import sys
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from question_sets import DEV, index_without_memory  # noqa: E402

from bot.retrieval.fusion import FusionConstants, labels  # noqa: E402
from bot.retrieval.fusion_training import Example, FusionTrainer  # noqa: E402
from bot.retrieval.hybrid import HybridRetriever  # noqa: E402

WRITERS = {
    "A": "train_vragen_r3.yaml",
    "B": "train_vragen_b_r3.yaml",
    "C": "train_vragen_c_r4.yaml",
    "D": "train_vragen_d_r5.yaml",
    "E": "train_vragen_e_r6.yaml",
    "F": "train_vragen_f_r7.yaml",
    "G": "train_vragen_g_r8.yaml",
    "H": "train_vragen_h_r9.yaml",
    "I": "train_vragen_i_r10.yaml",
    "J": "train_vragen_j_r11.yaml",
}


def _dev(trainer: FusionTrainer, path: Path) -> list[Example]:
    items = yaml.safe_load(path.read_text(encoding="utf-8"))["questions"]
    kept = [i for i in items if not i.get("out_of_scope") and i.get("chapter") is not None]
    labels_ = [
        (int(i["chapter"]), tuple(str(f) for f in i.get("facts") or []), str(i.get("soort", "-")))
        for i in kept
    ]
    return trainer.examples_of([str(i["q"]) for i in kept], labels_, "dev")


def judge(retriever: HybridRetriever, item: Example, scores: np.ndarray) -> tuple[bool, bool, float]:
    order = np.argsort(-scores, kind="stable")[:10]
    chapters = [retriever.passages[i].chapter for i in order]
    top3 = " ".join(retriever.passages[i].text for i in order[:3]).lower()
    hit = item.chapter in chapters[:3]
    fact = any(f.lower() in top3 for f in item.facts) if item.facts else hit
    return hit, fact, next((1.0 / r for r, c in enumerate(chapters, 1) if c == item.chapter), 0.0)


def fmt(results: list[tuple[bool, bool, float]], digits: int = 2) -> str:
    n = max(len(results), 1)
    return " ".join(f"{sum(r[k] for r in results) / n:.{digits}f}" for k in range(3))


def main() -> None:
    with index_without_memory(WRITERS) as (retriever, embeddings, by_writer):
        base = FusionConstants()
        lab = FusionTrainer(retriever, embeddings.encode, by_writer, base)
        items = lab.examples
        devs = {p.stem[:14]: _dev(lab, p) for p in DEV}
        everyone = list(WRITERS)
        configs = [("learned", base, lab)]
        if "--subset-memories" in sys.argv:
            old = FusionTrainer(retriever, embeddings.encode, by_writer, base, subset_memories=True)
            configs += [("subset memories", base, old)]
        if "--grid" in sys.argv:
            configs += [(f"c {c}", replace(base, c=c), lab) for c in (0.3, 3.0)]
            configs += [(f"chapter_c {c}", replace(base, chapter_c=c), lab) for c in (3.0, 30.0)]
            configs += [(f"chapter_w {c}", replace(base, chapter_weight=c), lab) for c in (0.1,)]
        if "--memory-expansion" in sys.argv:
            configs += [(f"mem expansion {c}", replace(base, memory_expansion=c), lab) for c in (0.0, 1.0)]
        if "--round7" in sys.argv:
            old = replace(base, language=False, covered=False, prior_expansion=False, memory_expansion=0.0)
            configs += [("round-7 columns", old, lab)]
        if "--covered" in sys.argv:
            configs += [("no idf coverage", replace(base, covered=False), lab)]
        if "--prior-expansion" in sys.argv:
            configs += [("no prior expansion", replace(base, prior_expansion=False), lab)]
        if "--language" in sys.argv:
            configs += [("no language cols", replace(base, language=False), lab)]
        if "--prior-words" in sys.argv:
            configs += [
                (f"prior words {c}", replace(base, prior_word_weight=c), lab) for c in (0.0, 1.0, 3.0)
            ]
        columns = [(w, items[w], [v for v in everyone if v != w]) for w in everyone]
        columns += [(n, d, everyone) for n, d in devs.items()]
        per_kind: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
        channels: dict[str, list[list[int]]] | None = defaultdict(list) if "--channels" in sys.argv else None
        table: dict[str, str] = defaultdict(str)
        for name, group, train_writers in columns:
            memory_writers = frozenset(train_writers)
            for item in group:
                signals = lab.with_memory(item, memory_writers)
                for label, scores in (
                    ("bm25 words", signals.word),
                    ("bm25 4-grams", signals.ngram),
                    ("hand-set (main)", retriever.fuse(signals, lexical_share=item.share)),
                ):
                    per_kind[label][f"{name}:{item.kind}"].append(judge(retriever, item, scores))
                    per_kind[label][f"{name}:ch{item.chapter}"].append(judge(retriever, item, scores))
                    per_kind[label][name].append(judge(retriever, item, scores))
            for label, constants, trainer in configs:
                model = trainer.model(train_writers, constants)
                for item in group:
                    scores = model.scores(trainer.features(item, memory_writers, constants))
                    result = judge(retriever, item, scores)
                    if "--misses" in sys.argv and label == "learned" and name in everyone and not result[1]:
                        top = [retriever.passages[i].chapter for i in np.argsort(-scores, kind="stable")[:3]]
                        print(f"  miss {name} {item.kind} want {item.chapter} got {top}: {item.text[:110]}")
                    if channels is not None and label == "learned" and name in everyone:
                        ranks = _channel_ranks(lab, item, memory_writers, scores)
                        channels[item.kind].append(ranks)
                        if not result[1]:  # the misses of the learned fusion, all kinds together
                            channels["~ misses"].append(ranks)
                    per_kind[label][f"{name}:{item.kind}"].append(result)
                    per_kind[label][f"{name}:ch{item.chapter}"].append(result)
                    per_kind[label][name].append(result)
        labels_ = list(per_kind)
        names = [c[0] for c in columns]
        print(
            f"{'ranking':<18}"
            + "".join(f"{n:<17}" for n in names)
            + "pooled writers    English           paraphrase"
        )
        for label in labels_:
            pooled = [r for w in everyone for r in per_kind[label][w]]
            by_kind = [
                [r for w in everyone for r in per_kind[label][f"{w}:{k}"]] for k in ("engels", "parafrase")
            ]
            table[label] = (
                "".join(f"{fmt(per_kind[label][n]):<17}" for n in names)
                + fmt(pooled, 3)
                + "".join(f"  {fmt(rows, 3)}" for rows in by_kind)
            )
            print(f"{label:<18}{table[label]}")
        _breakdown(per_kind, everyone, ["hand-set (main)", "learned"])
        if channels is not None:
            _print_channels(channels)


CHANNELS = (
    "word",
    "4-gram",
    "USE",
    "sentence",
    "memory USE",
    "memory 4-gram",
    "prior",
    "hand-set",
    "learned",
)


def _channel_ranks(
    lab: FusionTrainer, item: Example, writers: frozenset[str], learned: np.ndarray
) -> list[int]:
    """Rank (1 = first) of the best passage holding a fact (or of the right chapter) in each channel."""
    retriever = lab.retriever
    target = labels(retriever.passages, item.chapter, item.facts, lab.constants) >= 1.0
    signals = lab.with_memory(item, writers)
    prior = lab.prior(writers).per_passage(item.vector, retriever.passages, lab.prior_text(item.text))
    columns = (signals.word, signals.ngram, signals.dense, signals.sentence, signals.memory_dense,
               signals.memory_lexical, prior, retriever.fuse(signals, lexical_share=item.share), learned)  # fmt: skip
    out = []
    for scores in columns:
        order = np.argsort(-np.asarray(scores), kind="stable")
        out.append(int(np.flatnonzero(target[order])[0]) + 1 if target.any() else 999)
    return out


def _print_channels(channels: dict[str, list[list[int]]]) -> None:
    """Per soort, pooled over the writers: per channel the share of questions whose fact passage is in the top 3
    and the median rank of that passage."""
    print(f"\n{'fact passage':<14}{'n':>4}  " + "".join(f"{c:<15}" for c in CHANNELS))
    for kind, rows in sorted(channels.items()):
        ranks = np.asarray(rows)
        cells = [
            f"{(ranks[:, c] <= 3).mean():.2f} med {np.median(ranks[:, c]):<4.0f}"
            for c in range(len(CHANNELS))
        ]
        print(f"{kind:<14}{len(rows):>4}  " + "".join(f"{c:<15}" for c in cells))


def _breakdown(per_kind, writers, labels_) -> None:
    """Per soort and per chapter, pooled over the training writers; and the kind of miss."""
    keys = sorted(
        {k.split(":", 1)[1] for k in per_kind[labels_[0]] if ":" in k and k.split(":")[0] in writers}
    )
    print(f"\n{'pooled':<14}{'n':>4}  " + "".join(f"{lab:<24}" for lab in labels_))
    for key in keys:
        cells = []
        for lab in labels_:
            rows = [r for w in writers for r in per_kind[lab].get(f"{w}:{key}", [])]
            cells.append(f"{fmt(rows):<24}")
        n = sum(len(per_kind[labels_[0]].get(f"{w}:{key}", [])) for w in writers)
        print(f"{key:<14}{n:>4}  " + "".join(cells))
    for lab in labels_:
        rows = [r for w in writers for r in per_kind[lab][w]]
        chapter_miss = sum(not r[0] for r in rows)
        fact_only = sum(r[0] and not r[1] for r in rows)
        print(
            f"{lab}: misses {chapter_miss} chapter not in top 3, {fact_only} chapter right but fact not in top 3"
            f" (of {len(rows)})"
        )


if __name__ == "__main__":
    main()
