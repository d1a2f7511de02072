"""Log-in codes for the web app.

- A team member logs in with an invite code from /uitnodigen (Telegram) or `wijkbot invite`: the same invites
  table as Telegram. Redeeming it creates a web member with its own id (negative, so it never collides with a
  Telegram user id) that is then allowed like an invited Telegram user.
- An admin (an id from WIJKBOT_ADMINS) logs in with a code from `wijkbot invite --admin`. That code binds the
  browser to the admin's own id, so beheer knows who changed what. Only a hash of the code is stored.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.conversation.access import CODE_BYTES, AccessControl, Invite
from bot.kaart.audit import connect

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS web_logins (code_hash TEXT PRIMARY KEY, user_id INTEGER NOT NULL, "
    "expires_at REAL NOT NULL, used_at REAL)"
)
_WEB_ID_SPACE = 2**52


def _hash(code: str) -> str:
    return hashlib.sha256(code.encode("utf-8")).hexdigest()


class WebLogins:
    """Turns a code into a user id. Thread-safe; blocking (SQLite)."""

    def __init__(self, path: Path, access: AccessControl, *, ttl: timedelta) -> None:
        self._conn = connect(path)
        self._lock = threading.Lock()
        self._access = access
        self._ttl = ttl
        with self._lock:
            self._conn.execute(_SCHEMA)

    def create_admin_code(self, admin_id: int, *, now: datetime | None = None) -> Invite:
        """A one-time web log-in code for an admin. Raises PermissionError for a non-admin id."""
        if not self._access.is_admin(admin_id):
            raise PermissionError("only admins get an admin log-in code")
        code = "A" + secrets.token_urlsafe(CODE_BYTES)
        expires_at = (now or datetime.now(UTC)) + self._ttl
        with self._lock:
            self._conn.execute(
                "INSERT INTO web_logins (code_hash, user_id, expires_at) VALUES (?, ?, ?)",
                (_hash(code), admin_id, expires_at.timestamp()),
            )
        return Invite(code=code, expires_at=expires_at)

    def redeem(self, code: str, *, now: datetime | None = None) -> int | None:
        """The user id this code logs in, or None (unknown, expired or already used)."""
        code = code.strip()
        if not code or len(code) > 64:
            return None
        moment = now or datetime.now(UTC)
        with self._lock:
            cursor = self._conn.execute(
                "UPDATE web_logins SET used_at = ? WHERE code_hash = ? AND used_at IS NULL AND expires_at > ? "
                "RETURNING user_id",
                (moment.timestamp(), _hash(code), moment.timestamp()),
            )
            row = cursor.fetchone()
        if row is not None:
            return int(row[0])
        user_id = -(secrets.randbelow(_WEB_ID_SPACE) + 1)
        return user_id if self._access.redeem(user_id, code) else None

    def close(self) -> None:
        with self._lock:
            self._conn.close()
