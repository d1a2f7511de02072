"""A typed answer to "Wanneer zal ik je vragen ...?": 'over 5 dagen', 'over een week', 'morgen', 'geen'.

The buttons hold the configured presets; a professional who types the moment gets it too, as a Preset.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.followup.clock import LOCAL_TZ, Preset, WorkingCalendar

NUMBERS = {"een": 1, "één": 1, "1": 1, "twee": 2, "drie": 3, "vier": 4, "vijf": 5, "zes": 6, "zeven": 7,
           "acht": 8, "negen": 9, "tien": 10, "veertien": 14}  # fmt: skip
UNITS = {"dag": "d", "dagen": "d", "werkdag": "wd", "werkdagen": "wd", "week": "w", "weken": "w",
         "d": "d", "wd": "wd", "w": "w", "day": "d", "days": "d", "weeks": "w"}  # fmt: skip
MAX_DAYS = 60
_AMOUNT = re.compile(
    r"^(?:(?:graag|doe\s+maar|maar|liefst|ok[eé]?,?)\s+)*(?:over|in|na|about|in\s+about)?\s*"
    r"(\d{1,2}|een|één|twee|drie|vier|vijf|zes|zeven|acht|negen|tien|veertien)\s*"
    r"(werkdagen|werkdag|dagen|dag|weken|week|wd|d|w|days|day|weeks)\b(?:\s+(?:graag|maar|aub|pls))?\W*$",
    re.IGNORECASE,
)
_NEXT_WEEK = re.compile(r"^(?:(?:graag|doe\s+maar|maar)\s+)*(?:volgende|komende)\s+week\W*$", re.IGNORECASE)
_TOMORROW = re.compile(r"^(?:(?:graag|doe\s+maar|maar)\s+)*(?:morgen|tomorrow)\W*$", re.IGNORECASE)
_NONE = re.compile(r"^(?:nee,?\s+)?(?:geen|hoeft\s+niet|niet\s+nodig|no\s+reminder)(?:\s+herinnering)?\W*$",
                   re.IGNORECASE)  # fmt: skip


@dataclass(frozen=True, slots=True)
class When:
    """A typed reminder moment: a preset, or none (the user wants no reminder)."""

    preset: Preset | None


def parse_when(text: str) -> When | None:
    """The moment the text asks for, or None when the text is not a reminder moment."""
    clean = " ".join(text.split())
    if _NONE.match(clean):
        return When(None)
    if _TOMORROW.match(clean):
        return When(Preset(1, "wd"))
    if _NEXT_WEEK.match(clean):
        return When(Preset(1, "w"))
    match = _AMOUNT.match(clean)
    if not match:
        return None
    amount = NUMBERS.get(match.group(1).casefold()) or (
        int(match.group(1)) if match.group(1).isdigit() else None
    )
    unit = UNITS[match.group(2).casefold()]
    if not amount or amount * (7 if unit == "w" else 1) > MAX_DAYS:
        return None
    return When(Preset(amount, unit))  # type: ignore[arg-type]


def at_the_latest(preset: Preset, now: datetime, calendar: WorkingCalendar) -> Preset:
    """A typed 'over 5 dagen' that falls in a weekend or on a holiday comes on the working day before it, not
    after it: the professional asked to be asked within five days. Given as working days from today."""
    if preset.unit not in ("d", "w"):
        return preset
    today = now.astimezone(LOCAL_TZ).date()
    target = today + timedelta(days=preset.amount * (7 if preset.unit == "w" else 1))
    if calendar.is_working_day(target):
        return preset
    while target > today and not calendar.is_working_day(target):
        target -= timedelta(days=1)
    count, day = 0, today
    while day < target:
        day = calendar.next_working_day(day, include=False)
        count += 1
    return Preset(count, "wd") if count else preset
