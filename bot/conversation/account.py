"""Onboarding, help, wijk, privacy, /vergeet and the admin commands /uitnodigen and /herlaad."""

from __future__ import annotations

import logging

from bot.conversation import texts
from bot.conversation.actions import ChooseWijk, ChooseWijkAt, Forget, button, fits
from bot.conversation.turn import Turn

logger = logging.getLogger(__name__)
WIJK_BUTTONS = 12


def start(turn: Turn, arg: str) -> None:
    """/start [CODE]: redeem an invite if one is given, then onboarding with the wijk choice."""
    code = arg.split()[0] if arg.split() else ""
    access = turn.deps.access
    if code and not access.is_allowed(turn.user_id):
        if not access.redeem(turn.user_id, code):
            turn.say(texts.INVITE_BAD)
            return
        turn.say(texts.INVITE_OK)
    turn.services.store.ensure_user(turn.user_id, now=turn.now())
    turn.ctx.clear_pending()
    turn.say(texts.WELCOME)
    ask_wijk(turn, first=True)


def help_text(turn: Turn) -> None:
    extra = texts.HELP_ADMIN if turn.deps.access.is_admin(turn.user_id) else ""
    turn.say(texts.HELP + extra)


def privacy(turn: Turn) -> None:
    settings = turn.services.settings
    turn.say(texts.PRIVACY.format(hours=settings.context_ttl_hours, days=settings.retention_days))


def wijk(turn: Turn, arg: str) -> None:
    """/wijk [NAAM]: set directly when the name matches, else show the choice."""
    name = arg.strip().casefold()
    match = next((w for w in turn.services.kaart.wijken() if w.casefold() == name), None) if name else None
    if match:
        _set_wijk(turn, match)
        return
    ask_wijk(turn, first=False)


def ask_wijk(turn: Turn, *, first: bool) -> None:
    wijken = turn.services.kaart.wijken()
    if not wijken:
        turn.say(texts.WIJK_NONE_KNOWN)
        return
    current = turn.wijk()
    head = texts.WIJK_CURRENT.format(wijk=current) if current else texts.FIRST_STEP
    if first and not current:
        head = texts.FIRST_STEP
    buttons = [button(w, _wijk_action(w, i)) for i, w in enumerate(wijken[:WIJK_BUTTONS])]
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    rows.append([button(texts.WIJK_ALL_LABEL, ChooseWijk(None))])
    turn.say(head, rows)


def _wijk_action(name: str, index: int) -> ChooseWijk | ChooseWijkAt:
    by_name = ChooseWijk(name)
    return by_name if fits(by_name) and name != "*" else ChooseWijkAt(index)


def choose_wijk(turn: Turn, action: ChooseWijk | ChooseWijkAt) -> None:
    """A wijk button: by name, by index, or the whole municipality (name None)."""
    wijken = turn.services.kaart.wijken()
    if isinstance(action, ChooseWijk) and action.name is None:
        turn.services.store.set_wijk(turn.user_id, None, now=turn.now())
        turn.say(texts.WIJK_ALL)
        return
    chosen: str | None
    if isinstance(action, ChooseWijkAt):
        chosen = wijken[action.index] if action.index < len(wijken) else None
    else:
        chosen = action.name if action.name in wijken else None
    if chosen is None:
        turn.say(texts.STALE_BUTTON)
        return
    _set_wijk(turn, chosen)


def _set_wijk(turn: Turn, name: str) -> None:
    turn.services.store.set_wijk(turn.user_id, name, now=turn.now())
    turn.say(texts.WIJK_SET.format(wijk=name))


def ask_forget(turn: Turn) -> None:
    turn.ctx.forget_requested = True
    turn.say(
        texts.FORGET_ASK, [[button(texts.FORGET_YES, Forget(True)), button(texts.FORGET_NO, Forget(False))]]
    )


def forget(turn: Turn, action: Forget) -> bool:
    """Confirmation of /vergeet. Returns True when everything was deleted (the engine drops the context)."""
    if not turn.ctx.forget_requested:
        turn.say(texts.STALE_BUTTON)
        return False
    turn.ctx.forget_requested = False
    if not action.confirm:
        turn.say(texts.FORGET_CANCELLED)
        return False
    turn.outcome.cancel_reminders += turn.services.followup.forget(turn.user_id)
    turn.say(texts.FORGET_DONE)
    return True


def invite(turn: Turn) -> None:
    """/uitnodigen (admins): a one-time code with its expiry."""
    if not turn.deps.access.is_admin(turn.user_id):
        turn.say(texts.ADMIN_ONLY)
        return
    created = turn.deps.access.create_invite(turn.user_id)
    turn.say(
        texts.INVITE_CREATED.format(code=created.code, expires=texts.format_datetime(created.expires_at))
    )


def reload(turn: Turn) -> None:
    """/herlaad (admins): reload the kaart and the knowledge without a restart."""
    if not turn.deps.access.is_admin(turn.user_id):
        turn.say(texts.ADMIN_ONLY)
        return
    try:
        turn.services.kaart.reload()
        if turn.deps.on_reload is not None:
            turn.deps.on_reload()
    except Exception as exc:  # noqa: BLE001 - report to the admin, log the type only
        logger.error("reload failed: %s", type(exc).__name__)
        turn.say(texts.RELOAD_FAILED)
        return
    turn.outcome.reloaded = True
    turn.say(texts.RELOADED)
