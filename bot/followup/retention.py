"""Users who lost access: never messaged, and their data purged after the retention period (or at once)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from bot.followup.store import FollowupStore


def removed_users(store: FollowupStore, is_allowed: Callable[[int], bool]) -> dict[int, datetime]:
    """Users with data in the store who are no longer allowed (not in the settings, no redeemed invite),
    with the moment of their last activity."""
    return {uid: last for uid, last in store.last_activity().items() if not is_allowed(uid)}


def purge_removed_users(
    store: FollowupStore,
    is_allowed: Callable[[int], bool],
    *,
    older_than_days: int | None,
    now: datetime | None = None,
) -> int:
    """Forget removed users; with older_than_days only those inactive that long. Returns how many."""
    cutoff = (now or datetime.now(UTC)) - timedelta(days=older_than_days or 0)
    count = 0
    for user_id, last in removed_users(store, is_allowed).items():
        if older_than_days is None or last < cutoff:
            store.forget_user(user_id)
            count += 1
    return count
