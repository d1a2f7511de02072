"""Sessions, CSRF and log-in throttling for the web app. Pure Python (hmac), no framework imports.

A session is a signed cookie: base64url(JSON {u: user id or null, c: CSRF token, e: expiry}) + '.' + HMAC-SHA256.
Nothing else is kept on the server, so a restart keeps everyone logged in (the key is stable, see load_secret).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bot.config import Settings

COOKIE_NAME = "wijkbot_sessie"
CSRF_FIELD = "csrf"
CSRF_HEADER = "x-csrf-token"
_MAX_TOKEN_CHARS = 1024


@dataclass(frozen=True, slots=True)
class Session:
    """A browser session. user_id None = not logged in (the session then only carries a CSRF token)."""

    user_id: int | None
    csrf: str
    expires_at: float

    @property
    def logged_in(self) -> bool:
        return self.user_id is not None


def load_secret(settings: Settings) -> bytes:
    """WIJKBOT_WEB_SECRET, else a random key kept in data_dir/web_secret (created once, mode 0600)."""
    if settings.web_secret:
        return settings.web_secret.encode("utf-8")
    path: Path = settings.web_secret_path
    try:
        return bytes.fromhex(path.read_text(encoding="ascii").strip())
    except (OSError, ValueError):
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_bytes(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(key.hex())
    return key


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class SessionCodec:
    """Signs and checks session cookies; a tampered or expired cookie reads as no session."""

    def __init__(self, secret: bytes, *, ttl_seconds: int, clock: Callable[[], float] = time.time) -> None:
        self._key = hashlib.sha256(b"wijkbot-web-session:" + secret).digest()
        self.ttl_seconds = ttl_seconds
        self._clock = clock

    def new(self, user_id: int | None) -> Session:
        return Session(
            user_id=user_id, csrf=secrets.token_urlsafe(24), expires_at=self._clock() + self.ttl_seconds
        )

    def dumps(self, session: Session) -> str:
        body = _b64(json.dumps({"u": session.user_id, "c": session.csrf, "e": session.expires_at}).encode())
        return f"{body}.{self._sign(body)}"

    def loads(self, token: str | None) -> Session | None:
        if not token or len(token) > _MAX_TOKEN_CHARS or "." not in token:
            return None
        body, _, signature = token.partition(".")
        if not hmac.compare_digest(signature, self._sign(body)):
            return None
        try:
            data = json.loads(_unb64(body))
            session = Session(user_id=data["u"], csrf=str(data["c"]), expires_at=float(data["e"]))
        except (ValueError, KeyError, TypeError):
            return None
        if session.user_id is not None and not isinstance(session.user_id, int):
            return None
        return session if session.expires_at > self._clock() else None

    def _sign(self, body: str) -> str:
        return _b64(hmac.new(self._key, body.encode("ascii"), hashlib.sha256).digest())


def csrf_ok(session: Session | None, sent: str | None) -> bool:
    """The form field or header must equal the token in the signed cookie (constant-time compare)."""
    return bool(session and sent) and hmac.compare_digest(session.csrf, str(sent))  # type: ignore[union-attr]


@dataclass
class LoginThrottle:
    """At most `limit` log-in attempts per client address per `window` seconds, and 10x that overall."""

    limit: int
    window: float = 15 * 60
    clock: Callable[[], float] = time.monotonic
    _hits: dict[str, deque[float]] = field(default_factory=dict, repr=False)

    def allow(self, client: str) -> bool:
        now = self.clock()
        if not (self._take(client, now, self.limit) and self._take("*", now, self.limit * 10)):
            return False
        if len(self._hits) > 10_000:
            self._hits = {k: v for k, v in self._hits.items() if v and now - v[-1] < self.window}
        return True

    def _take(self, key: str, now: float, limit: int) -> bool:
        hits = self._hits.setdefault(key, deque())
        while hits and now - hits[0] >= self.window:
            hits.popleft()
        if len(hits) >= limit:
            return False
        hits.append(now)
        return True
