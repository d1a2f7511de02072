"""Service areas that name the whole municipality ('landelijk', the town itself) are no wijk limit."""

from __future__ import annotations

from bot.kaart.model import Kaart, Service


def _service(areas: tuple[str, ...], city: str = "Zuiderhaven") -> Service:
    return Service(id="x", organization="o", name="n", description="d", service_areas=areas, city=city)


def test_town_and_national_areas_serve_every_wijk() -> None:
    assert _service(("Zuiderhaven",)).serves("Kanaalzone")
    assert _service(("landelijk",)).serves("Kanaalzone")
    assert _service(()).serves("Kanaalzone")
    assert not _service(("De Akkers",)).serves("Kanaalzone")
    assert _service(("De Akkers", "Kanaalzone")).serves("kanaalzone")


def test_whole_town_is_not_listed_as_a_wijk() -> None:
    kaart = Kaart(
        services=(_service(("Zuiderhaven",)), _service(("landelijk",)), _service(("De Akkers",))),
        source="test",
    )
    assert kaart.wijken() == ["De Akkers"]


def test_whole_town_written_in_words_is_no_wijk_limit() -> None:
    from bot.kaart.model import whole_area

    for area in ("alle", "Heel Heidebeek", "hele  gemeente Vechtoever", "regio Noord-Veluwe", "Landelijk"):
        assert whole_area(area), area
    for area in ("Beekdal", "Oud-Heidebeek", "Heelsum", "Regiopark"):
        assert not whole_area(area), area
