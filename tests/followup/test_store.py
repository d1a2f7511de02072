"""FollowupStore: schema, invites, referrals, reminder contract, retention, forget, concurrency."""

from __future__ import annotations

import sqlite3
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.followup.schema import MIGRATIONS
from bot.followup.store import FollowupStore

T0 = datetime(2024, 5, 3, 9, 0, tzinfo=UTC)


@pytest.fixture
def store(tmp_path: Path):
    s = FollowupStore(tmp_path / "data" / "wijkbot.sqlite3")
    yield s
    s.close()


def test_schema_version_and_pragmas(store: FollowupStore, tmp_path: Path) -> None:
    conn = sqlite3.connect(store.path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()
    # Reopening an existing database does not re-run migrations.
    FollowupStore(store.path).close()


def test_invite_one_time_and_expiry(store: FollowupStore) -> None:
    store.create_invite("abc", created_by=1, expires_at=T0 + timedelta(hours=1))
    assert not store.redeem_invite("nope", 7, now=T0)
    assert store.redeem_invite("abc", 7, now=T0)
    assert store.is_invited(7)
    assert not store.redeem_invite("abc", 8, now=T0), "a code works once"
    store.create_invite("old", created_by=1, expires_at=T0)
    assert not store.redeem_invite("old", 9, now=T0 + timedelta(seconds=1))
    assert not store.is_invited(9)
    assert store.get_user(9) is None, "a failed redemption creates no row"


def test_reminder_contract(store: FollowupStore) -> None:
    ref = store.add_referral(5, service_id="svc-1", service_name="Schuldhulp Test", now=T0)
    first = store.add_reminder(ref, 5, due_at=T0 + timedelta(days=3))
    second = store.add_reminder(ref, 5, due_at=T0 + timedelta(days=1))
    assert [r.id for r in store.pending_reminders()] == [second, first]
    assert store.due_reminders(now=T0) == []
    assert [r.id for r in store.due_reminders(now=T0 + timedelta(days=2))] == [second]
    assert store.mark_reminder_sent(second)
    assert not store.mark_reminder_sent(second), "marking twice reports the duplicate"
    assert [r.id for r in store.pending_reminders()] == [first], "a sent reminder is never pending"
    # Reopening (clean restart) keeps that.
    again = FollowupStore(store.path)
    assert [r.id for r in again.pending_reminders()] == [first]
    again.close()
    cancelled = store.set_referral_status(ref, "afgerond", now=T0 + timedelta(days=2))
    assert cancelled == [first]
    assert store.pending_reminders() == []
    assert store.get_referral(ref).status == "afgerond"  # type: ignore[union-attr]


def test_purge_closed_respects_age_and_status(store: FollowupStore) -> None:
    old = store.add_referral(1, service_id="a", service_name="A", now=T0)
    store.add_reminder(old, 1, due_at=T0)
    store.set_referral_status(old, "afgerond", now=T0)
    recent = store.add_referral(1, service_id="b", service_name="B", now=T0)
    store.set_referral_status(recent, "afgerond", now=T0 + timedelta(days=80))
    store.set_referral_status(store.add_referral(1, service_id="d", service_name="D", now=T0), "hulp_loopt")
    still_open = store.add_referral(1, service_id="c", service_name="C", now=T0)
    assert store.purge_closed(90, now=T0 + timedelta(days=91)) == 1
    assert store.get_referral(old) is None
    assert store.get_referral(recent) is not None
    assert store.get_referral(still_open) is not None
    assert store.pending_reminders() == []


def test_forget_user_removes_everything(store: FollowupStore) -> None:
    store.set_wijk(3, "Noord")
    ref = store.add_referral(3, service_id="a", service_name="A", case_label="gezin A")
    rem = store.add_reminder(ref, 3, due_at=T0)
    store.add_feedback(3, "tok:p1", 1)
    store.add_correction("a", 3, "contactgegevens niet juist")
    store.add_referral(4, service_id="a", service_name="A")
    store.add_contact_failure(store.get_referral(ref))  # type: ignore[arg-type]
    store.set_referral_status(ref, "contact")
    assert store.forget_user(3) == [rem]
    assert store.contact_failures() == {}
    assert store.get_user(3) is None
    assert store.referrals(3, status=None) == []
    assert store.corrections() == []
    stats = store.stats()
    assert (stats.feedback_up, stats.referrals["open"]) == (0, 1)


def test_feedback_stats_and_replace(store: FollowupStore) -> None:
    store.add_feedback(1, "r1", 1)
    store.add_feedback(1, "r1", -1)  # changed mind: one vote
    store.add_feedback(2, "r1", 1)
    stats = store.stats()
    assert (stats.feedback_up, stats.feedback_down) == (1, 1)
    with pytest.raises(ValueError):
        store.add_feedback(1, "r2", 0)


def test_concurrent_writers_never_lock(store: FollowupStore) -> None:
    errors: list[BaseException] = []

    def user(uid: int) -> None:
        try:
            for i in range(20):
                ref = store.add_referral(uid, service_id=f"s{i}", service_name="S")
                store.add_reminder(ref, uid, due_at=T0)
                store.add_feedback(uid, f"a{i}", 1)
                store.referrals(uid)
        except BaseException as exc:  # noqa: BLE001 - collected for the assert
            errors.append(exc)

    threads = [threading.Thread(target=user, args=(uid,)) for uid in range(50)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    stats = store.stats()
    assert stats.referrals["open"] == 1000
    assert stats.feedback_up == 1000
    assert stats.reminders_pending == 1000


def test_pending_reminders_by_id_only_those_still_pending(store: FollowupStore) -> None:
    """The engine worker sends along the reminders a turn scheduled by looking them up by id (perf18): only those,
    in the usual order, never a sent or answered one, whatever else is pending."""
    ref = store.add_referral(5, service_id="svc-1", service_name="Schuldhulp Test", now=T0)
    other = store.add_referral(6, service_id="svc-2", service_name="Buurtwerk Test", now=T0)
    late = store.add_reminder(ref, 5, due_at=T0 + timedelta(days=3))
    soon = store.add_reminder(ref, 5, due_at=T0 + timedelta(days=1))
    elsewhere = store.add_reminder(other, 6, due_at=T0 + timedelta(days=2))
    assert [r.id for r in store.pending_reminders(ids={late, soon})] == [soon, late]
    assert [r.id for r in store.pending_reminders(ids=[elsewhere])] == [elsewhere]
    assert store.pending_reminders(ids=[]) == [], "no ids: nothing, not everything"
    assert store.pending_reminders(ids=[999]) == []
    store.mark_reminder_sent(soon)
    assert [r.id for r in store.pending_reminders(ids={late, soon})] == [late], "a sent one is not pending"
    assert [r.id for r in store.pending_reminders(ids={late, elsewhere}, referral_id=other)] == [elsewhere]
