"""Warm handover texts for one partner: the checklist, the message for the client, other routes. B1 Dutch.

Pure functions of a kaart Service (and the national lines): no state, no I/O.
"""

from __future__ import annotations

from bot.kaart.model import Service
from bot.safety.lines import NationalLine, tappable

SHARE_LIMIT = 600  # characters: one short message the professional forwards to the client
DESCRIPTION_CHARS = 160

CHECKLIST = (
    "Warme overdracht naar {name}. Check dit:\n"
    "1. Toestemming: weet de cliënt ervan, en is hij of zij akkoord?\n"
    "2. Wat je deelt: alleen wat {name} nodig heeft.\n"
    "3. Terugbellen: spreek af wie wie terugbelt, wanneer en hoe.\n"
    "4. Toegang en kosten: {access}"
)
ANONYMOUS = (
    "{name} is anoniem: je krijgt geen terugkoppeling. Bel samen met de cliënt, of geef het nummer mee. "
    "Ik vraag je later vandaag of het gelukt is."
)
NO_ACCESS_INFO = "staat niet op de kaart; vraag het bij je eerste contact."
OTHER_HEAD = "Andere manieren om {name} te bereiken:"
OTHER_NONE = "Op de sociale kaart staan geen andere contactgegevens van {name}. Probeer 'Andere partner'."


def first_phone(service: Service) -> str:
    """The first number of the phone field ('113 / 0800-0113' -> '113')."""
    for part in service.phone.replace(" of ", "/").split("/"):
        if any(ch.isdigit() for ch in part):
            return part.strip()
    return ""


def phone_text(number: str) -> str:
    """'0800-2000 (+318002000)': as written, and in a form a phone dials from a tap."""
    if not number:
        return ""
    tap = tappable(number)
    return number if tap in (number, number.replace(" ", "")) else f"{number} ({tap})"


def access_and_costs(service: Service) -> str:
    parts = [
        p.strip().rstrip(".") for p in (service.application_process, service.fees_description) if p.strip()
    ]
    return ". ".join(parts) + "." if parts else NO_ACCESS_INFO


def checklist(service: Service, *, name: str, line: NationalLine | None) -> str:
    """The checklist at 'Ik verwijs door naar X'; an anonymous national line gets its own short note."""
    if line is not None and line.anonymous:
        return ANONYMOUS.format(name=name)
    return CHECKLIST.format(name=name, access=access_and_costs(service))


def share_message(service: Service, *, name: str) -> str:
    """A short B1 message for the client: what X does, how to reach them, hours, costs (<= 600 chars)."""
    address = ", ".join(p for p in (service.address, f"{service.postal_code} {service.city}".strip()) if p)
    fields = [
        ("Wat ze doen", _cut(service.description, DESCRIPTION_CHARS)),
        ("Bellen", phone_text(first_phone(service))),
        ("Adres", address),
        ("Open", service.schedule),
        ("Kosten", service.fees_description),
        ("Aanmelden", service.application_process),
        ("Website", service.website),
    ]
    lines = [f"Informatie over {name}:"] + [
        f"{label}: {value.strip()}" for label, value in fields if value.strip()
    ]
    while len("\n".join(lines)) > SHARE_LIMIT and len(lines) > 2:
        lines.pop()  # drop the least important field first (website, then aanmelden, ...)
    return _cut("\n".join(lines), SHARE_LIMIT)


def other_routes(service: Service, *, name: str) -> str:
    """'Ander contact': e-mail, contact person and website of the kaart, all at once."""
    person = " — ".join(p for p in (service.contact_name, service.contact_title) if p.strip())
    items = [("Contactpersoon", person), ("E-mail", service.email), ("Website", service.website),
             ("Telefoon", phone_text(first_phone(service))), ("Adres", service.address)]  # fmt: skip
    found = [f"• {label}: {value.strip()}" for label, value in items if value.strip()]
    if not any(label in ("Contactpersoon", "E-mail", "Website") and value.strip() for label, value in items):
        return OTHER_NONE.format(name=name)
    return "\n".join([OTHER_HEAD.format(name=name), *found])


def _cut(text: str, limit: int) -> str:
    text = " ".join(text.split(" ")).strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
