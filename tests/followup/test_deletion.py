"""Deleted means deleted: no copy in the raw database files; removed users get no messages and are purged."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.conversation.engine import Engine
from bot.followup.store import FollowupStore
from tests.conftest import run_cli

LABEL = "casus-zeldzaam-label-7Q"


def _raw_bytes(db: Path) -> bytes:
    return b"".join(p.read_bytes() for p in (db, Path(f"{db}-wal"), Path(f"{db}-shm")) if p.exists())


def _referral_with_reminder(store: FollowupStore, user_id: int, *, now: datetime) -> int:
    referral_id = store.add_referral(
        user_id, service_id="s1", service_name="Schuldhulp", case_label=LABEL, now=now
    )
    store.add_reminder(referral_id, user_id, due_at=now + timedelta(days=3))
    return referral_id


def test_forget_leaves_no_copy_in_db_wal_or_shm(tmp_path: Path) -> None:
    db = tmp_path / "wijkbot.sqlite3"
    store = FollowupStore(db)
    store.ensure_user(5)
    _referral_with_reminder(store, 5, now=datetime.now(UTC))
    assert LABEL.encode() in _raw_bytes(db)  # the test can see the label while it exists
    store.forget_user(5)
    assert LABEL.encode() not in _raw_bytes(db)
    store.close()
    assert LABEL.encode() not in _raw_bytes(db)


def test_retention_purge_leaves_no_copy(tmp_path: Path) -> None:
    db = tmp_path / "wijkbot.sqlite3"
    store = FollowupStore(db)
    start = datetime(2024, 1, 1, tzinfo=UTC)
    referral_id = _referral_with_reminder(store, 5, now=start)
    store.set_referral_status(referral_id, "afgerond", now=start)
    assert store.purge_closed(90, now=start + timedelta(days=91)) == 1
    assert LABEL.encode() not in _raw_bytes(db)
    store.close()


def test_removed_user_gets_no_reminder_and_is_purged_after_retention(services, clock) -> None:
    store = services.store
    store.ensure_user(3, now=clock())  # user 3 was allowed once; the settings now allow only 1 and 2
    reminder_referral = _referral_with_reminder(store, 3, now=clock())
    kept = _referral_with_reminder(store, 1, now=clock())
    engine = Engine(services, clock=clock, gate=True)
    pending = engine.pending_reminders()
    assert {r.user_id for r in pending} == {1}
    (own,) = store.referrals(3)
    reminder_id = next(r.id for r in store.pending_reminders() if r.referral_id == own.id)
    assert engine.reminder_due(reminder_id) is None
    assert reminder_referral == own.id
    clock.advance(days=3 + 89)  # the reminder was due after 3 days: that is the last activity
    engine.purge()
    assert store.referrals(3)  # not yet: the retention period runs from the last activity
    clock.advance(days=2)
    engine.purge()
    assert store.referrals(3) == [] and store.get_user(3) is None
    assert store.get_referral(kept) is not None


def test_terminal_engine_without_access_rules_keeps_its_user(services, clock) -> None:
    """The terminal chat has no allow-list: its user keeps reminders and data."""
    _referral_with_reminder(services.store, 42, now=clock())
    engine = Engine(services, clock=clock)
    assert {r.user_id for r in engine.pending_reminders()} == {42}
    clock.advance(days=400)
    engine.purge()
    assert services.store.referrals(42)


def test_cli_users_purge_at_once(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    store = FollowupStore(data_dir / "wijkbot.sqlite3")
    for user_id in (1, 7, 8):
        store.ensure_user(user_id)
        _referral_with_reminder(store, user_id, now=datetime.now(UTC))
    db_path = store.path
    store.close()
    result = run_cli("users", "purge", data_dir=data_dir, WIJKBOT_ALLOWED_USERS="1")
    assert result.returncode == 0, result.stderr
    assert "2 gebruiker(s)" in result.stdout and "zonder toegang" in result.stdout
    store = FollowupStore(db_path)
    assert store.referrals(7) == [] and store.referrals(8) == [] and len(store.referrals(1)) == 1
    store.close()
    again = run_cli("users", "purge", data_dir=data_dir, WIJKBOT_ALLOWED_USERS="1")
    assert "Geen gegevens gewist" in again.stdout
