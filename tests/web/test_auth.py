"""Log-in, sessions, CSRF, roles and throttling through the Starlette test client."""

from __future__ import annotations

from starlette.testclient import TestClient

from bot.channels.web.security import COOKIE_NAME, LoginThrottle, SessionCodec
from tests.web.conftest import admin_code, csrf_of, log_in, new_invite


def test_anonymous_sees_only_the_login_page(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert 'action="/login"' in page.text and 'action="/chat"' not in page.text
    cookie = page.headers["set-cookie"]
    assert (
        "HttpOnly" in cookie
        and "SameSite=strict" in cookie.replace("Strict", "strict")
        and "Max-Age=" in cookie
    )
    assert "default-src 'self'" in page.headers["content-security-policy"]


def test_invite_code_logs_in_once(client: TestClient, web_services) -> None:
    code = new_invite(web_services)
    log_in(client, code)
    assert 'action="/chat"' in client.get("/").text
    other = TestClient(client.app)
    again = other.post("/login", data={"code": code, "csrf": csrf_of(other)})
    assert again.status_code == 400 and "al gebruikt" in again.text


def test_wrong_code_is_refused(client: TestClient) -> None:
    response = client.post("/login", data={"code": "geen-echte-code", "csrf": csrf_of(client)})
    assert response.status_code == 400
    assert 'action="/chat"' not in client.get("/").text


def test_login_without_csrf_is_refused(client: TestClient, web_services) -> None:
    client.get("/")
    response = client.post("/login", data={"code": new_invite(web_services)})
    assert response.status_code == 403
    response = client.post("/login", data={"code": new_invite(web_services), "csrf": "verkeerd"})
    assert response.status_code == 403


def test_chat_post_needs_csrf(member: TestClient) -> None:
    assert member.post("/chat", data={"text": "hallo"}).status_code == 403
    assert member.post("/chat", data={"text": "hallo", "csrf": "x"}).status_code == 403
    ok = member.post("/chat", data={"text": "/help"}, headers={"X-CSRF-Token": csrf_of(member)})
    assert ok.status_code == 200


def test_tampered_cookie_is_no_session(member: TestClient) -> None:
    import base64
    import json

    body, _, signature = member.cookies[COOKIE_NAME].partition(".")
    data = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    data["u"] = 900  # try to become the admin with the old signature
    forged = base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()
    member.cookies.clear()
    member.cookies.set(COOKIE_NAME, f"{forged}.{signature}")
    assert member.get("/beheer").status_code == 403
    assert 'action="/login"' in member.get("/").text


def test_session_expires() -> None:
    now = [1000.0]
    codec = SessionCodec(b"k", ttl_seconds=60, clock=lambda: now[0])
    token = codec.dumps(codec.new(5))
    assert codec.loads(token).user_id == 5  # type: ignore[union-attr]
    now[0] += 61
    assert codec.loads(token) is None
    assert SessionCodec(b"other", ttl_seconds=60, clock=lambda: 1000.0).loads(token) is None


def test_roles(client: TestClient, web_services, web_app) -> None:
    anonymous = client.get("/beheer")
    assert anonymous.status_code == 403 and 'action="/login"' in anonymous.text
    log_in(client, new_invite(web_services))
    for path in ("/beheer", "/beheer/vers", "/beheer/inzicht", "/beheer/import", "/beheer/export.csv"):
        assert client.get(path).status_code == 403, path
    csrf = csrf_of(client)
    assert client.post("/beheer/dienst/wt-centrum/gecontroleerd", data={"csrf": csrf}).status_code == 403
    admin = TestClient(web_app)
    log_in(admin, admin_code(web_app))
    assert admin.get("/beheer").status_code == 200


def test_logout(member: TestClient) -> None:
    response = member.post("/logout", data={"csrf": csrf_of(member)}, follow_redirects=False)
    assert response.status_code == 303
    assert 'action="/login"' in member.get("/").text


def test_login_attempts_are_throttled(client: TestClient, web_app) -> None:
    web_app.state.web.throttle = LoginThrottle(limit=3)
    try:
        csrf = csrf_of(client)
        codes = [client.post("/login", data={"code": f"fout{i}", "csrf": csrf}).status_code for i in range(5)]
        assert codes == [400, 400, 400, 429, 429]
        blocked = client.post("/login", data={"code": admin_code(web_app), "csrf": csrf})
        assert blocked.status_code == 429  # even a good code waits
    finally:
        web_app.state.web.throttle = LoginThrottle(limit=50)


def test_forgotten_member_loses_the_session(member: TestClient, web_services) -> None:
    csrf = csrf_of(member)
    asked = member.post("/chat", data={"text": "/vergeet", "csrf": csrf})
    data = next(v for v in __import__("re").findall(r'name="data" value="(forget:[^"]+)"', asked.text))
    member.post("/chat/knop", data={"data": data, "label": "Ja", "csrf": csrf})
    assert 'action="/login"' in member.get("/").text
