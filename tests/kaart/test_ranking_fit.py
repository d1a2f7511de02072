"""Ranking inside a levensgebied by signal profile, and the safety partner kind by expected fit (round 2).

Situations are new examples written for these tests, not taken from any evaluation set."""

from __future__ import annotations

import numpy as np

from bot.suggestion.service import PartnerService
from bot.understanding.model import Understanding
from tests.kaart.conftest import EXAMPLE


def _ids(service: PartnerService, text: str) -> list[str]:
    return [s.service.id for s in service.suggest(text, kaart_path=EXAMPLE).suggestions]


def test_lonely_widower_gets_contact_not_respite_care(real_service: PartnerService) -> None:
    ids = _ids(real_service, "man van 70 woont alleen sinds zijn vrouw overleed, ziet bijna niemand meer")
    assert ids[0] in {"maatjes", "ouderenadvies", "buurthuis-noord", "buurthuis-oost", "inloophuis"}
    assert "logeerhuis" not in ids[:1]


def test_panic_after_robbery_gets_basic_mental_health_not_crisis(real_service: PartnerService) -> None:
    result = real_service.suggest("mw 34 heeft paniekaanvallen sinds ze op straat is beroofd, durft niet meer naar "
                                  "buiten", kaart_path=EXAMPLE)  # fmt: skip
    ids = [s.service.id for s in result.suggestions]
    assert ids[0] in {"ggz-basis", "gc-noord"}
    assert "ggz-crisis" not in ids and result.safety is None


def _reading(level: str, dangers: dict[str, float], *, forced: str = "") -> Understanding:
    top = max(dangers, key=lambda d: dangers[d])
    return Understanding(("geestelijke_gezondheid",), {}, level, top, {}, dangers, forced, None)


def test_unsure_danger_type_prefers_a_kind_that_fits_both(real_service: PartnerService) -> None:
    ranker = real_service._loaded_for(EXAMPLE).ranker  # noqa: SLF001
    allowed = np.ones(len(ranker.services), dtype=bool)
    # psychosis or suicide: the crisisdienst fits both, 113 only one
    assert (
        ranker._kind_order(_reading("acuut", {"suicide": 0.55, "psychose": 0.45}), allowed)[0]
        == "crisisdienst"
    )  # noqa: SLF001
    # a sure suicide case keeps 113 first; a forced phrase weighs its type in (round 4: next to the model)
    assert ranker._kind_order(_reading("acuut", {"suicide": 0.9, "psychose": 0.1}), allowed)[0] == "lijn_113"  # noqa: SLF001
    forced = _reading("acuut", {"huiselijk_geweld": 0.6, "suicide": 0.4}, forced="slaat haar nu")
    assert ranker._kind_order(forced, allowed)[0] == "politie"  # noqa: SLF001


def test_a_sure_levensgebied_gets_more_places_than_a_barely_likely_one(real_service: PartnerService) -> None:
    ranker = real_service._loaded_for(EXAMPLE).ranker  # noqa: SLF001
    domains = ("financien", "huisvesting", "werk_opleiding")
    sure = ranker._slots(domains, {"financien": 0.96, "huisvesting": 0.07, "werk_opleiding": 0.06})  # noqa: SLF001
    assert sure[:3] == [(0, "financien"), (1, "financien"), (2, "financien")]
    assert sure[3] == (0, "huisvesting")
    # three levensgebieden that are all likely: one partner each first, as before
    even = ranker._slots(domains, {"financien": 0.9, "huisvesting": 0.8, "werk_opleiding": 0.7})  # noqa: SLF001
    assert even[:3] == [(0, "financien"), (0, "huisvesting"), (0, "werk_opleiding")]
