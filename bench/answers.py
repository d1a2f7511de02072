"""Does the extractive answer hold the asked fact? Word overlap against the learned sentence scorer, side by side.

`1st msg`: the fact is in the first phone message of the learned answer (its best-ranked sentences within 600
characters with citation and source line, AnswerService.parts); `1st+2nd`: in the first or the second message.

Per question: the answer text (at most 700 characters) holds one of its literal facts. Rows: the training
questions by kind (grouped 5-fold CV for the learned scorer: each fold's model never saw the question), and the
dev sets (model trained on all training questions). `in top-4` is the ceiling: a fact somewhere in the 4 passages
the answer may quote. Held-out sets are never read here.

Run: .venv/bin/python bench/answers.py   (builds the index in a temporary data directory)
"""

from __future__ import annotations

import sys
import tempfile
from collections import defaultdict
from pathlib import Path

import numpy as np
import yaml
from sklearn.model_selection import GroupKFold

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from question_sets import follow_up_groups  # noqa: E402

from bot.answering.extractive import compose, usable_sentence  # noqa: E402
from bot.answering.sentence_model import SentenceModel, SentenceRanker, labelled_rows, train  # noqa: E402
from bot.answering.service import first_budget  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.retrieval.embeddings import USEEmbeddings  # noqa: E402
from bot.retrieval.index import KnowledgeIndex  # noqa: E402
from bot.retrieval.training import TRAINING_DIR, load_training_questions, question_text  # noqa: E402

DEV = [
    ROOT / "tests" / "retrieval" / "labelled_questions.yaml",
    ROOT / "tests" / "retrieval" / "dev_questions_u3.yaml",
]


def _holds(text: str, facts: tuple[str, ...]) -> bool:
    return any(f.lower() in text.lower() for f in facts)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(WIJKBOT_DATA_DIR=Path(tmp))
        index = KnowledgeIndex.load_or_build(settings, USEEmbeddings())
        search = index.retriever.search
        questions = [
            q
            for q in load_training_questions(settings.knowledge_dir / TRAINING_DIR)
            if q.in_scope and q.facts
        ]
        blank = SentenceRanker(SentenceModel((0.0,) * 8, 0.0), index.sentences, index.retriever.query_vector)
        x, y, owner = labelled_rows(blank, questions, search, usable_sentence)
        fold_model: dict[int, SentenceModel] = {}
        for fit, test in GroupKFold(5).split(
            questions, groups=follow_up_groups([q.previous for q in questions])
        ):
            rows = np.isin(owner, fit)
            model = train(x[rows], y[rows])
            fold_model.update(dict.fromkeys(test.tolist(), model))
        full = train(x, y)

        def counts(query: str, question: str, facts: tuple[str, ...], model: SentenceModel) -> np.ndarray:
            hits = search(query)
            ranker = SentenceRanker(model, index.sentences, index.retriever.query_vector)
            top4 = " ".join(h.passage.text for h in hits[:4])
            plain = compose(query, hits).body
            budget = first_budget([], hits, "nl")
            split = compose(query, hits, ranker=ranker, question=question, first_chars=budget)
            first, both = _holds(split.first, facts), _holds(f"{split.first}\n\n{split.rest}", facts)
            return np.asarray(
                [1, _holds(top4, facts), _holds(plain, facts), _holds(split.body, facts), first, both],
                dtype=float,
            )

        table: dict[str, np.ndarray] = defaultdict(lambda: np.zeros(6))
        for n, q in enumerate(questions):
            row = counts(question_text(q), q.q, q.facts, fold_model[n])
            table[f"train CV {q.kind}"] += row
            table["train CV all"] += row
        for path in DEV:
            for item in yaml.safe_load(path.read_text(encoding="utf-8"))["questions"]:
                facts = tuple(str(f) for f in item.get("facts") or [])
                if item.get("out_of_scope") or not facts:
                    continue
                table[path.stem] += counts(str(item["q"]), str(item["q"]), facts, full)
        print(
            f"{'set':<28} {'n':>4} {'in top-4':>9} {'overlap':>8} {'learned':>8} {'1st msg':>8} {'1st+2nd':>8}"
        )
        for name in sorted(table):
            n, top4, plain, learned, first, both = table[name]
            print(
                f"{name:<28} {int(n):>4} {top4 / n:>9.2f} {plain / n:>8.2f} {learned / n:>8.2f} "
                f"{first / n:>8.2f} {both / n:>8.2f}"
            )
        print("weights:", dict(zip(("overlap", "overlap_new", "cos", "cos_new", "rank", "pos", "shares", "top"),
                                   np.round(full.weights, 2).tolist(), strict=True)))  # fmt: skip


if __name__ == "__main__":
    main()
