"""Typed rows returned by the follow-up store. None of them holds message text or client data."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal

# open -> contact (contact gemaakt) -> hulp_loopt (terugkoppeling gehad, hulp loopt) -> afgerond
ReferralStatus = Literal["open", "contact", "hulp_loopt", "afgerond"]
STATUSES: tuple[ReferralStatus, ...] = ("open", "contact", "hulp_loopt", "afgerond")
ACTIVE: tuple[ReferralStatus, ...] = ("open", "contact", "hulp_loopt")
# routine: a terugkoppeling reminder; anoniem: a national line that gives no terugkoppeling (113, Veilig Thuis
# advies), so "Is het gelukt?" later that day; acuut: "Ik heb gebeld" / "Lukt niet" and a check-in in hours.
ReferralKind = Literal["routine", "anoniem", "acuut"]


def to_epoch(moment: datetime) -> float:
    """Aware datetime -> epoch seconds (naive datetimes are taken as UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


def from_epoch(value: float | None) -> datetime | None:
    """Epoch seconds -> aware UTC datetime (None stays None)."""
    return None if value is None else datetime.fromtimestamp(value, tz=UTC)


@dataclass(frozen=True, slots=True)
class UserRecord:
    user_id: int
    wijk: str | None
    invited: bool
    privacy_warned: bool
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Referral:
    id: int
    user_id: int
    service_id: str
    service_name: str
    domain: str
    created_at: datetime
    case_label: str | None
    status: ReferralStatus
    closed_at: datetime | None
    kind: ReferralKind = "routine"

    @property
    def active(self) -> bool:
        return self.status != "afgerond"


@dataclass(frozen=True, slots=True)
class Reminder:
    id: int
    referral_id: int
    user_id: int
    due_at: datetime
    sent_at: datetime | None
    answered_at: datetime | None


@dataclass(frozen=True, slots=True)
class Correction:
    service_id: str
    user_id: int
    note: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class StoreStats:
    """Counts for `wijkbot stats`."""

    users: int
    feedback_up: int
    feedback_down: int
    referrals: dict[str, int] = field(default_factory=dict)  # status -> count
    reminders_pending: int = 0
    corrections: int = 0
    contact_failures: int = 0
