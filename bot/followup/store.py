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

from datetime import UTC, datetime, timedelta

from bot.followup.db import now_epoch as _now
from bot.followup.records import STATUSES, Correction, StoreStats, UserRecord, from_epoch, to_epoch
from bot.followup.referral_rows import ReferralRows

QUESTION_COUNTS_TABLE = (
    "CREATE TABLE IF NOT EXISTS question_counts (month TEXT NOT NULL, chapter INTEGER NOT NULL, "
    "n INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (month, chapter))"
)


class FollowupStore(ReferralRows):
    """All durable state of wijkbot. Thread-safe; see the module docstring for the reminder contract."""

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
        """Delete afgeronde referrals (and their reminders) closed more than N days ago; returns count.

        Expired, unredeemed invites are removed too.
        """
        moment = now or datetime.now(UTC)
        cutoff = to_epoch(moment - timedelta(days=older_than_days))
        with self._write() as conn:
            conn.execute(
                "DELETE FROM reminders WHERE referral_id IN (SELECT id FROM referrals "
                "WHERE status = 'afgerond' AND closed_at < ?)",
                (cutoff,),
            )
            cursor = conn.execute(
                "DELETE FROM referrals WHERE status = 'afgerond' AND closed_at < ?", (cutoff,)
            )
            conn.execute(
                "DELETE FROM invites WHERE redeemed_by IS NULL AND expires_at < ?", (to_epoch(moment),)
            )
            count = cursor.rowcount
        self.checkpoint()
        return count

    def count_question(self, chapter: int, *, now: datetime | None = None) -> None:
        """Count one answered question for its publication chapter (team insight: no text, no user). Through
        this store's one writer, so an answer costs no commit of its own on another connection."""
        month = (now or datetime.now(UTC)).strftime("%Y-%m")
        with self._write() as conn:
            conn.execute(QUESTION_COUNTS_TABLE)  # TeamInsight reads it; created here when missing
            conn.execute(
                "INSERT INTO question_counts (month, chapter, n) VALUES (?, ?, 1) "
                "ON CONFLICT (month, chapter) DO UPDATE SET n = n + 1",
                (month, chapter),
            )

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
            conn.execute("DELETE FROM referral_events WHERE user_id = ?", (user_id,))
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
            referrals={status: by_status.get(status, 0) for status in STATUSES},
            reminders_pending=one(
                "SELECT COUNT(*) FROM reminders WHERE sent_at IS NULL AND answered_at IS NULL"
            ).fetchone()[0],
            corrections=one("SELECT COUNT(*) FROM corrections").fetchone()[0],
            contact_failures=one("SELECT COUNT(*) FROM referral_events").fetchone()[0],
        )
