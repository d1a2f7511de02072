"""Out-of-scope separation on labelled questions."""

from __future__ import annotations

from bot.retrieval.evaluate import LabelledQuestion
from bot.retrieval.index import KnowledgeIndex
from bot.retrieval.scope import general_dutch_stems


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


def test_answerability_veto_needs_one_passage_with_every_specific_word(
    knowledge_index: KnowledgeIndex,
) -> None:
    """The learned judge's near-miss verdict is overruled only when one passage holds all the question's
    specific words: the publication speaks of terugkoppeling, not of a form for it."""
    judge = knowledge_index.scope
    assert judge.one_passage_holds_every_word("Hoe maak ik afspraken over terugkoppeling met een school?")
    assert not judge.one_passage_holds_every_word(
        "welk formulier gebruik ik om de school schriftelijk terug te koppelen na een aanmelding?"
    )
    assert not judge.one_passage_holds_every_word("hoe is het weer")  # no specific word at all
    # the privacy scrubber's placeholders and the words that label them are not words of the question
    assert judge.one_passage_holds_every_word(
        "Hoe maak ik afspraken over terugkoppeling met school over [NAAM], BSN [BSN], tel [TELEFOON]?"
    )


def test_a_follow_up_is_judged_by_its_own_words(knowledge_index: KnowledgeIndex) -> None:
    """With the question before it, the topic is covered; what is asked comes from the follow-up's own words."""
    judge, search = knowledge_index.scope, knowledge_index.retriever.search

    def follows(previous: str, own: str) -> bool:
        query = f"{previous} {own}"
        return judge.follow_up_in_scope(query, search(query, k=10), own, search(own, k=10))

    assert follows(
        "hoe regel ik terugkoppeling na een verwijzing naar de huisarts", "en als ze dan niet terugbellen?"
    )
    assert follows("hoe werk ik samen met het onderwijs", "en wat als de school niet meewerkt?")
    assert not follows("mag ik informatie delen met de huisarts", "en welk artikel van de avg geldt dan?")
    assert not follows("hoe werk ik samen met veilig thuis", "en wat is het telefoonnummer van veilig thuis?")
    assert not follows(
        "hoe werkt een wmo melding bij het wijkteam", "en hoeveel weken heeft de gemeente daarvoor?"
    )
    assert not follows(
        "wat is het recept voor appeltaart", "en hoe lang moet die in de oven?"
    )  # far stays far
