"""Round-4 rules: the kaart field that holds the asked word, 'what is X' definitions, kaart columns filled
in other ways (two phone numbers, language lists, closed days, funding only)."""

from __future__ import annotations

from datetime import datetime

from bot.config import PROJECT_ROOT
from bot.conversation.facts import fact, language_names, load_languages, tappable
from bot.conversation.fields import better_attribute, offers
from bot.conversation.glossary import defined, load_glossary
from bot.conversation.schedule import asked_day, is_open, open_days
from bot.kaart.model import Service

ADVICE_LINE = Service(
    id="advies", organization="Advieslijn", name="Advies bij geweld", description="Advies en melding.",
    themes=("huiselijk geweld", "advies"), phone="0800-2000", schedule="24 uur per dag",
    application_process="Vrij toegankelijk, ook anoniem advies", fees_description="Gratis",
    contact_name="Adviseur van dienst", languages=("nl", "en"),
)  # fmt: skip
YOUTH_HEALTH = Service(
    id="jgz", organization="Jeugd en Gezin", name="Consultatiebureau", description="Zorg voor baby's en peuters.",
    themes=("consultatiebureau", "huilbaby", "slapen"), phone="0123-456789",
    schedule="ma-vr 8.30-17 uur; telefonisch spreekuur elke werkdag 9-10 uur", application_process="Vrij toegankelijk",
)  # fmt: skip
ADDICTION = Service(
    id="koers", organization="De Koers", name="Hulp bij verslaving", description="Ambulante hulp.",
    themes=("verslaving", "alcohol", "gokken", "gamen"), schedule="ma-vr 9-17 uur", application_process="Vrij",
)  # fmt: skip


def test_a_word_of_the_question_in_the_access_route_wins_over_an_unsure_attribute() -> None:
    attribute, found = better_attribute(
        [ADVICE_LINE], "kan ik daar ook anoniem advies vragen?", "contactpersoon", 0.21
    )
    assert attribute == "toegang" and "anoniem" in found
    # a sure attribute is kept
    assert better_attribute([ADVICE_LINE], "kan ik daar anoniem bellen?", "telefoon", 0.9)[0] == "telefoon"


def test_a_walk_in_hour_is_read_from_the_schedule() -> None:
    attribute, _ = better_attribute([YOUTH_HEALTH], "hebben ze een telefonisch spreekuur?", "telefoon", 0.41)
    assert attribute == "openingstijden"


def test_do_they_also_do_x_is_answered_from_the_themes() -> None:
    attribute, found = better_attribute([ADDICTION], "doen ze ook iets aan gokken?", "talen", 0.35)
    assert attribute == "aanbod" and found == ["gokken"] and offers(ADDICTION, found)
    answer = fact(ADDICTION, "aanbod", name="De Koers", languages={}, found=tuple(found))
    assert answer.startswith("Ja,") and "gokken" in answer
    unknown = fact(ADDICTION, "aanbod", name="De Koers", languages={})
    assert "staat niet" in unknown and "gamen" in unknown  # says what they do work on


def test_signing_up_asks_for_the_access_route() -> None:
    assert better_attribute([ADDICTION], "hoe meld ik hem daar aan?", "belscript", 0.23)[0] == "toegang"


def test_what_is_x_defines_only_when_x_is_the_whole_subject() -> None:
    glossary = load_glossary(PROJECT_ROOT / "knowledge" / "begrippen.yaml")
    entry = defined(
        glossary, "Goedemorgen, ik ben net begonnen. Wat is eigenlijk precies een sociaal wijkteam?"
    )
    assert entry is not None and entry.term == "Sociaal wijkteam"
    entry = defined(glossary, "En wat houdt een keukentafelgesprek in?")
    assert entry is not None and entry.term == "Keukentafelgesprek"
    assert defined(glossary, "wat is het wijkteam in zuid") is None
    assert defined(glossary, "wat is de rol van de huisarts in het wijkteam?") is None


def test_two_phone_numbers_in_one_field_are_both_tappable() -> None:
    both = tappable("0180-432010 of 06-12345678")
    assert "+31 180 432 010" in both and "+31 6 1234 5678" in both
    assert tappable("0031180432010").startswith("+31 180 432 010")
    assert tappable("113 / 0800-0113") == "113 / 0800-0113"  # national lines unchanged


def test_languages_written_as_one_list_are_split() -> None:
    names = load_languages(PROJECT_ROOT / "knowledge" / "talen.yaml")
    assert language_names(("Nederlands, Engels", "ar/ti"), names) == [
        "Nederlands",
        "Engels",
        "Arabisch",
        "Tigrinya",
    ]


def test_a_closed_day_in_the_schedule_is_closed() -> None:
    assert open_days("ma-vr 9-17, woensdag dicht") == frozenset({0, 1, 3, 4})
    assert open_days("wo gesloten; overige werkdagen 9-17") == frozenset({0, 1, 3, 4})
    wednesday = asked_day("zijn ze woensdag open?", datetime(2026, 12, 1, 10, 0))
    assert wednesday is not None and is_open("ma-vr 9-17 uur; wo gesloten", wednesday) is False


def test_funding_without_a_fee_text_still_says_who_pays() -> None:
    service = Service(
        id="x", organization="X", name="X", description="", funding=("Wmo",), phone="0123-456789"
    )
    answer = fact(service, "kosten", name="X", languages={})
    assert "Wmo" in answer and "staat niet op de kaart" in answer.lower()
