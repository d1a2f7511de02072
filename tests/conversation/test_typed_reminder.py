"""A typed reminder moment ('over 5 dagen', 'over een week') while the moments are shown chooses one too."""

from __future__ import annotations

import pytest

from bot.conversation.when import parse_when
from bot.followup.clock import Preset


@pytest.mark.parametrize(
    ("text", "preset"),
    [("over 5 dagen", Preset(5, "d")), ("over een week", Preset(1, "w")), ("morgen", Preset(1, "wd")),
     ("Over 2 weken", Preset(2, "w")), ("3 werkdagen", Preset(3, "wd")), ("doe maar over drie dagen", Preset(3, "d")),
     ("volgende week", Preset(1, "w")), ("in 4 days", Preset(4, "d")), ("5d", Preset(5, "d"))],
)  # fmt: skip
def test_moments_are_read(text: str, preset: Preset) -> None:
    when = parse_when(text)
    assert when is not None and when.preset == preset


def test_no_reminder_and_no_moment() -> None:
    assert parse_when("geen herinnering") == parse_when("hoeft niet")
    assert parse_when("geen") is not None and parse_when("geen").preset is None  # type: ignore[union-attr]
    for text in ("over 100 weken", "wat is een beschikking", "nummer van de tweede", "over de huisarts", ""):
        assert parse_when(text) is None


def test_a_typed_moment_in_the_weekend_comes_on_the_working_day_before() -> None:
    from datetime import UTC, datetime

    from bot.conversation.when import at_the_latest
    from bot.followup.clock import WorkingCalendar

    calendar = WorkingCalendar()
    monday = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)
    assert at_the_latest(Preset(5, "d"), monday, calendar) == Preset(4, "wd")  # Saturday -> Friday
    assert at_the_latest(Preset(3, "d"), monday, calendar) == Preset(3, "d")  # Thursday stays
    sunday = datetime(2026, 12, 13, 10, 0, tzinfo=UTC)
    assert at_the_latest(Preset(1, "w"), sunday, calendar) == Preset(5, "wd")  # Sunday -> Friday
    assert at_the_latest(Preset(1, "wd"), sunday, calendar) == Preset(1, "wd")
