"""Working-hours reminders: 09:00 Europe/Amsterdam on a working day; short test presets stay exact."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.config import Settings, SettingsError
from bot.followup.clock import Preset, PresetError, WorkingCalendar, parse_preset, parse_presets

AMS = ZoneInfo("Europe/Amsterdam")


@pytest.fixture(scope="module")
def calendar() -> WorkingCalendar:
    return WorkingCalendar()


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=AMS)  # type: ignore[misc]


def test_friday_evening_tomorrow_is_monday_morning(calendar: WorkingCalendar) -> None:
    due = calendar.due_at(parse_preset("1wd"), local(2026, 11, 27, 17, 0))  # a Friday
    assert due.astimezone(AMS) == local(2026, 11, 30, 9, 0)
    assert due.tzinfo is not None


def test_christmas_eve_tomorrow_skips_both_christmas_days(calendar: WorkingCalendar) -> None:
    due = calendar.due_at(parse_preset("1wd"), local(2024, 12, 24, 11, 30))
    assert due.astimezone(AMS) == local(2024, 12, 27, 9, 0)


def test_sunday_evening_week_lands_on_a_working_morning(calendar: WorkingCalendar) -> None:
    sunday = local(2026, 11, 22, 20, 5)
    assert calendar.due_at(parse_preset("1w"), sunday).astimezone(AMS) == local(2026, 11, 30, 9, 0)
    assert calendar.due_at(parse_preset("1wd"), sunday).astimezone(AMS) == local(2026, 11, 23, 9, 0)


def test_working_days_skip_weekend_and_holidays(calendar: WorkingCalendar) -> None:
    # Thursday 2 April 2026 + 3 working days, over Goede Vrijdag, the weekend and Tweede Paasdag.
    due = calendar.due_at(parse_preset("3wd"), local(2026, 4, 2, 10, 0))
    assert calendar.is_working_day(due.astimezone(AMS).date())
    assert not calendar.is_working_day(date(2026, 4, 6))  # Tweede Paasdag
    assert not calendar.is_working_day(date(2026, 4, 27))  # Koningsdag
    assert not calendar.is_working_day(date(2026, 11, 28))  # Saturday
    two_weeks = calendar.due_at(parse_preset("2w"), local(2026, 4, 13, 15, 0))  # +14 days = Koningsdag
    assert two_weeks.astimezone(AMS) == local(2026, 4, 28, 9, 0)


def test_short_presets_stay_exact(calendar: WorkingCalendar) -> None:
    now = datetime(2026, 11, 28, 23, 59, 58, tzinfo=UTC)  # a Saturday night
    assert calendar.due_at(parse_preset("6s"), now) == now + timedelta(seconds=6)
    assert calendar.due_at(parse_preset("2m"), now) == now + timedelta(minutes=2)
    assert calendar.due_at(parse_preset("1h"), now) == now + timedelta(hours=1)


def test_same_day_check_in(calendar: WorkingCalendar) -> None:
    morning = local(2026, 11, 26, 10, 0)
    assert calendar.same_day(morning, timedelta(hours=3)) == morning + timedelta(hours=3)
    evening = local(2026, 11, 27, 19, 30)  # Friday: too late today, so Monday 09:00
    assert calendar.same_day(evening, timedelta(hours=3)).astimezone(AMS) == local(2026, 11, 30, 9, 0)
    assert calendar.same_day(evening, timedelta(seconds=5)) == evening + timedelta(seconds=5)


def test_labels_and_syntax() -> None:
    assert [p.label for p in parse_presets("1wd,3wd,3d,1w,2w")] == [
        "morgen", "over 3 werkdagen", "over 3 dagen", "over een week", "over 2 weken"]  # fmt: skip
    assert parse_preset(" 10s ") == Preset(10, "s")
    assert parse_preset("1m").label == "over 1 minuut"
    for bad in ("", "3x", "0wd", "wd", "-1d"):
        with pytest.raises(PresetError):
            parse_preset(bad)


def test_settings_default_and_error(tmp_path) -> None:
    settings = Settings(WIJKBOT_DATA_DIR=tmp_path)  # type: ignore[call-arg]
    assert [p.raw for p in settings.followup_presets] == ["1wd", "3d", "1w", "2w"]
    assert settings.followup_checkin == 3 * 3600
    with pytest.raises(SettingsError, match="Ongeldige duur"):
        _ = Settings(WIJKBOT_DATA_DIR=tmp_path, WIJKBOT_FOLLOWUP_PRESETS="3x").followup_presets  # type: ignore[call-arg]
