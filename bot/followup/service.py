"""FollowUpService: the rules of terugkoppeling. The conversation layer calls this, never the store.

A referral is a small state machine:

    open --contact--> contact --feedback--> hulp_loopt --done--> afgerond
      \\______feedback_____________^    \\___done___^            (done is allowed from every active state)

"Contact lukte niet" (`fail`) is an event, not a state: it is counted per service (for `wijkbot kaart
corrections`) and the referral stays where it was, in /open. `afgerond` is the only end state.
An acute referral never gets the routine presets: it gets a check-in after a few hours; an anonymous national
line (113, Veilig Thuis advies) gives no terugkoppeling, so it gets "Is het gelukt?" later the same day.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Literal

from bot.followup.clock import Preset, WorkingCalendar
from bot.followup.records import Referral, ReferralKind, ReferralStatus, Reminder
from bot.followup.store import FollowupStore

Action = Literal["contact", "feedback", "done", "fail"]
TRANSITIONS: dict[ReferralStatus, dict[str, ReferralStatus]] = {
    "open": {"contact": "contact", "feedback": "hulp_loopt", "done": "afgerond"},
    "contact": {"feedback": "hulp_loopt", "done": "afgerond"},
    "hulp_loopt": {"done": "afgerond"},
    "afgerond": {},
}
FAIL_ALLOWED: frozenset[ReferralStatus] = frozenset({"open", "contact"})
MAX_LABEL_CHARS = 40
TOMORROW = Preset(1, "wd")
Clock = Callable[[], datetime]


class TransitionError(ValueError):
    """This action is not allowed in the referral's current state (a stale button)."""


@dataclass(frozen=True, slots=True)
class Step:
    """What an action did: the referral afterwards, reminders to schedule and to cancel in the channel."""

    referral: Referral
    scheduled: list[int] = field(default_factory=list)
    cancelled: list[int] = field(default_factory=list)
    due_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class LabelResult:
    saved: bool
    label: str | None
    reason: Literal["ok", "too_long", "identifying", "empty"] = "ok"


@dataclass(frozen=True, slots=True)
class OpenItem:
    """One line of /open: the referral, its next reminder and how often contact failed."""

    referral: Referral
    next_reminder: datetime | None
    failures: int


class FollowUpService:
    """Referrals, labels, reminders and answers, with the rules above. Thread-safe through the store."""

    def __init__(self, store: FollowupStore, *, presets: list[Preset], checkin_seconds: int,
                 is_identifying: Callable[[str], bool], calendar: WorkingCalendar | None = None,
                 clock: Clock | None = None) -> None:  # fmt: skip
        self.store = store
        self.presets = list(presets)
        self._checkin = timedelta(seconds=checkin_seconds)
        self._is_identifying = is_identifying
        self.calendar = calendar or WorkingCalendar()
        self._clock = clock or (lambda: datetime.now(UTC))

    def _now(self, now: datetime | None) -> datetime:
        return now or self._clock()

    # -- lookups ---------------------------------------------------------------------------------
    def get(self, user_id: int, referral_id: int, *, active: bool = True) -> Referral | None:
        """The user's own referral (active unless asked otherwise); None for a stale or foreign id."""
        referral = self.store.get_referral(referral_id)
        if referral is None or referral.user_id != user_id or (active and not referral.active):
            return None
        return referral

    def _own(self, user_id: int, referral_id: int) -> Referral:
        referral = self.get(user_id, referral_id)
        if referral is None:
            raise TransitionError(f"referral {referral_id} is not an active referral of this user")
        return referral

    def open(self, user_id: int) -> list[OpenItem]:
        """Active referrals, newest first, with the next reminder and the number of failed contacts."""
        items = []
        for referral in reversed(self.store.active_referrals(user_id)):
            pending = self.store.pending_reminders(referral_id=referral.id)
            failures = self.store.contact_failures(referral_id=referral.id)[referral.service_id]
            items.append(OpenItem(referral, pending[0].due_at if pending else None, failures))
        return items

    def presets_for(self, referral: Referral) -> list[Preset]:
        """The routine reminder choices; none for an acute referral."""
        return [] if referral.kind == "acuut" else self.presets

    # -- refer and label -------------------------------------------------------------------------
    def refer(self, user_id: int, *, service_id: str, service_name: str, domain: str = "",
              kind: ReferralKind = "routine", now: datetime | None = None) -> Step:  # fmt: skip
        """Record a referral. Acute and anonymous ones get their check-in at once."""
        moment = self._now(now)
        referral_id = self.store.add_referral(user_id, service_id=service_id, service_name=service_name,
                                              domain=domain, kind=kind, now=moment)  # fmt: skip
        referral = self._own(user_id, referral_id)
        if kind == "routine":
            return Step(referral)
        return self._remind(referral, self.checkin_at(kind, moment), cancel=[])

    def checkin_at(self, kind: ReferralKind, now: datetime) -> datetime:
        """Acute: exactly a few hours later. Anonymous: later the same day (or the next working morning)."""
        if kind == "acuut":
            return now + self._checkin
        return self.calendar.same_day(now, self._checkin)

    def label(self, user_id: int, referral_id: int, text: str) -> LabelResult:
        """Save a short anonymous label; names, addresses and dates of birth are refused (and not stored)."""
        referral = self._own(user_id, referral_id)
        label = " ".join(text.split())
        if not label:
            return LabelResult(False, None, "empty")
        if len(label) > MAX_LABEL_CHARS:
            return LabelResult(False, None, "too_long")
        if self._is_identifying(label):
            return LabelResult(False, None, "identifying")
        self.store.set_case_label(referral.id, label)
        return LabelResult(True, label)

    def clear_label(self, user_id: int, referral_id: int) -> None:
        self.store.set_case_label(self._own(user_id, referral_id).id, None)

    # -- reminders -------------------------------------------------------------------------------
    def schedule(self, user_id: int, referral_id: int, preset: Preset | None, *,
                 now: datetime | None = None) -> Step:  # fmt: skip
        """Replace any pending reminder by one at the preset's time (None: no reminder)."""
        referral = self._own(user_id, referral_id)
        if referral.kind == "acuut" and preset is not None:
            raise TransitionError("an acute referral gets no routine reminder")
        cancelled = self.store.answer_reminders(referral.id, now=self._now(now))
        if preset is None:
            return Step(referral, cancelled=cancelled)
        return self._remind(referral, self.calendar.due_at(preset, self._now(now)), cancel=cancelled)

    def retry_tomorrow(self, user_id: int, referral_id: int, *, now: datetime | None = None) -> Step:
        """'Morgen opnieuw herinneren' after a failed contact (acute: the next check-in)."""
        referral = self._own(user_id, referral_id)
        if referral.kind == "acuut":
            cancelled = self.store.answer_reminders(referral.id, now=self._now(now))
            return self._remind(referral, self.checkin_at("acuut", self._now(now)), cancel=cancelled)
        return self.schedule(user_id, referral_id, TOMORROW, now=now)

    def _remind(self, referral: Referral, due_at: datetime, *, cancel: list[int]) -> Step:
        reminder_id = self.store.add_reminder(referral.id, referral.user_id, due_at=due_at)
        return Step(referral, scheduled=[reminder_id], cancelled=cancel, due_at=due_at)

    def due_reminder(self, reminder_id: int) -> tuple[Reminder, Referral] | None:
        """A reminder that should still be sent, with its referral; None when sent, answered or afgerond."""
        reminder = self.store.get_reminder(reminder_id)
        if reminder is None or reminder.sent_at is not None or reminder.answered_at is not None:
            return None
        referral = self.store.get_referral(reminder.referral_id)
        if referral is None or not referral.active:
            self.store.answer_reminders(reminder.referral_id)
            return None
        return reminder, referral

    def due(self, *, now: datetime | None = None) -> list[tuple[Reminder, Referral]]:
        """Every reminder whose time has come and that should still be sent."""
        found = (self.due_reminder(r.id) for r in self.store.due_reminders(now=self._now(now)))
        return [pair for pair in found if pair is not None]

    def pending(self, ids: Collection[int] | None = None) -> list[Reminder]:
        """Pending reminders (ids: only these)."""
        return self.store.pending_reminders(ids=ids)

    def reminder_sent(self, reminder_id: int) -> bool:
        return self.store.mark_reminder_sent(reminder_id)

    # -- answers ---------------------------------------------------------------------------------
    def answer(self, user_id: int, referral_id: int, action: Action, *, now: datetime | None = None) -> Step:
        """Move the referral along (contact, feedback, done) or count a failed contact (fail)."""
        referral = self._own(user_id, referral_id)
        moment = self._now(now)
        if action == "fail":
            if referral.status not in FAIL_ALLOWED:
                raise TransitionError(f"'fail' is not possible in state {referral.status}")
            self.store.add_contact_failure(referral, now=moment)
            return Step(referral, cancelled=self.store.answer_reminders(referral.id, now=moment))
        target = TRANSITIONS[referral.status].get(action)
        if target is None:
            raise TransitionError(f"'{action}' is not possible in state {referral.status}")
        cancelled = self.store.set_referral_status(referral.id, target, now=moment)
        if target != "afgerond":
            cancelled = self.store.answer_reminders(referral.id, now=moment)
        return Step(self.store.get_referral(referral.id) or referral, cancelled=cancelled)

    def report_wrong_contact(self, user_id: int, referral_id: int, note: str, *,
                             now: datetime | None = None) -> None:  # fmt: skip
        """'De contactgegevens klopten niet': a correction for `wijkbot kaart corrections`."""
        referral = self.get(user_id, referral_id, active=False)
        if referral is None:
            raise TransitionError("not this user's referral")
        self.store.add_correction(referral.service_id, user_id, note, now=self._now(now))

    def contact_failures(self) -> Counter[str]:
        return self.store.contact_failures()

    # -- retention and privacy -------------------------------------------------------------------
    def purge(self, retention_days: int, *, now: datetime | None = None) -> int:
        return self.store.purge_closed(retention_days, now=self._now(now))

    def forget(self, user_id: int) -> list[int]:
        """/vergeet: every referral, state, event, reminder and label of the user. Returns reminders to cancel."""
        return self.store.forget_user(user_id)
