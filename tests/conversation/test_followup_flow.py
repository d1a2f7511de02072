"""Issue 9 in the engine: safety protocol first, warm handover, contact lukte niet, /open, labels, check-ins."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from bot.conversation import followups, texts
from bot.conversation.engine import Engine
from bot.suggestion.result import Safety, Suggestion, SuggestionResult
from tests.conversation.fakes import FAKE_ADVICE, SERVICES, FakeKaart, _svc
from tests.conversation.helpers import Chat

CRISIS = _svc("zelfmoordpreventie", "113 Zelfmoordpreventie", ("crisis",), phone="113 / 0800-0113")
VEILIG = _svc("veilig-thuis", "Veilig Thuis Regio", ("veiligheid",), phone="0800-2000")


class SafetyKaart(FakeKaart):
    """The fake kaart, plus a safety line and a crisis partner for texts with danger words."""

    def suggest(self, situation: str, *, wijk: str | None, top: int) -> SuggestionResult:
        folded = situation.casefold()
        level = "acute" if "nu" in folded.split() or "pillen" in folded else "zorg"
        for words, service in (
            (("pillen", "zelfdoding", "verward"), CRISIS),
            (("sloeg", "kind", "oma"), VEILIG),
        ):
            if any(w in folded for w in words):
                domain = service.themes[0]
                first = Suggestion(service, domain, "veiligheid eerst", 1.0)
                rest = super().suggest("huurschuld", wijk=wijk, top=top).suggestions
                return SuggestionResult(Safety(level, "Bij direct gevaar: bel 112."), [first, *rest][:top],  # type: ignore[arg-type]
                                        FAKE_ADVICE, False)  # fmt: skip
        return super().suggest(situation, wijk=wijk, top=top)


@pytest.fixture
def safe_engine(services, clock) -> Engine:
    services.kaart = SafetyKaart([*SERVICES, CRISIS, VEILIG])
    return Engine(services, clock=clock, gate=True)


DANGERS = [
    ("partner sloeg met vuist tegen de muur, ze is nu bang, ik sta buiten", "Eigen veiligheid eerst"),
    ("ze heeft pillen gespaard en een plan", "Laat de persoon niet alleen"),
    ("het kind heeft nu blauwe plekken en honger", "Is het kind nu veilig?"),
    ("hij is nu verward en dreigt met een mes", "huisartsenpost: die schakelt de crisisdienst in"),
    ("oma wordt nu geslagen door haar zoon", "Bel Veilig Thuis"),
]


@pytest.mark.parametrize(("situation", "first_step"), DANGERS)
def test_acute_gets_protocol_first_and_no_routine_presets(
    safe_engine, services, clock, situation, first_step
):
    chat = Chat(safe_engine, 1)
    chat.cmd("partner")
    out = chat.text(situation)
    first = out.replies[0].text
    assert first.startswith("⚠️") and first_step in first and "112" in first
    assert "Ik verwijs door naar" not in first, "the protocol comes before any partner"
    out = chat.press("Ik verwijs door naar")
    assert chat.labels() == [texts.FU_CALLED, texts.FU_NOT_REACHED]
    assert not any(label.startswith("over ") or label == "morgen" for label in chat.labels())
    (reminder_id,) = out.schedule_reminders
    (pending,) = safe_engine.pending_reminders()
    assert pending.due_at - clock.now == timedelta(hours=3)
    reply = safe_engine.reminder_due(reminder_id)
    assert reply is not None and [b.label for row in reply.buttons for b in row] == [
        texts.FU_CALLED,
        texts.FU_NOT_REACHED,
    ]
    chat.press(texts.FU_NOT_REACHED)
    assert "112" in chat.said() and texts.FU_CALLED in chat.labels()
    chat.press(texts.FU_CALLED)
    assert chat.said() == texts.ACUTE_CALLED


def test_zorg_gets_short_line_without_112(safe_engine) -> None:
    chat = Chat(safe_engine, 1)
    chat.cmd("partner")
    out = chat.text("zorgen over het kind, vaak vieze kleren")
    first = out.replies[0].text
    assert "Veilig Thuis" in first and "112" not in first and not first.startswith("⚠️")


def test_meldcode_question_gets_no_alarm(safe_engine, services) -> None:
    chat = Chat(safe_engine, 1)
    chat.text("wat houdt de meldcode in? moet ik dat zelf doen")
    said = chat.said()
    # the publication or the glossary answers it (the act model may read it as a definition); no alarm
    assert said.startswith(("Antwoord", "Meldcode")) and "112" not in said and "⚠️" not in said
    assert services.kaart.suggest_calls == []


def test_anonymous_line_gets_same_day_check_not_terugkoppeling(safe_engine, services, clock) -> None:
    chat = Chat(safe_engine, 1)
    chat.cmd("partner")
    chat.text("zij denkt aan zelfdoding")  # zorg level
    chat.press("Ik verwijs door naar 113")
    assert "anoniem" in chat.said()
    out = chat.press(texts.LABEL_NONE)
    assert not any(label.startswith("over ") for label in chat.labels()) and not out.schedule_reminders
    (pending,) = safe_engine.pending_reminders()
    assert pending.due_at - clock.now == timedelta(hours=3)
    reply = safe_engine.reminder_due(pending.id)
    assert reply is not None and reply.text.startswith("Is het gelukt om 113")


def _refer_schuldhulp(chat: Chat) -> int:
    chat.cmd("partner")
    chat.text("moeder met grote huurachterstand")
    chat.press("Ik verwijs door naar Schuldhulp")
    ref = chat.button(texts.SHARE_LABEL).data.split(":")[1]
    return int(ref)


def test_warm_handover_checklist_and_share_with_client(engine, services) -> None:
    chat = Chat(engine, 1)
    _refer_schuldhulp(chat)
    said = chat.said()
    for step in ("Toestemming", "Wat je deelt", "wie wie terugbelt", "Toegang en kosten"):
        assert step in said
    out = chat.press(texts.SHARE_LABEL)
    message = out.replies[-1]
    assert len(message.text) <= 600 and "Bellen: 010-0000000 (+31100000000)" in message.text
    assert message.contact is not None and message.contact.phone == "010-0000000"


def test_open_shows_state_reminder_label_phone_and_relabel(engine, services, clock) -> None:
    chat = Chat(engine, 1)
    ref = _refer_schuldhulp(chat)
    chat.text("mw jansen noorderlaan 5")
    assert texts.LABEL_IDENTIFYING in chat.said()
    chat.text("gezin A")
    chat.press("over 3 dagen")
    chat.cmd("open")
    item = chat.last.replies[-1].text
    assert "Status: open" in item and "Label: gezin A" in item and "Bellen: 010-0000000" in item
    assert re.search(r"Volgende herinnering: maandag 6 mei om 09:00", item), item  # Friday + 3 days = Monday
    assert chat.labels() == [texts.FU_DONE, texts.OPEN_RELABEL]
    chat.press(texts.OPEN_RELABEL)
    chat.text("dhr de boer")
    assert texts.LABEL_IDENTIFYING in chat.said()
    chat.text("schulden oost")
    chat.cmd("open")
    assert "Label: schulden oost" in chat.said() and "jansen" not in chat.said() and "boer" not in chat.said()
    assert services.store.get_referral(ref).case_label == "schulden oost"


def test_contact_failed_stays_open_with_routes(engine, services, clock) -> None:
    chat = Chat(engine, 1)
    ref = _refer_schuldhulp(chat)
    chat.press(texts.LABEL_NONE)
    chat.press(texts.REMIND_NONE)
    chat.last = type(chat.last)(replies=[followups.reminder_reply(services.store.get_referral(ref))])
    chat.press(texts.FU_FAILED)
    chat.press(texts.FU_OTHER)
    assert "Contactpersoon: Sam Voorbeeld — contactpersoon" in chat.said()
    chat.last = type(chat.last)(replies=[followups.reminder_reply(services.store.get_referral(ref))])
    chat.press(texts.FU_FAILED)
    out = chat.press(texts.FU_RETRY)
    (pending,) = engine.pending_reminders()
    assert pending.id == out.schedule_reminders[0] and pending.due_at.hour == 7  # 09:00 CEST = 07:00 UTC
    chat.cmd("open")
    assert "Contact lukte niet: 2 keer" in chat.said() and "Status: open" in chat.said()
    chat.data(f"fu:{ref}:close")
    assert services.store.get_referral(ref).status == "afgerond"
    assert engine.pending_reminders() == []


def test_states_through_reminders(engine, services) -> None:
    chat = Chat(engine, 1)
    ref = _refer_schuldhulp(chat)
    chat.press(texts.LABEL_NONE)
    (first,) = chat.press("over 10 seconden").schedule_reminders
    chat.last = type(chat.last)(replies=[engine.reminder_due(first)])  # type: ignore[list-item]
    chat.press(texts.FU_CONTACT)
    assert services.store.get_referral(ref).status == "contact" and "over 10 seconden" in chat.labels()
    (second,) = chat.press("over 10 seconden").schedule_reminders
    chat.last = type(chat.last)(replies=[engine.reminder_due(second)])  # type: ignore[list-item]
    assert texts.FU_CONTACT not in chat.labels()
    chat.press(texts.FU_FEEDBACK)
    assert services.store.get_referral(ref).status == "hulp_loopt"
    chat.cmd("open")
    assert "terugkoppeling gehad, hulp loopt" in chat.said()
    chat.press(texts.FU_DONE)
    assert services.store.get_referral(ref).status == "afgerond"
    chat.cmd("open")
    assert chat.said() == texts.OPEN_NONE


def test_vergeet_removes_new_states_and_events(engine, services) -> None:
    chat = Chat(engine, 1)
    ref = _refer_schuldhulp(chat)
    chat.text("gezin A")
    chat.data(f"fu:{ref}:fail")
    chat.data(f"fu:{ref}:contact")
    chat.cmd("vergeet")
    chat.press(texts.FORGET_YES)
    assert services.store.referrals(1, status=None) == []
    assert services.followup.contact_failures() == {}
    assert services.store.stats().contact_failures == 0
