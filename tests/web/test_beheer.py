"""Kaart beheer: edit with the importer's validation, concurrent edits, audit trail, add/remove, verify,
search and paging, freshness, and HTML escaping everywhere."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from starlette.testclient import TestClient

from bot.kaart.model import FIELDS
from tests.web.conftest import csrf_of


def _form(client: TestClient, service_id: str) -> dict[str, str]:
    page = client.get(f"/beheer/dienst/{service_id}")
    assert page.status_code == 200
    values = {name: "" for name in FIELDS}
    for name, value in re.findall(r'<input id="f-(\w+)" name="\w+" value="([^"]*)"', page.text):
        values[name] = value.replace("&amp;", "&").replace("&#39;", "'").replace("&quot;", '"')
    for name, value in re.findall(
        r'<textarea id="f-(\w+)" name="\w+" rows="3">([^<]*)</textarea>', page.text
    ):
        values[name] = value.replace("&amp;", "&").replace("&#39;", "'").replace("&quot;", '"')
    values["version"] = re.search(r'name="version" value="([^"]*)"', page.text).group(1)  # type: ignore[union-attr]
    values["csrf"] = re.search(r'name="csrf" value="([^"]*)"', page.text).group(1)  # type: ignore[union-attr]
    if 'name="crisis" value="true" checked' in page.text:
        values["crisis"] = "true"
    else:
        values.pop("crisis")
    return values


def test_bad_phone_is_shown_next_to_its_field_and_nothing_is_saved(admin: TestClient, web_services) -> None:
    before = web_services.kaart.get("wt-noord")
    form = _form(admin, "wt-noord") | {"phone": "bel maar niet", "email": "geen-mail"}
    response = admin.post("/beheer/dienst/wt-noord", data=form)
    assert response.status_code == 422
    assert re.search(r'id="err-phone">[^<]*geen geldig Nederlands telefoonnummer', response.text)
    assert re.search(r'id="err-email">[^<]*geen geldig e-mailadres', response.text)
    assert web_services.kaart.get("wt-noord") == before


def test_empty_name_is_refused(admin: TestClient, web_services) -> None:
    response = admin.post("/beheer/dienst/wt-noord", data=_form(admin, "wt-noord") | {"name": ""})
    assert response.status_code == 422 and re.search(r'id="err-name">[^<]*verplicht', response.text)
    assert web_services.kaart.get("wt-noord").name


def test_edit_is_saved_and_audited(admin: TestClient, web_services) -> None:
    form = _form(admin, "wt-oost") | {"phone": "0123 45 67 99", "contact_name": "Test Persoon (fictief)"}
    response = admin.post("/beheer/dienst/wt-oost", data=form, follow_redirects=False)
    assert response.status_code == 303
    service = web_services.kaart.get("wt-oost")
    assert service.phone == "0123-456799" and service.contact_name == "Test Persoon (fictief)"
    history = admin.get("/beheer/dienst/wt-oost/historie").text
    assert "wijzigen" in history and "phone" in history and "contact_name" in history and "900" in history
    assert "0123-456799" not in history  # the trail names fields, not values


def test_second_save_of_the_same_version_is_refused(admin: TestClient, web_services) -> None:
    first = _form(admin, "wt-zuid")
    second = dict(first)
    assert admin.post("/beheer/dienst/wt-zuid", data=first | {"schedule": "ma-vr 9-17"}).status_code == 200
    refused = admin.post("/beheer/dienst/wt-zuid", data=second | {"schedule": "di 10-12"})
    assert refused.status_code == 409 and "Iemand anders heeft deze dienst net gewijzigd" in refused.text
    assert web_services.kaart.get("wt-zuid").schedule == "ma-vr 9-17"


def test_html_in_a_description_is_escaped_everywhere(admin: TestClient, web_services) -> None:
    evil = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    form = _form(admin, "wt-centrum")
    form["description"] = form["description"] + " " + evil
    assert admin.post("/beheer/dienst/wt-centrum", data=form, follow_redirects=False).status_code == 303
    pages = [admin.get("/beheer/dienst/wt-centrum").text, admin.get("/beheer?q=wijkteam+centrum").text]
    pages.append(admin.post("/chat", data={"text": "/kaart wijkteam centrum", "csrf": csrf_of(admin)}).text)
    for html in pages:
        assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;" in pages[0]


def test_add_and_remove_a_service(admin: TestClient, web_services) -> None:
    values = {name: "" for name in FIELDS} | {
        "id": "test-nieuw", "organization": "Testorganisatie", "name": "Testdienst", "description": "Fictief.",
        "phone": "0123-456700", "csrf": csrf_of(admin, "/beheer/nieuw"),
    }  # fmt: skip
    values.pop("crisis")
    assert admin.post("/beheer/nieuw", data=values, follow_redirects=False).status_code == 303
    assert web_services.kaart.get("test-nieuw").name == "Testdienst"
    duplicate = admin.post("/beheer/nieuw", data=values)
    assert duplicate.status_code == 422 and "bestaat al" in duplicate.text
    form = _form(admin, "test-nieuw")
    removed = admin.post("/beheer/dienst/test-nieuw/verwijderen",
                         data={"csrf": form["csrf"], "version": form["version"]}, follow_redirects=False)  # fmt: skip
    assert removed.status_code == 303 and web_services.kaart.get("test-nieuw") is None
    assert "verwijderen" in admin.get("/beheer/dienst/test-nieuw/historie").text


def test_gecontroleerd_vandaag(admin: TestClient, web_services) -> None:
    response = admin.post("/beheer/dienst/wt-noord/gecontroleerd",
                          data={"csrf": csrf_of(admin, "/beheer"), "terug": "/beheer/vers"},
                          follow_redirects=False)  # fmt: skip
    assert response.status_code == 303 and response.headers["location"] == "/beheer/vers"
    assert web_services.kaart.get("wt-noord").last_verified == datetime.now(UTC).date()
    assert "gecontroleerd" in admin.get("/beheer/dienst/wt-noord/historie").text
    evil = admin.post("/beheer/dienst/wt-noord/gecontroleerd",
                      data={"csrf": csrf_of(admin, "/beheer"), "terug": "https://elders.example"},
                      follow_redirects=False)  # fmt: skip
    assert evil.headers["location"] == "/beheer"


def test_search_filter_and_paging_on_the_server(admin: TestClient, web_services) -> None:
    everything = admin.get("/beheer").text
    total = int(re.search(r"(\d+) dienst\(en\)", everything).group(1))  # type: ignore[union-attr]
    assert total == len(web_services.kaart.active().services)
    found = admin.get("/beheer?q=schuldhulp").text
    assert "Schuldhulp" in found and int(re.search(r"(\d+) dienst", found).group(1)) < total  # type: ignore[union-attr]
    noord = admin.get("/beheer?wijk=Noord").text
    assert "Wijkteam Noord" in noord and "Wijkteam Zuid" not in noord
    assert 'name="lg"' in everything  # the kaart carries levensgebieden (given or predicted at import)
    money = admin.get("/beheer?lg=financien").text
    assert "Schuldhulp" in money and int(re.search(r"(\d+) dienst", money).group(1)) < total  # type: ignore[union-attr]
    assert admin.get("/beheer?p=999").status_code == 200
    assert admin.get("/beheer?p=abc&vers=onzin").status_code == 200


def test_freshness_lists_stale_services_and_contact_failures(admin: TestClient, web_services) -> None:
    store = web_services.store
    referral = store.add_referral(424242, service_id="leerplicht", service_name="Leerplicht")
    store.add_contact_failure(store.get_referral(referral))
    store.add_correction("leerplicht", 424242, "contactgegevens kloppen niet")
    page = admin.get("/beheer/vers").text
    assert "contact lukte niet: 1" in page and "contactgegevens klopten niet: 1" in page
    assert "Niet gecontroleerd in 12 maanden" in page and "Gecontroleerd vandaag" in page
    flagged = admin.get("/beheer?vers=signalen").text
    assert "Leerplicht" in flagged


def test_unknown_service_is_404(admin: TestClient) -> None:
    assert admin.get("/beheer/dienst/bestaat-niet").status_code == 404


def test_gecontroleerd_clears_earlier_signals_but_not_later_ones(admin: TestClient, web_services) -> None:
    store = web_services.store
    referral = store.add_referral(434343, service_id="leerplicht", service_name="Leerplicht")
    store.add_contact_failure(store.get_referral(referral))
    assert "Leerplicht" in admin.get("/beheer?vers=signalen").text
    admin.post("/beheer/dienst/leerplicht/gecontroleerd",
               data={"csrf": csrf_of(admin, "/beheer"), "terug": "/beheer/vers"})  # fmt: skip
    assert "Leerplicht" not in admin.get("/beheer?vers=signalen").text
    assert "contact lukte niet" not in admin.get("/beheer/vers").text
    store.add_correction("leerplicht", 434343, "nummer klopt niet")  # a new signal after the check
    assert "contactgegevens klopten niet: 1" in admin.get("/beheer/vers").text
