"""Question memory and reranking, measured by leave-one-writer-out over the two blind training writers.

Retrieval-level figures (chapter-hit@3, fact@3, MRR@10 over in-scope questions) of the fused ranking, without
and with extra signals learned from a memory of training questions. Direction "A->B" trains on writer A
(train_vragen_r3) and tests on writer B (train_vragen_b_r3); "B->A" the other way; the dev sets are tested with
both writers as memory. Held-out sets are never read here.

Run: .venv/bin/python bench/memory_cv.py   (builds the index in a temporary data directory)
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from question_sets import DEV, index_without_memory  # noqa: E402

from bot.retrieval.hybrid import HybridRetriever, Signals, _minmax  # noqa: E402
from bot.retrieval.lexical import char_ngrams  # noqa: E402
from bot.retrieval.memory import QuestionMemory  # noqa: E402
from bot.retrieval.training import TrainingQuestion, question_text  # noqa: E402

WRITERS = {"A": "train_vragen_r3.yaml", "B": "train_vragen_b_r3.yaml"}


@dataclass
class Item:
    text: str
    chapter: int
    facts: tuple[str, ...]
    kind: str
    signals: Signals | None = None
    share: float = 1.0
    coverage: float = 1.0
    vector: np.ndarray | None = None


def _dev_items(path: Path) -> list[Item]:
    items = yaml.safe_load(path.read_text(encoding="utf-8"))["questions"]
    return [
        Item(
            str(i["q"]),
            int(i["chapter"]),
            tuple(str(f) for f in i.get("facts") or []),
            str(i.get("soort", "-")),
        )
        for i in items
        if not i.get("out_of_scope") and i.get("chapter") is not None
    ]


def _train_items(questions: list[TrainingQuestion]) -> list[Item]:
    return [
        Item(question_text(q), int(q.chapter), q.facts, q.kind) for q in questions if q.chapter is not None
    ]


def _prepare(retriever: HybridRetriever, items: list[Item]) -> None:
    for item in items:
        item.signals = retriever.signals(item.text)
        item.share = retriever.lexical_share(retriever.analyze(item.text))
        item.coverage = retriever.analyze(item.text).coverage
        item.vector = retriever.query_vector(item.text)


def _metrics(retriever: HybridRetriever, items: list[Item], scores: list[np.ndarray]) -> tuple[float, ...]:
    hit = fact = mrr = 0.0
    for item, fused in zip(items, scores, strict=True):
        order = np.argsort(-fused, kind="stable")[:10]
        chapters = [retriever.passages[i].chapter for i in order]
        top3 = " ".join(retriever.passages[i].text for i in order[:3]).lower()
        h = item.chapter in chapters[:3]
        hit += h
        fact += any(f.lower() in top3 for f in item.facts) if item.facts else h
        mrr += next((1.0 / r for r, c in enumerate(chapters, 1) if c == item.chapter), 0.0)
    n = max(len(items), 1)
    return hit / n, fact / n, mrr / n


def _scores(
    retriever: HybridRetriever,
    items: list[Item],
    memory: QuestionMemory | None,
    w: tuple[float, float],
    low: float | None = None,
    boost: float = 0.0,
):
    out = []
    for item in items:
        assert item.signals is not None and item.vector is not None
        share = item.share if low is None else low + (1.0 - low) * item.coverage
        fused = retriever.fuse(item.signals, lexical_share=share)
        if memory is not None:
            dense, lexical = memory.signals(item.text, item.vector)
            scale = 1.0 + boost * (1.0 - item.coverage)
            fused = fused + scale * (w[0] * _minmax(dense) + w[1] * _minmax(lexical))
        out.append(fused)
    return out


def main() -> None:
    with index_without_memory(WRITERS) as (retriever, embeddings, by_writer):
        tests = {w: _train_items(qs) for w, qs in by_writer.items()}
        devs = {p.stem[:14]: _dev_items(p) for p in DEV}
        if "--glossary" in sys.argv:  # an extra one-way word list (English -> Dutch) for the query expansion
            extra = yaml.safe_load(
                Path(sys.argv[sys.argv.index("--glossary") + 1]).read_text(encoding="utf-8")
            )
            for word, targets in extra["woorden"].items():
                retriever._synonyms[str(word).lower()] = tuple(map(str, targets))
        for items in [*tests.values(), *devs.values()]:
            _prepare(retriever, items)
        memories = {
            "A": QuestionMemory.build(retriever.passages, by_writer["A"], embeddings.encode),
            "B": QuestionMemory.build(retriever.passages, by_writer["B"], embeddings.encode),
            "AB": QuestionMemory.build(
                retriever.passages, by_writer["A"] + by_writer["B"], embeddings.encode
            ),
        }
        cfg = retriever.config
        grid = [
            (0.0, 0.0),
            (0.2, 0.4),
            (0.3, 0.6),
            (0.4, 0.6),
            (0.6, 0.6),
            (0.3, 0.8),
            (0.4, 0.4),
            (0.6, 0.3),
        ]
        grid.append((cfg.memory_dense_weight, cfg.memory_lexical_weight))
        cols = [("A->B", "A", tests["B"]), ("B->A", "B", tests["A"])] + [
            (n, "AB", d) for n, d in devs.items()
        ]
        print(f"{'w dense, w lex':<16}" + "".join(f"{c:<22}" for c, _, _ in cols))
        for w in grid:
            row = f"{w[0]:.1f}, {w[1]:.1f}{'':<8}"
            for _, mem, items in cols:
                memory = memories[mem] if any(w) else None
                h, f, m = _metrics(retriever, items, _scores(retriever, items, memory, w))
                row += f"{h:.2f} {f:.2f} {m:.2f}{'':<8}"
            print(row + ("  <- in use" if w == grid[-1] else ""))
        if "--chapter" in sys.argv:
            _chapter(retriever, memories, by_writer, tests, devs, grid[-1])
        if "--vote" in sys.argv:
            _vote(retriever, memories, tests, devs, grid[-1])
        if "--weights" in sys.argv:
            _weights(retriever, memories, tests, devs, grid[-1])
        if "--words" in sys.argv:
            _words(retriever, memories, tests, devs, grid[-1])
        if "--english" in sys.argv:
            _english(retriever, memories, tests, devs, grid[-1])


def _chapter(retriever, memories, by_writer, tests, devs, w) -> None:
    """The chapter variant of the memory on top of the passage memory in use."""
    both = by_writer["A"] + by_writer["B"]
    cols = [("A->B", "A", by_writer["A"], tests["B"]), ("B->A", "B", by_writer["B"], tests["A"])]
    cols += [(n, "AB", both, d) for n, d in devs.items()]
    print(f"\n{'w chapter':<12}" + "".join(f"{c:<18}" for c, *_ in cols))
    for wc in (0.0, 0.1, 0.2, 0.4):
        row = f"{wc:<12}"
        for _, mem, qs, items in cols:
            base = _scores(retriever, items, memories[mem], w)
            scores = [
                b + wc * _minmax(chapter_memory(retriever, memories[mem], qs, i))
                for b, i in zip(base, items, strict=True)
            ]
            h, f, m = _metrics(retriever, items, scores)
            row += f"{h:.2f} {f:.2f} {m:.2f}    "
        print(row)


def _english(retriever, memories, tests, devs, w) -> None:
    """Lexical share floor and a memory boost for queries whose words the corpus does not know."""
    cols = [("A->B", "A", tests["B"]), ("B->A", "B", tests["A"])]
    cols += [(f"{c} en", m, [i for i in items if i.kind == "engels"]) for c, m, items in cols]
    cols += [(n, "AB", d) for n, d in devs.items()]
    cols.append(("u3 en", "AB", [i for i in devs["dev_questions_"] if i.kind == "engels"]))
    print(f"\n{'floor, boost':<14}" + "".join(f"{c:<18}" for c, _, _ in cols))
    for low in (0.5, 0.35, 0.2):
        for boost in (0.0, 1.0, 2.0):
            row = f"{low:.2f}, {boost:.1f}{'':<4}"
            for _, mem, items in cols:
                h, f, m = _metrics(retriever, items, _scores(retriever, items, memories[mem], w, low, boost))
                row += f"{h:.2f} {f:.2f} {m:.2f}    "
            print(row)


def chapter_memory(retriever: HybridRetriever, memory: QuestionMemory, questions, item: Item) -> np.ndarray:
    """Per passage: best cosine with a memory question of the passage's chapter (the chapter variant)."""
    kept = [q for q in questions if q.in_scope]
    chapters = np.asarray([q.chapter for q in kept])
    sims = memory._vectors @ item.vector
    best = {int(c): float(sims[chapters == c].max()) for c in np.unique(chapters)}
    return np.asarray([best.get(p.chapter, 0.0) if p.is_publication else 0.0 for p in retriever.passages])


def vote_signals(memory: QuestionMemory, item: Item, temperature: float) -> tuple[np.ndarray, np.ndarray]:
    """Soft vote instead of the best match: log of the summed exp(similarity / T) of the attached questions."""
    sims = memory._vectors @ item.vector
    assert memory._lexical is not None
    bm25 = memory._lexical.scores(list(dict.fromkeys(char_ngrams(item.text))))
    bm25 = bm25 / max(float(bm25.max()), 1e-9)
    out = []
    for values in (sims, bm25):
        total = np.zeros(memory._n)
        np.add.at(total, memory._passage, np.exp((values[memory._question] - 1.0) / temperature))
        out.append(np.log(total + 1e-12))
    return out[0], out[1]


def _vote(retriever, memories, tests, devs, w) -> None:
    """The memory as a soft vote over attached questions, against the best match in use."""
    cols = [("A->B", "A", tests["B"]), ("B->A", "B", tests["A"])] + [(n, "AB", d) for n, d in devs.items()]
    print(f"\n{'vote T':<12}" + "".join(f"{c:<18}" for c, *_ in cols))
    for temperature in (0.02, 0.05, 0.1):
        row = f"{temperature:<12}"
        for _, mem, items in cols:
            scores = []
            for item in items:
                assert item.signals is not None
                dense, lexical = vote_signals(memories[mem], item, temperature)
                fused = retriever.fuse(item.signals, lexical_share=item.share)
                scores.append(fused + w[0] * _minmax(dense) + w[1] * _minmax(lexical))
            h, f, m = _metrics(retriever, items, scores)
            row += f"{h:.2f} {f:.2f} {m:.2f}    "
        print(row)


def _weights(retriever, memories, tests, devs, w) -> None:
    """The other fusion weights again, now next to the memory (one changed at a time)."""
    from dataclasses import replace

    base = retriever.config
    cols = [("A->B", "A", tests["B"]), ("B->A", "B", tests["A"])] + [(n, "AB", d) for n, d in devs.items()]
    print(f"\n{'weight':<22}" + "".join(f"{c:<18}" for c, *_ in cols))
    changes = [("in use", {})]
    for name in (
        "word_weight",
        "ngram_weight",
        "dense_weight",
        "chapter_weight",
        "topic_weight",
        "sentence_weight",
    ):
        value = getattr(base, name)
        changes += [(f"{name[:-7]} {v:.2f}", {name: v}) for v in (value * 0.5, value * 1.5)]
    for label, change in changes:
        retriever.config = replace(base, **change)
        row = f"{label:<22}"
        for _, mem, items in cols:
            h, f, m = _metrics(retriever, items, _scores(retriever, items, memories[mem], w))
            row += f"{h:.2f} {f:.2f} {m:.2f}    "
        print(row)
    retriever.config = base


def _words(retriever, memories, tests, devs, w) -> None:
    """A third memory field: BM25 over the stemmed words of the attached questions."""
    from bot.retrieval.lexical import LexicalIndex, dutch_tokens

    words = {k: LexicalIndex.build(m.texts) for k, m in memories.items()}
    cols = [("A->B", "A", tests["B"]), ("B->A", "B", tests["A"])] + [(n, "AB", d) for n, d in devs.items()]
    print(f"\n{'w words':<12}" + "".join(f"{c:<18}" for c, *_ in cols))
    for ww in (0.0, 0.1, 0.2, 0.4):
        row = f"{ww:<12}"
        for _, mem, items in cols:
            memory, base = memories[mem], _scores(retriever, items, memories[mem], w)
            scores = []
            for b, item in zip(base, items, strict=True):
                bm25 = words[mem].scores(list(dict.fromkeys(dutch_tokens(item.text))))
                field = np.zeros(memory._n, dtype=np.float32)
                np.maximum.at(field, memory._passage, bm25[memory._question])
                scores.append(b + ww * _minmax(field))
            h, f, m = _metrics(retriever, items, scores)
            row += f"{h:.2f} {f:.2f} {m:.2f}    "
        print(row)


if __name__ == "__main__":
    main()
