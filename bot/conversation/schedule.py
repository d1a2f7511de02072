"""Opening days from a kaart's free-text schedule, for 'zijn ze zaterdag open?' and 'zijn ze nu open?'.

Kaarten write schedules by hand: 'ma-vr 9-17 uur', 'di en do 9-12 uur inloop', 'ma, wo, vr ochtend',
'24 uur per dag, 7 dagen per week', 'Werkdagen', 'Uitgifte vrijdag 13-16 uur'. We only read the days (and,
for 'nu', the first time range); when the schedule names no day we say so instead of guessing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.conversation import texts
from bot.conversation.lookup import fold
from bot.followup.clock import LOCAL_TZ

DAY_NAMES = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")
_SHORT = {"ma": 0, "di": 1, "wo": 2, "do": 3, "vr": 4, "za": 5, "zo": 6, "zat": 5, "zon": 6}
_ENGLISH = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_LONG = {name: i for i, name in enumerate(DAY_NAMES)} | {f"{n}s": i for i, n in enumerate(DAY_NAMES)}
_ASKED = _LONG | {name: i for i, name in enumerate(_ENGLISH)}
# A day asked in the short form kaarten write ('ma t/m vr', 'di en do'): 'open op vr?', 'kledingbank ook za?'.
# 'ma', 'do' and 'zo' are ordinary words too ('mijn ma', 'do they', 'zo snel'): only right after 'op' ('op do?').
_SHORT_ASKED = {k: v for k, v in _SHORT.items() if k not in ("ma", "do", "zo")}
_SHORT_AFTER_OP = {k: _SHORT[k] for k in ("ma", "do", "zo")}
_EVERY_DAY = (
    "24/7",
    "24 uur per dag",
    "7 dagen",
    "zeven dagen",
    "altijd",
    "dagelijks",
    "elke dag",
    "dag en nacht",
)
_DAY = r"(maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag|ma|di|wo|do|vr|za|zo)"
_RANGE = re.compile(rf"\b{_DAY}\s*(?:-|–|t/m|tot en met)\s*{_DAY}\b")
_CLOSED = re.compile(rf"\b{_DAY}s?\.?\s*(?::\s*)?(?:gesloten|dicht|geen\s+\w+)\b")
_HOURS = re.compile(r"\b(\d{1,2})(?:[:.](\d{2}))?\s*(?:-|–|tot)\s*(\d{1,2})(?:[:.](\d{2}))?\b")
# A part of a schedule that says where to go outside its hours, not when the partner itself is open:
# 'na 17 uur en in het weekend de huisartsenpost', 'spoed na 17 uur via de HAP', 'buiten kantoortijd via de
# crisisdienst', "'s nachts via de huisartsenpost", 'andere dagen via Molenhoek' (schedules of the dev kaarten)
_ELSEWHERE = re.compile(
    r"^\s*(?:spoed\s+|voor\s+spoed\s+)?(?:na\s+\d{1,2}(?:[:.]\d{2})?\b|buiten\b|daarbuiten\b|'s\s*nachts\b"
    r"|andere\s+dagen\b|bij\s+crisis\b|crisis\s+via\b|in\s+het\s+weekend\s+(?:via|de)\b)"
)


# 'zaterdagavond', 'zondagochtend': a day and a part of it; the hour stands for that part of the day, so a
# schedule's hours count as they do for 'nu' ('ma-vr 17-8 uur' is open on vrijdagavond, 'ma-vr 8-17' is not)
_DAY_PART = re.compile(
    r"(?P<day>maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag)(?P<part>ochtend|middag|avond|nacht)"
)
_PART_HOUR = {"ochtend": 10, "middag": 14, "avond": 20, "nacht": 2}


@dataclass(frozen=True, slots=True)
class AskedDay:
    """The day a question asks about; `now` is set for 'nu' (then the hours count as well)."""

    days: tuple[int, ...]
    label: str
    now: datetime | None = None


def _day(token: str) -> int:
    return _LONG.get(token, _SHORT.get(token, -1))


def own_hours(schedule: str) -> str:
    """The folded schedule without its parts that send one elsewhere ('ma-vr 8-17 uur; na 17 uur en in het
    weekend de huisartsenpost' -> 'ma-vr 8-17 uur'): the weekend there is the huisartsenpost's, not theirs."""
    parts = re.split(r"([;,])", fold(schedule))
    kept = [part for part in parts[::2] if not _ELSEWHERE.match(part)]
    return ";".join(kept)


def open_days(schedule: str) -> frozenset[int] | None:
    """Weekdays (0 = maandag) the schedule names, or None when it names none ('Op afspraak')."""
    text = own_hours(schedule)
    if any(marker in text for marker in _EVERY_DAY):
        return frozenset(range(7))
    days: set[int] = set()
    for first, last in _RANGE.findall(text):
        start, end = _day(first), _day(last)
        days.update(range(start, end + 1) if start <= end else [*range(start, 7), *range(end + 1)])
    text = _RANGE.sub(" ", text)
    if "werkdag" in text or "doordeweeks" in text:
        days.update(range(5))
    if "weekend" in text:
        days.update((5, 6))
    closed = {_day(t) for t in _CLOSED.findall(text)}  # 'wo gesloten', 'zaterdag dicht'
    text = _CLOSED.sub(" ", text)
    days.update(_day(t) for t in re.findall(rf"\b{_DAY}s?\b", text))
    days -= closed
    return frozenset(days) if days else None


def asked_day(text: str, now: datetime) -> AskedDay | None:
    """'zaterdag' -> (5,), 'in het weekend' -> (5, 6), 'vandaag'/'morgen' by the clock, 'nu' with the hour."""
    if now.tzinfo is not None:
        now = now.astimezone(LOCAL_TZ)
    folded = fold(text)
    words = re.findall(r"[a-z/]+", folded)
    for before, word in zip(["", *words], words, strict=False):
        day = _ASKED.get(word, _SHORT_ASKED.get(word, -1))
        if day < 0 and before == "op":
            day = _SHORT_AFTER_OP.get(word, -1)
        if day >= 0:
            return AskedDay((day,), f"op {DAY_NAMES[day]}")
        part = _DAY_PART.fullmatch(word)
        if part is not None:  # 'zaterdagavond': that day, at an hour of that part of the day
            day = _LONG[part["day"]]
            date = now + timedelta(days=(day - now.weekday()) % 7)
            moment = date.replace(hour=_PART_HOUR[part["part"]], minute=0, second=0, microsecond=0)
            return AskedDay((day,), f"op {DAY_NAMES[day]}{part['part']}", now=moment)
    if "weekend" in folded:
        return AskedDay((5, 6), texts.HOURS_WEEKEND)
    if "vandaag" in words or "today" in words:
        return AskedDay((now.weekday(),), texts.HOURS_TODAY)
    if "morgen" in words or "tomorrow" in words:
        return AskedDay(((now + timedelta(days=1)).weekday(),), texts.HOURS_TOMORROW)
    if {"nu", "momenteel", "now"} & set(words):
        return AskedDay((now.weekday(),), texts.HOURS_NOW, now=now)
    return None


def names_weekday(text: str) -> bool:
    """The text names a day of the week, in full or short ('zaterdag', 'op vr', 'za'): it asks about the hours."""
    asked = asked_day(text, datetime.now(LOCAL_TZ))
    return asked is not None and asked.label not in (texts.HOURS_TODAY, texts.HOURS_TOMORROW, texts.HOURS_NOW)


def _open_at(schedule: str, moment: datetime) -> bool | None:
    """For 'nu': inside the first time range of the schedule? None when it has no hours."""
    match = _HOURS.search(own_hours(schedule))
    if match is None:
        return None
    start = int(match[1]) * 60 + int(match[2] or 0)
    end = int(match[3]) * 60 + int(match[4] or 0)
    minute = moment.hour * 60 + moment.minute
    return start <= minute < end if start < end else minute >= start or minute < end


def is_open(schedule: str, asked: AskedDay) -> bool | None:
    """Open on the asked day (and, for 'nu', at this hour); None when the schedule names no days."""
    days = open_days(schedule)
    if days is None:
        return None
    found = any(d in days for d in asked.days)
    if found and asked.now is not None and not any(marker in own_hours(schedule) for marker in _EVERY_DAY):
        at = _open_at(schedule, asked.now)
        found = at if at is not None else found
    return found


def hours_answer(name: str, schedule: str, asked: AskedDay, phone: str) -> str:
    """One short answer: open or closed on the asked day, with the schedule; honest when the kaart has no days."""
    if not schedule.strip():
        return texts.FACT_MISSING.format(name=name, phone=phone or "de kaart")
    found = is_open(schedule, asked)
    if found is None:
        return texts.HOURS_UNKNOWN.format(
            name=name, day=asked.label, hours=schedule, phone=phone or "de kaart"
        )
    template = texts.HOURS_OPEN if found else texts.HOURS_CLOSED
    return template.format(name=name, day=asked.label, hours=schedule)


def hours_value(schedule: str, asked: AskedDay | None) -> str:
    """For one line of a list: 'op zaterdag dicht (di en do 9-12 uur)', or the schedule itself."""
    if not schedule.strip():
        return texts.VALUE_MISSING
    found = is_open(schedule, asked) if asked is not None else None
    if asked is None or found is None:
        return schedule
    state = texts.VALUE_OPEN if found else texts.VALUE_CLOSED
    return f"{asked.label} {state} ({schedule})"
