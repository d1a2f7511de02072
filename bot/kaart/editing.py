"""Kaart beheer: edit, add, remove and verify services with the importer's validation and an audit trail.

Every change validates with the same rules as `wijkbot kaart import` (bot.kaart.validation), refuses a stale
version (someone else saved first), replaces the active kaart atomically and records who changed which fields.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path

from bot.kaart.audit import KaartAudit
from bot.kaart.io import RawRows
from bot.kaart.model import FIELDS, Service, ValidationReport
from bot.kaart.validation import validate_rows
from bot.suggestion.service import PartnerService


class EditConflict(Exception):
    """The service changed since the form was opened; the message is shown to the user."""


class ServiceNotFound(KeyError):
    """No service with this id in the active kaart."""


@dataclass(slots=True)
class EditResult:
    """The saved service, or the problems per column (then nothing was saved)."""

    service: Service | None
    errors: dict[str, str] = field(default_factory=dict)
    changed: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.service is not None and not self.errors


def version_of(service: Service) -> str:
    """A short fingerprint of a service's content: the form sends it back to detect concurrent edits."""
    payload = json.dumps(service.to_row(), ensure_ascii=False, sort_keys=True).encode("utf-8")
    return hashlib.sha256(payload).hexdigest()[:16]


def validate_form(values: Mapping[str, str]) -> EditResult:
    """Validate one service given as form values (list fields separated by ';'), like one import row."""
    row = {name: str(values.get(name, "")) for name in FIELDS}
    report = ValidationReport(source="formulier")
    parsed = validate_rows(RawRows(rows=[(1, row)]), report=report)
    errors: dict[str, str] = {}
    for issue in report.errors:
        errors.setdefault(issue.column or "", issue.message)
    service = parsed.services[0] if parsed.services and not errors else None
    return EditResult(service=service, errors=errors)


def changed_fields(old: Service, new: Service) -> tuple[str, ...]:
    before, after = old.to_row(), new.to_row()
    return tuple(name for name in FIELDS if before.get(name) != after.get(name))


class KaartEditor:
    """The beheer operations on the active kaart. Thread-safe: one change at a time in this process."""

    def __init__(self, *, kaart: PartnerService, audit: KaartAudit,
                 clock: Callable[[], datetime] | None = None) -> None:  # fmt: skip
        self._kaart = kaart
        self._audit = audit
        self._clock = clock or (lambda: datetime.now(UTC))
        self._lock = threading.Lock()

    @property
    def audit(self) -> KaartAudit:
        return self._audit

    def _current(self, service_id: str, version: str | None) -> Service:
        service = self._kaart.get(service_id)
        if service is None or service.id != service_id:
            raise ServiceNotFound(service_id)
        if version is not None and version != version_of(service):
            raise EditConflict(
                "Iemand anders heeft deze dienst net gewijzigd. Je wijziging is niet opgeslagen. "
                "Open de dienst opnieuw en voer je wijziging nog een keer in."
            )
        return service

    def _save(self, services: list[Service]) -> None:
        self._kaart.replace_services(services, source=self._kaart.active().source or "beheer")

    def update(self, service_id: str, values: Mapping[str, str], *, version: str, actor: int) -> EditResult:
        """Save an edited service. Raises EditConflict or ServiceNotFound; invalid values give errors."""
        result = validate_form({**values, "id": service_id})
        with self._lock:
            current = self._current(service_id, version)
            if not result.ok or result.service is None:
                return result
            changed = changed_fields(current, result.service)
            if changed:
                services = [
                    result.service if s.id == service_id else s for s in self._kaart.active().services
                ]
                self._save(services)
                self._audit.record(
                    service_id, actor=actor, action="wijzigen", fields=changed, now=self._clock()
                )
        return EditResult(service=result.service, changed=changed)

    def add(self, values: Mapping[str, str], *, actor: int) -> EditResult:
        """Add a new service; its id must not exist yet."""
        result = validate_form(values)
        with self._lock:
            if result.service is None:
                return result
            new = result.service
            services = list(self._kaart.active().services)
            if any(s.id.casefold() == new.id.casefold() for s in services):
                return EditResult(service=None, errors={"id": f"id '{new.id}' bestaat al"})
            self._save([*services, new])
            fields = tuple(n for n, v in new.to_row().items() if v and v != "false")
            self._audit.record(new.id, actor=actor, action="toevoegen", fields=fields, now=self._clock())
        return EditResult(service=new, changed=fields)

    def remove(self, service_id: str, *, version: str, actor: int) -> None:
        """Remove a service. Raises EditConflict or ServiceNotFound."""
        with self._lock:
            self._current(service_id, version)
            services = [s for s in self._kaart.active().services if s.id != service_id]
            self._save(services)
            self._audit.record(service_id, actor=actor, action="verwijderen", now=self._clock())

    def verify(self, service_id: str, *, actor: int, today: date | None = None) -> Service:
        """'Gecontroleerd vandaag': set last_verified. Raises ServiceNotFound."""
        with self._lock:
            current = self._current(service_id, None)
            day = today or self._clock().date()
            updated = replace(current, last_verified=day)
            services = [updated if s.id == service_id else s for s in self._kaart.active().services]
            self._save(services)
            self._audit.record(service_id, actor=actor, action="gecontroleerd", fields=("last_verified",),
                               now=self._clock())  # fmt: skip
        return updated

    def import_file(self, path: Path, *, actor: int) -> ValidationReport:
        """Atomic import of a whole file (nothing changes on any error); recorded as one 'import' entry."""
        with self._lock:
            report = self._kaart.import_file(path)
            if report.ok:
                self._audit.record("*", actor=actor, action="import", fields=(f"{report.count} diensten",),
                                   now=self._clock())  # fmt: skip
        return report
