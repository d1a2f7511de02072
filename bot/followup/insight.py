"""Team insight: anonymous aggregates over referrals, feedback and questions. Never a label, user id or text.

Reads the follow-up database with its own connection (same settings as the store: WAL, busy_timeout).
Questions are counted per month and publication chapter only (table question_counts, created if missing);
the question itself is never stored.
"""

from __future__ import annotations

import statistics
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.kaart.audit import connect

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS question_counts (month TEXT NOT NULL, chapter INTEGER NOT NULL, "
    "n INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (month, chapter))"
)
_MONTH = "strftime('%Y-%m', created_at, 'unixepoch')"


# Referral states after which the professional heard back (FollowUpService: open → contact → hulp_loopt → afgerond)
FEEDBACK_STATES = ("hulp_loopt", "afgerond")


@dataclass(frozen=True, slots=True)
class PartnerFigures:
    """Per partner: referrals, share closed with terugkoppeling, median days, contact failures."""

    partner: str
    referrals: int
    with_feedback: int
    failed: int
    median_days: float | None

    @property
    def feedback_share(self) -> float:
        return self.with_feedback / self.referrals if self.referrals else 0.0

    @property
    def failure_rate(self) -> float:
        return self.failed / self.referrals if self.referrals else 0.0


@dataclass(slots=True)
class Insight:
    """Everything /beheer/inzicht shows. Keys are partner names, levensgebieden, months and chapters."""

    per_partner_month: dict[tuple[str, str], int] = field(default_factory=dict)
    per_domain_month: dict[tuple[str, str], int] = field(default_factory=dict)
    partners: list[PartnerFigures] = field(default_factory=list)
    questions_by_chapter: dict[int, int] = field(default_factory=dict)
    feedback_up: int = 0
    feedback_down: int = 0

    @property
    def months(self) -> list[str]:
        keys = {m for _, m in self.per_partner_month} | {m for _, m in self.per_domain_month}
        return sorted(keys)


@dataclass(frozen=True, slots=True)
class ServiceSignals:
    """Freshness signals of one service from follow-up: failed contacts and correction reports."""

    failed: int = 0
    corrections: int = 0


class TeamInsight:
    """Aggregates for beheer. Thread-safe; blocking (call through asyncio.to_thread)."""

    def __init__(self, path: Path) -> None:
        self._conn = connect(path)
        self._lock = threading.Lock()
        with self._lock:
            self._conn.execute(_SCHEMA)

    def _rows(self, sql: str, params: tuple[object, ...] = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            if not self._has_table("referrals"):
                return []
            return [tuple(r) for r in self._conn.execute(sql, params).fetchall()]

    def _has_table(self, name: str) -> bool:
        found = self._conn.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", (name,))
        return found.fetchone() is not None

    def count_question(self, chapter: int, *, now: datetime | None = None) -> None:
        """Count one answered question for its publication chapter (no text, no user)."""
        month = (now or datetime.now(UTC)).strftime("%Y-%m")
        with self._lock:
            self._conn.execute(
                "INSERT INTO question_counts (month, chapter, n) VALUES (?, ?, 1) "
                "ON CONFLICT (month, chapter) DO UPDATE SET n = n + 1",
                (month, chapter),
            )

    def service_signals(self, since: Mapping[str, float] | None = None) -> dict[str, ServiceSignals]:
        """Per service id: referrals where contact failed, and 'contactgegevens klopten niet' reports.

        With `since` (service id -> epoch seconds of its latest 'gecontroleerd'), only later signals count:
        checking a service clears what came before."""
        cleared = since or {}
        counts: dict[str, list[int]] = {}
        queries = ("SELECT service_id, created_at FROM referral_events WHERE event = 'contact_failed'",
                   "SELECT service_id, created_at FROM corrections")  # fmt: skip
        for column, sql in enumerate(queries):
            for service_id, at in self._rows(sql):
                sid = str(service_id)
                if float(at) > cleared.get(sid, float("-inf")):
                    counts.setdefault(sid, [0, 0])[column] += 1
        return {sid: ServiceSignals(failed, corrected) for sid, (failed, corrected) in counts.items()}

    def collect(self) -> Insight:
        out = Insight()
        sql = f"SELECT service_name, {_MONTH}, COUNT(*) FROM referrals GROUP BY 1, 2"
        out.per_partner_month = {(str(p), str(m)): int(n) for p, m, n in self._rows(sql)}
        sql = f"SELECT domain, {_MONTH}, COUNT(*) FROM referrals GROUP BY 1, 2"
        out.per_domain_month = {(str(d or "onbekend"), str(m)): int(n) for d, m, n in self._rows(sql)}
        out.partners = self._partner_figures()
        with self._lock:
            chapters = self._conn.execute("SELECT chapter, SUM(n) FROM question_counts GROUP BY chapter")
            out.questions_by_chapter = {int(c): int(n) for c, n in chapters.fetchall()}
        votes = dict(self._rows("SELECT value, COUNT(*) FROM feedback GROUP BY value"))
        out.feedback_up, out.feedback_down = int(votes.get(1, 0)), int(votes.get(-1, 0))
        return out

    def _partner_figures(self) -> list[PartnerFigures]:
        rows = self._rows("SELECT service_name, status, created_at, closed_at FROM referrals")
        failures = dict(self._rows(  # "contact lukte niet" is an event, not a state (schema v2)
            "SELECT r.service_name, COUNT(*) FROM referral_events e JOIN referrals r ON r.id = e.referral_id "
            "WHERE e.event = 'contact_failed' GROUP BY r.service_name"))  # fmt: skip
        grouped: dict[str, list[tuple[Any, ...]]] = {}
        for row in rows:
            grouped.setdefault(str(row[0]), []).append(row)
        figures = []
        for partner, items in grouped.items():
            closed = [r for r in items if r[1] in FEEDBACK_STATES]
            days = [(float(r[3]) - float(r[2])) / 86400 for r in closed if r[3] is not None]
            figures.append(PartnerFigures(
                partner=partner, referrals=len(items), with_feedback=len(closed),
                failed=int(failures.get(partner, 0)),
                median_days=round(statistics.median(days), 1) if days else None,
            ))  # fmt: skip
        return sorted(figures, key=lambda f: (-f.referrals, f.partner))

    def close(self) -> None:
        with self._lock:
            self._conn.close()
