"""Named fakes for channel tests: a ScriptedEngine and a FakeAccess (the real ones are tested elsewhere)."""

from __future__ import annotations

import threading
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.conversation.types import Button, Event, Outcome, Reply


@dataclass
class ScriptedEngine:
    """Deterministic engine: echoes text, scripts a few special inputs, keeps reminders in memory.

    text "remind N"  -> creates a reminder due in N seconds and asks the channel to schedule it
    text "boom"      -> raises (the channel must apologise, not crash)
    text "long N"    -> a reply of N characters in paragraphs
    button "stale"   -> "Deze knop werkt niet meer."
    button "thanks"  -> "Dank je!" as a notice (Telegram: shown on the button)
    """

    events: list[Event] = field(default_factory=list)
    reminders: dict[int, dict[str, object]] = field(default_factory=dict)
    sent_marks: list[int] = field(default_factory=list)
    purges: int = 0

    def __post_init__(self) -> None:
        self._lock = threading.Lock()

    def handle(self, event: Event) -> Outcome:
        with self._lock:
            self.events.append(event)
        if event.kind == "command":
            return Outcome(
                replies=[
                    Reply(
                        f"commando {event.command} [{event.text}]",
                        buttons=((Button("Wijk Noord", "wijk:noord"),),),
                    )
                ]
            )
        if event.kind == "button":
            if event.data == "thanks":
                return Outcome(replies=[Reply("Dank je!", notice=True)])
            text = "Deze knop werkt niet meer." if event.data == "stale" else f"knop {event.data}"
            return Outcome(replies=[Reply(text)])
        if event.kind == "voice_unavailable":
            return Outcome(replies=[Reply("Spraak werkt niet. Typ je vraag.")])
        return self._text(event)

    def _text(self, event: Event) -> Outcome:
        words = event.text.split()
        if words[:1] == ["boom"]:
            raise RuntimeError(f"engine exploded on {event.text}")
        if words[:1] == ["remind"]:
            reminder_id = self.add_reminder(event.user_id, seconds=float(words[1]))
            return Outcome(replies=[Reply("Ik herinner je.")], schedule_reminders=[reminder_id])
        if words[:1] == ["long"]:
            paragraph = "Dit is een zin over samenwerken in de wijk. " * 10
            return Outcome(replies=[Reply("\n\n".join([paragraph] * (int(words[1]) // len(paragraph) + 1)))])
        return Outcome(replies=[Reply(f"echo: {event.text}", buttons=((Button("👍", "fb:1"),),))])

    def add_reminder(self, user_id: int, *, seconds: float) -> int:
        with self._lock:
            reminder_id = len(self.reminders) + 1
            self.reminders[reminder_id] = {
                "user_id": user_id,
                "sent": False,
                "due_at": datetime.now(UTC) + timedelta(seconds=seconds),
            }
        return reminder_id

    def reminder_due(self, reminder_id: int) -> Reply | None:
        item = self.reminders.get(reminder_id)
        if item is None or item["sent"]:
            return None
        return Reply(
            f"Heb je terugkoppeling gehad? (herinnering {reminder_id})",
            buttons=((Button("Ja, afgerond", f"rem:{reminder_id}:done"),),),
        )

    def reminder_sent(self, reminder_id: int) -> None:
        with self._lock:
            self.reminders[reminder_id]["sent"] = True
            self.sent_marks.append(reminder_id)

    def pending_reminders(self, ids: Collection[int] | None = None) -> list[tuple[int, int, datetime]]:
        return [
            (rid, int(r["user_id"]), r["due_at"])
            for rid, r in self.reminders.items()  # type: ignore[misc]
            if not r["sent"] and (ids is None or rid in ids)
        ]

    def purge(self) -> int:
        self.purges += 1
        return 0


@dataclass
class FakeAccess:
    """Allow-list plus a set of valid one-time codes; counts every call."""

    allowed: set[int]
    codes: set[str] = field(default_factory=set)
    checks: int = 0

    def is_allowed(self, user_id: int) -> bool:
        self.checks += 1
        return user_id in self.allowed

    def redeem(self, user_id: int, code: str) -> bool:
        if code in self.codes:
            self.codes.discard(code)
            self.allowed.add(user_id)
            return True
        return False


class CrashingEngine(ScriptedEngine):
    """ScriptedEngine for the engine worker: "die" ends the worker process (a hard crash), "slow N" takes N s,
    "pid" answers with the worker's process id."""

    def _text(self, event: Event) -> Outcome:
        if event.text.split()[:1] == ["die"]:
            import os

            os._exit(3)
        if event.text.split()[:1] == ["slow"]:
            import time

            time.sleep(float(event.text.split()[1]))
            return Outcome(replies=[Reply("traag klaar")])
        if event.text.split()[:1] == ["pid"]:
            import os

            return Outcome(replies=[Reply(f"pid {os.getpid()}")])
        return super()._text(event)


def scripted_factory(settings: Any) -> tuple[CrashingEngine, FakeAccess]:
    """Engine factory for EngineWorker (runs in the worker): a scripted engine and the configured users."""
    return CrashingEngine(), FakeAccess(allowed=set(settings.allowed_users) | set(settings.admins))
