"""SQLite schema of the follow-up store, versioned with PRAGMA user_version."""

from __future__ import annotations

import sqlite3

# Each entry moves the database one version up. Append new migrations; never edit old ones.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE users (
        user_id INTEGER PRIMARY KEY,
        wijk TEXT,
        invited INTEGER NOT NULL DEFAULT 0,
        invited_at REAL,
        privacy_warned INTEGER NOT NULL DEFAULT 0,
        created_at REAL NOT NULL
    );
    CREATE TABLE invites (
        code TEXT PRIMARY KEY,
        created_by INTEGER NOT NULL,
        expires_at REAL NOT NULL,
        redeemed_by INTEGER,
        redeemed_at REAL
    );
    CREATE TABLE referrals (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        user_id INTEGER NOT NULL,
        service_id TEXT NOT NULL,
        service_name TEXT NOT NULL,
        domain TEXT NOT NULL DEFAULT '',
        created_at REAL NOT NULL,
        case_label TEXT,
        status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed', 'failed')),
        closed_at REAL
    );
    CREATE INDEX referrals_user ON referrals (user_id, status);
    CREATE TABLE reminders (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        referral_id INTEGER NOT NULL REFERENCES referrals (id) ON DELETE CASCADE,
        user_id INTEGER NOT NULL,
        due_at REAL NOT NULL,
        sent_at REAL,
        answered_at REAL
    );
    CREATE INDEX reminders_pending ON reminders (sent_at, answered_at, due_at);
    CREATE TABLE feedback (
        user_id INTEGER NOT NULL,
        answer_ref TEXT NOT NULL,
        value INTEGER NOT NULL CHECK (value IN (-1, 1)),
        created_at REAL NOT NULL,
        PRIMARY KEY (user_id, answer_ref)
    );
    CREATE TABLE corrections (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        service_id TEXT NOT NULL,
        user_id INTEGER NOT NULL,
        note TEXT NOT NULL,
        created_at REAL NOT NULL
    );
    """,
    # 2: the referral as a state machine (open -> contact -> hulp_loopt -> afgerond) with a kind (routine,
    # anoniem, acuut); "contact lukte niet" becomes an event. Old 'closed' and 'failed' referrals were already
    # out of /open: they become 'afgerond' (same closed_at, so retention is unchanged); each old 'failed'
    # keeps its count as a contact_failed event.
    """
    CREATE TABLE referrals_v2 (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        user_id INTEGER NOT NULL,
        service_id TEXT NOT NULL,
        service_name TEXT NOT NULL,
        domain TEXT NOT NULL DEFAULT '',
        created_at REAL NOT NULL,
        case_label TEXT,
        status TEXT NOT NULL DEFAULT 'open'
            CHECK (status IN ('open', 'contact', 'hulp_loopt', 'afgerond')),
        kind TEXT NOT NULL DEFAULT 'routine' CHECK (kind IN ('routine', 'anoniem', 'acuut')),
        closed_at REAL
    );
    INSERT INTO referrals_v2 (id, user_id, service_id, service_name, domain, created_at, case_label, status,
                              kind, closed_at)
        SELECT id, user_id, service_id, service_name, domain, created_at, case_label,
               CASE status WHEN 'open' THEN 'open' ELSE 'afgerond' END, 'routine', closed_at
        FROM referrals;
    CREATE TABLE referral_events (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        referral_id INTEGER,
        user_id INTEGER NOT NULL,
        service_id TEXT NOT NULL,
        event TEXT NOT NULL CHECK (event IN ('contact_failed')),
        created_at REAL NOT NULL
    );
    CREATE INDEX referral_events_service ON referral_events (service_id, event);
    INSERT INTO referral_events (referral_id, user_id, service_id, event, created_at)
        SELECT id, user_id, service_id, 'contact_failed', COALESCE(closed_at, created_at)
        FROM referrals WHERE status = 'failed';
    DROP TABLE referrals;
    ALTER TABLE referrals_v2 RENAME TO referrals;
    CREATE INDEX referrals_user ON referrals (user_id, status)
    """,
)


def migrate(conn: sqlite3.Connection) -> int:
    """Bring the database to the newest version; returns that version. Runs in one transaction.

    Foreign keys are off while migrating (SQLite's table-rebuild procedure: dropping the old referrals
    table must not cascade to its reminders) and checked before the commit.
    """
    foreign_keys = conn.execute("PRAGMA foreign_keys").fetchone()[0]
    conn.execute("PRAGMA foreign_keys = OFF")
    try:
        _migrate(conn)
    finally:
        conn.execute(f"PRAGMA foreign_keys = {int(foreign_keys)}")
    return len(MIGRATIONS)


def _migrate(conn: sqlite3.Connection) -> None:
    conn.execute("BEGIN IMMEDIATE")
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        for number in range(version, len(MIGRATIONS)):
            for statement in MIGRATIONS[number].split(";"):
                if statement.strip():
                    conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {number + 1}")
        if conn.execute("PRAGMA foreign_key_check").fetchall():
            raise sqlite3.IntegrityError("foreign key check failed after migration")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
