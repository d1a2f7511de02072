"""Round-12 rules without a trained model: a schedule's part that sends one elsewhere ('na 17 uur en in het
weekend de huisartsenpost') is not the partner's own hours; 'wie heeft het geschreven' asks for the authors; one
word asked after a partner ('insta?') asks whether that partner does it."""

from __future__ import annotations

from datetime import datetime

import pytest

from bot.conversation import texts
from bot.conversation.asks import ABOUT_PUBLICATION, WHO_WROTE
from bot.conversation.fields import BARE_WORD_ASK, better_attribute, matching_attribute
from bot.conversation.schedule import asked_day, is_open, open_days, own_hours
from bot.kaart.model import Service

MONDAY_3PM = datetime(2026, 3, 2, 15, 0)


@pytest.mark.parametrize(
    "schedule",
    ["ma-vr 8-17 uur; na 17 uur en in het weekend de huisartsenpost", "ma-vr 8-17, spoed na 17 uur via de HAP",
     "ma-vr 8.30-17 uur; buiten kantoortijd via de crisisdienst", "ma-vr 9-17 uur; 's nachts via de huisartsenpost"],
)  # fmt: skip
def test_the_hours_elsewhere_are_not_the_partners(schedule: str) -> None:
    assert open_days(schedule) == frozenset(range(5))
    assert is_open(schedule, asked_day("open op zaterdag?", MONDAY_3PM)) is False  # type: ignore[arg-type]
    assert is_open(schedule, asked_day("vrijdagavond open?", MONDAY_3PM)) is False  # type: ignore[arg-type]
    assert is_open(schedule, asked_day("zijn ze nu open?", MONDAY_3PM)) is True  # type: ignore[arg-type]


def test_own_hours_keep_the_partners_own_parts() -> None:
    post = "ma-vr 17-8 uur; weekend en feestdagen 24 uur"
    assert is_open(post, asked_day("zaterdag open?", MONDAY_3PM)) is True  # type: ignore[arg-type]
    assert open_days("di+do in De Brink, andere dagen via Molenhoek") == frozenset({1, 3})
    assert "spreekuur do 19-20" in own_hours("Via 0900-8844 dag en nacht, spreekuur do 19-20 uur")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("wie heeft het eigenlijk geschreven", True), ("wie is de auteur?", True), ("who wrote it?", True),
     ("van wie is die publicatie?", True), ("wie schrijft de beschikking?", False),
     ("wie heeft de brief van de deurwaarder geschreven", False)],
)  # fmt: skip
def test_who_wrote_the_publication(text: str, expected: bool) -> None:
    assert bool(WHO_WROTE.search(text)) is expected


def test_the_authors_answer_is_short_and_attributed() -> None:
    answer = texts.PUBLICATION_AUTHORS
    assert len(answer) <= 300 and "Movisie" in answer and "IWW" in answer and "2016" in answer
    assert "Kluft" in answer
    assert ABOUT_PUBLICATION.search("wie heeft het eigenlijk geschreven")  # routed before the passage answer


LOODS = Service(
    id="loods", organization="Welzijn", name="Jongerenwerk De Loods",
    description="Jongerenwerkers zijn ook op straat en online via Instagram en Snapchat.", themes=("jongerenwerk",),
)  # fmt: skip
TAALHUIS = Service(
    id="taal", organization="Bibliotheek", name="Taalhuis", description="Oefenen met lezen, schrijven en DigiD.",
    themes=("laaggeletterdheid",), languages=("nl",),
)  # fmt: skip


def test_one_word_asked_after_a_partner_is_what_it_offers() -> None:
    assert BARE_WORD_ASK.fullmatch("insta?") and BARE_WORD_ASK.fullmatch("en whatsapp?")
    assert not BARE_WORD_ASK.fullmatch("top, dank je wel") and not BARE_WORD_ASK.fullmatch("ok?")
    assert matching_attribute([LOODS], "insta?") == ("aanbod", ["insta"])
    assert matching_attribute([LOODS], "facebook?") is None  # not named by the partner: no question about it
    attribute, found = better_attribute([TAALHUIS], "leren ze hem daar ook digid?", "talen", 0.6)
    assert attribute == "aanbod" and found == ["digid"]
