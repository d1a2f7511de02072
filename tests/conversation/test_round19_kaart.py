"""Round 19: the kaart side of a talk. Short day names ask for the hours ('ook za?', 'open op vr?'); a message that
asks two facts of a partner gets both; the role holder of a wijk is the partner whose title is the role itself,
not one that only shares a compound head; 'welke zijn er' with a wijk and a kind of the kaart is a look-up; 'langs
de huisarts' and 'de huisarts verwijst' name the route, not the huisarts; a clear partner attribute during a talk
about partners beats an unsure reading as a publication question. Phrasings and the kaart are our own (not from
the development conversation sets)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from bot.conversation import router
from bot.conversation.acts.model import ActPrediction
from bot.conversation.asking import ROUTE, also_asked, answer_attribute, look_up, show_one, which_in_wijk
from bot.conversation.context import Topic
from bot.conversation.fields import better_attribute
from bot.conversation.schedule import asked_day, names_weekday
from bot.kaart.model import Service
from tests.conversation.helpers import ListKaart, RuleTurn, filler

_NOW = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)

_KAART = ListKaart(
    [
        Service(
            id="kledingruil",
            organization="Stichting Kledingruil Polderdam",
            name="Kledingruil Polderdam",
            description="Gratis kleding voor gezinnen met een laag inkomen.",
            themes=("kleding", "armoede"),
            city="Polderdam",
            address="Dijkstraat 3",
            schedule="di en do 10-12 uur, eerste za van de maand 10-12",
            application_process="met een verwijsbrief van het buurtteam",
            fees_description="gratis",
            phone="0123-500100",
        ),
        Service(
            id="thuiszorg-oever",
            organization="Zorggroep Polder",
            name="Thuiszorg Oeverwijk",
            description="Verpleging en verzorging thuis.",
            themes=("verpleging", "ouderen"),
            city="Polderdam",
            service_areas=("Oeverwijk",),
            contact_name="Greet Mol",
            contact_title="wijkverpleegkundige",
            phone="0123-500200",
        ),
        Service(
            id="jgz-oever",
            organization="GGD Polder",
            name="Consultatiebureau Oeverwijk",
            description="Jeugdgezondheidszorg voor kinderen van 0 tot 4.",
            themes=("jeugdgezondheid", "baby"),
            city="Polderdam",
            service_areas=("Oeverwijk",),
            contact_name="Ria Zand",
            contact_title="jeugdverpleegkundige",
            phone="0123-500300",
        ),
        Service(
            id="huisarts-oever",
            organization="Praktijk Oeverwijk",
            name="Huisartsenpraktijk Oeverwijk",
            description="Huisartsen voor Oeverwijk.",
            themes=("huisarts",),
            city="Polderdam",
            service_areas=("Oeverwijk",),
            phone="0123-500400",
        ),
        Service(
            id="huisarts-molen",
            organization="Praktijk De Molen",
            name="Huisartsen De Molen",
            description="Huisartsen voor Molenbuurt.",
            themes=("huisarts",),
            city="Polderdam",
            service_areas=("Molenbuurt",),
            phone="0123-500500",
        ),
        Service(
            id="voedselhulp",
            organization="Stichting Voedselhulp Polderdam",
            name="Voedselhulp Polderdam",
            description="Een pakket met eten voor wie onder de norm leeft.",
            themes=("voedsel", "armoede"),
            city="Polderdam",
            schedule="uitdeling dinsdag 14-16 uur",
            application_process="via het buurtteam",
            phone="0123-500600",
        ),
        *filler(["wonen", "werk", "taal", "eenzaamheid", "opvoeding", "schulden"]),
    ],
    name="polderdam19",
    wijken=["Molenbuurt", "Oeverwijk"],
)


def _turn(
    rules_turn: RuleTurn, *, wijk: str | None = None, focus: str | None = None
) -> tuple[Any, list[str]]:
    turn = rules_turn(recent=(focus,) if focus else ())
    said: list[str] = []
    turn.say = lambda text, buttons=None: said.append(text)
    turn.shown = lambda ids: None
    turn.wijk = lambda: wijk
    turn.now = lambda: _NOW
    turn.safe_text = lambda text: text
    if focus:
        turn.ctx.focus_id = focus
        turn.ctx.topic = Topic(kind="partners")
    return turn, said


def test_short_day_names_ask_for_that_day() -> None:
    assert asked_day("kledingruil ook za?", _NOW).days == (5,)
    assert asked_day("open op vr?", _NOW).days == (4,)
    assert asked_day("huisarts wo middag open?", _NOW).days == (2,)
    assert asked_day("en op do?", _NOW).days == (3,)  # 'do' only right after 'op'
    assert asked_day("do they open early?", _NOW) is None
    assert asked_day("zo snel mogelijk graag", _NOW) is None
    assert asked_day("mijn ma belt straks", _NOW) is None
    assert names_weekday("kan ze di langskomen?")
    assert not names_weekday("kan ze vandaag nog bellen?")  # today is not a day of the week by name


def test_a_short_day_turns_an_unsure_attribute_into_the_hours() -> None:
    services = _KAART.services[:1]
    assert better_attribute(services, "kledingruil ook za?", "toegang", 0.2)[0] == "openingstijden"
    assert better_attribute(services, "ook op vr?", "toegang", 0.3)[0] == "openingstijden"
    assert better_attribute(services, "verwijsbrief nodig?", "toegang", 0.3)[0] == "toegang"


def test_two_facts_asked_in_one_message(rules_turn: RuleTurn) -> None:
    turn, said = _turn(rules_turn, focus="kledingruil")
    assert also_asked(turn, "waar zitten ze en wanneer?", "adres") == ["openingstijden"]
    assert also_asked(turn, "waar zitten ze?", "adres") == []  # one part: one fact
    answer_attribute(turn, "waar zit die kledingruil precies, en wanneer?", "adres")
    assert "Dijkstraat 3" in said[-1] and "di en do 10-12" in said[-1]


def test_the_role_holder_of_a_wijk_is_the_exact_title(rules_turn: RuleTurn) -> None:
    turn, said = _turn(rules_turn)
    look_up(turn, "wie is de wijkverpleegkundige in oeverwijk?")  # not the jeugdverpleegkundige there
    assert turn.ctx.focus_id == "thuiszorg-oever" and "Greet Mol" in said[-1]
    turn, said = _turn(rules_turn)
    look_up(turn, "wie is de jeugdverpleegkundige in oeverwijk")
    assert turn.ctx.focus_id == "jgz-oever"


def test_which_partners_of_a_kind_in_a_named_wijk(rules_turn: RuleTurn) -> None:
    turn, _ = _turn(rules_turn)
    text = "mijn leidinggevende wil dat ik de huisartsen in de molenbuurt leer kennen, welke zitten daar"
    assert which_in_wijk(turn, text)
    look_up(turn, text)
    assert turn.ctx.focus_id == "huisarts-molen"
    assert not which_in_wijk(turn, "welke huisartsen zijn er?")  # no wijk named: the other look-ups
    # asks how to get to know them, not which there are
    assert not which_in_wijk(turn, "hoe leer ik de huisartsen in de molenbuurt kennen?")


def test_the_route_is_not_the_partner_asked_about() -> None:
    for text in ("moet ze eerst langs de huisarts?", "moet de huisarts haar eerst doorverwijzen?",
                 "gaat dat via ha?", "moet de eigen huisarts verwijzen?"):  # fmt: skip
        assert "huisarts" not in ROUTE.sub(" ", text) and "via ha" not in ROUTE.sub(" ", text), text
    assert ROUTE.sub(" ", "wat doet de huisarts?") == "wat doet de huisarts?"


def _reading(act: str, confidence: float, attribute: str, share: float) -> ActPrediction:
    return ActPrediction(act=act, confidence=confidence, detail="", probabilities={act: confidence},
                         details={f"partner_vraag:{attribute}": share})  # fmt: skip


def test_a_clear_attribute_during_a_partner_talk_beats_an_unsure_publication_reading(
    rules_turn: RuleTurn,
) -> None:
    text = "moet de huisarts eerst verwijzen voor de kledingruil?"
    turn, _ = _turn(rules_turn, focus="thuiszorg-oever")
    assert router._clear_partner_ask(turn, text, _reading("vraag_publicatie", 0.7, "toegang", 0.8))  # noqa: SLF001
    assert not router._clear_partner_ask(  # noqa: SLF001 - the model is sure it is about the publication
        turn, text, _reading("vraag_publicatie", 0.95, "toegang", 0.8)
    )
    assert not router._clear_partner_ask(  # noqa: SLF001 - no attribute stands out
        turn, text, _reading("vraag_publicatie", 0.7, "toegang", 0.4)
    )
    turn, _ = _turn(rules_turn)  # no talk about partners: the publication answers
    assert not router._clear_partner_ask(turn, text, _reading("vraag_publicatie", 0.7, "toegang", 0.8))  # noqa: SLF001


def test_a_look_up_with_a_word_of_the_schedule_gets_the_hours(rules_turn: RuleTurn) -> None:
    turn, said = _turn(rules_turn)
    show_one(turn, _KAART.get("voedselhulp"), text="voedselhulp uitdeling wanneer precies")
    assert "dinsdag 14-16" in said[-1]
    show_one(turn, _KAART.get("voedselhulp"), text="voedselhulp op di?")
    assert "dinsdag" in said[-1]
    show_one(turn, _KAART.get("voedselhulp"), text="voedselhulp nummer")
    assert "dinsdag" not in said[-1]  # the card alone


def test_the_same_fact_of_another_partner_unless_a_day_is_named(rules_turn: RuleTurn) -> None:
    turn, said = _turn(rules_turn, focus="voedselhulp")
    turn.ctx.topic = Topic(kind="partners", attribute="toegang")
    prediction = _reading("vervolg", 0.6, "toegang", 0.2)
    router.follow_up(turn, "kledingruil ook za?", prediction)
    assert turn.ctx.focus_id == "kledingruil" and "za van de maand" in said[-1]  # the hours, not the access
    turn.ctx.topic = Topic(kind="partners", attribute="toegang")
    router.follow_up(turn, "en de voedselhulp?", prediction)
    assert turn.ctx.focus_id == "voedselhulp" and "via het buurtteam" in said[-1]


def test_an_access_route_by_phone_gives_the_number() -> None:
    from bot.conversation.facts import fact

    advice = Service(id="advies", name="Adviespunt", organization="Adviespunt", description="Advies.",
                     application_process="Bellen, ook anoniem voor advies.", phone="0800-1234")  # fmt: skip
    assert "0800-1234" in fact(advice, "toegang", name="Adviespunt", languages={})
    referral = replace(advice, application_process="Met een verwijzing van de huisarts.")
    assert "0800-1234" not in fact(referral, "toegang", name="Adviespunt", languages={})
