"""Terugkoppeling, part 1: the referral, the warm handover, the label and the reminder choice.

All rules live in FollowUpService (bot/followup/service.py); this module only decides what to say.
Answers on reminders and /open are in bot/conversation/followups.py.
"""

from __future__ import annotations

import re

from bot.conversation import texts
from bot.conversation.actions import KEY_ROOM, ChooseReminder, FollowupAnswer, NoLabel, Refer, button
from bot.conversation.context import AwaitLabel, AwaitReminder
from bot.conversation.intent import classify
from bot.conversation.knowledge import citation, find_vraag
from bot.conversation.partners import display_name
from bot.conversation.turn import Turn
from bot.conversation.types import Button
from bot.conversation.when import at_the_latest, parse_when
from bot.followup import handover
from bot.followup.clock import Preset
from bot.followup.records import Referral, ReferralKind
from bot.followup.service import MAX_LABEL_CHARS, Step
from bot.kaart.model import Service

TERUGKOPPELING_VRAAG = 4


REFER_TEXT = re.compile(
    r"\b(?:verwijs|verwijzen|doorverwijzen)\b(?:\s+\w+){0,3}?\s+naar\s+(?P<target>.+)$", re.IGNORECASE
)
QUESTION_START = re.compile(r"^\s*(?:hoe|wanneer|waarom|mag|kan|moet|wat|wie|welke|zal)\b", re.IGNORECASE)


def own_referral(turn: Turn, referral_id: int, *, active: bool = True) -> Referral | None:
    """The user's referral with this id (active unless asked otherwise), else None: a stale or foreign button."""
    return turn.services.followup.get(turn.user_id, referral_id, active=active)


def apply(turn: Turn, step: Step) -> None:
    """Pass the reminders a step scheduled or cancelled on to the channel."""
    turn.outcome.schedule_reminders += step.scheduled
    turn.outcome.cancel_reminders += step.cancelled


def referral_kind(turn: Turn, service: Service) -> ReferralKind:
    """Acute after an acute safety judgement; anonymous for a national line that gives no terugkoppeling."""
    if turn.ctx.acute_danger is not None:
        return "acuut"
    line = turn.services.protocols.lines.matching(service.phone)
    return "anoniem" if line is not None and line.anonymous else "routine"


def refer(turn: Turn, action: Refer) -> None:
    """'Ik verwijs door naar X': record it, then the warm-handover checklist (acute: call now) and the label."""
    service = turn.service_from(action.key)
    if service is None:
        return
    domain = turn.ctx.domains.get(service.id) or (service.themes[0] if service.themes else "")
    name = display_name(service)
    kind = referral_kind(turn, service)
    step = turn.services.followup.refer(turn.user_id, service_id=service.id, service_name=name, domain=domain,
                                        kind=kind, now=turn.now())  # fmt: skip
    apply(turn, step)
    referral = step.referral
    if kind == "acuut":
        _acute_referred(turn, referral, service, step)
        return
    line = turn.services.protocols.lines.matching(service.phone)
    text = handover.checklist(service, name=name, line=line)
    if kind == "routine":
        text = f"{text}\n\n{_advice_text(turn)}"
    turn.say(text, [[button(texts.SHARE_LABEL, FollowupAnswer(referral.id, "share"))]])
    turn.ctx.pending = AwaitLabel(referral.id)
    turn.say(texts.LABEL_ASK, [[button(texts.LABEL_NONE, NoLabel(referral.id))]])


def refer_by_text(turn: Turn, text: str) -> bool:
    """'ik verwijs door naar de tweede', 'verwijs haar naar schuldhulp': the same as the button, when the
    text names a partner shown or on the kaart. A question ('hoe verwijs ik naar de ggz?') is no referral."""
    match = REFER_TEXT.search(text)
    if match is None or text.rstrip().endswith("?") or QUESTION_START.match(text):
        return False
    from bot.conversation.asking import resolve  # asking -> partners -> ...: imported here, not at the top

    service = resolve(turn, match["target"], use_focus=True, any_of_kind=True)
    if service is None:
        return False
    refer(turn, Refer(turn.ctx.service_key(service.id, room=KEY_ROOM)))
    return True


def _acute_referred(turn: Turn, referral: Referral, service: Service, step: Step) -> None:
    phone = handover.phone_text(handover.first_phone(service)) or service.phone
    date = texts.format_datetime(step.due_at) if step.due_at else ""
    turn.say(texts.ACUTE_REFERRED.format(name=referral.service_name, phone=phone, date=date),
             acute_buttons(referral.id))  # fmt: skip


def acute_buttons(referral_id: int) -> list[list[Button]]:
    return [[button(texts.FU_CALLED, FollowupAnswer(referral_id, "called")),
             button(texts.FU_NOT_REACHED, FollowupAnswer(referral_id, "fail"))]]  # fmt: skip


def _advice_text(turn: Turn) -> str:
    vraag = find_vraag(turn, TERUGKOPPELING_VRAAG)
    if vraag is None or not vraag.advice:
        return texts.REFERRAL_ADVICE_FALLBACK
    return f"Tip: {vraag.advice[0].text}\n{citation(vraag)}"


def label_text(turn: Turn, pending: AwaitLabel, text: str) -> bool:
    """A typed label while one is awaited. False when the text is clearly not a label (handle it normally)."""
    label = " ".join(text.split())
    referral = own_referral(turn, pending.referral_id)
    if (
        referral is None
        or _looks_like_question(label)
        or (len(label) > MAX_LABEL_CHARS and not pending.relabel)
    ):
        turn.ctx.clear_pending()
        return False
    if not pending.relabel and _moment_instead(turn, referral, label):
        return True  # 'over een week' typed at the label question: no label, that reminder
    result = turn.services.followup.label(turn.user_id, referral.id, label)
    if not result.saved:
        message = texts.LABEL_TOO_LONG if result.reason == "too_long" else texts.LABEL_IDENTIFYING
        turn.say(message, [[button(texts.LABEL_NONE, NoLabel(referral.id))]])
        return True
    turn.ctx.clear_pending()
    turn.say(texts.LABEL_SAVED.format(label=result.label))
    if not pending.relabel:
        after_label(turn, referral)
    return True


def _moment_instead(turn: Turn, referral: Referral, text: str) -> bool:
    """A reminder moment typed while the label is asked ('over een week'): the user skips the label and
    answers the next question; no label, and the reminder at that moment. False for anything else."""
    when = parse_when(text)
    if when is None or when.preset is None or not turn.services.followup.presets_for(referral):
        return False
    turn.ctx.clear_pending()
    _remind_at(turn, referral, at_the_latest(when.preset, turn.now(), turn.services.followup.calendar))
    return True


def _looks_like_question(text: str) -> bool:
    """A question typed instead of a label ('gezin A' and 'moeder met schulden' are labels)."""
    return text.endswith("?") or classify(text).kind == "question"


def no_label(turn: Turn, action: NoLabel) -> None:
    """'Geen label': on a new referral go on to the reminder choice; on 'Label wijzigen' remove the label."""
    referral = own_referral(turn, action.referral_id)
    if referral is None:
        turn.say(texts.STALE_BUTTON)
        return
    pending = turn.ctx.pending
    relabel = isinstance(pending, AwaitLabel) and pending.referral_id == referral.id and pending.relabel
    if isinstance(pending, AwaitLabel) and pending.referral_id == referral.id:
        turn.ctx.clear_pending()
    if relabel or referral.case_label:
        turn.services.followup.clear_label(turn.user_id, referral.id)
        turn.say(texts.LABEL_SAVED.format(label=texts.OPEN_NO_LABEL))
        return
    after_label(turn, referral)


def after_label(turn: Turn, referral: Referral) -> None:
    """Routine: the reminder presets. Anonymous line: its check-in is already set. Acute: never presets."""
    if referral.kind == "routine":
        ask_reminder(turn, referral)
        return
    pending = turn.services.followup.store.pending_reminders(referral_id=referral.id)
    if pending:
        turn.say(texts.ANON_CHECK_SET.format(date=texts.format_day(pending[0].due_at)))


def ask_reminder(turn: Turn, referral: Referral, *, head: str | None = None) -> None:
    """The routine reminder presets ('morgen', 'over 3 dagen', ...); an acute referral gets none."""
    presets = turn.services.followup.presets_for(referral)
    if not presets:
        turn.say(texts.ACUTE_CHECK.format(name=referral.service_name), acute_buttons(referral.id))
        return
    rows = [[button(preset.label, ChooseReminder(referral.id, i))] for i, preset in enumerate(presets)]
    rows.append([button(texts.REMIND_NONE, ChooseReminder(referral.id, None))])
    turn.say(head or texts.REMIND_ASK.format(name=referral.service_name), rows)
    turn.ctx.pending = AwaitReminder(referral.id)


def choose_reminder(turn: Turn, action: ChooseReminder) -> None:
    """A preset (or 'Geen herinnering'): replace any pending reminder of this referral."""
    referral = own_referral(turn, action.referral_id)
    presets = turn.services.followup.presets_for(referral) if referral else []
    choice = action.preset
    if referral is None or (choice is not None and choice >= len(presets)):
        turn.say(texts.STALE_BUTTON)
        return
    _remind_at(turn, referral, presets[choice] if choice is not None else None)


def reminder_text(turn: Turn, pending: AwaitReminder, text: str) -> bool:
    """A typed moment ('over 5 dagen', 'over een week', 'geen') while the moments are shown. False when the
    text is no moment (then it is handled as any other message, and the buttons still work)."""
    when = parse_when(text)
    referral = own_referral(turn, pending.referral_id)
    if when is None or referral is None or not turn.services.followup.presets_for(referral):
        turn.ctx.clear_pending()
        return False
    preset = when.preset
    if preset is not None:
        preset = at_the_latest(preset, turn.now(), turn.services.followup.calendar)
    _remind_at(turn, referral, preset)
    return True


def _remind_at(turn: Turn, referral: Referral, preset: Preset | None) -> None:
    pending = turn.ctx.pending
    if isinstance(pending, AwaitReminder) and pending.referral_id == referral.id:
        turn.ctx.clear_pending()
    step = turn.services.followup.schedule(turn.user_id, referral.id, preset, now=turn.now())
    apply(turn, step)
    if preset is None or step.due_at is None:
        turn.say(texts.REMIND_SKIPPED)
        return
    when = texts.format_datetime(step.due_at) if preset.exact else texts.format_day(step.due_at)
    turn.say(texts.REMIND_SET.format(when=preset.label, date=when))
