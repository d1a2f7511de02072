"""The English share of a question, the idf coverage of the passages, and the fusion model's feature flags."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from bot.answering.query import detect_language
from bot.retrieval.fusion import ChapterPrior, FusionConstants, FusionModel, passage_features, prior_text
from bot.retrieval.hybrid import Signals
from bot.retrieval.index import KnowledgeIndex
from bot.retrieval.language import ENGLISH_FUNCTION_WORDS, english_share, reads_english
from bot.retrieval.scope_model import fit_idf


def test_english_share_reads_the_small_words_also_with_dutch_words_in_them() -> None:
    assert english_share("Is the aanbesteding system to blame for our overloaded agendas?") == 1.0
    assert english_share("waarom duurt het zo lang voor de huisarts terugbelt") == 0.0
    assert english_share("wmo melding termijn") == 0.0  # no small words: not English
    mixed = english_share("what zegt de publicatie over the huisarts")
    assert 0.0 < mixed < 1.0


def test_one_detector_decides_the_reply_language() -> None:
    assert detect_language("Do loyalty conflicts of seconded staff get smaller over time?") == "en"
    assert reads_english("is the legal advice free?")  # one English word, no Dutch one
    assert reads_english("Is the aanbesteding system to blame for our overloaded agendas?")
    assert not reads_english("man 30 hoort stemmen, hij is niet agressief")  # "is" is Dutch too
    assert not reads_english("bedankt he, fijne avond")
    assert not reads_english("Wat houdt het dilemma bottom-up versus top-down in volgens Blokker e.a.?")
    assert not reads_english("wmo melding termijn")


def _signals(n: int) -> Signals:
    rng = np.random.default_rng(3)
    return Signals(
        *(rng.random(n).astype(np.float32) for _ in range(8)), covered=rng.random(n).astype(np.float32)
    )


def test_english_columns_scale_with_the_share_and_the_model_keeps_its_flags(tmp_path: Path) -> None:
    signals, n = _signals(4), 4
    common = {"share": 1.0, "fused": np.arange(n, dtype=np.float32), "prior": np.full(n, 0.5),
              "static": np.zeros((n, 5), dtype=np.float32)}  # fmt: skip
    plain = passage_features(signals, **common)
    dutch = passage_features(signals, **common, english=0.0, covered=True)
    english = passage_features(signals, **common, english=1.0, covered=True)
    assert dutch.shape[1] == english.shape[1] == plain.shape[1] + 11
    assert not dutch[:, 17:27].any() and english[:, 17:27].any()  # language columns after the idf coverage
    np.testing.assert_allclose(english[:, 16], signals.covered)
    model = FusionModel(np.ones(english.shape[1], dtype=np.float32), ChapterPrior(np.zeros((12, 2)), np.zeros(12)),
                        language=True, covered=True)  # fmt: skip
    model.save(tmp_path / "fusion.npz")
    loaded = FusionModel.load(tmp_path / "fusion.npz")
    assert loaded is not None and loaded.language and loaded.covered
    assert prior_text("tenders", ["aanbesteding"], FusionConstants()) == "tenders aanbesteding"
    assert prior_text("tenders", ["aanbesteding"], FusionConstants(prior_expansion=False)) == "tenders"


def test_idf_coverage_favours_the_passage_with_the_rare_word(knowledge_index: KnowledgeIndex) -> None:
    retriever = knowledge_index.retriever
    covered = retriever.covered("why do the tenders make working together hard")
    holders = [i for i, p in enumerate(retriever.passages) if "aanbested" in p.text.lower()]
    assert holders and covered.shape == (len(retriever.passages),)
    others = np.delete(covered, holders)
    assert max(covered[i] for i in holders) > np.quantile(others, 0.95)
    assert not retriever.covered("xyzzy plugh").any()


def test_near_miss_words_leave_out_english_function_words() -> None:
    texts = [
        "how do I write a referral letter",
        "how do I chair a meeting",
        "hoeveel weken duurt het",
        "hoeveel weken",
    ]
    idf = fit_idf(texts, 2, 1.0, ENGLISH_FUNCTION_WORDS)
    assert "hoeveel weken" in idf and "how" not in idf and "how do" not in idf
    assert "how" in fit_idf(texts, 2, 1.0)
