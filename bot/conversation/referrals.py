"""Terugkoppeling: record a referral, an anonymous label, the reminder choice, and the reminder answers."""

from __future__ import annotations

from datetime import timedelta

from bot.conversation import texts
from bot.conversation.actions import ChooseReminder, ContactCheck, FollowupAnswer, NoLabel, Refer, button
from bot.conversation.context import AwaitLabel
from bot.conversation.intent import classify
from bot.conversation.knowledge import citation, find_vraag
from bot.conversation.partners import display_name, partner_buttons
from bot.conversation.turn import Turn
from bot.conversation.types import Button, Reply
from bot.followup.records import Referral, ReferralStatus

TERUGKOPPELING_VRAAG = 4
MAX_LABEL_CHARS = 40
OPEN_SHOWN = 5
ALTERNATIVES = 3


def followup_buttons(referral_id: int) -> tuple[tuple[Button, ...], ...]:
    return ((button(texts.FU_DONE, FollowupAnswer(referral_id, "done")),
             button(texts.FU_LATER, FollowupAnswer(referral_id, "later"))),
            (button(texts.FU_FAILED, FollowupAnswer(referral_id, "fail")),))  # fmt: skip


def own_referral(turn: Turn, referral_id: int, *, status: str | None = "open") -> Referral | None:
    """The user's referral with this id (and status), else None: a stale or foreign button."""
    referral = turn.services.store.get_referral(referral_id)
    if referral is None or referral.user_id != turn.user_id:
        return None
    if status is not None and referral.status != status:
        return None
    return referral


def refer(turn: Turn, action: Refer) -> None:
    """'Ik verwijs door naar X': record the referral, show the advice on terugkoppeling, ask for a label."""
    service = turn.service_from(action.key)
    if service is None:
        return
    domain = turn.ctx.domains.get(service.id) or (service.themes[0] if service.themes else "")
    name = display_name(service)
    referral_id = turn.services.store.add_referral(
        turn.user_id, service_id=service.id, service_name=name, domain=domain, now=turn.now()
    )
    turn.say(_advice_text(turn, name))
    turn.ctx.pending = AwaitLabel(referral_id)
    turn.say(texts.LABEL_ASK, [[button(texts.LABEL_NONE, NoLabel(referral_id))]])


def _advice_text(turn: Turn, name: str) -> str:
    lines = [texts.REFERRAL_ADVICE_HEAD.format(name=name), ""]
    vraag = find_vraag(turn, TERUGKOPPELING_VRAAG)
    if vraag is None:
        return "\n".join([*lines, texts.REFERRAL_ADVICE_FALLBACK])
    lines += [f"• {advice.text}" for advice in vraag.advice[:2]]
    return "\n".join([*lines, "", citation(vraag)])


def label_text(turn: Turn, pending: AwaitLabel, text: str) -> bool:
    """A typed label while one is awaited. False when the text is clearly not a label (handle it normally)."""
    label = " ".join(text.split())
    referral = own_referral(turn, pending.referral_id)
    if referral is None or len(label) > MAX_LABEL_CHARS or _looks_like_question(label):
        turn.ctx.clear_pending()
        return False
    scrubber = turn.services.scrubber
    if scrubber.looks_identifying(label) or scrubber.find(label):
        turn.say(texts.LABEL_IDENTIFYING, [[button(texts.LABEL_NONE, NoLabel(referral.id))]])
        return True
    turn.services.store.set_case_label(referral.id, label)
    turn.ctx.clear_pending()
    turn.say(texts.LABEL_SAVED.format(label=label))
    ask_reminder(turn, referral)
    return True


def _looks_like_question(text: str) -> bool:
    """A question typed instead of a label ('gezin A' and 'moeder met schulden' are labels)."""
    return text.endswith("?") or classify(text).kind == "question"


def no_label(turn: Turn, action: NoLabel) -> None:
    """'Geen label': go on to the reminder choice."""
    referral = own_referral(turn, action.referral_id)
    if referral is None:
        turn.say(texts.STALE_BUTTON)
        return
    if turn.ctx.pending == AwaitLabel(referral.id):
        turn.ctx.clear_pending()
    ask_reminder(turn, referral)


def ask_reminder(turn: Turn, referral: Referral, *, head: str | None = None) -> None:
    presets = turn.services.settings.followup_presets
    rows = [
        [button(texts.preset_label(raw), ChooseReminder(referral.id, i))]
        for i, (raw, _) in enumerate(presets)
    ]
    rows.append([button(texts.REMIND_NONE, ChooseReminder(referral.id, None))])
    turn.say(head or texts.REMIND_ASK.format(name=referral.service_name), rows)


def choose_reminder(turn: Turn, action: ChooseReminder) -> None:
    """A preset (or 'Geen herinnering'): replace any pending reminder of this referral."""
    referral = own_referral(turn, action.referral_id)
    presets = turn.services.settings.followup_presets
    choice = action.preset
    if referral is None or (choice is not None and choice >= len(presets)):
        turn.say(texts.STALE_BUTTON)
        return
    store = turn.services.store
    turn.outcome.cancel_reminders += store.answer_reminders(referral.id, now=turn.now())
    if choice is None:
        turn.say(texts.REMIND_SKIPPED)
        return
    raw, seconds = presets[choice]
    due_at = turn.now() + timedelta(seconds=seconds)
    reminder_id = store.add_reminder(referral.id, turn.user_id, due_at=due_at)
    turn.outcome.schedule_reminders.append(reminder_id)
    turn.say(texts.REMIND_SET.format(when=texts.preset_label(raw), date=texts.format_datetime(due_at)))


def reminder_reply(referral: Referral) -> Reply:
    text = texts.REMINDER_QUESTION.format(
        name=referral.service_name, date=texts.format_date(referral.created_at)
    )
    if referral.case_label:
        text += f"\n(label: {referral.case_label})"
    return Reply(text=text, buttons=followup_buttons(referral.id))


def followup_answer(turn: Turn, answer: FollowupAnswer) -> None:
    """'Ja, afgerond' / 'Nog niet' / 'Contact lukte niet' on a reminder or in /open."""
    referral = own_referral(turn, answer.referral_id)
    action = answer.choice
    if referral is None:
        turn.say(texts.STALE_BUTTON)
        return
    store = turn.services.store
    if action == "later":
        turn.outcome.cancel_reminders += store.answer_reminders(referral.id, now=turn.now())
        ask_reminder(turn, referral, head=texts.LATER_ASK)
        return
    status: ReferralStatus = "closed" if action == "done" else "failed"
    turn.outcome.cancel_reminders += store.set_referral_status(referral.id, status, now=turn.now())
    if action == "done":
        name = referral.service_name
        turn.say(
            texts.CONTACT_CHECK.format(name=name),
            [
                [
                    button(texts.CONTACT_YES, ContactCheck(referral.id, True)),
                    button(texts.CONTACT_NO, ContactCheck(referral.id, False)),
                ]
            ],
        )
        return
    _offer_alternatives(turn, referral)


def _offer_alternatives(turn: Turn, referral: Referral) -> None:
    found = turn.services.kaart.alternatives(referral.service_id, wijk=turn.wijk(), limit=ALTERNATIVES)
    if not found:
        turn.say(texts.FAILED_NONE.format(name=referral.service_name))
        return
    turn.ctx.domains.update({s.service.id: s.domain for s in found})
    lines = [texts.FAILED_HEAD.format(name=referral.service_name)]
    lines += [f"• {display_name(s.service)} — {s.reason}" for s in found]
    turn.say("\n".join(lines), partner_buttons(turn, [s.service for s in found], refer=True))


def contact_check(turn: Turn, action: ContactCheck) -> None:
    """'Klopten de contactgegevens nog?' Nee -> a correction note for `wijkbot kaart corrections`."""
    referral = own_referral(turn, action.referral_id, status="closed")
    if referral is None or referral.id in turn.ctx.contact_checked:
        turn.say(texts.STALE_BUTTON)
        return
    turn.ctx.contact_checked.add(referral.id)
    if action.correct:
        turn.say(texts.CONTACT_THANKS)
        return
    turn.services.store.add_correction(
        referral.service_id, turn.user_id, texts.CORRECTION_NOTE, now=turn.now()
    )
    turn.say(texts.CONTACT_NOTED.format(name=referral.service_name))


def list_open(turn: Turn) -> None:
    """/open: open referrals, newest first, each with the follow-up buttons."""
    referrals = list(reversed(turn.services.store.referrals(turn.user_id, status="open")))
    if not referrals:
        turn.say(texts.OPEN_NONE)
        return
    turn.say(texts.OPEN_HEAD.format(count=len(referrals)))
    for referral in referrals[:OPEN_SHOWN]:
        label = f" · {referral.case_label}" if referral.case_label else ""
        item = texts.OPEN_ITEM.format(
            name=referral.service_name, date=texts.format_date(referral.created_at), label=label
        )
        turn.say(item, followup_buttons(referral.id))
    if len(referrals) > OPEN_SHOWN:
        turn.say(texts.OPEN_MORE.format(count=len(referrals) - OPEN_SHOWN))
