"""Age groups read from short notes ("baby 3 mnd", "jongen 16", "mw. 81") and served by a service."""

from __future__ import annotations

import pytest

from bot.suggestion.audience import groups_in, groups_served


@pytest.mark.parametrize(
    ("text", "group"),
    [
        ("baby 3 mnd huilt de hele nacht", "baby"),
        ("jongen 16 spijbelt", "jongere"),
        ("mw 81 valt vaak", "oudere"),
        ("mw. 81 valt vaak", "oudere"),
        ("dhr (72) is eenzaam", "oudere"),
        ("mevrouw, 45, heeft schulden", "volwassene"),
    ],
)
def test_age_after_a_person_word(text: str, group: str) -> None:
    assert group in groups_in(text)


def test_counts_and_times_are_no_age() -> None:
    assert "kind" not in groups_in("mw, 3 keer gevallen deze maand")
    assert groups_in("vader van 2 zonen zoekt werk") == frozenset()


def test_service_groups() -> None:
    assert groups_served(("ouderen", "mantelzorgers"), "Ouderenadvies") == {"oudere"}
    assert groups_served(("inwoners",), "Wmo-loket") == frozenset()


def test_a_service_for_all_residents_serves_every_age_group() -> None:
    assert groups_served(("inwoners", "gezinnen", "professionals"), "Sociaal Team Duinoord") == frozenset()
    assert groups_served(("gezinnen", "professionals"), "Gezinsteam") == {"kind"}
