"""Round 17: a question about the partner in focus is answered from the kaart field that holds its words. A walk-in
hour sits in the schedule ('inloopspreekuur donderdag') and is no name of another partner ('inloophuis-ggz'); a
bare question whose words the partner's own fields hold ('is dat anoniem') is about that partner; 'zijn ze snel
bij ...' asks how long it takes, and the sentence about what is asked wins; a look-up that names a language lists
the partners who speak it. Phrasings are our own (not from the development conversation sets)."""

from __future__ import annotations

from typing import Any

from bot.conversation import router
from bot.conversation.asking import answer_attribute, look_up, resolve
from bot.conversation.fields import WAITING, better_attribute
from bot.conversation.waiting import waiting_time
from bot.kaart.model import Service
from tests.conversation.helpers import ListKaart, RuleTurn, filler

_KAART = ListKaart(
    [
        Service(
            id="inloophuis-ggz",
            organization="Stichting Herstel",
            name="Herstelhuis De Boei",
            description="Inloop en herstelgroepen voor mensen met een psychische kwetsbaarheid.",
            themes=("herstel", "ggz"),
            schedule="ma, wo en vr 10-16 uur",
            languages=("nl",),
        ),
        Service(
            id="statushouders",
            organization="Stichting Thuis Hier",
            name="Team Statushouders",
            description="Begeleiding van statushouders: inburgering, toeslagen en school.",
            themes=("statushouders", "inburgering"),
            schedule="ma-do 9-17 uur; inloopspreekuur dinsdag 14-16 uur",
            application_process="Aanmelden door de gemeente; anderen lopen binnen op het inloopspreekuur.",
            languages=("nl", "ar", "ti", "fa"),
            service_areas=("Kanaalzone",),
        ),
        Service(
            id="verslaving",
            organization="Verslavingszorg West",
            name="Verslavingszorg West",
            description="Hulp bij alcohol, drugs en gokken.",
            themes=("verslaving", "gokken"),
            schedule="ma-vr 9-17 uur",
            application_process="Behandeling via de huisarts. Het spreekuur op vrijdag is anoniem en zonder verwijzing.",
            languages=("nl", "pl"),
        ),
        Service(
            id="geld",
            organization="Gemeente",
            name="Geldwijzer (schuldhulp)",
            description="Hulp bij schulden. Bij een dreigende ontruiming binnen 2 werkdagen een eerste gesprek.",
            themes=("schulden",),
            application_process="Aanmelden via de website. Wachttijd voor een intake is ongeveer 5 weken.",
            languages=("nl", "ti"),
        ),
        Service(
            id="praktijk",
            organization="Huisartsenpraktijk Kanaal",
            name="Huisartsenpraktijk Kanaal",
            description="Huisartsen voor de Kanaalzone.",
            themes=("huisarts",),
            phone="0123-456789",
        ),
        *filler(["wonen", "werk", "opvoeding", "eenzaamheid", "vervoer"]),
    ],
    name="velden17",
    wijken=["Kanaalzone", "Oude Dorp"],
)


def test_a_walk_in_word_of_the_focus_schedule_names_no_other_partner(rules_turn: RuleTurn) -> None:
    turn = rules_turn(recent=("statushouders",))
    turn.ctx.focus_id = "statushouders"
    found = resolve(turn, "hebben ze een inloop?", any_of_kind=True)
    assert found is not None and found.id == "statushouders"
    found = resolve(turn, "en het herstelhuis, hoe laat open?", any_of_kind=True)  # the name itself
    assert found is not None and found.id == "inloophuis-ggz"
    turn.ctx.focus_id = "verslaving"  # its access route says 'via de huisarts': a kind of partner still
    found = resolve(turn, "en de huisarts, wat is het nummer?", any_of_kind=True)
    assert found is not None and found.id == "praktijk"


def test_without_the_word_in_its_fields_the_focus_does_not_take_the_name(rules_turn: RuleTurn) -> None:
    turn = rules_turn(recent=("verslaving",))
    turn.ctx.focus_id = "verslaving"  # its fields say 'spreekuur', not 'inloop'
    found = resolve(turn, "hebben ze een inloop?", any_of_kind=True)
    assert found is not None and found.id == "inloophuis-ggz"


def test_a_bare_question_held_by_the_focus_fields_is_about_the_focus(rules_turn: RuleTurn) -> None:
    turn = rules_turn(recent=("verslaving",))
    turn.ctx.focus_id = "verslaving"
    asked = router._focus_field_ask(turn, "is dat anoniem")  # noqa: SLF001
    assert asked is not None and asked[0].id == "verslaving" and asked[1] == "toegang"
    assert router._focus_field_ask(turn, "is dat ook voor de buren") is None  # noqa: SLF001 - not on its entry
    assert router._focus_field_ask(turn, "wat is een verwijzing?") is None  # noqa: SLF001 - a definition
    # a question that names its attribute ('kost') is the attribute model's, even when a word is in the hours
    assert router._focus_field_ask(turn, "en wat kost het spreekuur daar?") is None  # noqa: SLF001


def test_how_long_right_after_a_partner_is_its_waiting_time(rules_turn: RuleTurn) -> None:
    turn = rules_turn(recent=("geld",))
    turn.ctx.focus_id = "geld"
    asked = router._focus_field_ask(turn, "hoe lang is de wachttijd")  # noqa: SLF001
    assert asked is not None and asked[0].id == "geld" and asked[1] == "wachttijd"
    assert router._focus_field_ask(turn, "hoe lang duurt een keukentafelgesprek") is None  # noqa: SLF001


def test_are_they_quick_asks_the_waiting_time_about_what_is_asked() -> None:
    geld = _KAART.get("geld")
    assert geld is not None
    text = "zijn ze snel bij een dreigende ontruiming?"
    assert WAITING.search(text)
    attribute, words = better_attribute([geld], text, "openingstijden", 0.9)
    assert attribute == "wachttijd"
    assert "2 werkdagen" in waiting_time(geld, words)
    assert "5 weken" in waiting_time(geld)  # without the words asked: the usual wait for an intake
    assert not WAITING.search("is de snelweg dicht?")


def _listing_turn(rules_turn: RuleTurn, wijk: str | None) -> tuple[Any, list[str]]:
    turn = rules_turn()
    said: list[str] = []
    turn.say = lambda text, buttons=None: said.append(text)
    turn.shown = lambda ids: None
    turn.wijk = lambda: wijk
    return turn, said


def test_a_look_up_by_language_lists_who_speaks_it(rules_turn: RuleTurn) -> None:
    turn, said = _listing_turn(rules_turn, "Kanaalzone")
    look_up(turn, "veel ouders hier spreken alleen tigrinya, welke partners kunnen in die taal helpen?")
    assert said and "Tigrinya" in said[0]
    assert turn.ctx.shown_ids[:2] == ["statushouders", "geld"]  # the wijk's own partner first
    turn, said = _listing_turn(rules_turn, None)
    look_up(turn, "wie spreekt er pools?")
    assert turn.ctx.shown_ids == ["verslaving"]


def test_a_partner_question_by_language_lists_who_speaks_it(rules_turn: RuleTurn) -> None:
    turn, said = _listing_turn(rules_turn, "Kanaalzone")
    answer_attribute(turn, "welke partners spreken hier farsi?", "talen", certainty=0.9)
    assert said and "Farsi" in said[0] and turn.ctx.shown_ids == ["statushouders"]
