"""The learned near-miss judge, measured honestly: grouped 5-fold CV over the training questions, and the dev sets.

Rows: the rules alone (bot.retrieval.scope) and the rules plus the learned model (bot.retrieval.scope_model) at a
few thresholds, next to each other in one run; the last block is the judge in use (far rescue and the
answerability veto). Columns: in-scope questions refused and near misses (`buiten`)
caught in CV; refused / out-of-scope recognised on each dev set (model trained on all training questions).
Folds keep a follow-up (`vorige`) with the question before it. Held-out sets are never read here. The training
questions are searched without the question memory, as at index build (with it, each would find itself).

--misses lists the training questions the judge in use gets wrong in writer CV.

Run: .venv/bin/python bench/scope_cv.py [--misses]  (builds the index in a temporary data directory)
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
from bot.retrieval.scope import FAR_RESCUE, RESCUE_MAX_P, VETO_MAX_P  # noqa: E402
from bot.retrieval.scope_model import SIGNALS, ScopeConstants, train  # noqa: E402
from bot.retrieval.training import TRAINING_DIR, load_training_file, question_text, training_files  # noqa: E402

THRESHOLDS = (0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.65, 0.7, 0.72, 0.75, 0.78, 0.8, 0.9, 0.95)
OLD = 5  # the judge before the precise-fact cues became features: ScopeSignal.numbers() only
WRITERS = (
    "train_vragen_r3",
    "train_vragen_b_r3",
    "train_vragen_c_r4",
    "train_vragen_d_r5",
    "train_vragen_e_r6",
    "train_vragen_f_r7",
    "train_vragen_g_r8",
    "train_vragen_h_r9",
    "train_vragen_i_r10",
    "train_vragen_j_r11",
)


class Judged:
    """Texts with their USE vectors, evidence numbers, rule decisions and out-of-scope label."""

    def __init__(
        self, index: KnowledgeIndex, embeddings: USEEmbeddings, texts: list[str], out: list[bool]
    ) -> None:
        judge, retriever = index.scope, index.retriever
        judge._model = None  # the rules alone
        self.texts = texts
        hits = [retriever.search(t) for t in texts]
        signals = [judge.signal(t, h) for t, h in zip(texts, hits, strict=True)]
        self.vectors = embeddings.encode(texts)
        self.numbers = np.asarray(
            [judge.evidence(t, h, s) for t, h, s in zip(texts, hits, signals, strict=True)], dtype=np.float32
        )
        self.far_in = np.asarray([judge.decide(s) for s in signals])  # the hard rules for far-off questions
        self.rule_in = self.far_in & ~np.asarray(
            [bool(judge._facts.missing(t, h)) for t, h in zip(texts, hits, strict=True)]
        )
        self.out = np.asarray(out, dtype=bool)
        self.rescued_in = self.rescued_r9 = self.far_in
        self.veto = np.asarray([judge.one_passage_holds_every_word(t) for t in texts])  # answerability veto

    def cost(self, accepted: np.ndarray) -> float:
        """Share of in-scope questions refused plus share of near misses let through: both goals weigh the same."""
        refused = float((~accepted[~self.out]).mean()) if (~self.out).any() else 0.0
        missed = float(accepted[self.out].mean()) if self.out.any() else 0.0
        return refused + missed

    def cell(self, accepted: np.ndarray) -> str:
        refused = int((~accepted[~self.out]).sum())
        caught = int((~accepted[self.out]).sum())
        return f"{refused:>3}/{int((~self.out).sum()):<3} {caught:>3}/{int(self.out.sum()):<3}"


def _cv(
    train_set: Judged,
    folds,
    cols: int,
    writer: np.ndarray,
    words: bool = True,
    constants: ScopeConstants | None = None,
) -> np.ndarray:
    p = np.zeros(len(train_set.out))
    for fit, test in folds:
        old = ScopeConstants(c=1.0) if cols == OLD else constants or ScopeConstants()
        texts = [train_set.texts[i] for i in fit] if cols > OLD and words else None
        model = train(train_set.vectors[fit], train_set.numbers[fit, :cols], train_set.out[fit], old,
                      writers=writer[fit].tolist(), texts=texts)  # fmt: skip
        p[test] = [
            model.out_probability(train_set.vectors[i], train_set.numbers[i, :cols], train_set.texts[i])
            for i in test
        ]
    return p


def _rescue(train_set: Judged, devs: dict[str, Judged], writer: np.ndarray) -> None:
    """rescued_in: the far rules, except for questions whose nearest in-scope training question (another
    writer's, in CV) is at least FAR_RESCUE close (bot.retrieval.scope)."""
    inside = ~train_set.out
    sims = train_set.vectors @ train_set.vectors.T
    hide = (writer[:, None] == writer[None, :]) | ~inside[None, :]
    nearest = np.where(hide, -1.0, sims).max(axis=1)
    train_set.rescued_in = train_set.far_in | (nearest >= FAR_RESCUE)
    train_set.rescued_r9 = train_set.far_in | (nearest >= 0.55)
    for d in devs.values():
        nearest = (d.vectors @ train_set.vectors[inside].T).max(axis=1)
        d.rescued_in = d.far_in | (nearest >= FAR_RESCUE)
        d.rescued_r9 = d.far_in | (nearest >= 0.55)
    refused = ~train_set.far_in
    print(
        f"far rules: {int((refused & inside).sum())} in-scope and {int((refused & ~inside).sum())} near misses "
        f"refused; at FAR_RESCUE {FAR_RESCUE} {int((refused & train_set.rescued_in & inside).sum())} and "
        f"{int((refused & train_set.rescued_in & ~inside).sum())} of them go to the judge (by writer)"
    )


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(WIJKBOT_DATA_DIR=Path(tmp))
        embeddings = USEEmbeddings()
        index = KnowledgeIndex.load_or_build(settings, embeddings)
        directory = settings.knowledge_dir / TRAINING_DIR
        by_file = [(path.stem, load_training_file(path)) for path in training_files(directory)]
        questions = [q for _, qs in by_file for q in qs]
        writer = np.asarray([n for n, qs in by_file for _ in qs])
        memory = index.retriever._memory
        index.retriever.attach_memory(
            None
        )  # as at index build: the training questions' hits without the memory
        train_set = Judged(
            index, embeddings, [question_text(q) for q in questions], [not q.in_scope for q in questions]
        )
        index.retriever.attach_memory(memory)
        devs = {}
        for path in DEV:
            items = yaml.safe_load(path.read_text(encoding="utf-8"))["questions"]
            devs[path.stem] = Judged(index, embeddings, [str(i["q"]) for i in items],
                                     [bool(i.get("out_of_scope")) for i in items])  # fmt: skip
        grouped = list(
            GroupKFold(5).split(train_set.vectors, groups=follow_up_groups([q.previous for q in questions]))
        )
        by_writer = [(np.flatnonzero(writer != w), np.flatnonzero(writer == w)) for w in np.unique(writer)]
        p_new = {
            k: _cv(train_set, f, SIGNALS, writer) for k, f in (("5-fold", grouped), ("writer", by_writer))
        }
        p_old = {k: _cv(train_set, f, OLD, writer) for k, f in (("5-fold", grouped), ("writer", by_writer))}
        p_plain = {
            k: _cv(train_set, f, SIGNALS, writer, words=False)
            for k, f in (("5-fold", grouped), ("writer", by_writer))
        }
        kept = replace(ScopeConstants(), drop_english_function_words=False)
        p_kept = _cv(train_set, by_writer, SIGNALS, writer, constants=kept)
        full_use = replace(ScopeConstants(), dense_weight=1.0)  # the USE block as before round 9
        p_full = _cv(train_set, by_writer, SIGNALS, writer, constants=full_use)
        _rescue(train_set, devs, writer)
        variants = {"old": (OLD, False), "plain": (SIGNALS, False), "words": (SIGNALS, True)}
        full = {
            v: train(train_set.vectors, train_set.numbers[:, :n], train_set.out,
                     ScopeConstants(c=1.0) if n == OLD else ScopeConstants(), writers=writer.tolist(),
                     texts=train_set.texts if words else None)
            for v, (n, words) in variants.items()
        }  # fmt: skip
        p_dev = {
            (name, v): np.asarray(
                [
                    m.out_probability(x, y[: variants[v][0]], t)
                    for x, y, t in zip(d.vectors, d.numbers, d.texts, strict=True)
                ]
            )
            for name, d in devs.items()
            for v, m in full.items()
        }
        head = f"{'judge':<26} {'5-fold: refused caught':<24}{'by writer: refused caught cost':<33}"
        print(head + "".join(f"{n[:20]:<24}" for n in devs))
        print(f"{'rules alone':<26} {train_set.cell(train_set.rule_in):<24}{train_set.cell(train_set.rule_in):<33}"
              + "".join(f"{d.cell(d.rule_in):<24}" for d in devs.values()))  # fmt: skip
        in_use = ScopeConstants().threshold
        for label, variant, p_cv, base in (
            ("cue rule + model", "old", p_old, "rule_in"),
            ("cue feature", "plain", p_plain, "far_in"),
            ("+ words", "words", p_new, "far_in"),
            ("+ far rescue", "words", p_new, "rescued_in"),
            ("+ veto (round 9)", "words", p_new, "veto r9"),
            ("+ veto (in use)", "words", p_new, "veto"),
        ):
            for threshold in THRESHOLDS:
                row = f"{label} p>={threshold:<4}".ljust(27)
                row += f"{train_set.cell(_accepted(train_set, base, p_cv['5-fold'], threshold)):<24}"
                by_writer_in = _accepted(train_set, base, p_cv["writer"], threshold)
                row += f"{train_set.cell(by_writer_in)} {train_set.cost(by_writer_in):.3f}".ljust(33)
                row += "".join(
                    f"{d.cell(_accepted(d, base, p_dev[(n, variant)], threshold)):<24}"
                    for n, d in devs.items()
                )
                print(row + ("  <- in use" if base == "veto" and threshold == in_use else ""))
        for (
            threshold
        ) in THRESHOLDS:  # by writer: the judge in use, English function words kept in the word block
            by_writer_in = _accepted(train_set, "veto", p_kept, threshold)
            print(f"veto, English words kept p>={threshold:<4}".ljust(51)
                  + f"{train_set.cell(by_writer_in)} {train_set.cost(by_writer_in):.3f}")  # fmt: skip
        for (
            threshold
        ) in THRESHOLDS:  # by writer: the judge in use with the USE block at full weight (round 8)
            by_writer_in = _accepted(train_set, "veto", p_full, threshold)
            print(f"veto, USE block weight 1 p>={threshold:<4}".ljust(51)
                  + f"{train_set.cell(by_writer_in)} {train_set.cost(by_writer_in):.3f}")  # fmt: skip
        if "--misses" in sys.argv:  # training questions only (writer CV, the judge in use)
            accepted = _accepted(train_set, "veto", p_new["writer"], in_use)
            for i in np.flatnonzero(accepted == train_set.out):
                kind = "let through" if train_set.out[i] else "refused"
                print(f"  {kind} {writer[i]} p={p_new['writer'][i]:.2f}: {train_set.texts[i][:120]}")


def _accepted(judged: Judged, base: str, p: np.ndarray, threshold: float) -> np.ndarray:
    """In scope by the rules named `base` and the judge at `threshold`; "veto": the far rules with the rescue, and
    the judge overruled where one passage holds every specific word of the question (bot.retrieval.scope)."""
    if base == "veto":  # the rescued ones only when the judge is sure; the veto only below VETO_MAX_P
        sure = judged.far_in | (p < RESCUE_MAX_P)
        return judged.rescued_in & sure & ((p < threshold) | (judged.veto & (p < VETO_MAX_P)))
    if base == "veto r9":  # round 9: rescue at 0.55 without the sure condition, veto at any P
        return judged.rescued_r9 & ((p < threshold) | judged.veto)
    return getattr(judged, base) & (p < threshold)


if __name__ == "__main__":
    main()
