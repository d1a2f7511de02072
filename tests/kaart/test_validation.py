"""Import formats, encodings and every validation error (with its row number)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
import yaml

from bot.kaart.io import MAX_FILE_BYTES
from bot.kaart.model import FIELDS
from bot.kaart.validation import normalize_phone, parse_file
from tests.kaart.conftest import EXAMPLE, OTHER


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _write_csv(
    path: Path, rows: list[dict[str, str]], *, delimiter: str = ",", encoding: str = "utf-8"
) -> Path:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(FIELDS), delimiter=delimiter, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def _good_row(**changes: str) -> dict[str, str]:
    row = {name: "" for name in FIELDS}
    row.update(id="t1", organization="Stichting Test (fictief)", name="Testdienst", description="Hulp bij schulden.",
               crisis="false", phone="0123-45 67 89", email="test@example.org", website="example.org",
               last_verified="2025-01-31", funding="Wmo")  # fmt: skip
    row.update(changes)
    return row


def test_example_kaart_is_valid_and_big_enough() -> None:
    parsed = parse_file(EXAMPLE)
    assert parsed.report.ok, parsed.report.errors
    services = [s for s in parsed.services if s.themes]
    assert len(services) >= 40
    assert len({w for s in parsed.services for w in s.service_areas}) >= 3
    phones = {s.phone for s in parsed.services}
    assert {"0800-2000", "113 / 0800-0113", "0800-8020", "112"} <= phones


@pytest.mark.parametrize(("delimiter", "encoding"), [(",", "utf-8"), (";", "utf-8-sig"), (";", "cp1252"),
                                                     (",", "cp1252"), ("\t", "utf-8")])  # fmt: skip
def test_excel_flavours_read_the_same(tmp_path: Path, delimiter: str, encoding: str) -> None:
    rows = _rows(EXAMPLE)
    path = _write_csv(tmp_path / "kaart.csv", rows, delimiter=delimiter, encoding=encoding)
    parsed = parse_file(path)
    assert parsed.report.ok, parsed.report.errors
    reference = parse_file(EXAMPLE).services
    assert parsed.services == reference
    assert any("cliëntondersteuning" in s.themes for s in parsed.services)


def test_yaml_and_json_with_lists_or_strings(tmp_path: Path) -> None:
    reference = parse_file(OTHER).services
    rows = [s.to_row() for s in reference]
    as_lists = [dict(r, themes=r["themes"].split(";"), crisis=r["crisis"] == "true") for r in rows]
    (tmp_path / "k.yaml").write_text(
        yaml.safe_dump({"services": as_lists}, allow_unicode=True), encoding="utf-8"
    )
    (tmp_path / "k.json").write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    for name in ("k.yaml", "k.json"):
        parsed = parse_file(tmp_path / name)
        assert parsed.report.ok, (name, parsed.report.errors)
        assert parsed.services == reference


@pytest.mark.parametrize(("raw", "expected"), [
    ("0800-2000", "0800-2000"), ("0800 0113", "0800-0113"), ("0900-1234567", "0900-1234567"),
    ("06 12345678", "06-12345678"), ("+31 6 1234 5678", "06-12345678"), ("0031612345678", "06-12345678"),
    ("112", "112"), ("113", "113"), ("+31 (0)20 123 4567", "020-1234567"), ("0123-45 67 89", "0123-456789"),
    ("14 0123", "14 0123"),
])  # fmt: skip
def test_phone_numbers_are_normalised(raw: str, expected: str) -> None:
    assert normalize_phone(raw) == expected


def test_a_note_in_brackets_stays_with_its_number() -> None:
    from bot.kaart.validation import ValidationIssues, _check_phone

    issues = ValidationIssues(1)
    assert _check_phone("112 (spoed) / 0900 8844", issues) == "112 (spoed) / 0900-8844"
    assert not issues.errors
    _check_phone("(spoed)", issues)
    assert issues.errors


def test_several_numbers_in_one_cell_are_kept() -> None:
    from bot.kaart.validation import ValidationIssues, _check_phone

    issues = ValidationIssues(1)
    assert _check_phone("113;0800-0113", issues) == "113 / 0800-0113"
    assert _check_phone("0800 2000 ; 112", issues) == "0800-2000 / 112"
    assert not issues.errors
    _check_phone("0800-2000;bel ons", issues)
    assert issues.errors


@pytest.mark.parametrize("raw", ["12345", "06-123", "+32 2 123 45 67", "bel ons"])
def test_bad_phone_numbers_are_rejected(raw: str) -> None:
    assert normalize_phone(raw) is None


@pytest.mark.parametrize(("change", "column", "fragment"), [
    ({"id": ""}, "id", "verplicht"),
    ({"organization": ""}, "organization", "verplicht"),
    ({"name": ""}, "name", "verplicht"),
    ({"description": ""}, "description", "verplicht"),
    ({"phone": "12345"}, "phone", "telefoonnummer"),
    ({"email": "geen-mail"}, "email", "e-mailadres"),
    ({"website": "ht!p://x y"}, "website", "URL"),
    ({"last_verified": "31-31-2025"}, "last_verified", "datum"),
    ({"crisis": "misschien"}, "crisis", "true of false"),
])  # fmt: skip
def test_each_error_names_row_and_column(
    tmp_path: Path, change: dict[str, str], column: str, fragment: str
) -> None:
    path = _write_csv(tmp_path / "k.csv", [_good_row(), _good_row(**{"id": "t2", **change})])
    report = parse_file(path).report
    assert not report.ok
    assert [(e.row, e.column) for e in report.errors] == [(3, column)]
    assert fragment in report.errors[0].message
    assert "rij 3" in str(report.errors[0]) and column in str(report.errors[0])


def test_duplicate_ids_and_unknown_funding(tmp_path: Path) -> None:
    path = _write_csv(
        tmp_path / "k.csv", [_good_row(), _good_row(funding="Wmo;Toverfonds"), _good_row(id="T1")]
    )
    report = parse_file(path).report
    assert [(e.row, e.column) for e in report.errors] == [(3, "id"), (4, "id")]
    assert "rij 2" in report.errors[0].message
    assert any(w.column == "funding" and "Toverfonds" in w.message and w.row == 3 for w in report.warnings)


def test_missing_header_column(tmp_path: Path) -> None:
    path = tmp_path / "k.csv"
    path.write_text("id,organization,name\n1,a,b\n", encoding="utf-8")
    report = parse_file(path).report
    assert not report.ok and "description" in report.errors[0].message and "Rij 1" in report.errors[0].message


def test_unbalanced_quote_gives_a_clear_error(tmp_path: Path) -> None:
    lines = [",".join(FIELDS)] + [",".join(_good_row(id=f"t{i}").values()) for i in range(3)]
    lines[2] = lines[2].replace("Testdienst", '"Testdienst', 1)
    path = tmp_path / "k.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = parse_file(path).report
    assert not report.ok
    assert "aanhalingsteken" in report.errors[0].message and "Rij 3" in report.errors[0].message


def test_ten_megabyte_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "groot.csv"
    with path.open("wb") as handle:
        handle.write((",".join(FIELDS) + "\n").encode())
        handle.write(b"x" * (10 * 1024 * 1024))
    assert path.stat().st_size > MAX_FILE_BYTES
    report = parse_file(path).report
    assert not report.ok and "te groot" in report.errors[0].message


def test_binary_and_empty_files(tmp_path: Path) -> None:
    (tmp_path / "leeg.csv").write_bytes(b"")
    (tmp_path / "bin.csv").write_bytes(b"\x00\x01\x02PK" * 100)
    for name in ("leeg.csv", "bin.csv"):
        report = parse_file(tmp_path / name).report
        assert not report.ok and report.errors[0].row == 0


def test_a_grouped_number_is_kept_as_written_and_a_leading_note_moves_behind() -> None:
    from bot.kaart.validation import ValidationIssues, _check_phone

    issues = ValidationIssues(1)
    assert _check_phone("0223-45 19 00", issues) == "0223-45 19 00"
    assert _check_phone("0223 451900", issues) == "0223-451900"
    assert _check_phone("via Loket WWZ 0595-41 00 00", issues) == "0595-41 00 00 (via Loket WWZ)"
    assert _check_phone("via Loket 0595-41 00 00 (ma-vr)", issues) == "0595-41 00 00 (ma-vr; via Loket)"
    assert not issues.errors
    _check_phone("via het loket", issues)
    assert issues.errors
