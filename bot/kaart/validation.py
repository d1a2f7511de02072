"""Turn raw rows into Services: required fields, unique ids, Dutch phone notation, e-mail, URL, date, funding."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from bot.kaart.io import RawRows, read_rows
from bot.kaart.model import (
    DOMAINS_FIELD,
    EXPORT_FIELDS,
    LIST_FIELDS,
    REQUIRED_FIELDS,
    KaartError,
    Service,
    ValidationIssue,
    ValidationReport,
)  # fmt: skip

MAX_ERRORS = 200
KNOWN_FUNDING: dict[str, str] = {
    name.casefold(): name
    for name in (
        "Wmo", "Zvw", "Jeugdwet", "Wlz", "Participatiewet", "Wgs", "Wsnp", "Gemeente", "Subsidie",
        "Eigen bijdrage", "Fondsen", "Rijksoverheid", "Zorgverzekeraar", "Vrijwillig", "Gratis", "Particulier",
    )
}  # fmt: skip
_EMAIL = re.compile(r"^[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$")
_THREE_DIGIT_AREAS = frozenset(
    [
        "010",
        "013",
        "015",
        "020",
        "023",
        "024",
        "026",
        "030",
        "033",
        "035",
        "036",
        "038",
        "040",
        "043",
        "045",
        "046",
        "050",
        "053",
        "055",
        "058",
        "070",
        "071",
        "072",
        "073",
        "074",
        "075",
        "076",
        "077",
        "078",
        "079",
        "085",
        "088",
        "091",
        "097",
    ]
)
_TRUE = {"true", "ja", "yes", "1", "waar", "j", "y", "x"}
_FALSE = {"false", "nee", "no", "0", "onwaar", "n", ""}


@dataclass(slots=True)
class ParsedKaart:
    """Valid services and the report that describes the file."""

    report: ValidationReport
    services: list[Service] = field(default_factory=list)


def parse_file(path: Path) -> ParsedKaart:
    """Read and validate a file. Never raises for bad content: problems go into the report."""
    report = ValidationReport(source=path.name)
    try:
        raw = read_rows(path)
    except KaartError as exc:
        report.errors.append(ValidationIssue(0, "", str(exc)))
        return ParsedKaart(report)
    except OSError as exc:
        report.errors.append(ValidationIssue(0, "", f"Het bestand is niet te openen ({exc.strerror})."))
        return ParsedKaart(report)
    return validate_rows(raw, report=report)


def validate_rows(raw: RawRows, *, report: ValidationReport) -> ParsedKaart:
    """Check every row; collect all problems (up to MAX_ERRORS)."""
    report.warnings.extend(raw.warnings)
    parsed = ParsedKaart(report)
    seen: dict[str, int] = {}
    for row_number, row in raw.rows:
        errors = ValidationIssues(row_number)
        service = _build_service(row, errors)
        if service is not None and service.id.casefold() in seen:
            errors.error("id", f"id '{service.id}' komt al voor in rij {seen[service.id.casefold()]}")
        report.warnings.extend(errors.warnings)
        if errors.errors:
            report.errors.extend(errors.errors)
        elif service is not None:
            seen[service.id.casefold()] = row_number
            parsed.services.append(service)
        if len(report.errors) >= MAX_ERRORS:
            report.errors.append(ValidationIssue(0, "", f"Meer dan {MAX_ERRORS} fouten; controle gestopt."))
            break
    if not raw.rows:
        report.errors.append(ValidationIssue(0, "", "Het bestand bevat geen diensten."))
    report.count = len(parsed.services) if report.ok else 0
    return parsed


@dataclass(slots=True)
class ValidationIssues:
    """Problems of one row."""

    row: int
    errors: list[ValidationIssue] = field(default_factory=list)
    warnings: list[ValidationIssue] = field(default_factory=list)

    def error(self, column: str, message: str) -> None:
        self.errors.append(ValidationIssue(self.row, column, message))

    def warn(self, column: str, message: str) -> None:
        self.warnings.append(ValidationIssue(self.row, column, message))


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return ";".join(_text(v) for v in value)
    return str(value).strip()


def _list(value: Any) -> tuple[str, ...]:
    items = value if isinstance(value, list | tuple) else _text(value).split(";")
    out: list[str] = []
    for item in items:
        text = _text(item)
        if text and text.casefold() not in {o.casefold() for o in out}:
            out.append(text)
    return tuple(out)


def _build_service(row: dict[str, Any], issues: ValidationIssues) -> Service | None:
    values: dict[str, Any] = {}
    for name in EXPORT_FIELDS:
        raw = row.get(name)
        values[name] = _list(raw) if name in LIST_FIELDS else _text(raw)
    values[DOMAINS_FIELD] = tuple(d.casefold() for d in values[DOMAINS_FIELD])
    values["domains_source"] = "kaart" if values[DOMAINS_FIELD] else ""
    for name in REQUIRED_FIELDS:
        if not values[name]:
            issues.error(name, "is verplicht maar leeg")
    if values["id"] and not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,63}", values["id"]):
        issues.error(
            "id", f"'{values['id']}' mag alleen letters, cijfers, punt, streepje en dubbele punt bevatten"
        )
    values["phone"] = _check_phone(values["phone"], issues)
    values["email"] = _check_email(values["email"], issues)
    values["website"] = _check_url(values["website"], issues)
    values["last_verified"] = _check_date(values["last_verified"], issues)
    values["crisis"] = _check_bool(row.get("crisis"), issues)
    values["funding"] = _check_funding(values["funding"], issues)
    if issues.errors:
        return None
    return Service(**values)


_PHONE_NOTE = re.compile(r"\s*\(([^()]*[^\W\d_][^()]*)\)\s*$")


def normalize_phone(text: str) -> str | None:
    """One Dutch number in Dutch notation, or None when it is not a valid Dutch number."""
    digits = re.sub(r"[\s().\-/]", "", text)
    if digits.startswith("+31"):
        digits = "0" + digits[3:].lstrip("0")
    elif digits.startswith("0031"):
        digits = "0" + digits[4:].lstrip("0")
    if not digits.isdigit():
        return None
    if digits in {"112", "113"} or re.fullmatch(r"14\d{3,4}", digits):
        return digits if not digits.startswith("14") or len(digits) == 3 else f"14 {digits[2:]}"
    if re.fullmatch(r"0(800|900|906|909)\d{4,7}", digits):
        return f"{digits[:4]}-{digits[4:]}"
    if re.fullmatch(r"06\d{8}", digits):
        return f"06-{digits[2:]}"
    if re.fullmatch(r"0[1-9]\d{8}", digits):
        cut = 3 if digits[:3] in _THREE_DIGIT_AREAS else 4
        return f"{digits[:cut]}-{digits[cut:]}"
    return None


def _check_phone(text: str, issues: ValidationIssues) -> str:
    if not text:
        return ""
    # ";" is the kaart's list separator inside a field, so "113;0800-0113" is two numbers too.
    parts = [p for p in re.split(r"\s+(?:of|/|en)\s+|\s*[|,;]\s*|\s+/\s*|\s*/\s+", text) if p.strip()]
    normalized = []
    for part in parts:
        # A short note in brackets after a number stays with it: "112 (spoed)", "0800-2000 (gratis)";
        # a note in words before it moves behind it: "via Loket WWZ 0595-41 00 00" -> "0595-41 00 00 (via Loket WWZ)".
        lead = _PHONE_LEAD.match(part)
        bare, notes = (part[lead.end() :], [lead.group(1).strip()]) if lead else (part, [])
        note = _PHONE_NOTE.search(bare)
        if note:
            bare, notes = bare[: note.start()], [note.group(1).strip(), *notes]
        number = normalize_phone(bare)
        if number is None:
            issues.error("phone", f"'{part.strip()}' is geen geldig Nederlands telefoonnummer")
            return text
        number = _as_written(bare.strip(), number)
        normalized.append(f"{number} ({'; '.join(notes)})" if notes else number)
    return " / ".join(normalized)


_PHONE_LEAD = re.compile(r"^\s*([^\W\d_][^\d+()]*?)\s+(?=[+0]\d|\(0)")
_GROUPED = re.compile(r"0\d{1,3}-\d[\d ]*\d")


def _as_written(written: str, number: str) -> str:
    """The kaart's own grouping when it is already Dutch notation ('0223-45 19 00' stays, people
    read it that way and check it against their list); other forms in the normalised notation."""
    if _GROUPED.fullmatch(written) and written.split("-")[0] == number.split("-")[0]:
        return written
    return number


def _check_email(text: str, issues: ValidationIssues) -> str:
    if text and not _EMAIL.fullmatch(text):
        issues.error("email", f"'{text}' is geen geldig e-mailadres")
    return text


def _check_url(text: str, issues: ValidationIssues) -> str:
    if not text:
        return ""
    candidate = text if "://" in text else f"https://{text}"
    parsed = urlparse(candidate)
    host = parsed.hostname or ""
    if parsed.scheme not in {"http", "https"} or "." not in host or " " in text:
        issues.error("website", f"'{text}' is geen geldige webadres (URL)")
        return text
    return candidate


def _check_date(text: str, issues: ValidationIssues) -> date | None:
    if not text:
        return None
    for fmt in ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%Y-%m-%dT%H:%M:%S"):
        try:
            value = datetime.strptime(text[:19], fmt).date()
        except ValueError:
            continue
        if value > date.today():
            issues.warn("last_verified", f"datum {value.isoformat()} ligt in de toekomst")
        return value
    issues.error("last_verified", f"'{text}' is geen geldige datum (gebruik JJJJ-MM-DD)")
    return None


def _check_bool(value: Any, issues: ValidationIssues) -> bool:
    if isinstance(value, bool):
        return value
    text = _text(value).casefold()
    if text in _TRUE:
        return True
    if text not in _FALSE:
        issues.error("crisis", f"'{text}' is geen true of false")
    return False


def _check_funding(values: tuple[str, ...], issues: ValidationIssues) -> tuple[str, ...]:
    out = []
    for value in values:
        known = KNOWN_FUNDING.get(value.casefold())
        if known is None:
            issues.warn("funding", f"onbekende financiering '{value}'")
        out.append(known or value)
    return tuple(out)
