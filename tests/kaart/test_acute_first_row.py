"""Acute ordering (issue #7): violence going on now gets the row with the alarm number (112) first, not the
wijkagent of the same police kind; a kaart without a 112 row keeps the specialist order. Texts written for this
test; the kaart is the dev kaart Bergeloo (tests/data/dev_bergeloo)."""

from __future__ import annotations

from pathlib import Path

from bot.suggestion.service import PartnerService

BERGELOO = Path(__file__).resolve().parent.parent / "data" / "dev_bergeloo" / "bergeloo.csv"


def test_violence_now_gets_112_before_the_wijkagent(real_service: PartnerService) -> None:
    text = "buurvrouw belt: de vriend van mw slaat haar op dit moment met een stoel, ze gilt om hulp"
    result = real_service.suggest(text, wijk="Bergeloo-Kern", kaart_path=BERGELOO)
    assert result.safety is not None and result.safety.level == "acute"
    assert result.suggestions[0].service.id == "alarm-112"


DERDE = Path(__file__).resolve().parent / "derde_gemeente.csv"  # fictional; a wijkagent but no row with 112


def test_suicide_happening_now_gets_a_fitting_partner_first_where_the_kaart_has_112(
    real_service: PartnerService,
) -> None:
    """The learned first-kind order (knowledge/eerste_partner*.yaml): 112 or a suicide specialist, never the wijkagent."""
    text = "jongen 17 staat nu op de rand van het dak van zijn flat en appt me dat hij gaat springen"
    result = real_service.suggest(text, kaart_path=BERGELOO)
    assert result.safety is not None and result.safety.level == "acute"
    assert result.suggestions[0].service.id != "wijkagent"


def test_no_police_row_first_for_suicide_without_a_112_row(real_service: PartnerService) -> None:
    """Without a row with 112 nothing learned counts (the banner says 112): never the wijkagent first for suicide."""
    text = "jongen 17 staat nu op de rand van het dak van zijn flat en appt me dat hij gaat springen"
    result = real_service.suggest(text, kaart_path=DERDE)
    assert result.safety is not None and result.safety.level == "acute"
    assert result.suggestions[0].service.id in {"vh-113", "vh-acuut-psy", "vh-hap"}
