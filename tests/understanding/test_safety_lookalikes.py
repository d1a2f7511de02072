"""The safety head on chat messages and ordinary look-alikes (round 4): no level for what carries no danger.

Round 3's model read 'is het vandaag open' as acute suicide and 'jongen van 19 blowt de hele dag' as zorg
kindermishandeling: urgency and family words had been learned as danger. These texts are written for this test
(none is copied from a dev or held-out set)."""

from __future__ import annotations

import pytest

ORDINARY = [
    "is het vandaag open",
    "zijn ze morgen open?",
    "jongen van 19 blowt de hele dag",
    "man van 45 is zijn baan kwijt en snapt niks van hoe hij een uitkering moet aanvragen",
    "haar man helpt met de boodschappen, zelf kan ze niet meer goed lopen",
    "zoon van 16 gamet veel en gaat niet meer naar school",
    "mw 38 moet vandaag nog de huur betalen anders komt morgen de deurwaarder",
    "dhr 70 kan vannacht weer niet slapen van de pijn in zn knie",
    "dringend: dochter 8 heeft een bril nodig maar er is geen geld",
    "kan iemand nu even terugbellen over de wmo aanvraag van mw",
    "wat is het nummer van de voedselbank",
    "mw 29 en haar ex hebben ruzie over de omgangsregeling, spoed want zitting is deze week",
    "bedankt, tot morgen!",
    "zijn ze ook in het weekend bereikbaar",
]

ACUTE = [
    "hij slaat haar nu, ik hoor haar gillen",
    "dhr zegt dat hij vannacht een einde aan zijn leven maakt, de pillen liggen klaar",
    "baby van 3 maanden ligt alleen thuis, moeder is al uren weg en neemt niet op",
    "clt hoort stemmen en loopt met een mes op straat te schreeuwen dat de buren hem willen vergiftigen",
    "mw belt vanuit de badkamer, haar vriend trapt de deur in en dreigt haar te vermoorden",
    "jongen 17 staat op de brug en appt dat hij gaat springen",
]


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_and_chat_get_no_safety_level(use_understander, text: str) -> None:  # type: ignore[no-untyped-def]
    reading = use_understander.understand(text)
    assert reading.level == "geen", (reading.level, reading.danger, reading.level_probabilities)


@pytest.mark.parametrize("text", ACUTE)
def test_clear_acute_phrasings_are_acute(use_understander, text: str) -> None:  # type: ignore[no-untyped-def]
    assert use_understander.understand(text).level == "acuut"


def test_chat_messages_of_the_training_dialogues_are_loaded_as_safety_only(use_understander) -> None:  # type: ignore[no-untyped-def]
    from pathlib import Path

    from bot.understanding.chat import load_chat

    chat = load_chat(Path(__file__).resolve().parents[2] / "knowledge" / "dialoog")
    assert len(chat) > 1000 and {c.level for c in chat} == {"geen", "acuut"}
    assert all(c.act != "situatie" for c in chat)
    assert all((c.act == "acuut") == (c.level == "acuut") for c in chat)


# Round 5: young adults and adults whose problems sound like neglect ('komt zijn bed niet uit') are not child abuse,
# while a named child with injuries is (the dev conversation sentence and the kaart test sentence, as test cases).
YOUNG_ADULTS = [
    "jongen van 19 blowt de hele dag en komt zijn bed niet meer uit",
    "dochter van 21 eet slecht, ligt de hele dag op bed en wil niet praten",
    "zoon (24) woont weer thuis, drinkt elke avond en heeft geen werk",
    "meisje van 18 verwaarloost haar kamer en haar school, ouders maken zich zorgen",
]


@pytest.mark.parametrize("text", YOUNG_ADULTS)
def test_young_adults_are_never_child_abuse(use_understander, text: str) -> None:  # type: ignore[no-untyped-def]
    reading = use_understander.understand(text)
    assert reading.level != "acuut" and reading.danger != "kindermishandeling", (
        reading.level,
        reading.danger,
    )


def test_young_adult_from_the_dev_conversation_gets_no_level(use_understander) -> None:  # type: ignore[no-untyped-def]
    assert use_understander.understand(YOUNG_ADULTS[0]).level == "geen"


@pytest.mark.parametrize(
    "text",
    [
        "Het kind heeft blauwe plekken en is schrikachtig.",
        "baby van 4 maanden heeft een blauwe plek op zijn wang, moeder weet niet hoe dat komt",
        "meisje van 6 komt steeds zonder eten naar school en heeft vieze kleren",
    ],
)
def test_a_named_child_with_signs_is_child_danger(use_understander, text: str) -> None:  # type: ignore[no-untyped-def]
    reading = use_understander.understand(text)
    assert reading.level != "geen" and reading.danger == "kindermishandeling", (
        reading.level,
        reading.level_probabilities,
    )


@pytest.mark.parametrize(
    ("text", "danger"),
    [
        (
            "kraamvrouw een week na de bevalling hoort stemmen en zegt dat de baby vergiftigd wordt",
            "psychose",
        ),
        ("hij staat met een mes in de gang en dreigt zijn vriendin neer te steken", "huiselijk_geweld"),
        ("ze heeft een mes gepakt en zegt dat ze zichzelf iets gaat aandoen, ze wil dood", "suicide"),
        ("dhr 81 krijgt van zijn dochter geen eten en zij neemt zijn pensioen af", "ouderenmishandeling"),
    ],
)
def test_danger_types_that_were_confused(use_understander, text: str, danger: str) -> None:  # type: ignore[no-untyped-def]
    reading = use_understander.understand(text)
    assert reading.level != "geen" and reading.danger == danger, (reading.level, reading.danger)


# Round 19 (#7): danger that is negated, told as past, or called not acute is not acute (bot/understanding/scope.py:
# where each safety word stands is a feature of the safety heads; constants.safety_scope). Written for this test.
NOT_NOW = [
    "dhr 60 somber na zijn ontslag, geen suïcidale gedachten, wil hulp bij solliciteren",
    "mw werd vroeger door haar ex geslagen, nu rustig, ze zoekt een kleinere woning",
    "jongen 15 spijbelt en blowt, het is niet acuut, ouders willen opvoedondersteuning",
    "client feels low after the divorce, no immediate danger, needs help with her debts",
    "vader is streng en er is veel ruzie over schermtijd, maar hij slaat niet",
    "mw 58 heeft jaren geleden een suïcidepoging gedaan, nu stabiel, vraagt hulp bij de administratie",
]


@pytest.mark.parametrize("text", NOT_NOW)
def test_negated_or_past_danger_is_not_acute(use_understander, text: str) -> None:  # type: ignore[no-untyped-def]
    reading = use_understander.understand(text)
    assert reading.level != "acuut", (reading.level, reading.danger, reading.level_probabilities)
