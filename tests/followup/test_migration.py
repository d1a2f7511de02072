"""Schema migration 1 -> 2: an existing database keeps working, with its reminders and counts."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from bot.followup.schema import MIGRATIONS
from bot.followup.store import FollowupStore

T0 = datetime(2025, 3, 3, 9, 0, tzinfo=UTC).timestamp()


def version_one(path: Path) -> None:
    conn = sqlite3.connect(path)
    for statement in MIGRATIONS[0].split(";"):
        if statement.strip():
            conn.execute(statement)
    conn.execute("PRAGMA user_version = 1")
    rows = [(1, "open", None, "gezin A"), (2, "closed", T0 + 60, None), (3, "failed", T0 + 120, None)]
    for ref_id, status, closed_at, label in rows:
        conn.execute(
            "INSERT INTO referrals (id, user_id, service_id, service_name, domain, created_at, case_label, status,"
            " closed_at) VALUES (?, 5, ?, 'S', 'financien', ?, ?, ?, ?)",
            (ref_id, f"svc-{ref_id}", T0, label, status, closed_at),
        )
    conn.execute("INSERT INTO reminders (referral_id, user_id, due_at) VALUES (1, 5, ?)", (T0 + 3600,))
    conn.execute(
        "INSERT INTO corrections (service_id, user_id, note, created_at) VALUES ('svc-2', 5, 'n', ?)", (T0,)
    )
    conn.commit()
    conn.close()


def test_existing_database_migrates(tmp_path: Path) -> None:
    path = tmp_path / "wijkbot.sqlite3"
    version_one(path)
    store = FollowupStore(path)
    try:
        assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS) == 2
        statuses = {r.id: (r.status, r.kind, r.case_label) for r in store.referrals(5, status=None)}
        assert statuses == {1: ("open", "routine", "gezin A"), 2: ("afgerond", "routine", None),
                            3: ("afgerond", "routine", None)}  # fmt: skip
        assert [r.referral_id for r in store.pending_reminders()] == [1], (
            "reminders survive the table rebuild"
        )
        assert store.contact_failures() == {"svc-3": 1}, "an old 'failed' still counts as a failed contact"
        assert len(store.corrections()) == 1
        assert store.get_referral(3).closed_at is not None  # type: ignore[union-attr]
        store.set_referral_status(1, "hulp_loopt")  # a new state is accepted
        conn = sqlite3.connect(path)
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("DELETE FROM referrals WHERE id = 1")
        conn.commit()
        assert conn.execute("SELECT COUNT(*) FROM reminders").fetchone()[0] == 0, (
            "the foreign key still cascades"
        )
        conn.close()
    finally:
        store.close()
