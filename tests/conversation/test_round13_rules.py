"""Round-13 rules without a trained model: a language question must name a language or a word about language
('aanspraak' and 'spreekuur' only share letters with it); a follow-up that names a partner by its everyday word
('en de bieb zelf') names nothing but that partner."""

from __future__ import annotations

import pytest

from bot.conversation.acts.model import ActPrediction
from bot.conversation.lookup import only_names
from bot.conversation.router import LANGUAGE_ASK, _next_attribute
from bot.kaart.model import Service


@pytest.mark.parametrize(
    ("text", "expected"),
    [("spreken ze daar arabisch?", True), ("welke talen spreekt de ouderenadviseur", True),
     ("is er een tolk bij het gesprek?", True), ("anderstalige ouders welkom?", True),
     ("do they speak polish", True), ("wat is haar moedertaal, kunnen ze dat?", True),
     ("heeft ze daar aanspraak op?", False), ("hebben ze een spreekuur op zaterdag?", False),
     ("iets voor wat aanspraak?", False), ("is het gratis?", False)],
)  # fmt: skip
def test_a_language_question_names_language(text: str, expected: bool) -> None:
    assert bool(LANGUAGE_ASK.search(text)) is expected


def test_the_next_attribute_leaves_the_language_out() -> None:
    details = {"partner_vraag:talen": 0.4, "partner_vraag:kosten": 0.3, "partner_vraag:toegang": 0.2,
               "smalltalk:dank": 0.5}  # fmt: skip
    prediction = ActPrediction("partner_vraag", 0.9, "talen", {"partner_vraag": 0.9}, details)
    assert _next_attribute(prediction, "talen") == "kosten"
    assert _next_attribute(ActPrediction("partner_vraag", 0.9, "talen", {}, {}), "talen") == "telefoon"


BIEB = Service(
    id="taalhuis",
    organization="Bibliotheek Duinhaven",
    name="Taalhuis en Digi-spreekuur",
    description="Taal.",
)


def test_an_everyday_word_for_the_partner_is_its_name() -> None:
    english = {"bieb": "bibliotheek", "food bank": "voedselbank"}
    assert only_names("en de bieb zelf", BIEB, english)
    assert not only_names("en de bieb zelf", BIEB)  # without the word list 'bieb' is another word
    assert not only_names("en de bieb, wat kost dat", BIEB, english)


@pytest.mark.parametrize(
    ("text", "named"),
    [("en als mw het er niet mee eens is?", False), ("en in t oude centrum", False),
     ("zit n avond alleen thuis", False), ("en als mw Jansen het er niet mee eens is?", True),
     ("gesprek met t jansen gehad", True), ("dhr 't Hart belt morgen", True), ("T. de Wit belt", True)],
)  # fmt: skip
def test_clipped_articles_are_no_names(text: str, named: bool) -> None:
    from bot.privacy.pii import PiiScrubber

    assert ("naam" in PiiScrubber().scrub(text).kinds) is named


@pytest.mark.parametrize(
    ("text", "expected"),
    [("en de woonconsulent van de corporatie?", True), ("en bij de papierwinkel?", True), ("en de bieb zelf", True),
     ("and the food bank?", True), ("en als de huisarts niet reageert?", False), ("en de ggz, is die gratis?", False),
     ("en wat kost dat?", False), ("en hoe meld ik haar aan?", False), ("en de tweede kost wat?", False), ("en geldhlp veendjik adress", False)],
)  # fmt: skip
def test_an_ellipsis_names_only_another_subject(text: str, expected: bool) -> None:
    from bot.conversation.shapes import ELLIPSIS

    assert bool(ELLIPSIS.match(text)) is expected


@pytest.mark.parametrize(("text", "attribute"), [("hoe heet die?", "contactpersoon"), ("Naam?", "contactpersoon"),
                                                 ("what's their name", "contactpersoon"), ("wanneer", "openingstijden")])  # fmt: skip
def test_a_bare_ask_for_the_name(text: str, attribute: str) -> None:
    from bot.conversation.shapes import BARE_ASK, words_of

    assert BARE_ASK[" ".join(words_of(text))] == attribute
