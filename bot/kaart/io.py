"""Read kaart files (CSV in any Excel flavour, YAML, JSON, HSDS JSON) into raw rows, and write CSV/JSON."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.kaart import hsds
from bot.kaart.model import EXPORT_FIELDS, FIELDS, KaartError, Service, ValidationIssue

MAX_FILE_BYTES = 8 * 1024 * 1024
MAX_FIELD_CHARS = 20_000


@dataclass(slots=True)
class RawRows:
    """Rows as read from a file: (row number, {column: value}) plus file-level warnings."""

    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    warnings: list[ValidationIssue] = field(default_factory=list)


def read_rows(path: Path) -> RawRows:
    """Read any supported kaart file. Raises KaartError with one Dutch line on unreadable input."""
    if not path.is_file():
        raise KaartError(f"Bestand niet gevonden: {path}")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise KaartError(
            f"Het bestand is te groot ({size / 1_000_000:.1f} MB). Het maximum is "
            f"{MAX_FILE_BYTES // (1024 * 1024)} MB. Splits het bestand of haal lange teksten weg."
        )
    if size == 0:
        raise KaartError("Het bestand is leeg.")
    data = path.read_bytes()
    suffix = path.suffix.casefold()
    if suffix in {".yaml", ".yml"}:
        return _structured_rows(_load_yaml(decode(data)))
    if suffix == ".json":
        return _structured_rows(_load_json(decode(data)))
    return read_csv_text(decode(data))


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252 as Excel writes it."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if b"\x00" in data[:4096]:
        raise KaartError("Dit lijkt geen tekstbestand (CSV, YAML of JSON). Sla het op als CSV (UTF-8).")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _load_yaml(text: str) -> Any:
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (regel {mark.line + 1})" if mark is not None else ""
        raise KaartError(f"Het YAML-bestand is niet leesbaar{where}.") from None


def _load_json(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise KaartError(f"Het JSON-bestand is niet leesbaar (regel {exc.lineno}: {exc.msg}).") from None


def _structured_rows(data: Any) -> RawRows:
    if isinstance(data, dict):
        data = data.get("services", data.get("diensten"))
    if not isinstance(data, list):
        raise KaartError("Verwacht een lijst met diensten (of een object met de sleutel 'services').")
    out = RawRows()
    for number, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            raise KaartError(f"Rij {number} is geen object met velden.")
        row = hsds.from_hsds(item) if hsds.looks_like_hsds(item) else item
        out.rows.append((number, {str(k).strip().casefold(): v for k, v in row.items()}))
    return out


def _sniff_delimiter(header: str) -> str:
    counts = {d: header.count(d) for d in (",", ";", "\t")}
    return max(counts, key=lambda d: counts[d])


def read_csv_text(text: str) -> RawRows:
    """Parse CSV text with ',', ';' or tab. Errors name the row; an unbalanced quote is caught."""
    text = text.lstrip("\ufeff")
    first_line = text.split("\n", 1)[0]
    delimiter = _sniff_delimiter(first_line)
    csv.field_size_limit(MAX_FIELD_CHARS)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = [h.strip().lstrip("\ufeff").casefold() for h in next(reader)]
    except (StopIteration, csv.Error):
        raise KaartError("De kopregel van het CSV-bestand ontbreekt of is onleesbaar.") from None
    out = RawRows()
    missing = [name for name in FIELDS if name not in header]
    if missing:
        raise KaartError(f"Rij 1: deze kolommen ontbreken in de kopregel: {', '.join(missing)}.")
    for extra in [h for h in header if h and h not in EXPORT_FIELDS]:
        out.warnings.append(ValidationIssue(1, extra, "onbekende kolom, wordt genegeerd"))
    start_line = 2
    while True:
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise KaartError(_csv_error_text(exc, start_line)) from None
        if any(v.strip() for v in values):
            out.rows.append((start_line, _row_dict(header, values, start_line, out)))
        start_line = reader.line_num + 1
    return out


def _csv_error_text(exc: csv.Error, line: int) -> str:
    message = str(exc)
    if "field larger" in message:
        return f'Rij {line}: een veld is te lang (meer dan {MAX_FIELD_CHARS} tekens). Staat er een aanhalingsteken (") te veel?'
    if "end of data" in message or "EOF" in message or "quote" in message.casefold():
        return f'Rij {line}: een aanhalingsteken (") wordt geopend maar niet gesloten.'
    return f"Rij {line}: het CSV-bestand is niet leesbaar ({message})."


def _row_dict(header: list[str], values: list[str], line: int, out: RawRows) -> dict[str, Any]:
    if len(values) > len(header) and any(v.strip() for v in values[len(header) :]):
        out.warnings.append(
            ValidationIssue(line, "", f"{len(values)} velden, maar de kopregel heeft er {len(header)}")
        )
    row = {name: (values[i] if i < len(values) else "") for i, name in enumerate(header) if name}
    return row


def write_csv(services: list[Service], path: Path) -> None:
    """Write services as a UTF-8 CSV with the standard header."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(EXPORT_FIELDS))
        writer.writeheader()
        for service in services:
            writer.writerow(service.to_row())
