"""Plain-text partner cards and suggestion lists (Dutch, B1, phone-sized). Channels escape the text."""

from __future__ import annotations

from datetime import date

from bot.kaart.model import Service
from bot.kaart.suggest import Suggestion, SuggestionResult

TERUGKOPPELING = "Spreek bij het doorverwijzen af wie wanneer terugkoppelt."
STALE_DAYS = 365


def verified_line(service: Service, *, today: date | None = None) -> str:
    """'Gecontroleerd: 2025-03-01', with a warning when older than a year or unknown."""
    if service.last_verified is None:
        return "Gecontroleerd: onbekend. Check de gegevens voor je belt."
    today = today or date.today()
    line = f"Gecontroleerd: {service.last_verified.isoformat()}"
    if (today - service.last_verified).days > STALE_DAYS:
        line += " (let op: ouder dan een jaar, check de gegevens)"
    return line


def format_card(service: Service, *, today: date | None = None) -> str:
    """A partner card: who, how to reach, how to get in, costs, when checked."""
    lines = [f"{service.name} ({service.organization})", service.description]
    contact = ", ".join(p for p in (service.contact_name, service.contact_title) if p)
    if contact:
        lines.append(f"Contact: {contact}")
    for label, value in (
        ("Telefoon", service.phone),
        ("E-mail", service.email),
        ("Website", service.website),
    ):
        if value:
            lines.append(f"{label}: {value}")
    address = " ".join(p for p in (service.address, service.postal_code, service.city) if p)
    if address:
        lines.append(f"Adres: {address}")
    if service.schedule:
        lines.append(f"Open: {service.schedule}")
    lines.append(f"Toegang: {service.application_process or 'onbekend'}")
    costs = service.fees_description or "onbekend"
    lines.append(
        f"Kosten: {costs}" + (f" (betaald uit: {', '.join(service.funding)})" if service.funding else "")
    )
    lines.append(f"Wijk: {', '.join(service.service_areas) if service.service_areas else 'hele gemeente'}")
    if service.crisis:
        lines.append("Bereikbaar bij crisis.")
    lines.append(verified_line(service, today=today))
    return "\n".join(line for line in lines if line)


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
