"""Terugkoppeling: situation -> referral -> label -> preset -> reminder -> answers; /open; /vergeet; purge."""

from __future__ import annotations

from bot.conversation import followups, texts
from bot.conversation.engine import Engine
from tests.conversation.helpers import Chat


def _refer(chat: Chat, services) -> int:
    chat.cmd("partner")
    chat.text("Moeder met drie kinderen en een grote huurachterstand")
    chat.press("Ik verwijs door naar Schuldhulp")
    said = chat.said()
    assert "Advies 4a" in said and "Vraag 4 ·" in said, "the publication's advice on terugkoppeling"
    assert texts.LABEL_ASK in said
    (referral,) = services.store.referrals(chat.user_id)
    assert (referral.service_id, referral.domain, referral.status) == ("schuld-1", "schulden", "open")
    return referral.id


def test_full_referral_reminder_done_and_correction(engine: Engine, services, clock) -> None:
    chat = Chat(engine, 1)
    referral_id = _refer(chat, services)
    chat.text("mevrouw De Vries")
    assert texts.LABEL_IDENTIFYING in chat.said()
    for label in ("0612345678", "Dorpsstraat 12, 1234 AB", "bsn 123456782"):
        chat.text(label)
        assert texts.LABEL_IDENTIFYING in chat.said(), label
    assert services.store.get_referral(referral_id).case_label is None
    chat.text("gezin A")
    assert services.store.get_referral(referral_id).case_label == "gezin A"
    assert chat.labels() == ["over 10 seconden", "over 3 dagen", texts.REMIND_NONE]
    out = chat.press("over 10 seconden")
    (reminder_id,) = out.schedule_reminders
    pending = engine.pending_reminders()
    assert [(p.id, p.user_id) for p in pending] == [(reminder_id, 1)]
    assert (pending[0].due_at - clock.now).total_seconds() == 10

    reply = engine.reminder_due(reminder_id)
    assert reply is not None
    assert reply.text.startswith(
        "Heb je terugkoppeling gehad van Schuldhulp Voorbeeldstad (Spreekuur) over je verwijzing van 3 mei?"
    )
    engine.reminder_sent(reminder_id)
    assert engine.pending_reminders() == []
    assert engine.reminder_due(reminder_id) is None, "a sent reminder never fires twice"

    chat.last = type(chat.last)(replies=[reply])
    chat.press(texts.FU_DONE)
    assert services.store.get_referral(referral_id).status == "afgerond"
    assert "Klopten de contactgegevens van Schuldhulp Voorbeeldstad (Spreekuur) nog?" in chat.said()
    no = chat.button(texts.CONTACT_NO)
    chat.press(texts.CONTACT_NO)
    chat.data(no.data)  # a second press is stale, not a second correction
    assert chat.said() == texts.STALE_BUTTON
    (correction,) = services.store.corrections()
    assert (correction.service_id, correction.note) == ("schuld-1", texts.CORRECTION_NOTE)
    chat.data(f"fu:{referral_id}:done")
    assert chat.said() == texts.STALE_BUTTON, "a closed referral's buttons are stale"


def test_not_yet_gives_presets_again_and_replaces_reminder(engine: Engine, services) -> None:
    chat = Chat(engine, 1)
    referral_id = _refer(chat, services)
    chat.press(texts.LABEL_NONE)
    first = chat.press("over 3 dagen").schedule_reminders[0]
    chat.cmd("open")
    assert "Schuldhulp Voorbeeldstad" in chat.said()
    chat.last = type(chat.last)(replies=[engine.reminder_due(first)])  # type: ignore[list-item]
    out = chat.press(texts.FU_LATER)
    assert out.cancel_reminders == [first]
    assert "over 10 seconden" in chat.labels()
    second = chat.press("over 10 seconden").schedule_reminders[0]
    assert [p.id for p in engine.pending_reminders()] == [second]
    assert engine.reminder_due(first) is None
    assert services.store.get_referral(referral_id).status == "open"


def test_contact_failed_offers_alternatives_same_domain(engine: Engine, services) -> None:
    chat = Chat(engine, 1)
    referral_id = _refer(chat, services)
    chat.press(texts.LABEL_NONE)
    chat.press(texts.REMIND_NONE)
    assert chat.said() == texts.REMIND_SKIPPED and engine.pending_reminders() == []
    chat.last = type(chat.last)(replies=[followups.reminder_reply(services.store.get_referral(referral_id))])
    chat.press(texts.FU_FAILED)
    assert services.store.get_referral(referral_id).status == "open", "contact lukte niet is not an end state"
    assert chat.labels() == [texts.FU_RETRY, texts.FU_OTHER, texts.FU_NEXT, texts.FU_CLOSE]
    chat.press(texts.FU_NEXT)
    said = chat.said()
    assert "Budgetmaatje Testwijk" in said and "Buurtkamer" not in said
    chat.press("Ik verwijs door naar Budgetmaatje")
    assert [r.service_id for r in services.store.referrals(1)] == ["schuld-1", "schuld-2"]
    assert services.followup.contact_failures() == {"schuld-1": 1}


def test_reminder_for_closed_referral_is_dropped(engine: Engine, services) -> None:
    chat = Chat(engine, 1)
    referral_id = _refer(chat, services)
    chat.press(texts.LABEL_NONE)
    reminder_id = chat.press("over 3 dagen").schedule_reminders[0]
    services.store.set_referral_status(referral_id, "afgerond")
    assert engine.reminder_due(reminder_id) is None
    assert engine.pending_reminders() == []


def test_open_lists_and_other_users_cannot_press(engine: Engine, services) -> None:
    chat = Chat(engine, 1)
    chat.cmd("open")
    assert chat.said() == texts.OPEN_NONE
    referral_id = _refer(chat, services)
    other = Chat(engine, 2)
    other.data(f"fu:{referral_id}:done")
    assert other.said() == texts.STALE_BUTTON
    assert services.store.get_referral(referral_id).status == "open"


def test_question_while_label_pending_is_handled_normally(engine: Engine, services) -> None:
    chat = Chat(engine, 1)
    referral_id = _refer(chat, services)
    chat.text("Hoe werk ik samen met de huisarts?")
    assert chat.said().startswith("Antwoord")
    chat.text("Hoe maak ik goede afspraken over terugkoppeling met de huisarts en de school?")
    assert chat.said().startswith("Antwoord")
    assert services.store.get_referral(referral_id).case_label is None


def test_vergeet_removes_everything(engine: Engine, services) -> None:
    chat = Chat(engine, 1)
    chat.cmd("wijk", "Noord")
    chat.text("Hoe bouw ik een netwerk op met partners in de wijk?")
    chat.press("👍")
    _refer(chat, services)
    chat.press(texts.LABEL_NONE)
    reminder_id = chat.press("over 3 dagen").schedule_reminders[0]
    chat.cmd("vergeet")
    chat.press(texts.FORGET_NO)
    assert services.store.get_user(1) is not None
    chat.cmd("vergeet")
    out = chat.press(texts.FORGET_YES)
    assert out.cancel_reminders == [reminder_id]
    assert services.store.get_user(1) is None
    assert services.store.referrals(1, status=None) == []
    stats = services.store.stats()
    assert (stats.users, stats.feedback_up, stats.reminders_pending) == (0, 0, 0)
    chat.text("En bij de school?")
    assert services.answers.calls[-1][1] == [], "conversation context is gone too"


def test_purge_uses_retention_days(engine: Engine, services, clock) -> None:
    chat = Chat(engine, 1)
    referral_id = _refer(chat, services)
    chat.cmd("open")
    chat.press(texts.FU_DONE)
    clock.advance(days=89)
    assert engine.purge() == 0
    clock.advance(days=2)
    assert engine.purge() == 1
    assert services.store.get_referral(referral_id) is None


def test_name_labels_rejected_with_real_deduce(services, clock) -> None:
    from bot.privacy.pii import PiiScrubber

    services.scrubber = PiiScrubber()  # with deduce names (loads once, ~1 s)
    chat = Chat(Engine(services, clock=clock), 1)
    referral_id = _refer(chat, services)
    chat.text("Jan de Vries")
    assert texts.LABEL_IDENTIFYING in chat.said()
    chat.text("gezin A")
    assert services.store.get_referral(referral_id).case_label == "gezin A"


def test_the_worker_sends_along_only_the_reminders_a_turn_scheduled(engine: Engine, services) -> None:
    """The engine worker's outcome of a turn that schedules a reminder brings that reminder's record, looked up by
    id (perf18), not a scan of every pending reminder: the same record as the full list has for it."""
    from bot.channels.telegram_worker import Handled, Served
    from bot.conversation.types import Event

    served = Served(engine, None)
    other = Chat(engine, 2)
    _refer(other, services)
    other.press(texts.LABEL_NONE)
    earlier = other.press("over 3 dagen").schedule_reminders
    chat = Chat(engine, 1)
    _refer(chat, services)
    chat.press(texts.LABEL_NONE)
    press = chat.button("over 10 seconden")
    result = served.handle(Event(user_id=1, kind="button", data=press.data))
    assert isinstance(result, Handled)
    (reminder_id,) = result.outcome.schedule_reminders
    assert reminder_id not in earlier
    assert result.pending == [p for p in engine.pending_reminders() if p.id == reminder_id]
    assert {p.id for p in engine.pending_reminders()} == {reminder_id, *earlier}
    assert engine.pending_reminders([]) == [] and engine.pending_reminders(earlier) == [
        p for p in engine.pending_reminders() if p.id in earlier
    ]
