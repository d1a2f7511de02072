"""Round-7 rules without a trained model: the waiting time quoted from whichever field states it, a position
in the pointing part ('die eerste, ...') wins over a kind word, a message that starts with a partner's name
('en sport en beweegn, ...'), a sound-alike spelling among the partners of the conversation ('t ambagt'), a
time of day asks for the opening hours, 'hebben die iets voor ...' asks what a partner offers, and the
answer to that quotes the sentence of the description."""

from __future__ import annotations

from bot.conversation import asking
from bot.conversation.closed import CLOSED
from bot.conversation.facts import fact
from bot.conversation.fields import OFFER, WHEN, better_attribute
from bot.conversation.lookup import loose_word, loosely_named, only_names
from bot.conversation.references import pointed_at
from bot.conversation.waiting import waiting_time
from bot.kaart.model import Service
from tests.conversation.helpers import ListKaart, RuleTurn, filler

KAART = [
    Service(id="team", name="Sociaal Team Oost", organization="Gemeente",
            description="Eerste plek voor alle vragen.", themes=("wijkteam", "eerste aanspreekpunt")),
    Service(id="maatjes", name="Geldmaatjes", organization="Stichting Geld",
            description="Een vrijwilliger helpt met de post. Koppeling duurt nu ongeveer 3 weken.",
            themes=("geldzaken", "post")),
    Service(id="schuld", name="Schuldhulp", organization="Gemeente",
            description="Voor inwoners met schulden. Eerste gesprek meestal binnen 2 weken; bij een deurwaarder "
                        "binnen 3 werkdagen.", themes=("schulden",)),
    Service(id="sport", name="Sport en Bewegen", organization="Buurtsport",
            description="Wandelgroepen en een beweegmaatje voor wie alleen niet durft te beginnen.",
            themes=("sport", "bewegen")),
    Service(id="ambacht", name="Dagbesteding 't Ambacht", organization="Stichting Werkzaam",
            description="Werken in een fietsenmakerij.", themes=("dagbesteding",),
            application_process="Beschikking Wmo via het sociaal team"),
    Service(id="opvoed", name="Opvoedsteunpunt", organization="JGZ", description="Opvoedadvies.",
            themes=("opvoeden",), schedule="ma-vr 8.30-17 uur, donderdag tot 20 uur"),
]  # fmt: skip
KAART += filler(["taal", "werk", "wonen", "vervoer", "zorg", "dementie", "rouw"])


_KAART = ListKaart(KAART, name="round7", wijken=["Oost"])


def _service(service_id: str) -> Service:
    return next(s for s in KAART if s.id == service_id)


def test_the_waiting_time_is_the_sentence_that_states_it() -> None:
    assert waiting_time(_service("maatjes")) == "Koppeling duurt nu ongeveer 3 weken"
    assert "binnen 2 weken" in waiting_time(_service("schuld")) and "3 werkdagen" in waiting_time(
        _service("schuld")
    )
    assert waiting_time(_service("team")) == ""
    answer = fact(_service("team"), "wachttijd", name="Sociaal Team Oost", languages={})
    assert "staat niet op de kaart" in answer
    assert better_attribute([_service("schuld")], "hoe snel kan hij daar terecht?", "openingstijden", 0.7)[
        0
    ] == ("wachttijd")


def test_a_position_in_the_pointing_part_wins_over_a_kind_word(rules_turn: RuleTurn) -> None:
    turn = rules_turn(shown=("maatjes", "schuld", "sport"))
    found = pointed_at(
        turn, "die eerste, hebben ze een wachtlijst?"
    )  # 'eerste' is also 'eerste aanspreekpunt'
    assert found is not None and found.service.id == "maatjes"


def test_a_message_that_starts_with_a_partner_name(rules_turn: RuleTurn) -> None:
    turn = rules_turn(shown=("schuld",))
    found = pointed_at(turn, "en sport en beweegn, hebben die iets voor iemand die niet durft?")
    assert found is not None and found.service.id == "sport" and found.rest.startswith("hebben die")
    assert pointed_at(turn, "hoi, ik ben nieuw in het team") is None
    assert pointed_at(turn, "ok, en wat nu?") is None


def test_a_sound_alike_spelling_only_among_the_partners_shown(rules_turn: RuleTurn) -> None:
    assert (
        loose_word("ambagt", "ambacht")
        and not loose_word("velden", "melden")
        and not loose_word("amb", "ambacht")
    )
    ambacht = _service("ambacht")
    assert loosely_named("t ambagt, heb je daar een beschikking voor nodig?", [ambacht]) is ambacht
    assert only_names("t ambagt", ambacht)
    shown = rules_turn(shown=("schuld", "ambacht"))
    found = asking.resolve(shown, "t ambagt, heb je daar een beschikking voor nodig?", use_focus=False)
    assert found is not None and found.id == "ambacht"
    elsewhere = rules_turn(shown=("schuld",))  # the same spelling does not reach the whole kaart
    assert asking.resolve(elsewhere, "ambagt?", use_focus=False) is None


def test_a_time_of_day_asks_for_the_hours_and_an_offer_is_quoted() -> None:
    assert WHEN.search("kan ze daar savonds bellen?") and WHEN.search("open na 5 uur?")
    assert not WHEN.search("wat kost het daar?")
    assert better_attribute([_service("opvoed")], "kan ze daar savonds bellen?", "talen", 0.25)[0] == (
        "openingstijden"
    )
    assert (
        better_attribute([_service("opvoed")], "kan ze daar savonds bellen?", "telefoon", 0.9)[0]
        == "telefoon"
    )
    assert OFFER.search("hebben die iets voor iemand die alleen niet durft?")
    assert OFFER.search("kan hij daar ook blijven slapen?") and not OFFER.search(
        "kan ik daar anoniem bellen?"
    )
    sport = _service("sport")
    attribute, found = better_attribute([sport], "hebben die iets voor iemand die alleen niet durft te beginnen?",
                                        "kosten", 0.2)  # fmt: skip
    assert attribute == "aanbod"
    answer = fact(sport, "aanbod", name="Sport en Bewegen", languages={}, found=tuple(found))
    assert "beweegmaatje" in answer and answer.startswith("Ja, op de kaart bij Sport en Bewegen")


def test_a_closed_partner_is_recognised() -> None:
    assert CLOSED.search("het is zondag, de huisarts is dicht")
    assert CLOSED.search("schuldhulp neemt de telefoon niet op")
    assert CLOSED.search("eigen huisarts is za dicht")
    assert not CLOSED.search("doe de deur dicht")


def test_a_language_name_is_no_loose_spelling_of_a_partner(rules_turn: RuleTurn) -> None:
    drenthe = Service(
        id="vt", name="Veilig Thuis Drenthe", organization="Veilig Thuis", description="Advies."
    )
    assert loosely_named("spreekt die ook drents?", [drenthe]) is drenthe  # letters alone would say so ...
    assert loosely_named("spreekt die ook drents?", [drenthe], known={"drents"}) is None  # ... not a language
