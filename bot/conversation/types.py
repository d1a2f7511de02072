"""Channel-agnostic events in and replies out. Channels translate; the engine decides."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

EventKind = Literal["text", "command", "button", "voice_unavailable"]
SafetyLevel = Literal["acute", "zorg"]


@dataclass(frozen=True, slots=True)
class Button:
    """A choice shown under a reply. `data` is opaque to channels and at most 64 bytes."""

    label: str
    data: str


@dataclass(frozen=True, slots=True)
class ContactCard:
    """A phone contact sent after the text (Telegram: sendContact), so the number lands in the phone."""

    phone: str
    name: str


@dataclass(frozen=True, slots=True)
class Reply:
    """One message to the user: plain text (channels escape it), optional rows of buttons, optional contact.

    notice: a short thank-you for a button press; Telegram shows it on the pressed button (a callback notice)
    instead of as a message, the other channels as a message."""

    text: str
    buttons: tuple[tuple[Button, ...], ...] = ()
    contact: ContactCard | None = None
    notice: bool = False


@dataclass(frozen=True, slots=True)
class Event:
    """Something the user did.

    kind="text": free text in `text`.
    kind="command": `command` without slash (e.g. "start"), its arguments in `text`.
    kind="button": the pressed button's `data`.
    """

    user_id: int
    kind: EventKind
    text: str = ""
    command: str = ""
    data: str = ""


@dataclass(slots=True)
class Outcome:
    """What the engine wants the channel to do after an event."""

    replies: list[Reply] = field(default_factory=list)
    schedule_reminders: list[int] = field(default_factory=list)  # reminder ids to (re)schedule
    cancel_reminders: list[int] = field(default_factory=list)
    reloaded: bool = False
    partners: list[str] = field(default_factory=list)  # kaart service ids shown in this turn, in order
    safety: SafetyLevel | None = None  # the safety level of a suggestion shown in this turn


@dataclass(frozen=True, slots=True)
class PendingReminder:
    """A reminder to (re)schedule at start-up: due_at is an aware UTC datetime (overdue = send now)."""

    id: int
    user_id: int
    due_at: datetime
