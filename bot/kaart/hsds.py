"""Map services to and from Open Referral HSDS 3.0 JSON (nested organization, contacts, phones, ...)."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from bot.kaart.model import Service

THEME_TAXONOMY = "wijkbot-themes"
AUDIENCE_TAXONOMY = "wijkbot-audiences"
CRISIS_TAXONOMY = "wijkbot-crisis"
DOMAIN_TAXONOMY = "wijkbot-levensgebieden"
_NESTED_KEYS = ("contacts", "phones", "schedules", "service_areas", "attributes", "funding")


def looks_like_hsds(item: dict[str, Any]) -> bool:
    """True for an HSDS-style service (nested organization or lists of objects)."""
    if isinstance(item.get("organization"), dict):
        return True
    return any(isinstance(item.get(key), list) and item[key] and isinstance(item[key][0], dict)
               for key in _NESTED_KEYS)  # fmt: skip


def _attr(service_id: str, taxonomy: str, name: str, index: int) -> dict[str, Any]:
    term_id = f"{taxonomy}:{name}"
    return {
        "id": f"{service_id}-{taxonomy}-{index}",
        "link_type": taxonomy,
        "link_entity": "service",
        "value": name,
        "taxonomy_term": {"id": term_id, "name": name, "taxonomy": taxonomy},
    }


def to_hsds(service: Service) -> dict[str, Any]:
    """One HSDS 3.0 service object."""
    sid = service.id
    phones = [{"id": f"{sid}-phone-{i}", "number": n} for i, n in enumerate(_split_phones(service.phone))]
    attributes = [_attr(sid, THEME_TAXONOMY, t, i) for i, t in enumerate(service.themes)]
    attributes += [_attr(sid, AUDIENCE_TAXONOMY, a, i) for i, a in enumerate(service.audiences)]
    attributes += [_attr(sid, DOMAIN_TAXONOMY, d, i) for i, d in enumerate(service.levensgebieden)]
    attributes.append(_attr(sid, CRISIS_TAXONOMY, "true" if service.crisis else "false", 0))
    contacts = []
    if service.contact_name or service.contact_title:
        contacts.append({"id": f"{sid}-contact", "name": service.contact_name, "title": service.contact_title,
                         "email": service.email, "phones": phones})  # fmt: skip
    location = {"id": f"{sid}-location", "addresses": [{
        "id": f"{sid}-address", "address_1": service.address, "postal_code": service.postal_code,
        "city": service.city, "country": "NL", "address_type": "physical"}]}  # fmt: skip
    return {
        "id": sid,
        "name": service.name,
        "description": service.description,
        "organization": {
            "id": f"org-{_slug(service.organization)}",
            "name": service.organization,
            "website": service.website,
        },  # fmt: skip
        "email": service.email,
        "url": service.website,
        "application_process": service.application_process,
        "fees_description": service.fees_description,
        "assured_date": service.last_verified.isoformat() if service.last_verified else None,
        "status": "active",
        "contacts": contacts,
        "phones": phones,
        "service_areas": [{"id": f"{sid}-area-{i}", "name": a} for i, a in enumerate(service.service_areas)],
        "schedules": [{"id": f"{sid}-schedule", "description": service.schedule}] if service.schedule else [],
        "funding": [{"id": f"{sid}-funding-{i}", "source": f} for i, f in enumerate(service.funding)],
        "languages": [{"id": f"{sid}-lang-{i}", "name": lang} for i, lang in enumerate(service.languages)],
        "attributes": attributes,
        "service_at_locations": [{"id": f"{sid}-sal", "location": location}]
        if (service.address or service.postal_code or service.city)
        else [],
    }


def from_hsds(item: dict[str, Any]) -> dict[str, Any]:
    """Flatten one HSDS service object into a kaart row (values still unvalidated)."""
    org = item.get("organization") or {}
    contacts = _objects(item.get("contacts"))
    contact = contacts[0] if contacts else {}
    phones = _objects(item.get("phones")) or _objects(contact.get("phones"))
    attributes = _objects(item.get("attributes"))
    address = _first_address(item)
    crisis = [a.get("value") or _term(a).get("name") for a in attributes if _taxonomy(a) == CRISIS_TAXONOMY]
    return {
        "id": item.get("id", ""),
        "organization": org.get("name", "") if isinstance(org, dict) else str(org),
        "name": item.get("name", ""),
        "description": item.get("description", ""),
        "themes": [
            _term(a).get("name") or a.get("value") for a in attributes if _taxonomy(a) == THEME_TAXONOMY
        ],
        "audiences": [
            _term(a).get("name") or a.get("value") for a in attributes if _taxonomy(a) == AUDIENCE_TAXONOMY
        ],
        "service_areas": [a.get("name", "") for a in _objects(item.get("service_areas"))],
        "levensgebieden": [
            _term(a).get("name") or a.get("value") for a in attributes if _taxonomy(a) == DOMAIN_TAXONOMY
        ],
        "contact_name": contact.get("name", ""),
        "contact_title": contact.get("title", ""),
        "phone": " / ".join(str(p.get("number", "")) for p in phones if p.get("number")),
        "email": item.get("email") or contact.get("email") or "",
        "website": item.get("url") or (org.get("website", "") if isinstance(org, dict) else ""),
        "address": address.get("address_1", ""),
        "postal_code": address.get("postal_code", ""),
        "city": address.get("city", ""),
        "schedule": "; ".join(s.get("description", "") for s in _objects(item.get("schedules"))),
        "application_process": item.get("application_process", ""),
        "fees_description": item.get("fees_description", ""),
        "funding": [f.get("source", "") for f in _objects(item.get("funding"))],
        "crisis": crisis[0] if crisis else "false",
        "languages": [lang.get("name", "") for lang in _objects(item.get("languages"))],
        "last_verified": item.get("assured_date") or "",
    }


def write_hsds(services: list[Service], path: Path) -> None:
    """Write {"services": [...]} atomically as UTF-8 JSON."""
    payload = {"hsds_version": "3.0", "services": [to_hsds(s) for s in services]}
    write_json_atomic(payload, path)


def write_json_atomic(payload: Any, path: Path) -> None:
    """Write JSON to a temp file in the same folder, fsync, then os.replace."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(payload, out, ensure_ascii=False, indent=1)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise


def _objects(value: Any) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _term(attribute: dict[str, Any]) -> dict[str, Any]:
    term = attribute.get("taxonomy_term")
    return term if isinstance(term, dict) else {}


def _taxonomy(attribute: dict[str, Any]) -> str:
    return str(_term(attribute).get("taxonomy") or attribute.get("link_type") or "")


def _first_address(item: dict[str, Any]) -> dict[str, Any]:
    for sal in _objects(item.get("service_at_locations")):
        location = sal.get("location")
        addresses = _objects(location.get("addresses")) if isinstance(location, dict) else []
        if addresses:
            return addresses[0]
    return {}


def _split_phones(phone: str) -> list[str]:
    return [p.strip() for p in phone.split(" / ") if p.strip()]


def _slug(text: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in text.casefold()).strip("-")[:48] or "org"
