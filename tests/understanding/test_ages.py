"""Ages named in a situation (bot/understanding/ages.py): the features behind 'an adult cannot be child abuse'.
Texts written for this test."""

from __future__ import annotations

import pytest

from bot.suggestion.audience import groups_in
from bot.understanding import ages as ages_module
from bot.understanding.ages import COLUMNS, read_ages, without_child_danger


@pytest.mark.parametrize(
    "text",
    [
        "jongen van 19 zit de hele dag op zijn kamer",
        "dochter (22) drinkt veel",
        "19-jarige zoon woont nog thuis",
        "mevrouw 34 heeft al 6 maanden huurachterstand",
        "man van 45 en zijn vrouw van 43",
    ],
)
def test_only_adults(text: str) -> None:
    ages = read_ages(text)
    assert ages.adult_only and not ages.minor, ages


@pytest.mark.parametrize(
    "text",
    [
        "het kind heeft blauwe plekken",
        "meisje van 17 spijbelt",
        "baby 3 mnd huilt veel",
        "dhr 52 met 3 kinderen",
        "mevrouw van 30 is zwanger",
        "jongen van 19 en zijn broertje",
    ],
)
def test_a_minor_is_named(text: str) -> None:
    ages = read_ages(text)
    assert ages.minor and not ages.adult_only, ages


@pytest.mark.parametrize(
    "text", ["man van 45 en zijn zoon", "mevrouw 79 en haar dochter", "het meisje blowt"]
)
def test_a_person_without_age_may_be_a_minor(text: str) -> None:
    assert not read_ages(text).adult_only


def test_baby_and_elder() -> None:
    assert read_ages("zoontje van 5 weken").baby
    assert read_ages("oma van 84 woont alleen").elder
    assert not read_ages("man van 45").elder
    assert read_ages("jongen van 19").row().tolist() == [0.0, 0.0, 1.0, 1.0, 0.0]
    assert len(read_ages("x").row()) == len(COLUMNS)


def test_without_child_danger_moves_that_share_of_risk_to_none() -> None:
    levels = {"acuut": 0.1, "zorg": 0.2, "geen": 0.7}
    dangers = {"kindermishandeling": 0.5, "psychose": 0.3, "suicide": 0.2}
    kept, rest = without_child_danger(levels, dangers)
    assert kept["acuut"] == pytest.approx(0.05) and kept["zorg"] == pytest.approx(0.1)
    assert sum(kept.values()) == pytest.approx(1.0)
    assert rest["kindermishandeling"] == 0.0 and rest["psychose"] == pytest.approx(0.6)


@pytest.mark.parametrize(
    ("text", "age", "group"),
    [
        ("mw. 81 valt vaak", 81, "oudere"),
        ("dhr 67 is eenzaam", 67, "oudere"),
        ("jongen 16 spijbelt", 16, "jongere"),
        ("baby 3 mnd huilt veel", 0, "baby"),
        ("zoon van 19 blowt", 19, "jongere"),
        ("kindje (4) heeft blauwe plekken", 4, "kind"),
        ("45-jarige man dreigt", 45, "volwassene"),
        ("mevrouw, 45, heeft schulden", 45, "volwassene"),
    ],
)
def test_phone_shorthand_ages_and_groups(text: str, age: int, group: str) -> None:
    """One reader for the safety head and the ranking: the stated age and the age group it makes."""
    ages = read_ages(text)
    assert age in ages.stated and group in ages.groups, ages
    assert groups_in(text) == ages.groups


@pytest.mark.parametrize(
    "text", ["moeder van 3 heeft schulden", "vader van 2 zonen zoekt werk", "mw, 3 keer gevallen deze maand",
             "mevrouw 34 heeft al 6 maanden huurachterstand", "6 jaar geleden verhuisd"],
)  # fmt: skip
def test_counts_and_durations_are_no_age(text: str) -> None:
    ages = read_ages(text)
    assert not [a for a in ages.stated if a < 18] and "baby" not in ages.groups, ages


def test_a_text_is_read_once(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    original = ages_module._read
    monkeypatch.setattr(ages_module, "_read", lambda text: calls.append(text) or original(text))
    read_ages.cache_clear()  # the memo (functools.lru_cache) may hold the text from another test
    text = "oma (84) valt vaak, kleinzoon van 19 woont bij haar"
    first = read_ages(text)
    assert read_ages(text) is first and groups_in(text) == first.groups and calls == [text]
    assert first.elder and first.adult_only and {"oudere", "jongere"} <= first.groups
