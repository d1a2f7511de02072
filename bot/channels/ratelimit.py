"""In-memory, per-key sliding-window limits for one Application instance (event-loop only, not thread-safe)."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

_MAX_KEYS = 10_000


@dataclass
class SlidingWindowLimiter:
    """Allow at most `limit` hits per key in any `window` seconds."""

    limit: int
    window: float = 60.0
    clock: Callable[[], float] = time.monotonic
    _hits: dict[int, deque[float]] = field(default_factory=dict, repr=False)

    def allow(self, key: int) -> bool:
        """Record a hit for key and say whether it is within the limit (rejected hits are not counted)."""
        now = self.clock()
        hits = self._hits.setdefault(key, deque())
        while hits and now - hits[0] >= self.window:
            hits.popleft()
        if len(hits) >= self.limit:
            return False
        hits.append(now)
        if len(self._hits) > _MAX_KEYS:
            self._forget_idle(now)
        return True

    def _forget_idle(self, now: float) -> None:
        """Drop keys without hits in the current window, so memory stays bounded."""
        for key in [k for k, v in self._hits.items() if not v or now - v[-1] >= self.window]:
            del self._hits[key]


@dataclass
class NoticeThrottle:
    """Say yes at most once per `interval` seconds per key (for refusals and rate-limit notices)."""

    interval: float
    clock: Callable[[], float] = time.monotonic
    _last: dict[int, float] = field(default_factory=dict, repr=False)

    def should_notify(self, key: int) -> bool:
        """True when key was not notified within the interval; records the notice."""
        now = self.clock()
        last = self._last.get(key)
        if last is not None and now - last < self.interval:
            return False
        self._last[key] = now
        if len(self._last) > _MAX_KEYS:
            cutoff = now - self.interval
            for stale in [k for k, t in self._last.items() if t < cutoff]:
                del self._last[stale]
        return True
