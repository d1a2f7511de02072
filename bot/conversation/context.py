"""Short-lived, in-memory conversation context per user. Never written to disk.

Each user has one lock: events of one user are handled one at a time, different users in parallel.
"""

from __future__ import annotations

import secrets
import threading
from collections import OrderedDict, deque
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal


@dataclass(frozen=True, slots=True)
class AwaitSituation:
    """/partner was typed: the next text is a situation."""


@dataclass(frozen=True, slots=True)
class AwaitLabel:
    """A referral was made (or 'Label wijzigen' pressed): the next short text may be its anonymous label."""

    referral_id: int
    relabel: bool = False


@dataclass(frozen=True, slots=True)
class AwaitIntent:
    """An unclear message (scrubbed) waits for 'vraag' or 'partner zoeken'."""

    text: str


@dataclass(frozen=True, slots=True)
class AwaitReminder:
    """The reminder moments are shown: a typed moment ('over 5 dagen') chooses one too."""

    referral_id: int


Pending = AwaitSituation | AwaitLabel | AwaitIntent | AwaitReminder


@dataclass(frozen=True, slots=True)
class Topic:
    """The subject of the last answer: the publication (chapter, section) or partners (kind 'partners')."""

    kind: Literal["publication", "partners", "definition"]
    chapter: int | None = None
    section: str = ""
    attribute: str = ""  # partners: the attribute just answered ('en bij de voedselbank?' asks it again)


MAX_QUESTIONS = 3
MAX_RECENT = 12  # partners shown earlier in the conversation, newest last
MAX_ANSWER_REFS = 20


@dataclass
class UserContext:
    """What the engine remembers between turns of one user (text only in scrubbed form)."""

    questions: deque[str] = field(default_factory=lambda: deque(maxlen=MAX_QUESTIONS))
    pending: Pending | None = None
    situation: str = ""  # the last situation (scrubbed), for 'Meer opties'
    subject: str = ""  # the last publication question or definition (scrubbed), for 'wie doet dat hier?'
    shown_ids: list[str] = field(default_factory=list)  # partners last shown, in order
    recent_ids: list[str] = field(default_factory=list)  # every partner shown lately, newest last
    focus_id: str | None = None  # the partner in focus: a question without a name goes here
    topic: Topic | None = None  # what the last answer was about, for follow-ups
    said_once: set[str] = field(default_factory=set)  # boilerplate already shown in this conversation
    domains: dict[str, str] = field(default_factory=dict)  # service id -> domain of the last suggestions
    search_ids: list[str] = field(default_factory=list)
    search_query: str = ""
    answer_refs: OrderedDict[str, str] = field(default_factory=OrderedDict)  # token -> answer ref
    long_ids: list[str] = field(default_factory=list)  # service ids too long for button data
    forget_requested: bool = False
    contact_checked: set[int] = field(default_factory=set)  # referral ids answered in the contact check
    acute_danger: str | None = (
        None  # danger type of the last suggestion when it was acute (no routine presets)
    )
    safety_topic: str | None = None  # danger type while the talk is about the last acute situation
    case_danger: str | None = None  # danger type of the last situation, acute or zorg ('moet ik melden?')
    updated_at: datetime | None = None

    def remember_shown(self, service_ids: Sequence[str]) -> None:
        for service_id in service_ids:
            if service_id in self.recent_ids:
                self.recent_ids.remove(service_id)
            self.recent_ids.append(service_id)
        del self.recent_ids[:-MAX_RECENT]

    def clear_pending(self) -> None:
        self.pending = None

    def add_answer_ref(self, ref: str) -> str:
        """Remember an answer reference under a short token for the 👍/👎 buttons."""
        token = secrets.token_hex(4)
        self.answer_refs[token] = ref
        while len(self.answer_refs) > MAX_ANSWER_REFS:
            self.answer_refs.popitem(last=False)
        return token

    def service_key(self, service_id: str, *, room: int) -> str:
        """Service id for button data, or '#n' when the id is longer than `room` bytes."""
        if len(service_id.encode()) <= room and not service_id.startswith("#"):
            return service_id
        if service_id not in self.long_ids:
            self.long_ids.append(service_id)
        return f"#{self.long_ids.index(service_id)}"

    def service_id(self, key: str) -> str | None:
        """Reverse of service_key; None when a '#n' key is no longer known."""
        if not key.startswith("#"):
            return key
        index = key[1:]
        if index.isdigit() and int(index) < len(self.long_ids):
            return self.long_ids[int(index)]
        return None


class ContextStore:
    """Thread-safe map user id -> UserContext that forgets users after `ttl`."""

    def __init__(self, *, ttl: timedelta, clock: Callable[[], datetime]) -> None:
        self._ttl = ttl
        self._clock = clock
        self._lock = threading.Lock()
        self._contexts: dict[int, UserContext] = {}
        self._user_locks: dict[int, threading.Lock] = {}

    @contextmanager
    def session(self, user_id: int) -> Iterator[UserContext]:
        """Hold the user's lock and yield a fresh-or-live context; expired contexts start over."""
        with self._lock:
            user_lock = self._user_locks.setdefault(user_id, threading.Lock())
        with user_lock:
            now = self._clock()
            with self._lock:
                self._sweep(now)
                ctx = self._contexts.setdefault(user_id, UserContext())
            try:
                yield ctx
            finally:
                ctx.updated_at = self._clock()

    @contextmanager
    def released(self, user_id: int) -> Iterator[None]:
        """Inside session(): let go of the user's lock for a slow call (the LLM), then take it back."""
        with self._lock:
            user_lock = self._user_locks[user_id]
        user_lock.release()
        try:
            yield
        finally:
            user_lock.acquire()

    def forget(self, user_id: int) -> None:
        """Drop a user's context (used by /vergeet)."""
        with self._lock:
            self._contexts.pop(user_id, None)

    def __len__(self) -> int:
        with self._lock:
            return len(self._contexts)

    def _sweep(self, now: datetime) -> None:
        expired = [
            uid
            for uid, ctx in self._contexts.items()
            if ctx.updated_at is not None and now - ctx.updated_at > self._ttl
        ]
        for uid in expired:
            del self._contexts[uid]  # the user's lock stays: there is one per team member
