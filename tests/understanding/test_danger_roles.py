"""The danger-type head's own features (bot/understanding/danger.py): person words read as roles. Texts written
for this test."""

from __future__ import annotations

import pytest

from bot.understanding.danger import role_ngrams, role_sequence


@pytest.mark.parametrize(
    ("text", "roles"),
    [
        ("vader slaat moeder, kinderen kijken toe", ["r_parent", "r_parent", "r_child"]),
        ("zoon van 28 duwde zijn vader", ["r_adult", "r_parent"]),
        ("jongen 7 heeft striemen op zijn rug", ["r_child"]),
        ("19-jarige zoon dreigt", ["r_adult"]),
        ("mw 81 wordt door haar dochter opgesloten", ["r_elder", "r_offspring"]),
        ("moeder van 3 hoort stemmen, baby 4 mnd in huis", ["r_parent", "r_baby"]),
        ("meisje (15) en haar vriendje", ["r_teen", "r_partner"]),
    ],
)
def test_person_words_become_roles(text: str, roles: list[str]) -> None:
    assert [t for t in role_sequence(text) if t.startswith("r_")] == roles


def test_role_ngrams_say_who_does_what_to_whom() -> None:
    grams = set(role_ngrams("papa slaat mama en de kinderen huilen boven"))
    assert {"r_parent slaat", "slaat r_parent", "r_parent>r_parent", "r_child huilen"} <= grams
    assert "slaat r_child" not in grams


@pytest.mark.parametrize(
    ("text", "roles"),
    [
        ("zoon van 19 jaar slaat zijn moeder", ["r_adult", "r_parent"]),
        ("de 7-jarige dochter en haar vader", ["r_child", "r_parent"]),
        ("17 jaar oude zoon", ["r_teen"]),
        ("ex (35) staat voor de deur", ["r_adult"]),
        ("stiefvader van 2 kinderen dreigt", ["r_parent", "r_child"]),
        ("zoontje 5 weken huilt, vader drinkt", ["r_baby", "r_parent"]),
    ],
)
def test_roles_take_their_age_from_the_one_age_reader(text: str, roles: list[str]) -> None:
    assert [t for t in role_sequence(text) if t.startswith("r_")] == roles
    assert not any(t.isdigit() or t in {"jarige", "jaar"} for t in role_sequence(text))


def test_every_role_word_can_carry_a_stated_age() -> None:
    """One list of person words for ages: a role word the age reader does not know would lose its age."""
    from bot.understanding.ages import PERSON_WORDS
    from bot.understanding.danger import _ROLE

    assert set(_ROLE) - PERSON_WORDS <= {"pa", "ma", "kraam", "mantelzorger", "mantelzorgers", "verzorger",
                                         "thuiszorg", "baby's"}  # fmt: skip
