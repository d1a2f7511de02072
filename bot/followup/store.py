"""SQLite store for users, invites, referrals, reminders, feedback and corrections.

It holds no message text and no client data: a referral has a partner id, a date, a status and an optional
short anonymous case label (checked by the engine before it gets here).

Concurrency: one connection per thread (WAL, synchronous=NORMAL, busy_timeout=5000), so reads run in
parallel. Writes of this process queue on one lock and run in a `BEGIN IMMEDIATE` transaction; writers in
other processes wait through busy_timeout. No "database is locked" under many asyncio.to_thread workers.

Reminder delivery contract (at-least-once):
1. `pending_reminders()` lists reminders that are neither sent nor answered; the channel schedules them
   at start-up (overdue ones fire at once). `due_reminders(now)` lists the ones whose time has come.
2. The channel sends a reminder and, only after Telegram accepted the message, calls
   `mark_reminder_sent(id)`.
3. A crash between sending and marking gives at most one duplicate after restart. In normal operation,
   or after a clean restart, a reminder is never sent twice: a sent reminder is never returned as pending.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.followup.records import (
    Correction,
    Referral,
    ReferralStatus,
    Reminder,
    StoreStats,
    UserRecord,
    from_epoch,
    to_epoch,
)
from bot.followup.schema import migrate

_REFERRAL_COLUMNS = "id, user_id, service_id, service_name, domain, created_at, case_label, status, closed_at"
_REMINDER_COLUMNS = "id, referral_id, user_id, due_at, sent_at, answered_at"


def _now(now: datetime | None) -> float:
    return to_epoch(now or datetime.now(UTC))


def _referral(row: sqlite3.Row) -> Referral:
    return Referral(
        id=row["id"],
        user_id=row["user_id"],
        service_id=row["service_id"],
        service_name=row["service_name"],
        domain=row["domain"],
        created_at=from_epoch(row["created_at"]),  # type: ignore[arg-type]
        case_label=row["case_label"],
        status=row["status"],
        closed_at=from_epoch(row["closed_at"]),
    )


def _reminder(row: sqlite3.Row) -> Reminder:
    return Reminder(
        id=row["id"],
        referral_id=row["referral_id"],
        user_id=row["user_id"],
        due_at=from_epoch(row["due_at"]),  # type: ignore[arg-type]
        sent_at=from_epoch(row["sent_at"]),
        answered_at=from_epoch(row["answered_at"]),
    )


class FollowupStore:
    """All durable state of wijkbot. Thread-safe; see the module docstring for the reminder contract."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._write_lock = threading.Lock()
        migrate(self._conn())

    # -- connections ---------------------------------------------------------------------------
    def _conn(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=5.0)
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA busy_timeout = 5000")
            conn.execute("PRAGMA journal_mode = WAL")
            # WAL + NORMAL: a commit survives a crash of the process; only a power cut may undo the last ones.
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA secure_delete = ON")  # deleted rows are overwritten with zeros
            self._local.conn = conn
            with self._lock:
                self._connections.append(conn)
        return conn

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction. Writers of this process queue on a lock (no SQLite busy back-off);
        other processes (the CLI) are covered by BEGIN IMMEDIATE + busy_timeout."""
        conn = self._conn()
        with self._write_lock:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def _read(self, sql: str, params: tuple[object, ...] = ()) -> list[sqlite3.Row]:
        return self._conn().execute(sql, params).fetchall()

    def close(self) -> None:
        """Close every connection this store opened (from any thread)."""
        with self._lock:
            for conn in self._connections:
                conn.close()
            self._connections.clear()
        self._local = threading.local()

    # -- users and invites ---------------------------------------------------------------------
    def ensure_user(self, user_id: int, *, now: datetime | None = None) -> None:
        with self._write() as conn:
            conn.execute(
                "INSERT OR IGNORE INTO users (user_id, created_at) VALUES (?, ?)", (user_id, _now(now))
            )

    def get_user(self, user_id: int) -> UserRecord | None:
        rows = self._read("SELECT * FROM users WHERE user_id = ?", (user_id,))
        if not rows:
            return None
        row = rows[0]
        return UserRecord(
            user_id=row["user_id"],
            wijk=row["wijk"],
            invited=bool(row["invited"]),
            privacy_warned=bool(row["privacy_warned"]),
            created_at=from_epoch(row["created_at"]),  # type: ignore[arg-type]
        )

    def set_wijk(self, user_id: int, wijk: str | None, *, now: datetime | None = None) -> None:
        with self._write() as conn:
            conn.execute(
                "INSERT OR IGNORE INTO users (user_id, created_at) VALUES (?, ?)", (user_id, _now(now))
            )
            conn.execute("UPDATE users SET wijk = ? WHERE user_id = ?", (wijk, user_id))

    def mark_privacy_warned(self, user_id: int, *, now: datetime | None = None) -> None:
        with self._write() as conn:
            conn.execute(
                "INSERT OR IGNORE INTO users (user_id, created_at) VALUES (?, ?)", (user_id, _now(now))
            )
            conn.execute("UPDATE users SET privacy_warned = 1 WHERE user_id = ?", (user_id,))

    def create_invite(self, code: str, *, created_by: int, expires_at: datetime) -> None:
        with self._write() as conn:
            conn.execute(
                "INSERT INTO invites (code, created_by, expires_at) VALUES (?, ?, ?)",
                (code, created_by, to_epoch(expires_at)),
            )

    def redeem_invite(self, code: str, user_id: int, *, now: datetime | None = None) -> bool:
        """Redeem a one-time code atomically. False when unknown, expired or already used."""
        moment = _now(now)
        with self._write() as conn:
            cursor = conn.execute(
                "UPDATE invites SET redeemed_by = ?, redeemed_at = ? "
                "WHERE code = ? AND redeemed_by IS NULL AND expires_at > ?",
                (user_id, moment, code, moment),
            )
            if cursor.rowcount != 1:
                return False
            conn.execute("INSERT OR IGNORE INTO users (user_id, created_at) VALUES (?, ?)", (user_id, moment))
            conn.execute("UPDATE users SET invited = 1, invited_at = ? WHERE user_id = ?", (moment, user_id))
        return True

    def is_invited(self, user_id: int) -> bool:
        return bool(self._read("SELECT 1 FROM users WHERE user_id = ? AND invited = 1", (user_id,)))

    # -- referrals ---------------------------------------------------------------------------------
    def add_referral(
        self,
        user_id: int,
        *,
        service_id: str,
        service_name: str,
        domain: str = "",
        case_label: str | None = None,
        now: datetime | None = None,
    ) -> int:
        with self._write() as conn:
            cursor = conn.execute(
                "INSERT INTO referrals (user_id, service_id, service_name, domain, created_at, case_label) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (user_id, service_id, service_name, domain, _now(now), case_label),
            )
            return int(cursor.lastrowid or 0)

    def set_case_label(self, referral_id: int, label: str | None) -> None:
        with self._write() as conn:
            conn.execute("UPDATE referrals SET case_label = ? WHERE id = ?", (label, referral_id))

    def get_referral(self, referral_id: int) -> Referral | None:
        rows = self._read(f"SELECT {_REFERRAL_COLUMNS} FROM referrals WHERE id = ?", (referral_id,))
        return _referral(rows[0]) if rows else None

    def referrals(self, user_id: int, *, status: ReferralStatus | None = "open") -> list[Referral]:
        """A user's referrals, oldest first; status=None gives all of them."""
        sql = f"SELECT {_REFERRAL_COLUMNS} FROM referrals WHERE user_id = ?"
        params: tuple[object, ...] = (user_id,)
        if status is not None:
            sql, params = sql + " AND status = ?", (user_id, status)
        return [_referral(r) for r in self._read(sql + " ORDER BY created_at, id", params)]

    def set_referral_status(
        self, referral_id: int, status: ReferralStatus, *, now: datetime | None = None
    ) -> list[int]:
        """Set the status. Closing or failing also answers its open reminders; returns their ids."""
        moment = _now(now)
        with self._write() as conn:
            closed_at = None if status == "open" else moment
            conn.execute(
                "UPDATE referrals SET status = ?, closed_at = ? WHERE id = ?",
                (status, closed_at, referral_id),
            )
            if status == "open":
                return []
            return self._answer_reminders(conn, referral_id, moment)

    def answer_reminders(self, referral_id: int, *, now: datetime | None = None) -> list[int]:
        """Mark every unanswered reminder of a referral as answered; returns the unsent ones (to cancel)."""
        with self._write() as conn:
            return self._answer_reminders(conn, referral_id, _now(now))

    @staticmethod
    def _answer_reminders(conn: sqlite3.Connection, referral_id: int, moment: float) -> list[int]:
        unsent = [
            row[0]
            for row in conn.execute(
                "SELECT id FROM reminders WHERE referral_id = ? AND answered_at IS NULL AND sent_at IS NULL",
                (referral_id,),
            )
        ]
        conn.execute(
            "UPDATE reminders SET answered_at = ? WHERE referral_id = ? AND answered_at IS NULL",
            (moment, referral_id),
        )
        return unsent

    # -- reminders -----------------------------------------------------------------------------------
    def add_reminder(self, referral_id: int, user_id: int, *, due_at: datetime) -> int:
        with self._write() as conn:
            cursor = conn.execute(
                "INSERT INTO reminders (referral_id, user_id, due_at) VALUES (?, ?, ?)",
                (referral_id, user_id, to_epoch(due_at)),
            )
            return int(cursor.lastrowid or 0)

    def get_reminder(self, reminder_id: int) -> Reminder | None:
        rows = self._read(f"SELECT {_REMINDER_COLUMNS} FROM reminders WHERE id = ?", (reminder_id,))
        return _reminder(rows[0]) if rows else None

    def pending_reminders(self) -> list[Reminder]:
        """Reminders not yet sent and not answered, soonest first (for rescheduling at start-up)."""
        rows = self._read(
            f"SELECT {_REMINDER_COLUMNS} FROM reminders WHERE sent_at IS NULL AND answered_at IS NULL "
            "ORDER BY due_at, id"
        )
        return [_reminder(r) for r in rows]

    def due_reminders(self, *, now: datetime | None = None) -> list[Reminder]:
        """Pending reminders whose due time has come."""
        moment = _now(now)
        return [r for r in self.pending_reminders() if to_epoch(r.due_at) <= moment]

    def mark_reminder_sent(self, reminder_id: int, *, now: datetime | None = None) -> bool:
        """Call only after the channel's send succeeded. False when it was already marked."""
        with self._write() as conn:
            cursor = conn.execute(
                "UPDATE reminders SET sent_at = ? WHERE id = ? AND sent_at IS NULL", (_now(now), reminder_id)
            )
            return cursor.rowcount == 1

    # -- feedback and corrections --------------------------------------------------------------------
    def add_feedback(self, user_id: int, answer_ref: str, value: int, *, now: datetime | None = None) -> None:
        """Store 👍 (+1) or 👎 (-1) for one answer; pressing again replaces the earlier value."""
        if value not in (1, -1):
            raise ValueError("feedback value must be +1 or -1")
        with self._write() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO feedback (user_id, answer_ref, value, created_at) VALUES (?, ?, ?, ?)",
                (user_id, answer_ref, value, _now(now)),
            )

    def add_correction(
        self, service_id: str, user_id: int, note: str, *, now: datetime | None = None
    ) -> None:
        with self._write() as conn:
            conn.execute(
                "INSERT INTO corrections (service_id, user_id, note, created_at) VALUES (?, ?, ?, ?)",
                (service_id, user_id, note, _now(now)),
            )

    def corrections(self) -> list[Correction]:
        rows = self._read(
            "SELECT service_id, user_id, note, created_at FROM corrections ORDER BY created_at, id"
        )
        return [
            Correction(r["service_id"], r["user_id"], r["note"], from_epoch(r["created_at"]))  # type: ignore[arg-type]
            for r in rows
        ]

    # -- retention and statistics --------------------------------------------------------------------
    def purge_closed(self, older_than_days: int, *, now: datetime | None = None) -> int:
        """Delete closed/failed referrals (and their reminders) closed more than N days ago; returns count.

        Expired, unredeemed invites are removed too.
        """
        moment = now or datetime.now(UTC)
        cutoff = to_epoch(moment - timedelta(days=older_than_days))
        with self._write() as conn:
            conn.execute(
                "DELETE FROM reminders WHERE referral_id IN (SELECT id FROM referrals "
                "WHERE status != 'open' AND closed_at < ?)",
                (cutoff,),
            )
            cursor = conn.execute("DELETE FROM referrals WHERE status != 'open' AND closed_at < ?", (cutoff,))
            conn.execute(
                "DELETE FROM invites WHERE redeemed_by IS NULL AND expires_at < ?", (to_epoch(moment),)
            )
            count = cursor.rowcount
        self.checkpoint()
        return count

    def checkpoint(self) -> None:
        """Copy the WAL into the database and truncate it, so deleted rows leave no copy in the -wal file."""
        self._conn().execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()

    def last_activity(self) -> dict[int, datetime]:
        """Per user id (users, referrals, reminders): the latest moment anything of theirs was written."""
        rows = self._read(
            "SELECT user_id, MAX(t) FROM ("
            " SELECT user_id, MAX(created_at, COALESCE(invited_at, 0)) AS t FROM users"
            " UNION ALL SELECT user_id, MAX(created_at, COALESCE(closed_at, 0)) FROM referrals"
            " UNION ALL SELECT user_id, MAX(due_at, COALESCE(sent_at, 0), COALESCE(answered_at, 0)) FROM reminders"
            ") GROUP BY user_id"
        )
        return {int(r[0]): from_epoch(r[1]) for r in rows}  # type: ignore[misc]

    def forget_user(self, user_id: int) -> list[int]:
        """Delete everything of one user. Returns the ids of reminders that were still pending."""
        with self._write() as conn:
            pending = [
                row[0]
                for row in conn.execute(
                    "SELECT id FROM reminders WHERE user_id = ? AND sent_at IS NULL AND answered_at IS NULL",
                    (user_id,),
                )
            ]
            conn.execute("DELETE FROM reminders WHERE user_id = ?", (user_id,))
            conn.execute("DELETE FROM referrals WHERE user_id = ?", (user_id,))
            conn.execute("DELETE FROM feedback WHERE user_id = ?", (user_id,))
            conn.execute("DELETE FROM corrections WHERE user_id = ?", (user_id,))
            conn.execute("DELETE FROM invites WHERE redeemed_by = ? OR created_by = ?", (user_id, user_id))
            conn.execute("DELETE FROM users WHERE user_id = ?", (user_id,))
        self.checkpoint()
        return pending

    def stats(self) -> StoreStats:
        one = self._conn().execute
        by_status = {row[0]: row[1] for row in one("SELECT status, COUNT(*) FROM referrals GROUP BY status")}
        return StoreStats(
            users=one("SELECT COUNT(*) FROM users").fetchone()[0],
            feedback_up=one("SELECT COUNT(*) FROM feedback WHERE value = 1").fetchone()[0],
            feedback_down=one("SELECT COUNT(*) FROM feedback WHERE value = -1").fetchone()[0],
            referrals={status: by_status.get(status, 0) for status in ("open", "closed", "failed")},
            reminders_pending=one(
                "SELECT COUNT(*) FROM reminders WHERE sent_at IS NULL AND answered_at IS NULL"
            ).fetchone()[0],
            corrections=one("SELECT COUNT(*) FROM corrections").fetchone()[0],
        )
