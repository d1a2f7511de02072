"""Round 19 (#8), the words side: a closing 'ik ben nieuw' does not hide the question before it; three terms
asked together get one line each; the words that name the publication are not searched as the topic; 'nr 8?'
right after the ten vragen shows that vraag; a request for examples right after an answer stays in that vraag;
'wat kan ik dan concreet doen?' gets the tips. Phrasings are our own (not from the development sets)."""

from __future__ import annotations

from pathlib import Path

from bot.conversation.asks import without_source
from bot.conversation.glossary import find_all, load_glossary, replies
from bot.conversation.knowledge import ADVICE_ASK, EXAMPLE_ASK, LOCAL_ASK
from bot.conversation.shapes import PICK_NUMBER, without_preamble
from tests.conversation.helpers import Chat

ROOT = Path(__file__).resolve().parents[2]


def test_a_closing_new_here_leaves_the_question() -> None:
    rest = without_preamble("wat houdt een indicatie eigenlijk in? ben pas begonnen")
    assert rest is not None and rest.new_here and rest.text == "wat houdt een indicatie eigenlijk in?"
    rest = without_preamble("hoe werkt de voedselbank hier. eerste week hier")
    assert rest is not None and rest.text == "hoe werkt de voedselbank hier."
    assert without_preamble("ik wil iets weten over de jeugdwet, waar moet ik beginnen?") is None  # asks that
    assert without_preamble("ik ben nieuw, waar kan ik beginnen?") is None
    assert without_preamble("welke partners zijn er voor schulden?") is None  # nothing to leave out


def test_three_terms_asked_together_get_a_line_each() -> None:
    glossary = load_glossary(ROOT / "knowledge" / "begrippen.yaml")
    entries = find_all(glossary, "kun je de jeugdwet, de wlz en de zvw naast elkaar zetten?")
    assert {e.term for e in entries} == {"Jeugdwet", "Wlz", "Zvw"}
    said = replies(entries, 599)
    assert len(said) <= 599
    assert all(said.count(f"{e.term}:") == 1 for e in entries)
    assert said.count("Bron") == 1  # one line of sources, not three


def test_the_words_that_name_the_publication_are_left_out() -> None:
    assert without_source("hoe houden we de regie samen? staat er iets over in het boek?") == (
        "hoe houden we de regie samen?"
    )
    assert (
        without_source("waarom werkt de ggz zo anders volgens de publicatie")
        == "waarom werkt de ggz zo anders"
    )
    assert without_source("give me an example from the publication please") == "give me an example please"
    assert without_source("wat zegt de publicatie?") == "wat zegt de publicatie?"  # nothing left: as it was
    assert without_source("hoe deel ik een plan met de huisarts?") == "hoe deel ik een plan met de huisarts?"


def test_shapes_of_round_19() -> None:
    assert PICK_NUMBER.match("vraag 4 graag") and PICK_NUMBER.match("nummer 10?") and PICK_NUMBER.match("3")
    assert not PICK_NUMBER.match("nr?") and not PICK_NUMBER.match("3 kinderen thuis")
    assert EXAMPLE_ASK.search("vb van een gemeente?")
    assert ADVICE_ASK.search("en wat we als team dan concreet kunnen doen?")
    assert LOCAL_ASK.search("hoe regel ik een indicatie voor haar?")
    assert not LOCAL_ASK.search("wat is een indicatie?")


def test_a_number_right_after_the_ten_vragen_shows_that_vraag(engine) -> None:
    chat = Chat(engine, 1)
    chat.text("welke tien vragen zijn dat?")
    out = chat.text("nr 4?")
    assert out.replies[0].text.startswith("Vraag 4:")
    out = chat.text("4")  # not right after the list any more: no vraag card again
    assert "Vraag 4:" not in "\n".join(r.text for r in out.replies)


def test_a_request_for_examples_stays_in_the_vraag_of_the_last_answer(engine, services) -> None:
    chat = Chat(engine, 1)
    chat.text("hoe zorg ik dat ik hoor wat er met mijn verwijzing gebeurt?")
    before = len(services.answers.calls)
    chat.text("heb je daar een vb van?")
    assert services.answers.within[before] == 4  # the fake answers from vraag 4
    assert "verwijzing" in services.answers.calls[before][0]  # searched with the question it follows


def test_a_term_the_passages_never_name_gets_the_glossary(engine) -> None:
    chat = Chat(engine, 1)
    chat.text("hoe zorg ik dat ik hoor wat er met mijn verwijzing gebeurt?")
    out = chat.text("en mag ik dat doorgeven, qua privacy?")  # the fake's passage is about terugkoppeling
    said = "\n".join(r.text for r in out.replies)
    assert "Privacy en gegevens delen" in said and "toestemming" in said
    out = chat.text("wat zegt de publicatie over privacy?")  # asks for the book itself: its passages
    assert "Privacy en gegevens delen" not in "\n".join(r.text for r in out.replies)


def test_a_question_why_gets_the_summary_of_its_vraag_first(engine) -> None:
    chat = Chat(engine, 1)
    out = chat.text("waarom krijg ik zo weinig terug van partners na een verwijzing?")
    assert out.replies[0].text.startswith("In het kort (vraag 4)")
    out = chat.text("hoe spreek ik terugkoppeling af met partners?")  # no reason asked: no summary
    assert not out.replies[0].text.startswith("In het kort")


def test_what_helps_asks_for_the_tips() -> None:
    assert ADVICE_ASK.search("en wat helpt dan?") and ADVICE_ASK.search("ok, what works then?")
    assert not ADVICE_ASK.search("wat helpt bij slapeloosheid?")  # a topic of its own


def test_what_a_vraag_theme_means_gets_its_summary_first(engine) -> None:
    chat = Chat(engine, 1)
    out = chat.text("wat bedoelen ze in het boek met terugkoppeling?")
    assert out.replies[0].text.startswith("In het kort (vraag 4)")
    out = chat.text("hoe regel ik terugkoppeling met de huisarts?")  # not what it means: no summary
    assert not out.replies[0].text.startswith("In het kort")


def test_via_the_huisarts_asks_the_access_of_the_partner_in_focus(engine) -> None:
    from bot.conversation.shapes import VIA_GP

    assert VIA_GP.search("moet ze daarvoor eerst langs haar huisarts?") and VIA_GP.search(
        "huisarts eerst verwijzen?"
    )
    assert not VIA_GP.search("wie is de huisarts hier?") and not VIA_GP.search(
        "ze gaat morgen naar de huisarts"
    )
    chat = Chat(engine, 1)
    chat.text("nummer van de buurtkamer fictief?")
    out = chat.text("moet ze daarvoor eerst langs de huisarts?")
    assert "Buurtkamer Fictief" in out.replies[0].text  # the partner in focus, not a huisarts


def test_a_theme_of_the_publication_right_after_an_answer_continues_it(engine, services) -> None:
    chat = Chat(engine, 1)
    chat.text("hoe zorg ik dat ik hoor wat er met mijn verwijzing gebeurt?")
    before = len(services.answers.calls)
    chat.text("en het vertrouwen dat de ander echt verder helpt?")
    assert len(services.answers.calls) > before  # the publication, not a kaart look-up
