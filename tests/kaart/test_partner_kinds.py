"""Safety partner kinds on a kaart with unusual names (tests/kaart/vreemde_namen.csv, fictional, written for this
test): found by name, by a national number in the phone field, or by the description of a crisis row; and the
fitting kind first for acute situations, with a fallback when the kaart lacks the first choice."""

from __future__ import annotations

import csv
from dataclasses import replace
from pathlib import Path

import pytest

from bot.kaart.model import FIELDS
from bot.kaart.validation import parse_file
from bot.suggestion.service import PartnerService

HERE = Path(__file__).resolve().parent
ODD = HERE / "vreemde_namen.csv"
EXPECTED = {"vn-spoed": {"politie"}, "vn-thuisveilig": {"veilig_thuis"}, "vn-levenslijn": {"lijn_113"},
            "vn-nachtteam": {"crisisdienst"}, "vn-dokterswacht": {"huisartsenpost"},
            "vn-schuilhuis": {"vrouwenopvang"}}  # fmt: skip


def test_kinds_on_unusual_names(use_understander) -> None:  # type: ignore[no-untyped-def]
    safety = use_understander.safety
    found = {s.id: safety.kinds_of_service(s) for s in parse_file(ODD).services}
    assert {k: v for k, v in found.items() if v} == EXPECTED  # the voedselbank with 'noodhulp' is not police


def test_phone_field_and_description_decide_only_where_they_should(use_understander) -> None:  # type: ignore[no-untyped-def]
    safety = use_understander.safety
    services = {s.id: s for s in parse_file(ODD).services}
    plain = replace(services["vn-geldplein"], name="Loket", organization="Gemeente", themes=())
    assert safety.kinds_of_service(replace(plain, phone="0900-8844")) == {"politie"}
    assert safety.kinds_of_service(replace(plain, phone="113 / 0800-0113")) == {"lijn_113"}
    assert safety.kinds_of_service(replace(plain, phone="0800-2000")) == {"veilig_thuis"}
    # a crisis row without a telling name is known by its description (learned from knowledge/diensten)
    team = replace(plain, name="Team Acuut", organization="GGZ Oostmark", crisis=True,
                   description="Dag en nacht beoordeling bij een psychische crisis, psychose of ernstige "
                   "verwardheid, thuis of op het politiebureau.")  # fmt: skip
    assert safety.kinds_of_service(team) == {"crisisdienst"}
    shelter = replace(plain, name="Huis Zonder Naam", organization="Stichting Onderdak", crisis=True,
                      description="Geheime opvangplek voor vrouwen en kinderen die thuis mishandeld of bedreigd "
                      "worden. Plaatsing dag en nacht.")  # fmt: skip
    assert safety.kinds_of_service(shelter) == {"vrouwenopvang"}
    # look-alikes: 'crisisinterventie' at the schuldhulp, a night shelter
    debt = replace(
        plain,
        name="Schuldhulp",
        crisis=True,
        description="Crisisinterventie bij dreigende huisuitzetting of afsluiting van energie.",
    )
    assert safety.kinds_of_service(debt) == set()
    night = replace(
        plain, name="Nachtopvang De Haven", description="Een bed voor de nacht voor dak- en thuislozen."
    )
    assert safety.kinds_of_service(night) == set()


ACUTE = [
    ("hij slaat haar nu, ik hoor haar gillen door de muur", {"vn-spoed"}),
    # a plan for tonight: 113 or the crisis service (the blind writers of round 9 call the crisis service first)
    ("mw zegt aan de telefoon dat ze vanavond een einde aan haar leven gaat maken", {"vn-levenslijn", "vn-nachtteam"}),
    ("dhr 40 is totaal verward, hoort stemmen en denkt dat de buren hem vergiftigen, loopt op straat met een mes",
     {"vn-nachtteam", "vn-spoed"}),
]  # fmt: skip


@pytest.mark.parametrize(("text", "first"), ACUTE)
def test_acute_puts_fitting_partner_first(real_service: PartnerService, text: str, first: set[str]) -> None:
    result = real_service.suggest(text, kaart_path=ODD)
    assert result.safety is not None and result.safety.level == "acute"
    assert result.suggestions[0].service.id in first


def test_fallback_when_the_kaart_lacks_the_first_choice(real_service: PartnerService, tmp_path: Path) -> None:
    without = tmp_path / "zonder_113.csv"
    with ODD.open(encoding="utf-8") as src, without.open("w", encoding="utf-8", newline="") as dst:
        writer = csv.DictWriter(dst, fieldnames=list(FIELDS))
        writer.writeheader()
        writer.writerows(r for r in csv.DictReader(src) if r["id"] not in {"vn-levenslijn", "vn-nachtteam"})
    result = real_service.suggest(
        "mw zegt aan de telefoon dat ze vanavond een einde aan haar leven gaat maken", kaart_path=without
    )
    assert result.suggestions[0].service.id == "vn-dokterswacht"  # no 113, no crisisdienst: huisartsenpost
    assert "113" in result.safety.message  # type: ignore[union-attr]
