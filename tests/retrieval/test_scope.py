"""Out-of-scope separation on labelled questions."""

from __future__ import annotations

from dataclasses import replace

from bot.retrieval.evaluate import LabelledQuestion
from bot.retrieval.index import KnowledgeIndex
from bot.retrieval.scope import general_dutch_stems
from bot.retrieval.types import Passage, ScoredPassage


def _in_scope(index: KnowledgeIndex, query: str) -> bool:
    return index.scope.is_in_scope(query, index.retriever.search(query, k=10))


def test_every_out_of_scope_question_is_recognised(
    knowledge_index: KnowledgeIndex,
    dev_questions: list[LabelledQuestion],
    own_questions: list[LabelledQuestion],
    heldout_questions: list[LabelledQuestion],
) -> None:
    oos = [q.q for q in dev_questions + own_questions + heldout_questions if q.out_of_scope]
    assert len(oos) >= 30
    accepted = [q for q in oos if _in_scope(knowledge_index, q)]
    assert accepted == []


def test_no_dev_or_heldout_question_is_rejected(
    knowledge_index: KnowledgeIndex,
    dev_questions: list[LabelledQuestion],
    heldout_questions: list[LabelledQuestion],
) -> None:
    questions = [q.q for q in dev_questions + heldout_questions if not q.out_of_scope]
    rejected = [q for q in questions if not _in_scope(knowledge_index, q)]
    assert rejected == []


def test_few_own_questions_are_rejected(
    knowledge_index: KnowledgeIndex, own_questions: list[LabelledQuestion]
) -> None:
    in_scope = [q.q for q in own_questions if not q.out_of_scope]
    rejected = [q for q in in_scope if not _in_scope(knowledge_index, q)]
    assert len(rejected) <= 3, rejected


def test_short_questions_pass_and_chat_does_not(knowledge_index: KnowledgeIndex) -> None:
    for query in ("mandaat", "wijklunch?", "vaste contactpersoon", "financiële schotten", "ggz", "pgb"):
        assert _in_scope(knowledge_index, query), query
    for query in ("hallo", "test", "ok", "help", "wat is 7 keer 8", "hoe gaat het", "🙂👍"):
        assert not _in_scope(knowledge_index, query), query


def test_general_dutch_words_are_known() -> None:
    general = general_dutch_stems()
    assert len(general) > 500
    assert {"de", "kind", "zee"} <= general
    assert "mandaat" not in general and "wijkteam" not in general


def test_signal_exposes_raw_evidence(knowledge_index: KnowledgeIndex) -> None:
    query = "wat zijn T-shaped professionals"
    signal = knowledge_index.scope.signal(query, knowledge_index.retriever.search(query, k=10))
    assert signal.bm25_top > 0 and signal.dense_top > 0
    assert "professional" in signal.matched_terms
    assert "professional" in signal.domain_terms
    assert 0 < signal.coverage <= 1


def test_evidence_holds_coverage_of_the_asked_words_and_an_english_flag(
    knowledge_index: KnowledgeIndex,
) -> None:
    scope, retriever = knowledge_index.scope, knowledge_index.retriever
    covered = "hoe maak ik afspraken over terugkoppeling met de huisarts"
    near = "hoe hoog is de bijstandsnorm voor een alleenstaande in Groningen"
    english = "how do we agree on feedback with the GP after a referral"
    passage = Passage(
        "t", "Maak met de huisarts afspraken over de terugkoppeling.", 4, "Terugkoppeling", "", 17
    )
    assert scope.content_coverage(covered, [ScoredPassage(passage, 1.0)]) == (1.0, 0.0)
    share, missing = scope.content_coverage(
        covered, [ScoredPassage(replace(passage, text="Bel de huisarts."), 1.0)]
    )
    assert share == 0.5 and missing > 0.0  # "terugkoppeling" is not in it
    share, missing = scope.content_coverage(near, retriever.search(near, k=10))
    assert share < 1.0 and missing > 0.0  # no passage names the norm or the city
    *_, share, missing, is_english = scope.evidence(near, retriever.search(near, k=10))
    assert is_english == 0.0 and share < 1.0
    *_, share, missing, is_english = scope.evidence(english, retriever.search(english, k=10))
    assert (share, missing, is_english) == (1.0, 0.0, 1.0)  # English words are not in the Dutch text: neutral
