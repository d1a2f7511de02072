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
