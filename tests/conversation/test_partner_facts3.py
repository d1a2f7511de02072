"""Round-3 partner facts: opening days, languages asked by name, addresses, and references to a listed partner."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.conversation.facts import asked_languages, fact
from bot.conversation.lookup import without_reference
from bot.conversation.schedule import asked_day, hours_answer, open_days
from bot.kaart.model import Service

MONDAY_3PM = datetime(2026, 11, 30, 14, 0, tzinfo=UTC)  # 15:00 in Amsterdam
NAMES = {"nl": "Nederlands", "en": "Engels", "ar": "Arabisch", "ti": "Tigrinya", "fa": "Farsi"}


def _service(**fields: object) -> Service:
    base: dict[str, object] = {
        "id": "x",
        "organization": "Stichting Test",
        "name": "Inloop",
        "description": "",
    }
    return Service(**(base | fields))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("schedule", "days"),
    [
        ("ma-vr 9-17 uur", {0, 1, 2, 3, 4}),
        ("di en do 9-12 uur inloop", {1, 3}),
        ("Aanmelden ma, wo, vr ochtend", {0, 2, 4}),
        ("di-za 14:00-22:00", {1, 2, 3, 4, 5}),
        ("24 uur per dag, 7 dagen per week", set(range(7))),
        ("ma-vr 17:00-8:00, weekend en feestdagen 24 uur", set(range(7))),
        ("Werkdagen", {0, 1, 2, 3, 4}),
        ("Uitgifte vrijdag 13-16 uur", {4}),
        ("Op afspraak", None),
    ],
)
def test_open_days_from_hand_written_schedules(schedule: str, days: set[int] | None) -> None:
    found = open_days(schedule)
    assert (set(found) if found is not None else None) == days


def test_asked_day_and_the_answer() -> None:
    saturday = asked_day("zijn ze zaterdag open?", MONDAY_3PM)
    assert saturday is not None and saturday.days == (5,)
    closed = hours_answer("Raadslieden", "di en do 9-12 uur inloop", saturday, "0123")
    assert closed.startswith("Nee") and "zaterdag dicht" in closed and "di en do" in closed
    weekend = asked_day("open in het weekend?", MONDAY_3PM)
    assert weekend is not None and hours_answer(
        "Post", "weekend en feestdagen 24 uur", weekend, ""
    ).startswith("Ja")
    now = asked_day("zijn ze nu open", MONDAY_3PM)
    assert now is not None and now.now is not None
    assert hours_answer("A", "ma-vr 9-17 uur", now, "").startswith("Ja")
    assert hours_answer("B", "ma-vr 9-12 uur", now, "").startswith("Nee"), "15:00 is after 12"
    unknown = hours_answer("C", "Op afspraak", saturday, "0123")
    assert "staat niet op de kaart" in unknown and "Op afspraak" in unknown
    assert asked_day("wanneer zijn ze open?", MONDAY_3PM) is None


def test_opening_hours_fact_uses_the_day() -> None:
    service = _service(schedule="ma-vr 9-17 uur", phone="0123-456789")
    saturday = asked_day("zaterdag?", MONDAY_3PM)
    text = fact(service, "openingstijden", name="Inloop", languages=NAMES, day=saturday)
    assert text == "Nee, Inloop is op zaterdag dicht. Open: ma-vr 9-17 uur."
    assert "ma-vr 9-17 uur" in fact(service, "openingstijden", name="Inloop", languages=NAMES)


def test_language_asked_by_name_gets_yes_or_no() -> None:
    service = _service(languages=("nl", "ar", "ti"))
    assert asked_languages("spreekt iemand daar tigrinya?", NAMES) == ["Tigrinya"]
    assert asked_languages("welke talen spreken ze?", NAMES) == []
    yes = fact(service, "talen", name="Inloop", languages=NAMES, asked=("Tigrinya",))
    assert yes.startswith("Ja") and "Tigrinya" in yes and " ti" not in yes
    no = fact(service, "talen", name="Inloop", languages=NAMES, asked=("Farsi",))
    assert no.startswith("Farsi staat niet") and "Arabisch" in no and "tolk" in no


def test_address_missing_or_secret_is_said_plainly() -> None:
    secret = fact(
        _service(address="Geheim adres", phone="0800-2000"), "adres", name="Opvang", languages=NAMES
    )
    assert "geheim" in secret and "zit op" not in secret and "0800-2000" in secret
    town_only = fact(_service(city="Lindenhoven", phone="0123-456789"), "adres", name="Zorg", languages=NAMES)
    assert "geen bezoekadres" in town_only and "+31 123 456 789" in town_only
    street = fact(_service(address="Kerkstraat 4", city="Lindenhoven"), "adres", name="R", languages=NAMES)
    assert street == "R zit op Kerkstraat 4, Lindenhoven."


@pytest.mark.parametrize(
    ("text", "rest"),
    [
        ("die van taal, wanneer kan je daar terecht?", "wanneer kan je daar terecht?"),
        ("die van de schulden, wie is daar de contactpersoon?", "wie is daar de contactpersoon?"),
        ("en de tweede, wat kost die?", "wat kost die?"),
        ("adres?", "adres?"),
    ],
)
def test_reference_to_a_listed_partner_is_left_out(text: str, rest: str) -> None:
    assert without_reference(text) == rest


def test_languages_and_days_asked_in_english() -> None:
    from bot.config import PROJECT_ROOT
    from bot.conversation.facts import load_languages

    names = load_languages(PROJECT_ROOT / "knowledge" / "talen.yaml")
    assert sorted(asked_languages("do they speak arabic or tigrinya?", names)) == ["Arabisch", "Tigrinya"]
    assert asked_languages("spreekt iemand daar perzisch?", names) == ["Farsi"]
    saturday = asked_day("are they open on saturday?", MONDAY_3PM)
    assert saturday is not None and saturday.days == (5,)
    now = asked_day("open now?", MONDAY_3PM)
    assert now is not None and now.now is not None
