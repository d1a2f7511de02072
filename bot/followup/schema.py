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
)


def migrate(conn: sqlite3.Connection) -> int:
    """Bring the database to the newest version; returns that version. Runs in one transaction."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        for number in range(version, len(MIGRATIONS)):
            for statement in MIGRATIONS[number].split(";"):
                if statement.strip():
                    conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {number + 1}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return len(MIGRATIONS)
