"""Injury columns (bot/understanding/injuries.py): named with or without an explanation, for a minor or not.
Texts written for this test."""

from __future__ import annotations

import pytest

from bot.understanding.injuries import COLUMNS, injury_row


@pytest.mark.parametrize(
    ("text", "column"),
    [
        ("het kind heeft blauwe plekken en is schrikachtig", "injury:minor_unexplained"),
        ("baby 4 mnd blauwe plek op de wang, moeder weet niet hoe", "injury:minor_unexplained"),
        (
            "zoon 7 blauwe plek op zijn knie van het voetballen, moeder vertelt het zelf",
            "injury:minor_explained",
        ),
        ("dochter (11) heeft blauwe plekken van judo", "injury:minor_explained"),
        ("mw 40 heeft een blauw oog en wil niet zeggen hoe", "injury:other_unexplained"),
        ("dhr 70 is gevallen en heeft een kneuzing aan zijn heup", "injury:other_explained"),
    ],
)
def test_injury_column(text: str, column: str) -> None:
    row = injury_row(text)
    assert row.sum() == 1.0 and row[COLUMNS.index(column)] == 1.0


def test_no_injury_no_column() -> None:
    assert injury_row("de buurvrouw wordt door haar man mishandeld").sum() == 0.0
