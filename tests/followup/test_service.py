"""FollowUpService: every transition of the referral state machine, reminders, labels, forget."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.followup.clock import WorkingCalendar, parse_presets
from bot.followup.service import TRANSITIONS, FollowUpService, TransitionError
from bot.followup.store import FollowupStore

T0 = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)  # a Wednesday
USER, OTHER = 7, 8


@pytest.fixture(scope="module")
def calendar() -> WorkingCalendar:
    return WorkingCalendar()


@pytest.fixture
def service(tmp_path: Path, calendar: WorkingCalendar):
    store = FollowupStore(tmp_path / "wijkbot.sqlite3")
    yield FollowUpService(store, presets=parse_presets("1wd,3wd,1w,2w,6s"), checkin_seconds=3 * 3600,
                          is_identifying=lambda text: "jansen" in text, calendar=calendar,
                          clock=lambda: T0)  # fmt: skip
    store.close()


def refer(service: FollowUpService, **kwargs) -> int:
    return service.refer(
        USER, service_id="schuld", service_name="Schuldhulp", domain="financien", **kwargs
    ).referral.id


def walk(service: FollowUpService, *actions: str) -> str:
    ref = refer(service)
    for action in actions:
        service.answer(USER, ref, action)  # type: ignore[arg-type]
    found = service.get(USER, ref, active=False)
    assert found is not None
    return found.status


@pytest.mark.parametrize(
    ("actions", "state"),
    [
        ((), "open"),
        (("contact",), "contact"),
        (("feedback",), "hulp_loopt"),
        (("done",), "afgerond"),
        (("contact", "feedback"), "hulp_loopt"),
        (("contact", "done"), "afgerond"),
        (("contact", "feedback", "done"), "afgerond"),
        (("feedback", "done"), "afgerond"),
        (("fail",), "open"),
        (("fail", "fail", "contact"), "contact"),
        (("contact", "fail"), "contact"),
    ],
)
def test_allowed_transitions(service: FollowUpService, actions: tuple[str, ...], state: str) -> None:
    assert walk(service, *actions) == state


@pytest.mark.parametrize(
    "actions",
    [("contact", "contact"), ("feedback", "contact"), ("feedback", "fail"), ("done", "done"), ("done", "fail"),
     ("done", "contact"), ("feedback", "feedback")],
)  # fmt: skip
def test_forbidden_transitions(service: FollowUpService, actions: tuple[str, ...]) -> None:
    with pytest.raises(TransitionError):
        walk(service, *actions)


def test_transition_table_has_one_end_state() -> None:
    assert [state for state, moves in TRANSITIONS.items() if not moves] == ["afgerond"]
    assert all("done" in moves for state, moves in TRANSITIONS.items() if state != "afgerond")


def test_contact_failure_is_counted_and_stays_open(service: FollowUpService) -> None:
    ref = refer(service)
    reminder = service.schedule(USER, ref, service.presets[0]).scheduled[0]
    step = service.answer(USER, ref, "fail")
    assert step.cancelled == [reminder]
    service.answer(USER, ref, "fail")
    assert service.contact_failures() == {"schuld": 2}
    [item] = service.open(USER)
    assert (item.referral.id, item.referral.status, item.failures, item.next_reminder) == (
        ref,
        "open",
        2,
        None,
    )
    retry = service.retry_tomorrow(USER, ref)
    assert retry.due_at == datetime(2026, 11, 26, 8, 0, tzinfo=UTC)  # Thursday 09:00 Amsterdam (CET)
    assert service.open(USER)[0].next_reminder == retry.due_at


def test_schedule_replaces_and_none_cancels(service: FollowUpService) -> None:
    ref = refer(service)
    first = service.schedule(USER, ref, service.presets[1])
    second = service.schedule(USER, ref, service.presets[4])
    assert second.cancelled == first.scheduled
    assert second.due_at == T0 + timedelta(seconds=6)
    assert [r.id for r, _ in service.due(now=T0 + timedelta(seconds=7))] == second.scheduled
    assert service.schedule(USER, ref, None).cancelled == second.scheduled
    assert service.due(now=T0 + timedelta(days=30)) == []


def test_done_cancels_and_drops_out_of_open(service: FollowUpService) -> None:
    ref = refer(service)
    scheduled = service.schedule(USER, ref, service.presets[0]).scheduled
    assert service.answer(USER, ref, "done").cancelled == scheduled
    assert service.open(USER) == []
    assert service.due_reminder(scheduled[0]) is None


def test_acute_gets_check_in_and_no_routine_presets(service: FollowUpService) -> None:
    step = service.refer(USER, service_id="alarm-112", service_name="112", kind="acuut")
    assert step.due_at == T0 + timedelta(hours=3) and len(step.scheduled) == 1
    assert service.presets_for(step.referral) == []
    with pytest.raises(TransitionError):
        service.schedule(USER, step.referral.id, service.presets[0])
    retry = service.retry_tomorrow(USER, step.referral.id, now=T0 + timedelta(hours=1))
    assert retry.due_at == T0 + timedelta(hours=4), "a failed acute call gets the next check-in, not tomorrow"


def test_anonymous_line_gets_same_day_check(service: FollowUpService) -> None:
    step = service.refer(USER, service_id="113", service_name="113", kind="anoniem")
    assert step.due_at == T0 + timedelta(hours=3)
    assert service.presets_for(step.referral) == service.presets


def test_labels(service: FollowUpService) -> None:
    ref = refer(service)
    assert service.label(USER, ref, "mw jansen noorderlaan").reason == "identifying"
    assert service.get(USER, ref).case_label is None  # type: ignore[union-attr]
    assert service.label(USER, ref, "x" * 41).reason == "too_long"
    assert service.label(USER, ref, "  gezin   A ").label == "gezin A"
    assert service.open(USER)[0].referral.case_label == "gezin A"
    service.clear_label(USER, ref)
    assert service.open(USER)[0].referral.case_label is None


def test_foreign_and_stale_ids_are_refused(service: FollowUpService) -> None:
    ref = refer(service)
    with pytest.raises(TransitionError):
        service.answer(OTHER, ref, "done")
    with pytest.raises(TransitionError):
        service.label(OTHER, ref, "gezin A")
    assert service.get(OTHER, ref) is None
    with pytest.raises(TransitionError):
        service.answer(USER, 9999, "done")


def test_forget_removes_every_state(service: FollowUpService) -> None:
    states = [walk(service), walk(service, "contact"), walk(service, "feedback"), walk(service, "done")]
    assert states == ["open", "contact", "hulp_loopt", "afgerond"]
    ref = refer(service)
    service.answer(USER, ref, "fail")
    pending = service.retry_tomorrow(USER, ref).scheduled
    service.refer(OTHER, service_id="x", service_name="X")
    assert service.forget(USER) == pending
    assert service.store.referrals(USER, status=None) == []
    assert service.contact_failures() == {}
    assert service.pending() == [] or all(r.user_id == OTHER for r in service.pending())
    assert len(service.open(OTHER)) == 1
