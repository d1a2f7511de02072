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
