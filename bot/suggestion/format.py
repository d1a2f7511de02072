"""Plain-text suggestion lists (Dutch, B1, phone-sized). Channels escape the text."""

from __future__ import annotations

from datetime import date

from bot.kaart.format import TERUGKOPPELING, verified_line
from bot.suggestion.result import Suggestion, SuggestionResult

__all__ = ["TERUGKOPPELING", "format_suggestion", "format_suggestions"]


def format_suggestion(number: int, suggestion: Suggestion, *, today: date | None = None) -> str:
    """A compact block for one suggested partner: fits three to a phone screen."""
    service = suggestion.service
    lines = [f"{number}. {service.name} ({service.organization})", f"Waarom: {suggestion.reason}"]
    contact = ", ".join(p for p in (service.contact_name, service.contact_title) if p)
    reach = " · ".join(p for p in (service.phone, service.email) if p)
    if contact or reach:
        lines.append("Contact: " + " · ".join(p for p in (contact, reach) if p))
    funding = f" ({', '.join(service.funding)})" if service.funding else ""
    lines.append(
        f"Toegang: {service.application_process or 'onbekend'} · "
        f"Kosten: {service.fees_description or 'onbekend'}{funding}"
    )
    lines.append(verified_line(service, today=today))
    if suggestion.meldcode:
        lines.append(suggestion.meldcode)
    return "\n".join(lines)


def format_suggestions(result: SuggestionResult, *, today: date | None = None) -> str:
    """Safety line first, then one block per suggestion, then advice and the terugkoppeling prompt."""
    blocks: list[str] = []
    if result.safety is not None:
        prefix = "LET OP" if result.safety.level == "acute" else "Zorgsignaal"
        blocks.append(f"{prefix}: {result.safety.message}")
    if result.nothing_fits:
        general = "\n".join(f"- {s.name} ({s.organization}) {s.phone}".rstrip() for s in result.general)
        text = "Ik vind geen partner op de sociale kaart die hier goed bij past."
        blocks.append(text + (f"\nNeem contact op met:\n{general}" if general else ""))
    for number, suggestion in enumerate(result.suggestions, start=1):
        blocks.append(format_suggestion(number, suggestion, today=today))
    blocks.append(f"Tip: {result.advice.text}\nBron: {result.advice.citation()}")
    blocks.append(TERUGKOPPELING)
    return "\n\n".join(blocks)
