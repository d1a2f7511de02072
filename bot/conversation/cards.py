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


def display_name(service: Service) -> str:
    """How we name a partner: 'Organisatie (dienst)', so two services of one organisation differ."""
    org, name = service.organization.strip(), service.name.strip()
    if not org or not name or name.casefold() in org.casefold():
        return org or name
    if org.casefold() in name.casefold():
        return name
    return f"{org} ({name})"


def why(suggestion: Suggestion) -> str:
    label = (suggestion.domain_label or suggestion.domain).strip()
    signal = suggestion.signals[0] if suggestion.signals else ""
    words = f"{label.lower()}: {signal}" if label and signal else label.lower() or suggestion.reason
    return texts.shorten(words, WHY_CHARS)


def card(number: int, service: Service, reason: str) -> str:
    """'1. Name — why' and '☎ phone · Toegang: ...' on two lines."""
    head = f"{number}. {texts.shorten(display_name(service), NAME_CHARS)}" + (
        f" — {reason}" if reason else ""
    )
    reach = [f"☎ {tappable(service.phone)}"] if service.phone else []
    reach.append(
        texts.CARD_ACCESS.format(
            access=texts.shorten(service.application_process or "onbekend", ACCESS_CHARS)
        )
    )
    return f"{head}\n{' · '.join(reach)}"


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
    stale = [display_name(s) for s in services if is_stale(s, today)]
    if stale and "stale" not in ctx.said_once:
        ctx.said_once.add("stale")
        lines.append(texts.STALE_DATA.format(names=texts.shorten(", ".join(stale), 80)))
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
    cards = [card(i, s.service, why(s)) for i, s in enumerate(result.suggestions, start=1)]
    if cards:
        blocks.append("\n".join(cards))
    services = [s.service for s in result.suggestions]
    extra = once_lines(ctx, services, meldcode=any(s.meldcode for s in result.suggestions), today=today)
    if extra:
        blocks.append("\n".join(extra))
    return "\n\n".join(blocks)
