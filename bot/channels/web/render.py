"""Pure rendering helpers for the web chat: escaped text with tel: links, and events from form input."""

from __future__ import annotations

import html
import re

from markupsafe import Markup

from bot.conversation.types import Event

MAX_INPUT_CHARS = 2000

# Dutch numbers as the kaart writes them (020-1234567, 06-12345678, 0800-2000, 14 020, 0123-45 67 30), in the
# +31 form the cards show (+31 123 456 730), and 112 / 113. Spaced forms are linked only with ten digits
# (nine after +31), so a run of loose numbers is never read as one phone number.
_PHONE = re.compile(
    r"(?<![\w.:/+-])(\+31(?: ?\d){9}|0\d{1,3}-\d{2,3}(?: \d{2,3}){1,3}|0\d{2,3}-\d{4,8}|06-\d{8}|0\d{9}"
    r"|14 \d{3,4}|112|113)(?![\w-])"
)
_COMMAND = re.compile(r"^/([A-Za-z0-9_]{1,32})(?:\s+(.*))?$", re.DOTALL)


def tel_href(number: str) -> str:
    return "tel:" + ("+" if number.startswith("+") else "") + re.sub(r"\D", "", number)


def _link(match: re.Match[str]) -> str:
    number = match.group(1)
    digits = re.sub(r"\D", "", number)
    spaced = " " in number and not number.startswith("14 ")
    if spaced and len(digits) != (11 if number.startswith("+") else 10):
        return number
    return f'<a href="{tel_href(number)}">{number}</a>'


def reply_html(text: str) -> Markup:
    """Escape the reply text, then turn phone numbers into tel: links (the pattern only matches digits,
    spaces and dashes, so linking after escaping cannot inject markup)."""
    escaped = html.escape(text, quote=True)
    linked = _PHONE.sub(_link, escaped)
    return Markup(linked)


def event_from_text(user_id: int, text: str) -> Event:
    """'/kaart huisarts' -> a command event; anything else is text (cut at MAX_INPUT_CHARS)."""
    text = text[:MAX_INPUT_CHARS]
    match = _COMMAND.match(text.strip())
    if match:
        return Event(user_id=user_id, kind="command", command=match.group(1).lower(),
                     text=(match.group(2) or "").strip())  # fmt: skip
    return Event(user_id=user_id, kind="text", text=text)
