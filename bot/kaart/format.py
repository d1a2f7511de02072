"""Plain-text partner cards (Dutch, B1, phone-sized). Channels escape the text."""

from __future__ import annotations

from datetime import date

from bot.kaart.model import Service

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
