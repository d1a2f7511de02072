"""The sociale kaart data model: one Service per row, aligned with Open Referral HSDS 3.0 names."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

FIELDS: tuple[str, ...] = (
    "id", "organization", "name", "description", "themes", "audiences", "service_areas",
    "contact_name", "contact_title", "phone", "email", "website", "address", "postal_code", "city",
    "schedule", "application_process", "fees_description", "funding", "crisis", "languages",
    "last_verified",
)  # fmt: skip
DOMAINS_FIELD = (
    "levensgebieden"  # optional column: levensgebied ids (knowledge/levensgebieden.yaml), ';'-separated
)
EXPORT_FIELDS: tuple[str, ...] = (*FIELDS, DOMAINS_FIELD)
LIST_FIELDS: frozenset[str] = frozenset(
    {"themes", "audiences", "service_areas", "funding", "languages", DOMAINS_FIELD}
)
DOMAIN_SOURCES = (
    "kaart",
    "voorspeld",
    "bevestigd",
)  # given in the file, predicted at import, confirmed in review
REQUIRED_FIELDS: tuple[str, ...] = ("id", "organization", "name", "description")

# Service areas that mean "the whole municipality or wider", not one wijk.
WHOLE_AREA_WORDS = frozenset(
    {
        "landelijk",
        "nederland",
        "heel nederland",
        "regio",
        "regionaal",
        "gemeente",
        "hele gemeente",
        "heel de gemeente",
        "gemeentebreed",
        "alle wijken",
        "overal",
        "iedereen",
        "alle",
        "alles",
        "heel de stad",
        "hele stad",
    }
)
# 'heel Heidebeek', 'hele gemeente Vechtoever', 'regio Noord-Veluwe', 'gemeente X': the whole town or more
WHOLE_AREA_PREFIXES = ("heel ", "hele ", "geheel ", "regio ", "gemeente ")


def whole_area(area: str, city: str = "") -> bool:
    """True when a service_areas entry names the whole municipality or more, not one wijk."""
    text = " ".join(area.casefold().split())
    return text in WHOLE_AREA_WORDS or text.startswith(WHOLE_AREA_PREFIXES) or bool(city and text == city)


@dataclass(frozen=True, slots=True)
class Service:
    """One service of one organisation. An empty service_areas means the whole municipality."""

    id: str
    organization: str
    name: str
    description: str
    themes: tuple[str, ...] = ()
    audiences: tuple[str, ...] = ()
    service_areas: tuple[str, ...] = ()
    contact_name: str = ""
    contact_title: str = ""
    phone: str = ""
    email: str = ""
    website: str = ""
    address: str = ""
    postal_code: str = ""
    city: str = ""
    schedule: str = ""
    application_process: str = ""
    fees_description: str = ""
    funding: tuple[str, ...] = ()
    crisis: bool = False
    languages: tuple[str, ...] = ()
    last_verified: date | None = None
    levensgebieden: tuple[str, ...] = ()
    domains_source: str = ""  # one of DOMAIN_SOURCES, "" when there are none
    domains_confidence: float = 1.0  # for predicted domains: the lowest probability among them

    def to_row(self) -> dict[str, str]:
        """Flat CSV/JSON row: lists joined with ';', booleans as true/false, dates as ISO."""
        row: dict[str, str] = {}
        for name in EXPORT_FIELDS:
            value = getattr(self, name)
            if name in LIST_FIELDS:
                row[name] = ";".join(value)
            elif name == "crisis":
                row[name] = "true" if value else "false"
            elif name == "last_verified":
                row[name] = value.isoformat() if value else ""
            else:
                row[name] = value
        return row

    def snapshot_row(self) -> dict[str, str]:
        """to_row() plus where the levensgebieden came from and how sure the prediction was."""
        row = self.to_row()
        row["levensgebieden_bron"] = self.domains_source
        row["levensgebieden_zekerheid"] = f"{self.domains_confidence:.3f}"
        return row

    @property
    def everywhere(self) -> bool:
        """No wijk limit: no areas, or an area that names the whole municipality or more ('landelijk',
        'hele gemeente', or the service's own city, as kaarten write 'Zuiderhaven' for the whole town)."""
        city = self.city.strip().casefold()
        return not self.service_areas or any(whole_area(area, city) for area in self.service_areas)

    def serves(self, wijk: str | None) -> bool:
        """True when the service is open to people living in `wijk` (or wijk is unknown)."""
        if not wijk or self.everywhere:
            return True
        return wijk.casefold() in {area.casefold() for area in self.service_areas}

    def in_wijk(self, wijk: str | None) -> bool:
        """True when the service is explicitly limited to (among others) `wijk`."""
        if not wijk:
            return False
        return wijk.casefold() in {area.casefold() for area in self.service_areas}


@dataclass(frozen=True, slots=True)
class Kaart:
    """The services of one sociale kaart plus where it came from."""

    services: tuple[Service, ...]
    source: str
    content_hash: str = ""
    is_example: bool = False

    def wijken(self) -> list[str]:
        seen: dict[str, str] = {}
        for service in self.services:
            if service.everywhere:  # 'landelijk', the town itself: not a wijk
                continue
            for area in service.service_areas:
                seen.setdefault(area.casefold(), area)
        return sorted(seen.values(), key=str.casefold)


@dataclass(frozen=True, slots=True)
class ValidationIssue:
    """One problem in an input file. row: 1-based row as shown in a spreadsheet (CSV header = row 1)."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"rij {self.row}" if self.row else "bestand"
        column = f", kolom '{self.column}'" if self.column else ""
        return f"{where}{column}: {self.message}"


@dataclass(slots=True)
class ValidationReport:
    """Outcome of reading and checking a kaart file. count = number of valid services."""

    errors: list[ValidationIssue] = field(default_factory=list)
    warnings: list[ValidationIssue] = field(default_factory=list)
    count: int = 0
    source: str = ""

    @property
    def ok(self) -> bool:
        return not self.errors


class KaartError(Exception):
    """A kaart problem to show the user as one Dutch line (bad file, unknown wijk, ...)."""
