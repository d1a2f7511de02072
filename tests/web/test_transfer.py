"""Import (preview with row/column errors, atomic, size limit, broken CSV) and export (CSV, HSDS)."""

from __future__ import annotations

import csv
import io
import json

from starlette.testclient import TestClient

from tests.web.conftest import csrf_of


def _upload(client: TestClient, name: str, content: bytes):
    return client.post("/beheer/import", data={"csrf": csrf_of(client, "/beheer/import")},
                       files={"bestand": (name, content, "text/csv")})  # fmt: skip


def test_ten_megabyte_upload_is_refused_clearly(admin: TestClient, web_services) -> None:
    before = web_services.kaart.active().content_hash
    response = _upload(admin, "groot.csv", b"a" * (10 * 1024 * 1024 + 10))
    assert response.status_code == 413 and "te groot" in response.text and "10 MB" in response.text
    assert web_services.kaart.active().content_hash == before


def test_broken_quote_is_reported_and_nothing_changes(admin: TestClient, web_services) -> None:
    before = web_services.kaart.active().content_hash
    exported = admin.get("/beheer/export.csv").content
    broken = exported.rstrip(b"\n") + b'\nkapot,Org,"Naam zonder sluitend aanhalingsteken,beschrijving\n'
    response = _upload(admin, "kapot.csv", broken)
    assert (
        response.status_code == 422
        and "aanhalingsteken (&#34;) wordt geopend maar niet gesloten" in response.text
    )
    assert "huidige kaart blijft in gebruik" in response.text
    assert web_services.kaart.active().content_hash == before


def test_row_and_column_of_each_error_are_shown(admin: TestClient, web_services) -> None:
    rows = list(csv.DictReader(io.StringIO(admin.get("/beheer/export.csv").text)))
    rows[1]["email"] = "geen-adres"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    response = _upload(admin, "fout.csv", out.getvalue().encode())
    assert response.status_code == 422
    assert "<td>3</td><td>email</td>" in response.text


def test_not_a_kaart_file_type(admin: TestClient) -> None:
    response = _upload(admin, "foto.png", b"\x89PNG....")
    assert response.status_code == 400 and "CSV" in response.text


def test_preview_then_confirm_imports_atomically(admin: TestClient, web_services) -> None:
    exported = admin.get("/beheer/export.csv").content
    count = len(web_services.kaart.active().services)
    preview = _upload(admin, "kaart.csv", exported)
    assert preview.status_code == 200 and f"{count} diensten, geen fouten" in preview.text
    token = preview.text.split('name="token" value="')[1].split('"')[0]
    done = admin.post("/beheer/import/bevestig", data={"token": token, "csrf": csrf_of(admin)})
    assert done.status_code == 200 and "De nieuwe kaart is actief" in done.text
    assert len(web_services.kaart.active().services) == count
    again = admin.post("/beheer/import/bevestig", data={"token": token, "csrf": csrf_of(admin)})
    assert again.status_code == 400  # a preview is used once
    bad_token = admin.post(
        "/beheer/import/bevestig", data={"token": "../../etc/passwd", "csrf": csrf_of(admin)}
    )
    assert bad_token.status_code == 400


def test_export_hsds(admin: TestClient, web_services) -> None:
    response = admin.get("/beheer/export-hsds.json")
    assert response.status_code == 200 and "attachment" in response.headers["content-disposition"]
    payload = json.loads(response.content)
    services = payload["services"] if isinstance(payload, dict) else payload
    assert len(services) == len(web_services.kaart.active().services)
