"""Terugkoppeling, part 2: answers on reminders and in /open, "contact lukte niet" and its routes, /open.

The referral's state machine lives in FollowUpService; this module maps buttons to it and words the replies.
"""

from __future__ import annotations

from bot.conversation import texts
from bot.conversation.actions import ContactCheck, FollowupAnswer, NoLabel, button
from bot.conversation.context import AwaitLabel
from bot.conversation.partners import display_name, partner_buttons
from bot.conversation.referrals import acute_buttons, apply, ask_reminder, own_referral
from bot.conversation.turn import Turn
from bot.conversation.types import Button, ContactCard, Reply
from bot.followup import handover
from bot.followup.records import Referral
from bot.followup.service import TransitionError
from bot.safety.protocol import phone_line

OPEN_SHOWN = 5


def state_buttons(referral: Referral) -> tuple[tuple[Button, ...], ...]:
    """The answers that make sense in the referral's kind and state."""
    r = referral.id
    if referral.kind == "acuut":
        return tuple(tuple(row) for row in acute_buttons(r))
    if referral.kind == "anoniem":
        return ((button(texts.FU_SUCCEEDED, FollowupAnswer(r, "done")),
                 button(texts.FU_NOT_REACHED, FollowupAnswer(r, "fail"))),)  # fmt: skip
    later = button(texts.FU_LATER, FollowupAnswer(r, "later"))
    done = button(texts.FU_DONE, FollowupAnswer(r, "done"))
    if referral.status == "hulp_loopt":
        return ((later, done),)
    feedback = button(texts.FU_FEEDBACK, FollowupAnswer(r, "feedback"))
    failed = button(texts.FU_FAILED, FollowupAnswer(r, "fail"))
    if referral.status == "contact":
        return ((feedback, later), (failed, done))
    return ((button(texts.FU_CONTACT, FollowupAnswer(r, "contact")), feedback), (later, failed), (done,))


def reminder_reply(referral: Referral) -> Reply:
    """The reminder message: by kind (acute check-in, anonymous 'Is het gelukt?', routine terugkoppeling)."""
    date = texts.format_date(referral.created_at)
    if referral.kind == "acuut":
        text = texts.ACUTE_CHECK.format(name=referral.service_name)
    elif referral.kind == "anoniem":
        text = texts.ANON_QUESTION.format(name=referral.service_name, date=date)
    else:
        text = texts.REMINDER_QUESTION.format(name=referral.service_name, date=date)
    if referral.case_label:
        text += "\n" + texts.REMINDER_LABEL.format(label=referral.case_label)
    return Reply(text=text, buttons=state_buttons(referral))


def followup_answer(turn: Turn, answer: FollowupAnswer) -> None:
    """Any answer on a referral: state moves, contact failure and its routes, share, relabel."""
    referral = own_referral(turn, answer.referral_id)
    if referral is None:
        turn.say(texts.STALE_BUTTON)
        return
    handlers = {"share": share_with_client, "relabel": _relabel, "later": _later, "other": _other_contact,
                "next": _next_partner, "retry": _retry, "fail": _failed}  # fmt: skip
    handler = handlers.get(answer.choice)
    try:
        if handler is not None:
            handler(turn, referral)
        else:
            _move(turn, referral, answer.choice)
    except TransitionError:
        turn.say(texts.STALE_BUTTON)


def _move(turn: Turn, referral: Referral, choice: str) -> None:
    """contact / feedback / done / close / called: a state change."""
    action = {"contact": "contact", "called": "contact", "feedback": "feedback"}.get(choice, "done")
    step = turn.services.followup.answer(turn.user_id, referral.id, action, now=turn.now())  # type: ignore[arg-type]
    apply(turn, step)
    name = referral.service_name
    if choice == "called":
        turn.say(texts.ACUTE_CALLED)
    elif choice == "contact":
        ask_reminder(turn, step.referral, head=texts.CONTACT_STATE.format(name=name))
    elif choice == "feedback":
        ask_reminder(turn, step.referral, head=texts.FEEDBACK_STATE)
    elif choice == "done" and referral.kind == "routine":
        turn.say(texts.CONTACT_CHECK.format(name=name),
                 [[button(texts.CONTACT_YES, ContactCheck(referral.id, True)),
                   button(texts.CONTACT_NO, ContactCheck(referral.id, False))]])  # fmt: skip
    else:
        turn.say(texts.CLOSED.format(name=name))


def _later(turn: Turn, referral: Referral) -> None:
    apply(turn, turn.services.followup.schedule(turn.user_id, referral.id, None, now=turn.now()))
    ask_reminder(turn, referral, head=texts.LATER_ASK)


def _failed(turn: Turn, referral: Referral) -> None:
    """'Contact lukte niet': counted, the referral stays open. Acute: the numbers again and a new check-in."""
    followup = turn.services.followup
    apply(turn, followup.answer(turn.user_id, referral.id, "fail", now=turn.now()))
    if referral.kind == "acuut":
        step = followup.retry_tomorrow(turn.user_id, referral.id, now=turn.now())
        apply(turn, step)
        lines = "\n".join(phone_line(line) for line in turn.services.protocols.lines.lines.values()
                          if line.key in ("alarm", "zelfmoordpreventie", "veilig_thuis"))  # fmt: skip
        date = texts.format_datetime(step.due_at) if step.due_at else ""
        turn.say(f"{texts.ACUTE_NOT_REACHED.format(date=date)}\n{lines}", acute_buttons(referral.id))
        return
    r = referral.id
    turn.say(texts.FAILED_HEAD.format(name=referral.service_name),
             [[button(texts.FU_RETRY, FollowupAnswer(r, "retry"))],
              [button(texts.FU_OTHER, FollowupAnswer(r, "other")), button(texts.FU_NEXT, FollowupAnswer(r, "next"))],
              [button(texts.FU_CLOSE, FollowupAnswer(r, "close"))]])  # fmt: skip


def _retry(turn: Turn, referral: Referral) -> None:
    step = turn.services.followup.retry_tomorrow(turn.user_id, referral.id, now=turn.now())
    apply(turn, step)
    turn.say(texts.RETRY_SET.format(date=texts.format_day(step.due_at) if step.due_at else ""))


def _other_contact(turn: Turn, referral: Referral) -> None:
    """'Ander contact': e-mail, contact person and website from the kaart, at once."""
    service = turn.services.kaart.get(referral.service_id)
    if service is None:
        turn.say(texts.STALE_BUTTON)
        return
    turn.say(handover.other_routes(service, name=referral.service_name), state_buttons(referral))


def _next_partner(turn: Turn, referral: Referral) -> None:
    """'Andere partner': the next service for the same levensgebied, in the user's wijk."""
    found = turn.services.kaart.alternatives(
        referral.service_id, wijk=turn.wijk(), limit=1, domain=referral.domain
    )
    if not found:
        turn.say(texts.NEXT_NONE)
        return
    turn.ctx.domains.update({s.service.id: s.domain for s in found})
    turn.shown([s.service.id for s in found])
    lines = [texts.NEXT_HEAD] + [f"• {display_name(s.service)} — {s.reason}" for s in found]
    turn.say("\n".join(lines), partner_buttons(turn, [s.service for s in found], refer=True))


def share_with_client(turn: Turn, referral: Referral) -> None:
    """'Deel met cliënt': a short message to forward, and the partner as a contact card."""
    service = turn.services.kaart.get(referral.service_id)
    if service is None:
        turn.say(texts.STALE_BUTTON)
        return
    turn.say(texts.SHARE_HEAD)
    number = handover.first_phone(service)
    card = ContactCard(phone=number, name=referral.service_name[:64]) if number else None
    message = handover.share_message(service, name=referral.service_name)
    turn.outcome.replies.append(Reply(text=message, contact=card))


def _relabel(turn: Turn, referral: Referral) -> None:
    turn.ctx.pending = AwaitLabel(referral.id, relabel=True)
    turn.say(texts.LABEL_RELABEL_ASK, [[button(texts.LABEL_NONE, NoLabel(referral.id))]])


def contact_check(turn: Turn, action: ContactCheck) -> None:
    """'Klopten de contactgegevens nog?' Nee -> a correction note for `wijkbot kaart corrections`."""
    referral = own_referral(turn, action.referral_id, active=False)
    if referral is None or referral.status != "afgerond" or referral.id in turn.ctx.contact_checked:
        turn.say(texts.STALE_BUTTON)
        return
    turn.ctx.contact_checked.add(referral.id)
    if action.correct:
        turn.say(texts.CONTACT_THANKS)
        return
    turn.services.followup.report_wrong_contact(
        turn.user_id, referral.id, texts.CORRECTION_NOTE, now=turn.now()
    )
    turn.say(texts.CONTACT_NOTED.format(name=referral.service_name))


def list_open(turn: Turn) -> None:
    """/open: active referrals, newest first: state, next reminder, label, tap-to-call, afgerond, label wijzigen."""
    items = turn.services.followup.open(turn.user_id)
    if not items:
        turn.say(texts.OPEN_NONE)
        return
    turn.say(texts.OPEN_HEAD.format(count=len(items)))
    for item in items[:OPEN_SHOWN]:
        referral = item.referral
        nxt = texts.format_day(item.next_reminder) if item.next_reminder else texts.OPEN_NO_REMINDER
        lines = [texts.OPEN_ITEM.format(name=referral.service_name, state=texts.STATE_NAMES[referral.status],
                                        date=texts.format_date(referral.created_at), next=nxt,
                                        label=referral.case_label or texts.OPEN_NO_LABEL)]  # fmt: skip
        service = turn.services.kaart.get(referral.service_id)
        phone = handover.phone_text(handover.first_phone(service)) if service else ""
        if phone:
            lines.append(texts.OPEN_PHONE.format(phone=phone))
        if item.failures:
            lines.append(texts.OPEN_FAILURES.format(count=item.failures))
        r = referral.id
        turn.say("\n".join(lines), [[button(texts.FU_DONE, FollowupAnswer(r, "done")),
                                     button(texts.OPEN_RELABEL, FollowupAnswer(r, "relabel"))]])  # fmt: skip
    if len(items) > OPEN_SHOWN:
        turn.say(texts.OPEN_MORE.format(count=len(items) - OPEN_SHOWN))
