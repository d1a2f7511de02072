"""Acute cases of every danger type put the partner that fits THAT danger first, on a second self-written kaart
(tests/kaart/heuvelrand_veiligheid.csv: fictional, national numbers real, every safety kind present, also a day-time
huisarts, verslavingszorg and jongerenwerk as look-alike partners). Round 5: the acute misses were mostly the wrong
danger type (postpartum psychosis read as child danger, violence with a knife read as suicide). Texts written for
this test; none is copied from a dev or held-out set.

Fitting: violence now -> police; suicide -> 113 / crisisdienst / huisartsenpost; child danger -> Veilig Thuis /
police; psychosis -> crisisdienst / huisartsenpost; elder abuse -> Veilig Thuis."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.suggestion.service import PartnerService

KAART = Path(__file__).resolve().parent / "heuvelrand_veiligheid.csv"
# suicide: 112 (the police row with 112) fits first too when the danger is now (lead, round 8)
VIOLENCE, SUICIDE, CHILD = (
    {"hr-politie"},
    {"hr-113", "hr-ggz-spoed", "hr-hap", "hr-politie"},
    {"hr-vt", "hr-politie"},
)
PSYCHOSIS, ELDER = {"hr-ggz-spoed", "hr-hap"}, {"hr-vt"}
SAFETY = {"hr-politie", "hr-vt", "hr-113", "hr-ggz-spoed", "hr-hap", "hr-opvang"}

ACUTE = [
    ("buurvrouw belt: haar man staat met een mes in de keuken en zegt dat hij haar gaat afmaken", "huiselijk_geweld",
     VIOLENCE),
    ("ik hoor op dit moment geschreeuw en klappen bij de buren, de vrouw roept om hulp", "huiselijk_geweld", VIOLENCE),
    ("mw 41 heeft een afscheidsbrief geschreven en zegt dat ze vanavond van het balkon springt", "suicide", SUICIDE),
    pytest.param("dhr heeft een touw op zolder opgehangen en zegt dat het leven geen zin meer heeft", "suicide",
                 SUICIDE, marks=pytest.mark.xfail(reason="known miss (round 5): read as zorg/suicide, not acute")),
    ("jongen van 7 heeft verse brandwonden op zijn armen, zegt dat papa het deed en durft niet naar huis",
     "kindermishandeling", CHILD),
    ("peuter van 2 loopt om 23 uur alleen in pyjama op straat, moeder ligt dronken op de bank", "kindermishandeling",
     CHILD),
    ("kraamvrouw, 5 dagen na de bevalling, slaapt niet meer, is heel verward en zegt dat de baby bezeten is",
     "psychose", PSYCHOSIS),
    ("dhr 30 is gestopt met zijn medicatie, denkt dat de tv hem bespioneert en heeft al drie nachten niet geslapen",
     "psychose", PSYCHOSIS),
]  # fmt: skip

ORDINARY = [
    "jongen van 20 ligt tot de middag in bed en blowt veel, zijn moeder weet niet wat ze moet doen",
    "dochter van 23 woont weer thuis, heeft geen werk en zit de hele dag te gamen",
    "mw 31 net bevallen van haar tweede, borstvoeding lukt niet goed en ze is erg moe",
    "dhr 58 heeft een mes nodig voor zijn werk in de keuken van het restaurant maar kan niet goed lezen",
    "student van 19 heeft een studieschuld en weet niet hoe hij zijn toeslagen moet aanvragen",
]


@pytest.mark.parametrize(("text", "danger", "first"), ACUTE)
def test_acute_gets_the_partner_of_its_danger_type_first(
    real_service: PartnerService, text: str, danger: str, first: set[str]
) -> None:
    result = real_service.suggest(text, kaart_path=KAART)
    assert result.safety is not None and result.safety.level == "acute"
    assert result.safety.danger == danger
    assert result.suggestions[0].service.id in first, [s.service.id for s in result.suggestions[:3]]


def test_elder_abuse_gets_veilig_thuis_first(real_service: PartnerService) -> None:
    result = real_service.suggest(
        "mw 86 met dementie wordt door haar zoon in haar kamer opgesloten en hij neemt al haar pensioen af",
        kaart_path=KAART,
    )
    assert result.safety is not None and result.safety.danger == "ouderenmishandeling"
    assert result.suggestions[0].service.id in ELDER


@pytest.mark.parametrize("text", ORDINARY)
def test_young_adult_and_postpartum_lookalikes_get_no_safety_partner(
    real_service: PartnerService, text: str
) -> None:
    result = real_service.suggest(text, kaart_path=KAART)
    assert result.safety is None, (result.safety.level, result.safety.danger) if result.safety else None
    assert result.suggestions and not SAFETY & {s.service.id for s in result.suggestions[:1]}


# Round 18 (order_kinds' emergency and present rules): violence going on now gets 112 first also when children are
# there (the learned choice preferred Veilig Thuis), and a bodily emergency going on now gets 112 first whatever the
# danger type (an older man found bleeding was read as elder abuse with the huisartsenpost first). Written for this
# test; not copied from a dev or held-out set.
NOW_112 = [
    "buurvrouw belt: haar man heeft haar zojuist tegen de grond geslagen terwijl de kinderen toekeken, hij is nog "
    "binnen en roept dat hij het nog een keer doet",
    pytest.param(
        "op huisbezoek: vader gooit net met stoelen en heeft moeder een klap gegeven, de twee kleintjes "
        "staan te huilen in de gang",
        marks=pytest.mark.xfail(
            reason="known miss (round 18): read as kindermishandeling (0.54, huiselijk geweld 0.27), whose first "
            "kind is Veilig Thuis. Round 19: constants.first_present_share would fix it (CV 829 -> 876 of 1388) but "
            "breaks the striemen guard; off"
        ),
    ),
    # written in round 19 for this test
    "ik sta bij de voordeur, ik hoor de vriend van mw binnen schreeuwen en iets kapot gooien, haar peuter huilt",
]
EMERGENCY_112 = [
    "mw 83 alleen thuis, ik vind haar onder aan de trap, ze bloedt aan haar hoofd en reageert bijna niet",
    "dhr 77 ligt sinds vannacht op de keukenvloer, is koud en suf, en zegt dat zijn zoon hem heeft laten vallen",
]


@pytest.mark.parametrize("text", NOW_112)
def test_violence_now_with_children_there_gets_112_first(real_service: PartnerService, text: str) -> None:
    result = real_service.suggest(text, kaart_path=KAART)
    assert result.safety is not None and result.safety.level == "acute"
    assert result.safety.danger == "huiselijk_geweld", result.safety.danger
    assert result.suggestions[0].service.id in VIOLENCE, [s.service.id for s in result.suggestions[:3]]


@pytest.mark.parametrize("text", EMERGENCY_112)
def test_a_bodily_emergency_now_gets_112_first(real_service: PartnerService, text: str) -> None:
    result = real_service.suggest(text, kaart_path=KAART)
    assert result.safety is not None and result.safety.level == "acute"
    assert result.suggestions[0].service.id == "hr-politie", [s.service.id for s in result.suggestions[:3]]
