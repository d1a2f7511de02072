"""'de huisarts is dicht', 'schuldhulp neemt niet op': a partner that cannot be reached now, and who can.

The partner meant is resolved as for any partner question (a name, a kind, the one in focus). The answer lists
the partners of the same kind (theme and name words, kinds.py) whose kaart schedule says they are open on the
day asked about ('het is zondag') or today: the huisartsenpost when the huisarts is dicht. In the talk about an
acute situation the safety topic stays, so the next message is still read with that danger.
"""

from __future__ import annotations

import re

from bot.conversation import asking, texts
from bot.conversation.cards import display_name
from bot.conversation.schedule import AskedDay, asked_day, is_open
from bot.conversation.turn import Turn
from bot.kaart.model import Service

CLOSED = re.compile(
    r"\b(?:is|zijn|zit|zitten)\s+(?:[\w']+\s+)?(?:dicht|gesloten)\b"
    r"|\b(?:neemt|nemen)\s+(?:de\s+telefoon\s+)?niet\s+op\b|\bniet\s+(?:bereikbaar|te\s+bereiken)\b"
    r"|\b(?:is|are)\s+closed\b|\bnot\s+(?:answering|reachable)\b",
    re.IGNORECASE,
)
SAME_KIND = 1.0  # at least one shared theme or name word with the closed partner (kinds.py scores)
SHOWN = 3


def open_instead(turn: Turn, text: str) -> bool:
    """Answer 'X is dicht' with the partners of X's kind that are open then; False when the text names no
    closed partner or none of its kind is open (the message is then read as usual)."""
    if not CLOSED.search(text):
        return False
    closed = asking.resolve(turn, text, use_focus=False, any_of_kind=True)  # 'de huisarts is dicht'
    if closed is None and turn.ctx.focus_id and asking.THEY.search(text):  # 'ze nemen niet op'
        closed = turn.services.kaart.get(turn.ctx.focus_id)
    if closed is None:
        return False
    now = turn.now()
    day = asked_day(text, now) or AskedDay((now.weekday(),), texts.HOURS_TODAY)
    found = _open_of_kind(turn, closed, day)
    if not found:
        return False
    danger = turn.ctx.safety_topic
    head = texts.CLOSED_HEAD.format(name=display_name(closed), day=day.label)
    asking.show_list(turn, found, head=head)
    turn.ctx.safety_topic = danger  # still the talk about the acute situation
    if danger:
        turn.outcome.safety = "acute"
    return True


def _open_of_kind(turn: Turn, closed: Service, day: AskedDay) -> list[Service]:
    services = [s for s in turn.services.kaart.active().services if s.id != closed.id]
    kind = " ".join((*closed.themes, closed.name))
    active = turn.services.kaart.active()
    kinds = turn.deps.understanding.kinds(active.content_hash, active.services)
    ranked = kinds.ranked(kind, among=[s.id for s in services])
    return [s for score, s in ranked if score >= SAME_KIND and is_open(s.schedule, day) is True][:SHOWN]
