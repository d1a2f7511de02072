"""Dialogue acts, partner questions in focus, 'de tweede', follow-ups and small talk (fake services)."""

from __future__ import annotations

import pytest

from bot.conversation import texts
from bot.conversation.acts.corpus import ACTS, CorpusError, load_file
from bot.conversation.facts import language_names, tappable
from tests.conversation.helpers import Chat

# Our own phrasings (not from the corpus or the dev conversations), typed the way professionals type.
PHRASINGS = [
    ("hoe maak ik afspraken met de wijkagent over terugkoppeling", "vraag_publicatie"),
    ("waarom is samenwerken met de huisarts vaak zo lastig", "vraag_publicatie"),
    ("vader alleen met 3 kids, huurachterstand, post blijft dicht", "situatie"),
    ("oudere dame valt steeds, koelkast leeg, familie ver weg", "situatie"),
    ("wat is hun telefoonnummer", "partner_vraag"),
    ("zijn ze op vrijdag open?", "partner_vraag"),
    ("is er een maatjesproject in zuid", "partner_zoeken"),
    ("wat betekent wlz", "definitie"),
    ("wat houdt bemoeizorg in", "definitie"),
    ("hoi", "smalltalk"),
    ("thanks!", "smalltalk"),
    ("laat mijn open verwijzingen zien", "actie"),
    ("en bij de huisarts?", "vervolg"),
    ("hij heeft een mes en bedreigt haar nu", "acuut"),
]


def test_each_act_with_realistic_phrasings(understanding) -> None:
    predicted = [understanding.read(text).act for text, _ in PHRASINGS]
    right = sum(p == want for p, (_, want) in zip(predicted, PHRASINGS, strict=True))
    assert right >= len(PHRASINGS) - 2, list(zip(predicted, PHRASINGS, strict=True))
    assert {want for _, want in PHRASINGS} <= set(ACTS)
    assert understanding.read("hij heeft een mes en bedreigt haar nu").act == "acuut"


def test_partner_question_detail_is_the_attribute(understanding) -> None:
    assert understanding.read("wat is het adres van de voedselbank?").detail_of("partner_vraag") == "adres"
    assert understanding.read("spreekt daar iemand arabisch?").detail_of("partner_vraag") == "talen"


def test_corpus_is_strict(tmp_path) -> None:
    bad = tmp_path / "train_bad.yaml"
    bad.write_text('berichten:\n  - tekst: "hallo"\n    act: kletsen\n', encoding="utf-8")
    with pytest.raises(CorpusError):
        load_file(bad)
    bad.write_text(
        'berichten:\n  - tekst: "nummer?"\n    act: partner_vraag\n    attribuut: kleur\n', encoding="utf-8"
    )
    with pytest.raises(CorpusError):
        load_file(bad)


def test_partner_questions_go_to_de_tweede_and_to_the_partner_in_focus(engine) -> None:
    chat = Chat(engine, 1)
    chat.text("moeder heeft schulden en de deurwaarder staat voor de deur")
    assert "Budgetmaatje Testwijk" in chat.said()
    chat.text("wie is de contactpersoon bij de tweede?")
    assert chat.last.partners == ["schuld-2"]
    assert "Budgetmaatje Testwijk" in chat.said() and "Sam Voorbeeld" in chat.said()
    chat.text("nummer?")  # no name: the partner in focus (the second one)
    assert chat.last.partners == ["schuld-2"]
    assert "+31 10 000 0000" in chat.said() and "010-0000000" in chat.said()
    assert len(chat.said()) <= 300


def test_partner_question_right_after_a_list_answers_for_each(engine) -> None:
    chat = Chat(engine, 1)
    chat.text("moeder heeft schulden en de deurwaarder staat voor de deur")
    shown = chat.last.partners
    chat.text("nummer?")
    assert chat.last.partners == shown[:3]
    lines = chat.said().splitlines()
    assert [line[:3] for line in lines] == [f"{i}. " for i in range(1, len(shown[:3]) + 1)]
    assert all("+31" in line for line in lines) and len(chat.said()) <= 300


def test_partner_by_name_without_a_list(engine) -> None:
    chat = Chat(engine, 1)
    chat.text("wat is het nummer van de formulierenbrigade?")
    assert chat.last.partners == ["schuld-3"]
    assert "Formulierenbrigade Demo" in chat.said()


def test_follow_up_on_a_publication_answer_keeps_the_topic(engine, services) -> None:
    chat = Chat(engine, 1)
    chat.text("hoe krijg ik de huisarts mee in de samenwerking?")
    chat.text("en met de wijkagent?")
    question, history = services.answers.calls[-1]
    # the last question, now about the new partner: same frame ('samenwerking'), new partner
    assert "wijkagent" in question and "samenwerking" in question and history == []
    assert not services.kaart.suggest_calls


def test_follow_up_after_partners_stays_with_partners(engine, services) -> None:
    chat = Chat(engine, 1)
    chat.text("moeder heeft schulden en de deurwaarder staat voor de deur")
    calls = len(services.kaart.suggest_calls)
    chat.text("en de buurtkamer?")
    assert len(services.kaart.suggest_calls) == calls, "no new suggestion block"
    assert chat.last.partners == ["eenzaam-1"]


def test_small_talk_and_glossary(engine) -> None:
    chat = Chat(engine, 1)
    chat.text("goedemiddag!")
    assert chat.said() == texts.SMALLTALK["groet"]
    chat.text("wat is een beschikking eigenlijk")
    assert chat.said().startswith("Beschikking:") and "Niet uit de publicatie" in chat.said()
    chat.text("wat is een sociaal wijkteam?")
    assert "Bron: Samenwerken in de wijk" in chat.said()


def test_phones_and_languages_for_phones() -> None:
    assert tappable("0123-45 67 30") == "+31 123 456 730 (0123-45 67 30)"
    assert tappable("06-12345678") == "+31 6 1234 5678 (06-12345678)"
    assert tappable("0800-2000") == "0800-2000" and tappable("113 / 0800-0113") == "113 / 0800-0113"
    assert language_names(("nl", "ar", "ti", "fa"), {"nl": "Nederlands", "ar": "Arabisch", "ti": "Tigrinya",
                                                      "fa": "Farsi"}) == ["Nederlands", "Arabisch", "Tigrinya", "Farsi"]  # fmt: skip
    assert language_names(("Arabisch",), {}) == ["Arabisch"]
