"""Partner suggestion with the real USE model: quality threshold, safety first, wijk, nothing fits, output."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from bot.kaart.format import TERUGKOPPELING, format_card
from bot.suggestion.evaluation import load_situations, score
from bot.suggestion.format import format_suggestions
from bot.suggestion.service import PartnerService
from tests.kaart.conftest import EXAMPLE, OTHER, THIRD

HERE = Path(__file__).resolve().parent
GOLD = yaml.safe_load((HERE / "gold.yaml").read_text(encoding="utf-8"))


KAARTEN = [("voorbeeld", EXAMPLE), ("andere_gemeente", OTHER), ("derde_gemeente", THIRD)]
# (file, min top-3, min top-1, min safety-first rate). Measured values are a few points higher; the margin keeps
# the test stable. situaties_blind2.yaml was measured blind (see bench/suggest.py); its bar only guards regressions.
# Issue #7 replaced the hand-tuned rules (0.99 on the sets they were tuned on) by learned models that never saw
# these sets; the bars are the learned model's measured figures (lowest kaart) minus a small margin.
# Safety here = a safety line (acute OR zorg) with a safety partner first: these older sets call 'acute' what the
# corpus guidance (knowledge/situaties) often calls 'zorg'.
THRESHOLDS = [
    # round 4: 8/9 safety cases first; 'wordt door haar ex bedreigd met een mes' now reads as acute violence and
    # gets the police (alarm-112) first and Veilig Thuis second, while this set's key lists only Veilig Thuis
    ("situations.yaml", 0.82, 0.65, 0.88),
    ("situations_holdout.yaml", 0.87, 0.7, 1.0),
    ("situations_holdout2.yaml", 0.8, 0.58, 0.74),
    ("situaties_blind.yaml", 0.87, 0.68, 0.79),
    # round 10: the key memory of the learned order (bot/suggestion/rank_memory.py) moved one of 19 first places
    # on voorbeeld and andere_gemeente (top-1 15/19 -> 14/19 = 0.737; top-3 0.895 -> 0.921 on voorbeeld)
    ("situaties_blind2.yaml", 0.89, 0.73, 1.0),
]


@pytest.mark.parametrize(("name", "path"), KAARTEN)
@pytest.mark.parametrize(("file_name", "top3", "top1", "safety"), THRESHOLDS)
def test_labelled_situations_meet_threshold(real_service: PartnerService, name: str, path: Path, file_name: str,
                                            top3: float, top1: float, safety: float) -> None:  # fmt: skip
    situations = load_situations(HERE / file_name)

    def rank(sit):  # type: ignore[no-untyped-def]
        result = real_service.suggest(sit.text, wijk=sit.wijk, kaart_path=path)
        return [s.service.id for s in result.suggestions], result.safety

    scores = score(situations, GOLD[name], rank)
    assert scores.recall >= top3, scores.misses
    assert scores.top1 >= top1, scores.misses
    assert scores.safety_rate >= safety, scores.misses
    assert scores.nothing_ok >= scores.nothing_cases - 1


def test_blind_sets_are_big_enough() -> None:
    blind = load_situations(HERE / "situaties_blind.yaml")
    assert len(blind) >= 40 and sum(1 for s in blind if s.safety) >= 10
    assert len(load_situations(HERE / "situaties_blind2.yaml")) >= 20


@pytest.mark.parametrize(("situation", "first"), [
    ("ze zegt dat ze er een eind aan wil maken", "vh-113"),  # 113 row has no themes at all
    ("hij is gestopt met zijn medicatie en hoort stemmen", "vh-acuut-psy"),
    ("de buurvrouw wordt door haar man geslagen", "vh-veiligthuis"),
])  # fmt: skip
def test_safety_first_on_an_unseen_kaart(real_service: PartnerService, situation: str, first: str) -> None:
    """A safety line (acute or zorg, as the learned model reads it) and the fitting partner first; violence
    read as happening now puts the police first and the partner that follows up second."""
    result = real_service.suggest(situation, kaart_path=THIRD)
    assert result.safety is not None
    assert set(first.split("|")) & {s.service.id for s in result.suggestions[:2]}


def test_safety_message_without_crisis_services(real_service: PartnerService, tmp_path: Path) -> None:
    rows = EXAMPLE.read_text(encoding="utf-8").splitlines()
    keep = [rows[0]] + [r for r in rows[1:] if r.startswith(("schuldhulp,", "taalhuis,", "wmo-loket,"))]
    small = tmp_path / "klein.csv"
    small.write_text("\n".join(keep) + "\n", encoding="utf-8")
    for text, line, other in (
        ("Hij wil niet meer leven en heeft een plan.", "0800-0113", "0800-2000"),
        ("Het kind heeft blauwe plekken en is bang voor vader.", "0800-2000", "0800-0113"),
    ):
        result = real_service.suggest(text, kaart_path=small)
        assert result.safety is not None
        message = result.safety.message
        assert "112" in message and line in message  # the national line that fits, with its real number
        assert other not in message  # and not a line for another kind of danger


@pytest.mark.parametrize(("situation", "first"), [
    ("Ze heeft pillen gespaard en wil er een eind aan maken.", "zelfmoordpreventie|alarm-112"),  # 112 fits (r8)
    ("Het kind heeft blauwe plekken en is schrikachtig.", "veilig-thuis"),
    ("Hij hoort stemmen en is gestopt met zijn medicatie.", "ggz-crisis"),
    ("Haar partner slaat haar, de deurwaarder komt morgen en ze drinkt te veel.", "veilig-thuis"),
])  # fmt: skip
def test_safety_comes_first(real_service: PartnerService, situation: str, first: str) -> None:
    result = real_service.suggest(situation)
    assert result.safety is not None  # acute or zorg: both put the safety partner first
    assert "112" in result.safety.message
    assert set(first.split("|")) & {s.service.id for s in result.suggestions[:2]}
    assert result.suggestions[0].service.crisis
    text = format_suggestions(result)
    assert text.startswith(("LET OP: Bij direct gevaar: bel 112.", "Zorgsignaal: "))


def test_veilig_thuis_gets_meldcode(real_service: PartnerService) -> None:
    result = real_service.suggest("De buurvrouw wordt door haar man mishandeld.")
    vt = result.suggestions[0]
    assert vt.service.id == "veilig-thuis" and "Meldcode" in vt.meldcode and "5." in vt.meldcode
    assert vt.meldcode in format_suggestions(result)


def test_one_partner_per_levensgebied_best_first(real_service: PartnerService) -> None:
    result = real_service.suggest(
        "Moeder van drie, post blijft liggen, deurwaarder aan de deur, kinderen spijbelen"
    )
    domains = [s.domain for s in result.suggestions]
    # round 8 (Constants.slot_decay): places follow P(levensgebied), so a sure levensgebied may get the second
    # place too, but a second likely one still gets a place among the three
    assert len(domains) == 3 and len(set(domains)) >= 2
    assert domains[0] == "financien" and "opvoeden_jeugd" in domains
    assert "Financiën" in result.suggestions[0].reason
    assert result.advice.chapter == 6  # several partners: who has the regie
    more = real_service.suggest("deurwaarder en spijbelen", top=5)
    assert len(more.suggestions) == 5 and len({s.service.id for s in more.suggestions}) == 5


def test_wijk_filter_excludes_other_wijken_and_prefers_own(real_service: PartnerService) -> None:
    noord = real_service.suggest("Hij is eenzaam en zoekt contact met buurtbewoners.", wijk="Noord", top=4)
    ids = [s.service.id for s in noord.suggestions]
    assert "buurthuis-noord" in ids and "buurthuis-oost" not in ids
    oost = real_service.suggest("Hij is eenzaam en zoekt contact met buurtbewoners.", wijk="Oost", top=4)
    assert "buurthuis-oost" in [s.service.id for s in oost.suggestions]
    for result, wijk in ((noord, "Noord"), (oost, "Oost")):
        assert all(s.service.serves(wijk) for s in result.suggestions)
    everywhere = real_service.suggest("Hij is eenzaam en zoekt contact met buurtbewoners.", top=6)
    assert {"buurthuis-noord", "buurthuis-oost"} & {s.service.id for s in everywhere.suggestions}


def test_nothing_fits_points_to_general_entries(real_service: PartnerService) -> None:
    result = real_service.suggest("Wat is een lekker recept voor appeltaart?", wijk="Oost")
    assert result.nothing_fits and not result.suggestions
    ids = [s.id for s in result.general]
    assert "wt-oost" in ids and "wmo-loket" in ids and "wt-noord" not in ids
    text = format_suggestions(result)
    assert "geen partner" in text and "Wijkteam Oost" in text and "Wmo-loket" in text
    assert text.rstrip().endswith(TERUGKOPPELING)


def test_json_schema_and_advice_citation(real_service: PartnerService) -> None:
    result = real_service.suggest("Hij drinkt elke dag te veel alcohol.")
    data = result.to_json()
    assert set(data) == {"safety", "suggestions", "advice"} and data["safety"] is None
    assert set(data["suggestions"][0]) == {"id", "organization", "name", "domain", "reason", "contact_name",
                                           "phone", "email", "application_process"}  # fmt: skip
    assert set(data["advice"]) == {"text", "chapter", "page"}
    assert isinstance(data["advice"]["chapter"], int) and isinstance(data["advice"]["page"], int)
    assert data["suggestions"][0]["id"] == "verslavingszorg"
    citation = result.advice.citation()
    assert citation.startswith(f"Vraag {result.advice.chapter} · ")
    assert citation.endswith("Samenwerken in de wijk (Movisie/IWW, 2016)")


def test_card_warns_when_not_verified_for_a_year(real_service: PartnerService) -> None:
    service = real_service.get("logeerhuis")
    assert service is not None
    card = format_card(service, today=date(2026, 6, 1))
    assert "ouder dan een jaar" in card and "Eigen bijdrage Wmo" in card and "Wmo" in card
    fresh = real_service.get("wt-noord")
    assert fresh is not None and "ouder dan een jaar" not in format_card(fresh, today=date(2026, 6, 1))


def test_search_is_typo_tolerant(real_service: PartnerService) -> None:
    for query in ("schuldhulp", "schuldhlp", "Schuldhulpverlening", "schuldhulpverlning"):
        assert real_service.search(query)[0].id == "schuldhulp", query
    assert real_service.search("mantelzrg")[0].id == "mantelzorg"
    assert all(s.serves("Noord") for s in real_service.search("buurthuis", wijk="Noord"))
    assert real_service.search("buurthuis", wijk="Noord")[0].id == "buurthuis-noord"


def test_alternatives_and_kennismaken(real_service: PartnerService) -> None:
    alternatives = real_service.alternatives("schuldhulp")
    assert alternatives and all(a.domain == "financien" for a in alternatives)
    assert "schuldhulp" not in [a.service.id for a in alternatives]
    meet = real_service.kennismaken(wijk="Oost", limit=8)
    assert len(meet) == 8 and meet[0].in_wijk("Oost")
    assert all(s.serves("Oost") for s in meet) and "zelfmoordpreventie" not in [s.id for s in meet]
