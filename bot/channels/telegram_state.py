"""Per-Application state of the Telegram channel: engine, access, limits, per-user locks."""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from bot.channels.ratelimit import NoticeThrottle, SlidingWindowLimiter
from bot.channels.transcribe import Transcriber
from bot.config import Settings
from bot.conversation.types import Event, Outcome, Reply

STATE_KEY = "wijkbot"
REFUSAL_INTERVAL_SECONDS = 600.0
REDEEM_ATTEMPTS_PER_10_MIN = 5


class EngineLike(Protocol):
    """What the channel needs from bot.conversation.engine.Engine (sync, thread-safe)."""

    def handle(self, event: Event) -> Outcome: ...
    def reminder_due(self, reminder_id: int) -> Reply | None: ...
    def reminder_sent(self, reminder_id: int) -> None: ...
    def pending_reminders(self) -> Sequence[Any]: ...
    def purge(self) -> int: ...


class AccessLike(Protocol):
    """What the channel needs from bot.conversation.access.AccessControl (sync)."""

    def is_allowed(self, user_id: int) -> bool: ...
    def redeem(self, user_id: int, code: str) -> bool: ...


@dataclass
class ChannelState:
    """Everything the handlers share; lives in application.bot_data[STATE_KEY]."""

    settings: Settings
    engine: EngineLike
    access: AccessLike
    transcriber: Transcriber | None = None
    limiter: SlidingWindowLimiter = field(init=False)
    rate_notices: NoticeThrottle = field(init=False)
    refusals: NoticeThrottle = field(init=False)
    redeem_attempts: SlidingWindowLimiter = field(init=False)
    delivering: set[int] = field(init=False, default_factory=set)  # reminder ids being sent right now
    _locks: weakref.WeakValueDictionary[int, asyncio.Lock] = field(
        init=False, default_factory=weakref.WeakValueDictionary
    )

    def __post_init__(self) -> None:
        self.limiter = SlidingWindowLimiter(limit=self.settings.rate_limit_per_minute, window=60.0)
        self.rate_notices = NoticeThrottle(interval=60.0)
        self.refusals = NoticeThrottle(interval=REFUSAL_INTERVAL_SECONDS)
        self.redeem_attempts = SlidingWindowLimiter(limit=REDEEM_ATTEMPTS_PER_10_MIN, window=600.0)

    def lock_for(self, user_id: int) -> asyncio.Lock:
        """One lock per user: a user's updates are handled in order, different users in parallel."""
        lock = self._locks.get(user_id)
        if lock is None:
            lock = asyncio.Lock()
            self._locks[user_id] = lock
        return lock


def state_of(bot_data: dict[Any, Any]) -> ChannelState:
    """The channel state stored in bot_data."""
    state = bot_data[STATE_KEY]
    assert isinstance(state, ChannelState)
    return state
