"""Round-11 rules without a trained model: a day with its part of the day ('zaterdagavond') is asked with an
hour, so a schedule's hours count; the shapes that say what a message asks whatever the act model reads."""

from __future__ import annotations

from datetime import datetime

import pytest

from bot.config import PROJECT_ROOT
from bot.conversation.asks import ABOUT_PUBLICATION, SELF_ACCESS, WIJKEN_ASKED, only_case_people
from bot.conversation.lookup import load_english, with_dutch
from bot.conversation.schedule import asked_day, is_open

MONDAY_3PM = datetime(2026, 3, 2, 15, 0)
PRAKTIJK = "ma-vr 8-17 uur; dependance di 8.30-12 uur"
POST = "ma-vr 17-8 uur; weekend en feestdagen 24 uur"


def test_day_with_part_of_day_asks_that_hour() -> None:
    saturday_evening = asked_day("het is zaterdagavond, de huisarts is dicht", MONDAY_3PM)
    assert saturday_evening is not None and saturday_evening.days == (5,)
    assert saturday_evening.label == "op zaterdagavond"
    assert is_open(PRAKTIJK, saturday_evening) is False and is_open(POST, saturday_evening) is True
    friday_evening = asked_day("is er vrijdagavond iemand?", MONDAY_3PM)
    assert friday_evening is not None and friday_evening.days == (4,)
    assert is_open("ma-vr 8-17 uur", friday_evening) is False and is_open(POST, friday_evening) is True
    friday_morning = asked_day("vrijdagochtend open?", MONDAY_3PM)
    assert friday_morning is not None and is_open("ma-vr 8-17 uur", friday_morning) is True
    assert asked_day("zaterdag open?", MONDAY_3PM).now is None  # type: ignore[union-attr]  # a day alone: days only


@pytest.mark.parametrize(
    ("text", "expected"),
    [("en voor de vrouw?", True), ("en de kinderen?", True), ("en voor de moeder zelf?", True),
     ("die van de kinderen?", False), ("is dat ook iets voor de dochter?", False), ("en de ggz?", False), ("vrouwenopvang?", False)],
)  # fmt: skip
def test_only_people_of_the_case(text: str, expected: bool) -> None:
    assert only_case_people(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("kan ik zelf de crisisdienst bellen?", True), ("mag ze zelf aanmelden?", True),
     ("kan de buurvrouw ook zelf melden, anoniem?", True), ("can I call them myself?", True),
     ("kan ik bellen?", False), ("hoe meld ik hem aan", False), ("wat kan ik zelf doen?", False)],
)  # fmt: skip
def test_asks_whether_one_may_call_oneself(text: str, expected: bool) -> None:
    assert bool(SELF_ACCESS.search(text)) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("staat er iets in over zorgmail?", True), ("wie heeft het eigenlijk geschreven", True),
     ("wie heeft dat stuk over samenwerken eigenlijk geschreven", True),
     ("wat zegt die movisie publicatie over schotten", True), ("staat er een wachtlijst?", False),
     ("heeft de voedselbank een inloop", False), ("wie schrijft de beschikking?", False)],
)  # fmt: skip
def test_asks_about_the_publication_itself(text: str, expected: bool) -> None:
    assert bool(ABOUT_PUBLICATION.search(text)) is expected


def test_wijken_asked_and_english_nursing() -> None:
    assert WIJKEN_ASKED.search("welke wijken ken je")
    assert not WIJKEN_ASKED.search("welke partners zitten in de wijk")
    english = load_english(PROJECT_ROOT / "knowledge" / "engelse_woorden.yaml")
    assert "wijkverpleging" in with_dutch("who does home nursing here", english)


def test_everyday_spelling_and_a_slip_still_name_the_partner() -> None:
    from bot.conversation.lookup import NameIndex
    from bot.kaart.model import Service

    kaart = [
        Service(id="budget", name="Budgetbureau Duin", organization="Gemeente", description="Geldzaken."),
        Service(id="cb", name="Consultatiebureau", organization="GGD", description="Jeugdgezondheid."),
        Service(id="bieb", name="Bibliotheek", organization="Bieb", description="Boeken."),
    ] + [Service(id=f"d{i}", name=f"Dienst {w}", organization="Zorg", description="Hulp.")
         for i, w in enumerate(["taal", "sport", "vervoer", "dementie", "rouw", "opvoeden", "wonen", "werk", "zorg", "geld", "recht", "jeugd", "ouderen", "kunst"])]  # fmt: skip
    index = NameIndex.build(kaart)  # a kaart of some size: a name word is rare on it (idf)
    assert index.find("budgettburo vrijdag open?").id == "budget"  # type: ignore[union-attr]
    assert index.find("consultatieburo tel").id == "cb"  # type: ignore[union-attr]
    assert index.find("buro open?") is None or index.find("buro open?").id != "bieb"  # type: ignore[union-attr]
