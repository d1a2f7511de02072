"""Audit trail of kaart beheer: who changed which fields of which service, and when.

It lives in the same SQLite database as the follow-up store, in its own table (created if missing), with the
same connection settings (WAL, busy_timeout, BEGIN IMMEDIATE), so the web app and the Telegram bot can
write at the same time. It stores field names, never field values or message text.
"""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

_SCHEMA = """
CREATE TABLE IF NOT EXISTS kaart_audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    service_id TEXT NOT NULL,
    actor INTEGER NOT NULL,
    at REAL NOT NULL,
    action TEXT NOT NULL,
    fields TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS kaart_audit_service ON kaart_audit (service_id, at)
"""


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One change. action: 'wijzigen', 'toevoegen', 'verwijderen', 'gecontroleerd' or 'import'."""

    service_id: str
    actor: int
    at: datetime
    action: str
    fields: tuple[str, ...]


def connect(path: Path) -> sqlite3.Connection:
    """A connection with the settings every wijkbot process uses on the shared database."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=5.0)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA busy_timeout = 5000")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    return conn


class KaartAudit:
    """Append-only log of beheer changes. Thread-safe (one lock around one connection)."""

    def __init__(self, path: Path) -> None:
        self._conn = connect(path)
        self._lock = threading.Lock()
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            for statement in _SCHEMA.split(";"):
                self._conn.execute(statement)
            self._conn.execute("COMMIT")

    def record(self, service_id: str, *, actor: int, action: str, fields: tuple[str, ...] = (),
               now: datetime | None = None) -> None:  # fmt: skip
        moment = (now or datetime.now(UTC)).timestamp()
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                self._conn.execute(
                    "INSERT INTO kaart_audit (service_id, actor, at, action, fields) VALUES (?, ?, ?, ?, ?)",
                    (service_id, actor, moment, action, ",".join(fields)),
                )
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def history(self, service_id: str, *, limit: int = 200) -> list[AuditEntry]:
        """Changes of one service (and whole-kaart imports), newest first."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT service_id, actor, at, action, fields FROM kaart_audit WHERE service_id IN (?, '*') "
                "ORDER BY at DESC, id DESC LIMIT ?",
                (service_id, limit),
            ).fetchall()
        return [
            AuditEntry(
                r["service_id"],
                r["actor"],
                datetime.fromtimestamp(r["at"], tz=UTC),
                r["action"],
                tuple(f for f in r["fields"].split(",") if f),
            )  # fmt: skip
            for r in rows
        ]

    def last_verified_at(self) -> dict[str, float]:
        """Per service id: epoch seconds of its latest 'gecontroleerd' click."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT service_id, MAX(at) FROM kaart_audit WHERE action = 'gecontroleerd' GROUP BY service_id"
            ).fetchall()
        return {str(r[0]): float(r[1]) for r in rows}

    def close(self) -> None:
        with self._lock:
            self._conn.close()
