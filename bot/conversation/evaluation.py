"""`wijkbot eval conversations`: play scripted conversations through the engine and record every turn.

A script is `conversations: [{wijk?, turns: [...]}]`; each turn is one of
  {say: TEXT}       text, or a command when it starts with '/';
  {press: LABEL}    press the first button of the previous reply whose label contains LABEL (case-insensitive);
                    the turn gets "error" when there is none;
  {press_if: LABEL} the same, but a no-op when there is none;
  {advance: "3d1h"} move the clock forward; the turn's replies are the reminders that fell due.
Other keys are ignored. Each conversation is a new allowed user on the same fresh state.

The clock does not follow the wall clock: every conversation starts on a working Monday at 10:00 in Amsterdam
(`eval_start`), so a script gives the same result whenever it runs. Before, a run at night or late in the week
scheduled "over 3 dagen" on a later working morning than `advance: 3d` reached, and "zijn ze nu open?" depended on
the hour of the run.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as dt_time
from typing import Any

from bot.conversation.engine import Engine
from bot.conversation.types import Button, Event, Outcome, Reply

FIRST_USER_ID = 7_000_001
DURATION = re.compile(r"(\d+)\s*([wdhms])")
UNIT_SECONDS = {"w": 604_800, "d": 86_400, "h": 3_600, "m": 60, "s": 1}


class ScriptError(ValueError):
    """A conversation script that cannot be read (reported as one line, exit code 2)."""


EVAL_HOUR = 10


def eval_start(today: date | None = None) -> datetime:
    """10:00 Europe/Amsterdam on the first Monday from `today` on (today included) that is a working day, as UTC.

    A professional's working morning with a whole working week ahead: "morgen", "over 3 dagen" and "over een week"
    fall on working days, as a script's `advance` expects.
    """
    from bot.followup.clock import LOCAL_TZ, WorkingCalendar

    calendar = WorkingCalendar()
    day = today or datetime.now(LOCAL_TZ).date()
    while day.weekday() != 0 or not calendar.is_working_day(day):
        day += timedelta(days=1)
    return datetime.combine(day, dt_time(EVAL_HOUR), tzinfo=LOCAL_TZ).astimezone(UTC)


class EvalClock:
    """A clock that only moves when a script says `advance`; `restart` puts it back at its start."""

    def __init__(self, start: datetime | None = None) -> None:
        self.start = start or eval_start()
        self.now = self.start

    def restart(self) -> None:
        self.now = self.start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta


def parse_duration(raw: str) -> timedelta:
    """'3d1h' -> 3 days 1 hour; also '90m', '2w', '10s'. Raises ScriptError when nothing is understood."""
    text = str(raw).strip().lower()
    parts = DURATION.findall(text)
    if not parts or DURATION.sub("", text).strip():
        raise ScriptError(f"advance: '{raw}' is geen duur zoals 3d1h")
    return timedelta(seconds=sum(int(n) * UNIT_SECONDS[unit] for n, unit in parts))


def read_script(data: Any) -> list[dict[str, Any]]:
    """The conversations of a parsed YAML document; each has `turns` (a list of dicts) and maybe `wijk`."""
    items = data.get("conversations") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise ScriptError("verwacht 'conversations: [{turns: [...]}]'")
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict) or not isinstance(item.get("turns"), list):
            raise ScriptError(f"gesprek {number}: verwacht 'turns: [...]'")
        if not all(isinstance(turn, dict) for turn in item["turns"]):
            raise ScriptError(f"gesprek {number}: elke beurt is een mapping (say, press, press_if, advance)")
    return items


@dataclass
class _Player:
    """Plays one conversation for one user."""

    engine: Engine
    clock: EvalClock
    user_id: int
    last: list[Reply] = field(default_factory=list)

    def turn(self, turn: dict[str, Any]) -> dict[str, Any]:
        started = time.perf_counter()
        text, outcome, error = self._act(turn)
        latency = (time.perf_counter() - started) * 1000
        if outcome is not None and outcome.replies:
            self.last = outcome.replies
        out: dict[str, Any] = {
            "input": text,
            "replies": [_reply_json(r) for r in (outcome.replies if outcome else [])],
            "partners": list(outcome.partners) if outcome else [],
            "safety": outcome.safety if outcome else None,
            "latency_ms": round(latency, 2),
        }
        if error:
            out["error"] = error
        return out

    def _act(self, turn: dict[str, Any]) -> tuple[str, Outcome | None, str | None]:
        if "say" in turn:
            text = str(turn["say"])
            return text, self.engine.handle(self._event(text)), None
        for key in ("press", "press_if"):
            if key in turn:
                label = str(turn[key])
                button = self._find(label)
                if button is None:
                    return label, Outcome(), (f"no button with '{label}'" if key == "press" else None)
                return label, self.engine.handle(Event(self.user_id, "button", data=button.data)), None
        if "advance" in turn:
            raw = str(turn["advance"])
            self.clock.advance(parse_duration(raw))
            return raw, Outcome(replies=self._due_reminders()), None
        return "", Outcome(), "turn has none of say, press, press_if, advance"

    def _event(self, text: str) -> Event:
        if text.startswith("/"):
            command, _, args = text[1:].partition(" ")
            return Event(self.user_id, "command", text=args.strip(), command=command.lower())
        return Event(self.user_id, "text", text=text)

    def _find(self, label: str) -> Button | None:
        wanted = label.casefold()
        buttons = (b for reply in self.last for row in reply.buttons for b in row)
        return next((b for b in buttons if wanted in b.label.casefold()), None)

    def _due_reminders(self) -> list[Reply]:
        replies: list[Reply] = []
        for pending in self.engine.pending_reminders():
            if pending.user_id != self.user_id or pending.due_at > self.clock.now:
                continue
            reply = self.engine.reminder_due(pending.id)
            if reply is not None:
                replies.append(reply)
            self.engine.reminder_sent(pending.id)
        return replies


def _reply_json(reply: Reply) -> dict[str, Any]:
    return {"text": reply.text, "buttons": [b.label for row in reply.buttons for b in row]}


def user_ids(count: int) -> list[int]:
    """The user ids the conversations play as (allow-list them in the settings)."""
    return [FIRST_USER_ID + i for i in range(count)]


def play(
    engine: Engine,
    clock: EvalClock,
    conversations: Iterable[dict[str, Any]],
    *,
    set_wijk: Callable[[int, str], None],
    first_user: int = FIRST_USER_ID,
) -> list[dict[str, Any]]:
    """Play each conversation as a new user; one output item per conversation, one per input turn."""
    results: list[dict[str, Any]] = []
    for user_id, conversation in zip(range(first_user, first_user + 10**6), conversations, strict=False):
        clock.restart()
        if conversation.get("wijk"):
            set_wijk(user_id, str(conversation["wijk"]))
        player = _Player(engine=engine, clock=clock, user_id=user_id)
        results.append({"turns": [player.turn(turn) for turn in conversation["turns"]]})
    return results
