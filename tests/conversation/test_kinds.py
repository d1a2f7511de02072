"""Partner look-up by kind and by name uses the kaart's own words (two kaarten with different names)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from bot.config import PROJECT_ROOT
from bot.conversation.kinds import KindIndex
from bot.conversation.lookup import NameIndex
from bot.conversation.understanding import Understanding
from bot.kaart.model import Service
from bot.kaart.validation import parse_file

RIVIERDAL = Path(__file__).parent / "kaart_rivierdal.csv"
EXAMPLE = PROJECT_ROOT / "knowledge" / "sociale_kaart" / "voorbeeld.csv"
# levensgebieden as PartnerService would predict them (the CSV leaves them empty)
DOMAINS = {
    "rd-geldzorg": ("financien",), "rd-werkinkomen": ("werk_opleiding", "financien"),
    "rd-voedsel": ("financien",), "rd-thuisverpleging": ("lichamelijke_gezondheid",),
    "rd-psycholoog": ("geestelijke_gezondheid",), "rd-huisarts": ("lichamelijke_gezondheid",),
}  # fmt: skip


def _services(path: Path) -> list[Service]:
    parsed = parse_file(path)
    assert parsed.report.ok
    return [replace(s, levensgebieden=DOMAINS.get(s.id, s.levensgebieden)) for s in parsed.services]


@pytest.fixture(scope="module")
def rivierdal() -> tuple[NameIndex, KindIndex]:
    services = _services(RIVIERDAL)
    understanding = Understanding(PROJECT_ROOT / "knowledge")
    return NameIndex.build(services), understanding.kinds("rivierdal", services)


def test_the_one_of_debts_among_shown_is_the_debt_service_not_work(rivierdal) -> None:
    _, kinds = rivierdal
    shown = ["rd-geldzorg", "rd-werkinkomen", "rd-voedsel"]
    found = kinds.best("wie is de contactpersoon bij die van de schulden?", among=shown, minimum=0.5)
    assert found is not None and found.id == "rd-geldzorg"


def test_the_one_of_debts_on_the_whole_kaart(rivierdal) -> None:
    _, kinds = rivierdal
    found = kinds.best("wie is de contactpersoon bij die van de schulden?")
    assert found is not None and found.id == "rd-geldzorg"


def test_attribute_words_alone_name_no_kind(rivierdal) -> None:
    _, kinds = rivierdal
    assert kinds.best("wat is het nummer?") is None
    assert kinds.best("wie is de contactpersoon daar?") is None


def test_home_nursing_by_name_is_not_veilig_thuis(rivierdal) -> None:
    names, _ = rivierdal
    found = names.find("wat is het nummer van de thuisverpleging?")
    assert found is not None and found.id == "rd-thuisverpleging"


def test_home_nursing_on_the_example_kaart_is_the_wijkverpleging() -> None:
    names = NameIndex.build(_services(EXAMPLE))
    found = names.find("wat is het nummer van de thuisverpleging?")
    assert found is not None and found.id == "wijkverpleging"
    veilig = names.find("nummer van veilig thuis?")
    assert veilig is not None and veilig.id == "veilig-thuis"


def test_a_named_practice_is_not_another_practice_that_shares_a_word(rivierdal) -> None:
    names, _ = rivierdal
    found = names.find("en voor die psychologenpraktijk, moet dat via de huisarts?")
    assert found is not None and found.id == "rd-psycholoog"
