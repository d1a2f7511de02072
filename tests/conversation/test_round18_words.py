"""Round 18 (#8), the words side of a conversation: a follow-up on a publication answer stays with its topic
('wat zeggen ze over X?', 'en waarom?', 'en bij school?'); a question for examples gets passages, not tips; a
question for solutions gets the tips; a short question after a list is about the partners shown; a glossary
answer that asks for the partner here adds that partner; 'ik bel ze nu' gets encouragement and the reminder offer;
'moet ik nog iets terugkoppelen?' gets who to inform. Phrasings are our own (not from the development sets)."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from bot.conversation.knowledge import ADVICE_ASK, EXAMPLE_ASK, LOCAL_ASK
from bot.conversation.router import CALLING_NOW_TEXT, INFORM_ASK, SAYS_MORE
from bot.conversation.shapes import WHICH_CHAPTER
from bot.retrieval.types import Passage, ScoredPassage
from tests.conversation.fakes import FakeAnswer
from tests.conversation.helpers import Chat


def test_shapes_of_the_words_side() -> None:
    assert SAYS_MORE.search("en wat zeggen ze over de wijkagent?")
    assert SAYS_MORE.search("welke voorwaarden noemt die dan?")
    assert SAYS_MORE.search("what do they say about schools?")
    assert not SAYS_MORE.search("wat zegt de huisarts over haar medicijnen?")  # a person of the case
    assert EXAMPLE_ASK.search("heb je een praktijkvoorbeeld?") and EXAMPLE_ASK.search("any examples?")
    assert not EXAMPLE_ASK.search("hoe werk ik samen met de huisarts?")
    assert ADVICE_ASK.search("welke oplossingen worden er genoemd?") and ADVICE_ASK.search("wat zijn de tips")
    assert not ADVICE_ASK.search("welke tips heb je voor de huisarts?")  # a topic of its own: no follow-up
    assert CALLING_NOW_TEXT.search("top, ik bel ze meteen") and CALLING_NOW_TEXT.search(
        "ik ga haar nu aanmelden"
    )
    assert not CALLING_NOW_TEXT.search("hoe bel ik ze?") and not CALLING_NOW_TEXT.search(
        "de buurman belt ons"
    )
    assert INFORM_ASK.search("moet ik nog iemand op de hoogte brengen?")
    assert INFORM_ASK.search("moet ik nog iets terugkoppelen aan school?")
    assert not INFORM_ASK.search("moet ik de ouders eerst inlichten?")  # the meldcode's question
    assert LOCAL_ASK.search("wat is bemoeizorg, en hebben we dat hier?") and LOCAL_ASK.search(
        "is there one here?"
    )
    assert not LOCAL_ASK.search("wat is bemoeizorg?")
    assert WHICH_CHAPTER.search("welke vraag uit het boek is dat?")


def _by_chapter(services, chapters: dict[str, int], *, refused: Sequence[str] = ()):
    """An answer service whose passage chapter depends on a word of the question; questions holding a word of
    `refused` are out of scope."""

    def answer(
        question: str, *, history: Sequence[str], reserve: int = 0, within: int | None = None
    ) -> FakeAnswer:
        services.answers.calls.append((question, list(history)))
        asked = question.casefold()  # the history does not count: only what the caller puts in the question
        if any(word in question.casefold() for word in refused):
            return FakeAnswer(text="Daar gaat de publicatie niet over.", in_scope=False)
        chapter = next((c for word, c in chapters.items() if word in asked), 1)
        passage = Passage(id=f"p-{chapter}", text="Tekst.", chapter=chapter, chapter_title="Titel",
                          section="Deel", page=20)  # fmt: skip
        return FakeAnswer(
            text=f"Antwoord uit vraag {chapter} over {question}.",
            sources=[ScoredPassage(passage=passage, score=1.0)],
        )

    return answer


def test_what_they_say_about_another_partner_stays_with_the_topic(engine, services, monkeypatch) -> None:
    monkeypatch.setattr(services.answers, "answer", _by_chapter(services, {"visie": 3}))
    chat = Chat(engine, 1)
    chat.text("wat staat er in het boek over visie en werkwijze?")
    before = len(services.answers.calls)
    out = chat.text("en wat zeggen ze over de wijkagent?")
    assert len(services.answers.calls) > before
    assert services.answers.calls[before][1]  # read with the question before it
    assert "vraag 3" in "\n".join(r.text for r in out.replies)


def test_why_after_a_publication_answer_keeps_its_vraag(engine, services, monkeypatch) -> None:
    monkeypatch.setattr(services.answers, "answer", _by_chapter(services, {"financiering": 5, "waarom": 1}))
    chat = Chat(engine, 1)
    chat.text("hoe komen we met de financiering verder als team?")
    out = chat.text("en waarom?")
    said = "\n".join(r.text for r in out.replies)
    assert "vraag 5" in said  # the why is read within vraag 5, the last answer's topic


def test_a_refused_reframed_follow_up_falls_back_to_the_partner_as_topic(
    engine, services, monkeypatch
) -> None:
    monkeypatch.setattr(
        services.answers,
        "answer",
        _by_chapter(services, {"school": 4}, refused=("contact op met school", "bij school")),
    )
    chat = Chat(engine, 1)
    chat.text("hoe bouw ik contact op met de huisarts?")
    out = chat.text("en bij school?")
    said = "\n".join(r.text for r in out.replies)
    assert "niet over" not in said and "samenwerken met school" in said


def test_examples_get_the_passages_not_the_tips(engine, services, monkeypatch) -> None:
    calls: list[str] = []
    import bot.conversation.knowledge as knowledge

    def card(turn, question, answer):  # noqa: ANN001, ANN202 - a card for any question
        calls.append(question)
        return "Uit de publicatie, tips"

    monkeypatch.setattr(knowledge, "vraag_card", card)
    chat = Chat(engine, 1)
    out = chat.text("zijn er voorbeelden van hoe je beter samenwerkt met de huisarts?")
    assert "tips" not in out.replies[0].text and not calls
    out = chat.text("hoe werk ik beter samen met de huisarts?")
    assert "tips" in out.replies[0].text


def _refuse(
    question: str, *, history: Sequence[str], reserve: int = 0, within: int | None = None
) -> FakeAnswer:
    return FakeAnswer(text="Daar gaat de publicatie niet over.", in_scope=False)


def test_a_short_question_after_a_list_is_about_the_partners_shown(engine, services, monkeypatch) -> None:
    chat = Chat(engine, 1)
    chat.text("gezin in noord heeft grote schulden, wie kan helpen?")
    monkeypatch.setattr(services.answers, "answer", _refuse)
    out = chat.text("wat doen die precies?")
    said = "\n".join(r.text for r in out.replies)
    assert "niet over" not in said and "Hulp bij schulden" in said
    out = chat.text("wat zegt de publicatie over vergaderen op dinsdag?")  # names no partner, long: refused
    assert "niet over" in "\n".join(r.text for r in out.replies)


def test_a_definition_that_asks_for_the_partner_here_adds_it(engine) -> None:
    chat = Chat(engine, 1)
    out = chat.text("wat is schuldhulpverlening? en hebben we dat hier?")
    assert out.replies[0].text.startswith("Schuldhulpverlening")
    assert any(p.startswith("schuld") for p in out.partners)
    out = chat.text("wat is schuldhulpverlening?")  # the meaning alone: no partner
    assert not out.partners


def test_calling_now_offers_the_reminder(engine) -> None:
    chat = Chat(engine, 1)
    chat.text("nummer van de Buurtkamer Fictief?")
    chat.text("oke ik bel ze nu")
    said = chat.said()
    assert "Succes" in said and "hoe het is gelopen" in said
    chat.press(
        "Ja, noteer"
    )  # the referral flow for the partner in focus: its handover and the label question
    assert "Buurtkamer Fictief" in chat.said()


def test_who_to_inform_after_a_referral(engine) -> None:
    chat = Chat(engine, 1)
    chat.text("de schuldhulp is gebeld, intake is volgende week. moet ik nog iets terugkoppelen?")
    said = chat.said()
    assert "toestemming" in said and "terugkoppelt" in said


@pytest.mark.parametrize("text", ["ik bel ze nu", "oke ik ga haar aanmelden"])
def test_calling_now_without_a_partner_is_no_offer(engine, text: str) -> None:
    chat = Chat(engine, 1)
    chat.text(text)
    assert "noteer" not in " ".join(chat.labels())


def test_a_publication_question_in_english_gets_the_english_gist(engine, services) -> None:
    from bot.ingest.vragen import Advice, Vraag

    services.vragen = [
        Vraag(number=4, title="Hoe weet ik zeker dat de ander mij en de bewoner verder helpt?", theme="vertrouwen "
              "en terugkoppeling", page=18, summary="Vertrouwen en terugkoppeling.",
              advice=(Advice(text="Maak afspraken over terugkoppeling.", page=18),),
              english="You refer when you trust the other to give feedback in time.")
    ]  # fmt: skip
    chat = Chat(engine, 1)
    chat.text("what does the publication say about getting feedback after a referral?")
    assert "In short (question 4" in chat.said() and "trust the other" in chat.said()
    chat.text("wat zegt de publicatie over terugkoppeling na een verwijzing?")
    assert "In short" not in chat.said()
