"""The learned fusion: targets, the listwise model, the chapter prior, and its use by the index."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from bot.retrieval.evaluate import LabelledQuestion
from bot.retrieval.fusion import ChapterPrior, FusionConstants, FusionModel, labels, train, train_prior
from bot.retrieval.index import KnowledgeIndex
from bot.retrieval.types import Passage


def _passage(n: int, chapter: int, text: str) -> Passage:
    return Passage(f"p{n}", text, chapter, f"Vraag {chapter}", "", 1)


PASSAGES = [
    _passage(0, 1, "Maak ruimte in je agenda voor overleg."),
    _passage(1, 1, "Twee consulten van tien minuten geven meer tijd."),
    _passage(2, 2, "Ga op de koffie bij de huisarts."),
]


def test_targets_are_the_fact_passages_else_the_chapter() -> None:
    constants = FusionConstants(chapter_weight=0.0)
    assert labels(PASSAGES, 1, ["twee consulten"], constants).tolist() == [0.0, 1.0, 0.0]
    assert labels(PASSAGES, 1, ["staat nergens"], constants).tolist() == [1.0, 1.0, 0.0]
    half = labels(PASSAGES, 1, ["twee consulten"], FusionConstants(chapter_weight=0.5))
    assert half.tolist() == [0.5, 1.0, 0.0]


def test_listwise_model_learns_which_signal_marks_the_answer() -> None:
    rng = np.random.default_rng(0)
    rows = []
    for _ in range(60):
        x = rng.random((8, 3)).astype(np.float32)  # column 1 is the useful signal, the others are noise
        target = np.zeros(8)
        target[int(np.argmax(x[:, 1]))] = 1.0
        rows.append((x, target))
    prior = ChapterPrior(np.zeros((12, 2)), np.zeros(12))
    model = train(rows, prior, FusionConstants(c=10.0))
    assert model.weights[1] > 5 * max(abs(model.weights[0]), abs(model.weights[2]))
    x = rng.random((8, 3)).astype(np.float32)
    assert int(np.argmax(model.scores(x))) == int(np.argmax(x[:, 1]))


def test_chapter_prior_learns_chapters_from_vectors() -> None:
    rng = np.random.default_rng(1)
    centres = rng.normal(size=(3, 16))
    chapters = [c for c in (0, 4, 11) for _ in range(10)]
    rows = {0: 0, 4: 1, 11: 2}
    vectors = np.stack([centres[rows[c]] + 0.1 * rng.normal(size=16) for c in chapters])
    prior = train_prior(vectors, chapters, FusionConstants())
    probs = prior.probabilities(centres[1])
    assert int(np.argmax(probs)) == 4
    assert abs(float(probs.sum()) - 1.0) < 1e-5
    assert probs[7] < 1e-6  # a chapter without questions is never predicted


def test_chapter_prior_reads_the_words_and_survives_saving(tmp_path: Path) -> None:
    rng = np.random.default_rng(2)
    texts = [f"{w} vraag {n}" for w in ("huisarts", "schulden") for n in range(6)]
    chapters = [1] * 6 + [8] * 6
    vectors = rng.normal(size=(12, 8))  # vectors carry no signal here: only the words
    prior = train_prior(vectors, chapters, FusionConstants(), texts)
    probe = rng.normal(size=8)
    assert prior.probabilities(probe, "een vraag over de huisarts")[1] > 0.5
    assert prior.probabilities(probe, "een vraag over schulden")[8] > 0.5
    model = FusionModel(np.ones(3, dtype=np.float32), prior)
    model.save(tmp_path / "fusion.npz")
    loaded = FusionModel.load(tmp_path / "fusion.npz")
    assert loaded is not None
    np.testing.assert_allclose(
        loaded.prior.probabilities(probe, "huisarts"), prior.probabilities(probe, "huisarts"), rtol=1e-4
    )


def test_index_ranks_with_the_learned_fusion(
    knowledge_index: KnowledgeIndex, own_questions: list[LabelledQuestion]
) -> None:
    retriever = knowledge_index.retriever
    fusion = retriever._fusion
    assert fusion is not None  # trained on the training writers when the index was built
    scored = [q for q in own_questions if q.facts and not q.out_of_scope][:30]

    def hit_at_3() -> float:
        return sum(
            q.chapter in [h.passage.chapter for h in retriever.search(q.q, k=3)] for q in scored
        ) / len(scored)

    learned = hit_at_3()
    try:
        retriever.attach_fusion(None)
        hand_set = hit_at_3()
    finally:
        retriever.attach_fusion(fusion)
    assert learned >= 0.8 and learned >= hand_set - 0.1, (learned, hand_set)
