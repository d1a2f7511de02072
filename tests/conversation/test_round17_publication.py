"""Round 17 (#8): questions about the publication in a conversation. What the whole book is about and its ten
vragen; a question framed as 'wat zegt het boek over X?' searches X alone; right after a publication answer,
'welk hoofdstuk is dat?' names its vraag, 'en over X?' and a question that names no partner go on with the
publication; two glossary terms asked in English get both English explanations. Phrasings are our own (not from
the development conversation sets)."""

from __future__ import annotations

import pytest

from bot.config import PROJECT_ROOT
from bot.conversation.asks import TEN_VRAGEN, about_whole_publication, framed_topic
from bot.conversation.glossary import english_replies, find_all, load_glossary
from bot.conversation.shapes import ABOUT_NEXT, WHICH_CHAPTER
from tests.conversation.helpers import Chat

GLOSSARY = load_glossary(PROJECT_ROOT / "knowledge" / "begrippen.yaml")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("waar gaat die publicatie nou eigenlijk over?", True), ("vat het boek eens samen", False),
     ("mijn teamleider noemde 'Samenwerken in de wijk'. waar gaat het over?", True),
     ("what is this book actually about?", True), ("kun je de handreiking kort samenvatten", True),
     ("waar gaat dat over?", False), ("waar gaat hoofdstuk 3 van het boek over?", False),
     ("wat zegt de publicatie over de politie?", False), ("waar gaat de cursus bij de bibliotheek over?", False)],
)  # fmt: skip
def test_a_question_about_the_whole_publication(text: str, expected: bool) -> None:
    assert about_whole_publication(text) is expected


def test_the_ten_vragen_asked() -> None:
    assert TEN_VRAGEN.search("en wat zijn de 10 vragen precies?")
    assert TEN_VRAGEN.search("which ten questions are those?")
    assert not TEN_VRAGEN.search("ik heb tien vragen over de wmo")


@pytest.mark.parametrize(
    ("text", "topic"),
    [("wat zegt het boek over de jongerenwerker?", "de jongerenwerker"),
     ("en wat staat er in het eerste hoofdstuk over tijdgebrek?", "tijdgebrek"),
     ("wat schrijven de auteurs over privacy", "privacy"),
     ("wat bedoelen ze met de spagaat in het boek? snap er niks van", "de spagaat"),
     ("wat zegt de publicatie daarover?", ""), ("staat daar ook wat over in het boek?", ""),
     ("wat is een keukentafelgesprek?", None), ("hoe werk ik samen met de politie?", None)],
)  # fmt: skip
def test_the_topic_of_a_framed_question(text: str, topic: str | None) -> None:
    assert framed_topic(text) == topic


def test_shapes_of_a_follow_up_on_the_publication() -> None:
    assert WHICH_CHAPTER.search("in welk hoofdstuk staat dat?")
    assert WHICH_CHAPTER.search("op welke pagina?")
    assert WHICH_CHAPTER.search("welke vraag is dat dan?") and WHICH_CHAPTER.search(
        "which chapter is that in?"
    )
    assert not WHICH_CHAPTER.search("welke vraag stel ik de huisarts?")
    assert not WHICH_CHAPTER.search("welk hoofdstuk gaat over geld?")  # asks for a topic, not where this is
    assert ABOUT_NEXT.search("en over de politie?") and ABOUT_NEXT.search("and about schools?")
    assert not ABOUT_NEXT.search("en overmorgen?")


def test_two_terms_asked_in_english_get_both_english_explanations() -> None:
    entries = find_all(GLOSSARY, "how is the Jeugdwet different from the Wmo?")
    said = english_replies(entries, 600)
    assert "Youth Act" in said and "Social Support Act" in said and len(said) <= 600
    fact = next(e for e in GLOSSARY if e.term == "FACT-team")
    assert "Flexible Assertive Community Treatment" in english_replies([fact], 600)


def test_the_whole_publication_and_its_ten_vragen(engine, services) -> None:
    chat = Chat(engine, 1)
    out = chat.text("Ik moet 'Samenwerken in de wijk' doorlezen, waar gaat dat eigenlijk over?")
    assert "tien vragen" in out.replies[0].text and "wijkteam" in out.replies[0].text
    assert any("agenda en takenpakket" in label for label in chat.labels())
    assert services.answers.calls == []  # no passage search for the whole book
    chat.text("welke tien vragen zijn dat?")
    assert any("op één lijn" in label for label in chat.labels())


def test_a_framed_question_searches_its_topic_and_which_chapter_follows(engine, services) -> None:
    chat = Chat(engine, 1)
    chat.text("wat zegt het boek over de jongerenwerker?")
    assert services.answers.calls[-1] == ("de jongerenwerker", [])
    out = chat.text("in welk hoofdstuk staat dat?")
    said = out.replies[0].text
    assert "vraag 4" in said and "bewoner verder helpt" in said  # the fake answer's passage is from vraag 4
    assert len(services.answers.calls) == 1


def test_after_a_publication_answer_a_question_without_partner_goes_on(engine, services) -> None:
    chat = Chat(engine, 1)
    chat.text("hoe zorg ik dat ik terugkoppeling krijg na een verwijzing?")
    before = len(services.answers.calls)
    chat.text("welke voorwaarden noemen ze daarvoor?")
    assert len(services.answers.calls) == before + 1
    question, history = services.answers.calls[-1]
    assert history  # read with the question before it
    chat.text("en over de politie?")
    assert len(services.answers.calls) == before + 2


def test_a_pointing_frame_after_a_glossary_entry_searches_that_term(engine, services) -> None:
    chat = Chat(engine, 1)
    out = chat.text("wat is een beschikking?")
    assert out.replies[0].text.startswith("Beschikking")
    chat.text("staat daar ook wat over in de publicatie?")
    assert services.answers.calls[-1] == ("Beschikking", [])


@pytest.mark.parametrize(
    ("text", "term"),
    [("wat betekent 'één gezin, één plan, één regisseur' eigenlijk?", "Eén huishouden, één plan, één regisseur"),
     ("wat is een 'beschikking'?", "Beschikking"), ("wat is het wijkteam in zuid", None)],
)  # fmt: skip
def test_a_quoted_term_or_one_with_commas_is_defined(text: str, term: str | None) -> None:
    from bot.conversation.glossary import defined

    found = defined(GLOSSARY, text)
    assert (found.term if found else None) == term


def test_a_question_on_the_last_topic_keeps_its_vraag(engine, services, monkeypatch) -> None:
    """Answered alone, 'zijn er ook goede voorbeelden?' lands in another vraag; read with the question before it,
    it stays with that vraag, and that answer is given."""
    from bot.retrieval.types import Passage, ScoredPassage
    from tests.conversation.fakes import FakeAnswer

    def answer(question: str, *, history, reserve: int = 0, within: int | None = None) -> FakeAnswer:
        services.answers.calls.append((question, list(history)))
        chapter = 5 if "geld" in question else 6
        passage = Passage(id=f"p-{chapter}", text="Tekst.", chapter=chapter, chapter_title="Titel",
                          section="Deel", page=20)  # fmt: skip
        return FakeAnswer(
            text=f"Antwoord uit vraag {chapter}.", sources=[ScoredPassage(passage=passage, score=1.0)]
        )

    monkeypatch.setattr(services.answers, "answer", answer)
    chat = Chat(engine, 1)
    chat.text("hoe komen we met geld en schotten verder als team?")
    out = chat.text("zijn er ook goede voorbeelden van hoe het beter kan?")
    assert "vraag 5" in out.replies[0].text
    assert services.answers.calls[-1][0].startswith("hoe komen we met geld")


def test_after_a_publication_answer_the_shapes_about_the_bot_and_book_still_win(engine, services) -> None:
    from bot.conversation import texts

    chat = Chat(engine, 1)
    chat.text("hoe zorg ik dat ik terugkoppeling krijg na een verwijzing?")
    out = chat.text("wie heeft dat boek eigenlijk geschreven")
    assert out.replies[0].text == texts.PUBLICATION_AUTHORS


def test_who_that_is_here_is_no_question_for_the_book() -> None:
    from bot.conversation.router import WHO_THERE

    assert WHO_THERE.search("wie is dat hier eigenlijk?") and WHO_THERE.search("wie zijn dat?")
    assert not WHO_THERE.search("welke voorwaarden noemen ze daarvoor?")
