"""Who may use the bot: WIJKBOT_ALLOWED_USERS, WIJKBOT_ADMINS, and users who redeemed an invite."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bot.config import Settings
from bot.followup.store import FollowupStore

CODE_BYTES = 12  # 16 url-safe characters, ~96 bits: unguessable


@dataclass(frozen=True, slots=True)
class Invite:
    code: str
    expires_at: datetime


class AccessControl:
    """Checks access without creating rows; only a successful redemption writes."""

    def __init__(
        self, settings: Settings, store: FollowupStore, *, clock: Callable[[], datetime] | None = None
    ) -> None:
        self._allowed = frozenset(settings.allowed_users)
        self._admins = frozenset(settings.admins)
        self._ttl = timedelta(hours=settings.invite_ttl_hours)
        self._store = store
        self._clock = clock or (lambda: datetime.now(UTC))

    def is_admin(self, user_id: int) -> bool:
        return user_id in self._admins

    def is_allowed(self, user_id: int) -> bool:
        """Allow-listed, admin, or redeemed an invite."""
        if user_id in self._allowed or user_id in self._admins:
            return True
        return self._store.is_invited(user_id)

    def create_invite(self, admin_id: int) -> Invite:
        """A one-time code valid for settings.invite_ttl_hours. Raises PermissionError for non-admins."""
        if not self.is_admin(admin_id):
            raise PermissionError("only admins create invites")
        code = secrets.token_urlsafe(CODE_BYTES)
        expires_at = self._clock() + self._ttl
        self._store.create_invite(code, created_by=admin_id, expires_at=expires_at)
        return Invite(code=code, expires_at=expires_at)

    def redeem(self, user_id: int, code: str) -> bool:
        """True when the code existed, had not expired and was not used before."""
        code = code.strip()
        if not code or len(code) > 64:
            return False
        return self._store.redeem_invite(code, user_id, now=self._clock())
