"""The learned near-miss judge, measured honestly: grouped 5-fold CV over the training questions, and the dev sets.

Rows: the rules alone (bot.retrieval.scope) and the rules plus the learned model (bot.retrieval.scope_model) at a
few thresholds, next to each other in one run. Columns: in-scope questions refused and near misses (`buiten`)
caught in CV; refused / out-of-scope recognised on each dev set (model trained on all training questions).
Folds keep a follow-up (`vorige`) with the question before it. Held-out sets are never read here.

Run: .venv/bin/python bench/scope_cv.py   (builds the index in a temporary data directory)
"""

from __future__ import annotations

import sys
import tempfile
from dataclasses import replace
from pathlib import Path

import numpy as np
import yaml
from sklearn.model_selection import GroupKFold

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from question_sets import DEV, follow_up_groups  # noqa: E402

from bot.config import Settings  # noqa: E402
from bot.retrieval.embeddings import USEEmbeddings  # noqa: E402
from bot.retrieval.index import KnowledgeIndex  # noqa: E402
from bot.retrieval.scope_model import ScopeConstants, train  # noqa: E402
from bot.retrieval.training import TRAINING_DIR, load_training_questions, question_text  # noqa: E402

THRESHOLDS = (0.6, 0.7, 0.8, 0.9)


class Judged:
    """Texts with their USE vectors, rule evidence, rule decision and out-of-scope label."""

    def __init__(
        self, index: KnowledgeIndex, embeddings: USEEmbeddings, texts: list[str], out: list[bool]
    ) -> None:
        judge, retriever = index.scope, index.retriever
        judge._model = None  # the rules alone
        signals = [judge.signal(t, retriever.search(t)) for t in texts]
        self.vectors = embeddings.encode(texts)
        self.numbers = np.asarray([s.numbers() for s in signals], dtype=np.float32)
        self.rule_in = np.asarray(
            [
                judge.decide(s) and not judge._facts.missing(t, retriever.search(t))
                for t, s in zip(texts, signals, strict=True)
            ]
        )
        self.out = np.asarray(out, dtype=bool)

    def cell(self, accepted: np.ndarray) -> str:
        refused = int((~accepted[~self.out]).sum())
        caught = int((~accepted[self.out]).sum())
        return f"{refused:>3}/{int((~self.out).sum()):<3} {caught:>3}/{int(self.out.sum()):<3}"


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(WIJKBOT_DATA_DIR=Path(tmp))
        embeddings = USEEmbeddings()
        index = KnowledgeIndex.load_or_build(settings, embeddings)
        questions = load_training_questions(settings.knowledge_dir / TRAINING_DIR)
        train_set = Judged(
            index, embeddings, [question_text(q) for q in questions], [not q.in_scope for q in questions]
        )
        devs = {}
        for path in DEV:
            items = yaml.safe_load(path.read_text(encoding="utf-8"))["questions"]
            devs[path.stem] = Judged(index, embeddings, [str(i["q"]) for i in items],
                                     [bool(i.get("out_of_scope")) for i in items])  # fmt: skip
        folds = list(
            GroupKFold(5).split(train_set.vectors, groups=follow_up_groups([q.previous for q in questions]))
        )
        p_cv = np.zeros(len(questions))
        for fit, test in folds:
            model = train(train_set.vectors[fit], train_set.numbers[fit], train_set.out[fit])
            p_cv[test] = [model.out_probability(train_set.vectors[i], train_set.numbers[i]) for i in test]
        full = train(train_set.vectors, train_set.numbers, train_set.out)
        p_dev = {
            name: np.asarray([full.out_probability(v, n) for v, n in zip(d.vectors, d.numbers, strict=True)])
            for name, d in devs.items()
        }
        head = f"{'judge':<22} {'CV train: refused caught':<25}" + "".join(f"{n[:20]:<24}" for n in devs)
        print(head)
        print(f"{'rules alone':<22} {train_set.cell(train_set.rule_in):<25}" + "".join(
            f"{d.cell(d.rule_in):<24}" for d in devs.values()))  # fmt: skip
        for threshold in THRESHOLDS:
            row = f"rules + model p>={threshold:<4} {train_set.cell(train_set.rule_in & (p_cv < threshold)):<25}"
            row += "".join(f"{d.cell(d.rule_in & (p_dev[n] < threshold)):<24}" for n, d in devs.items())
            print(row + ("  <- in use" if threshold == replace(ScopeConstants()).threshold else ""))


if __name__ == "__main__":
    main()
