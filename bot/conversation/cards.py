"""Phone-sized partner cards: name, why (a few words), phone and access. Details sit behind 'Kaart'.

Boilerplate appears once per conversation: the meldcode line, and the freshness warning only when the data
is over a year old.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from bot.conversation import texts
from bot.conversation.context import UserContext
from bot.conversation.facts import tappable
from bot.kaart.model import Service
from bot.suggestion.result import Suggestion, SuggestionResult

STALE_DAYS = 365
WHY_CHARS = 48
NAME_CHARS = 56
ACCESS_CHARS = 60
# issue #8: a message of at most 600 characters on a phone. Cards that do not fit with the limits above are cut to
# these (name, why, access); every card keeps its name, phone and access (round 19: acute suggestions with three
# partner cards and the freshness line came to 700-900 characters).
MESSAGE_CHARS = 600
TIGHT_CHARS = ((40, 30, 34), (30, 22, 24))  # tighter and tighter, until the cards fit


def display_name(service: Service) -> str:
    """How we name a partner: 'Organisatie (dienst)', so two services of one organisation differ."""
    org, name = service.organization.strip(), service.name.strip()
    if not org or not name or name.casefold() in org.casefold():
        return org or name
    if org.casefold() in name.casefold():
        return name
    return f"{org} ({name})"


def why(suggestion: Suggestion, limit: int = WHY_CHARS) -> str:
    """'levensgebied: signal word', or only the levensgebied when both do not fit in `limit`."""
    label = (suggestion.domain_label or suggestion.domain).strip()
    signal = suggestion.signals[0] if suggestion.signals else ""
    words = f"{label.lower()}: {signal}" if label and signal else label.lower() or suggestion.reason
    if len(words) > limit and label and limit < WHY_CHARS:
        words = label.lower()
    return texts.shorten(words, limit)


def card(number: int, service: Service, reason: str, *, name_chars: int = NAME_CHARS,
         access_chars: int = ACCESS_CHARS) -> str:  # fmt: skip
    """'1. Name — why' and '☎ phone · Toegang: ...' on two lines."""
    head = f"{number}. {texts.shorten(display_name(service), name_chars)}" + (
        f" — {reason}" if reason else ""
    )
    reach = [f"☎ {tappable(service.phone)}"] if service.phone else []
    reach.append(
        texts.CARD_ACCESS.format(
            access=texts.shorten(service.application_process or "onbekend", access_chars)
        )
    )
    return f"{head}\n{' · '.join(reach)}"


def cards_text(suggestions: Sequence[Suggestion], *, room: int = MESSAGE_CHARS) -> str:
    """One card per partner, numbered from 1; cut to TIGHT_CHARS when they do not fit in `room` characters."""
    full = "\n".join(card(i, s.service, why(s)) for i, s in enumerate(suggestions, start=1))
    if len(full) <= room:
        return full
    for name, reason, access in TIGHT_CHARS:
        tight = "\n".join(card(i, s.service, why(s, reason), name_chars=name, access_chars=access)
                          for i, s in enumerate(suggestions, start=1))  # fmt: skip
        if len(tight) <= room:
            break
    return tight


def is_stale(service: Service, today: date) -> bool:
    return service.last_verified is not None and (today - service.last_verified).days > STALE_DAYS


def once_lines(ctx: UserContext, services: Sequence[Service], *, meldcode: bool, today: date) -> list[str]:
    """The meldcode line and the freshness warning, each at most once per conversation; the meldcode once more
    when a case turns acute (a worry about a child, then the child is beaten)."""
    lines: list[str] = []
    key = "meldcode:acuut" if ctx.acute_danger else "meldcode"
    if meldcode and key not in ctx.said_once:
        ctx.said_once.update({key, "meldcode"})
        lines.append(texts.MELDCODE_ONCE)
    stale = [str(number) for number, s in enumerate(services, start=1) if is_stale(s, today)]
    if stale and "stale" not in ctx.said_once:  # by card number: a name list came to 150 characters
        ctx.said_once.add("stale")
        numbers = stale[0] if len(stale) == 1 else f"{', '.join(stale[:-1])} en {stale[-1]}"
        lines.append(texts.STALE_DATA.format(numbers=numbers))
    return lines


def suggestion_text(result: SuggestionResult, ctx: UserContext, *, today: date) -> str:
    """Safety line first, then one compact card per partner, then once-per-conversation lines."""
    blocks: list[str] = []
    if result.safety is not None:
        prefix = "LET OP" if result.safety.level == "acute" else "Zorgsignaal"
        blocks.append(f"{prefix}: {result.safety.message}")
    if result.nothing_fits:
        general = [
            f"• {display_name(s)}" + (f" ☎ {tappable(s.phone)}" if s.phone else "") for s in result.general
        ]
        blocks.append(
            "\n".join([texts.SUGGEST_NONE, *([texts.SUGGEST_GENERAL, *general] if general else [])])
        )
    services = [s.service for s in result.suggestions]
    extra = once_lines(ctx, services, meldcode=any(s.meldcode for s in result.suggestions), today=today)
    if result.suggestions:  # the cards get the room the other blocks leave in one phone message
        room = MESSAGE_CHARS - sum(len(b) + 2 for b in [*blocks, "\n".join(extra)] if b)
        blocks.append(cards_text(result.suggestions, room=room))
    if extra:
        blocks.append("\n".join(extra))
    return "\n\n".join(blocks)
