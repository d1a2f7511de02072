"""Referral, reminder and event rows of the follow-up store. The rules live in FollowUpService, not here."""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Collection
from datetime import datetime

from bot.followup.db import Database
from bot.followup.db import now_epoch as _now
from bot.followup.records import (
    ACTIVE,
    Referral,
    ReferralKind,
    ReferralStatus,
    Reminder,
    from_epoch,
    to_epoch,
)

_REFERRAL_COLUMNS = (
    "id, user_id, service_id, service_name, domain, created_at, case_label, status, kind, closed_at"
)
_REMINDER_COLUMNS = "id, referral_id, user_id, due_at, sent_at, answered_at"


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
        kind=row["kind"],
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


class ReferralRows(Database):
    """Rows only: no transition rules (see bot/followup/service.py)."""

    # -- referrals ---------------------------------------------------------------------------------
    def add_referral(
        self,
        user_id: int,
        *,
        service_id: str,
        service_name: str,
        domain: str = "",
        case_label: str | None = None,
        kind: ReferralKind = "routine",
        now: datetime | None = None,
    ) -> int:
        with self._write() as conn:
            cursor = conn.execute(
                "INSERT INTO referrals (user_id, service_id, service_name, domain, created_at, case_label, kind) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (user_id, service_id, service_name, domain, _now(now), case_label, kind),
            )
            return int(cursor.lastrowid or 0)

    def set_case_label(self, referral_id: int, label: str | None) -> None:
        with self._write() as conn:
            conn.execute("UPDATE referrals SET case_label = ? WHERE id = ?", (label, referral_id))

    def set_kind(self, referral_id: int, kind: ReferralKind) -> None:
        with self._write() as conn:
            conn.execute("UPDATE referrals SET kind = ? WHERE id = ?", (kind, referral_id))

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

    def active_referrals(self, user_id: int) -> list[Referral]:
        """Referrals that are not afgerond, oldest first."""
        marks = ", ".join("?" for _ in ACTIVE)
        rows = self._read(
            f"SELECT {_REFERRAL_COLUMNS} FROM referrals WHERE user_id = ? AND status IN ({marks}) "
            "ORDER BY created_at, id",
            (user_id, *ACTIVE),
        )
        return [_referral(r) for r in rows]

    def set_referral_status(
        self, referral_id: int, status: ReferralStatus, *, now: datetime | None = None
    ) -> list[int]:
        """Set the status. 'afgerond' also answers its open reminders; returns their unsent ids (to cancel)."""
        moment = _now(now)
        with self._write() as conn:
            closed_at = moment if status == "afgerond" else None
            conn.execute(
                "UPDATE referrals SET status = ?, closed_at = ? WHERE id = ?",
                (status, closed_at, referral_id),
            )
            if status != "afgerond":
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

    # -- events --------------------------------------------------------------------------------------
    def add_contact_failure(self, referral: Referral, *, now: datetime | None = None) -> None:
        with self._write() as conn:
            conn.execute(
                "INSERT INTO referral_events (referral_id, user_id, service_id, event, created_at) "
                "VALUES (?, ?, ?, 'contact_failed', ?)",
                (referral.id, referral.user_id, referral.service_id, _now(now)),
            )

    def contact_failures(self, *, referral_id: int | None = None) -> Counter[str]:
        """'Contact lukte niet' per service id (of one referral, or of all)."""
        sql = "SELECT service_id FROM referral_events WHERE event = 'contact_failed'"
        params: tuple[object, ...] = ()
        if referral_id is not None:
            sql, params = sql + " AND referral_id = ?", (referral_id,)
        return Counter(row[0] for row in self._read(sql, params))

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

    def pending_reminders(
        self, *, referral_id: int | None = None, ids: Collection[int] | None = None
    ) -> list[Reminder]:
        """Reminders not yet sent and not answered, soonest first (for rescheduling at start-up). ids: only these
        (the ones a turn just scheduled: a look-up by key, however many other reminders are pending)."""
        sql = f"SELECT {_REMINDER_COLUMNS} FROM reminders WHERE sent_at IS NULL AND answered_at IS NULL"
        params: tuple[object, ...] = ()
        if referral_id is not None:
            sql, params = sql + " AND referral_id = ?", (referral_id,)
        if ids is not None:
            wanted = sorted({int(i) for i in ids})
            if not wanted:
                return []
            sql, params = sql + f" AND id IN ({', '.join('?' * len(wanted))})", (*params, *wanted)
        return [_reminder(r) for r in self._read(sql + " ORDER BY due_at, id", params)]

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
