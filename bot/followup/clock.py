"""When a reminder falls: at 09:00 Europe/Amsterdam on a working day, or exactly after a short test delay.

Preset syntax (WIJKBOT_FOLLOWUP_PRESETS, comma separated): a number and a unit.
- `s`, `m`, `h`: exact seconds, minutes, hours (for tests and demos: '6s' stays 6 seconds);
- `wd`: working days ('1wd' = "morgen": the next working day);
- `d`, `w`: calendar days or weeks, moved forward to a working day.
Calendar units fall at 09:00 local time. Working days skip weekends and Dutch public holidays (`holidays`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

Unit = Literal["s", "m", "h", "d", "wd", "w"]
LOCAL_TZ = ZoneInfo("Europe/Amsterdam")
WORKDAY_START = time(9, 0)  # a professional's working day starts; reminders arrive then
SAME_DAY_END = time(21, 0)  # a same-day check-in that would land later moves to the next working day
_PRESET = re.compile(r"^\s*(\d+)\s*(wd|[smhdw])\s*$")
_EXACT_SECONDS = {"s": 1, "m": 60, "h": 3600}
_WORDS = {"s": ("seconde", "seconden"), "m": ("minuut", "minuten"), "h": ("uur", "uur"),
          "d": ("dag", "dagen"), "wd": ("werkdag", "werkdagen"), "w": ("week", "weken")}  # fmt: skip


class PresetError(ValueError):
    """A preset we cannot read."""


@dataclass(frozen=True, slots=True)
class Preset:
    """One reminder choice, e.g. Preset(1, 'wd') = "morgen"."""

    amount: int
    unit: Unit

    @property
    def raw(self) -> str:
        return f"{self.amount}{self.unit}"

    @property
    def exact(self) -> bool:
        return self.unit in _EXACT_SECONDS

    @property
    def label(self) -> str:
        """Dutch button text: 'morgen', 'over 3 dagen', 'over 3 werkdagen', 'over een week', 'over 10 seconden'.
        One week is 'over een week', as professionals type it (round-10 blind writers pressed or typed it)."""
        if self.unit == "wd" and self.amount == 1:
            return "morgen"
        if self.unit == "w" and self.amount == 1:
            return "over een week"
        singular, plural = _WORDS[self.unit]
        return f"over {self.amount} {singular if self.amount == 1 else plural}"


def parse_preset(text: str) -> Preset:
    match = _PRESET.match(text)
    if not match or int(match.group(1)) <= 0:
        raise PresetError(f"Ongeldige duur '{text.strip()}': gebruik bijvoorbeeld 1wd, 3wd, 1w, 2w of 10s.")
    return Preset(int(match.group(1)), match.group(2))  # type: ignore[arg-type]


def parse_presets(text: str) -> list[Preset]:
    parts = [p for p in text.split(",") if p.strip()]
    if not parts:
        raise PresetError("De lijst met herinneringen is leeg: gebruik bijvoorbeeld 1wd,3wd,1w,2w.")
    return [parse_preset(p) for p in parts]


class WorkingCalendar:
    """Working days in the Netherlands: Monday to Friday, except public holidays."""

    def __init__(self) -> None:
        import holidays

        self._holidays = holidays.country_holidays("NL")

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < 5 and day not in self._holidays

    def next_working_day(self, day: date, *, include: bool) -> date:
        """The first working day from `day` on (itself when include=True and it is one)."""
        current = day if include else day + timedelta(days=1)
        while not self.is_working_day(current):
            current += timedelta(days=1)
        return current

    def add_working_days(self, day: date, count: int) -> date:
        for _ in range(count):
            day = self.next_working_day(day, include=False)
        return day

    def due_at(self, preset: Preset, now: datetime) -> datetime:
        """When a reminder with this preset, chosen at `now`, falls (aware UTC)."""
        now = _aware(now)
        if preset.exact:
            return now + timedelta(seconds=preset.amount * _EXACT_SECONDS[preset.unit])
        today = now.astimezone(LOCAL_TZ).date()
        if preset.unit == "wd":
            day = self.add_working_days(today, preset.amount)
        else:
            days = preset.amount * (7 if preset.unit == "w" else 1)
            day = self.next_working_day(today + timedelta(days=days), include=True)
        return morning(day)

    def same_day(self, now: datetime, delay: timedelta) -> datetime:
        """A check-in later today ("Is het gelukt?"); when that runs into the evening, the next working morning.

        Delays under an hour are test delays and stay exact.
        """
        now = _aware(now)
        due = now + delay
        if delay < timedelta(hours=1):
            return due
        local = due.astimezone(LOCAL_TZ)
        if local.date() == now.astimezone(LOCAL_TZ).date() and local.time() <= SAME_DAY_END:
            return due
        return morning(self.next_working_day(now.astimezone(LOCAL_TZ).date(), include=False))


def morning(day: date) -> datetime:
    """09:00 Europe/Amsterdam on that day, as aware UTC."""
    return datetime.combine(day, WORKDAY_START, tzinfo=LOCAL_TZ).astimezone(UTC)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
