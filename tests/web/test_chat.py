"""The web chat over the real engine: questions, situations, buttons, tel: links, reminders, privacy."""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime, timedelta

from starlette.testclient import TestClient

from bot.channels.web.render import event_from_text, reply_html
from tests.web.conftest import csrf_of

HX = {"hx-request": "true"}


def _say(client: TestClient, text: str) -> str:
    response = client.post("/chat", data={"text": text, "csrf": csrf_of(client)}, headers=HX)
    assert response.status_code == 200
    return response.text


def _buttons(html: str) -> dict[str, str]:
    return dict(
        re.findall(r'name="data" value="([^"]+)">\s*<input type="hidden" name="label" value="([^"]*)"', html)
    )


def test_question_gets_a_cited_answer_with_feedback_buttons(member: TestClient) -> None:
    html = _say(member, "Hoe maak ik tijd vrij voor overleg met de huisarts?")
    assert "Samenwerken in de wijk" in html
    assert any(data.startswith("fb:") for data in _buttons(html))


def test_situation_then_refer_asks_about_terugkoppeling(member: TestClient) -> None:
    html = _say(member, "moeder van drie, post blijft liggen, deurwaarder aan de deur, kinderen spijbelen")
    assert re.search(r'<a href="tel:\d+">', html)
    buttons = _buttons(html)
    refer = next(data for data, label in buttons.items() if data.startswith("ref:"))
    assert buttons[refer].startswith("Ik verwijs door")
    pressed = member.post("/chat/knop", data={"data": refer, "label": buttons[refer], "csrf": csrf_of(member)},
                          headers=HX)  # fmt: skip
    assert pressed.status_code == 200
    assert "terugkoppel" in pressed.text.lower()
    assert any(data.startswith("lbl:") for data in _buttons(pressed.text))


def test_without_htmx_the_full_page_shows_the_turn(member: TestClient) -> None:
    page = member.post("/chat", data={"text": "/vragen", "csrf": csrf_of(member)})
    assert (
        page.status_code == 200 and "<!doctype html>" in page.text and 'name="data" value="v:1"' in page.text
    )


def test_user_text_is_escaped(member: TestClient) -> None:
    html = _say(member, "<script>alert('x')</script> wat doe ik?")
    assert "<script>alert" not in html and "&lt;script&gt;" in html


def test_due_reminder_shows_once(member: TestClient, web_app, web_services) -> None:
    html = _say(member, "/start")
    user_id = web_app.state.web.codec.loads(member.cookies["wijkbot_sessie"]).user_id
    assert "wijkbot" in html.lower()
    store = web_services.store
    referral = store.add_referral(user_id, service_id="schuldhulp", service_name="Schuldhulp Testpartner")
    store.add_reminder(referral, user_id, due_at=datetime.now(UTC) - timedelta(minutes=1))
    first = member.get("/chat/herinneringen")
    assert first.status_code == 200 and "Schuldhulp Testpartner" in first.text
    assert any(data.startswith("fu:") for data in _buttons(first.text))
    assert member.get("/chat/herinneringen").status_code == 204


def test_no_message_text_in_logs(member: TestClient, caplog) -> None:
    secret = "Zebraspinaziekwartel"
    with caplog.at_level(logging.DEBUG):
        _say(member, f"hoe werk ik samen met {secret} en de huisarts?")
        _say(member, f"situatie: {secret} heeft schulden")
    assert secret not in caplog.text


def test_manifest_and_static_are_served_from_the_package(client: TestClient) -> None:
    manifest = client.get("/manifest.webmanifest").json()
    assert manifest["start_url"] == "/" and manifest["display"] == "standalone"
    assert client.get("/static/htmx.min.js").status_code == 200
    assert client.get("/static/icon-192.png").headers["content-type"] == "image/png"


def test_render_helpers() -> None:
    html = str(reply_html("Bel 0800-2000 of 112, niet <b>"))
    assert '<a href="tel:08002000">0800-2000</a>' in html and '<a href="tel:112">112</a>' in html
    assert "&lt;b&gt;" in html
    card = str(reply_html("☎ +31 123 456 730 (0123-45 67 30) · 4 12 34 56 78 90"))
    assert '<a href="tel:+31123456730">+31 123 456 730</a>' in card
    assert '(<a href="tel:0123456730">0123-45 67 30</a>)' in card
    assert "tel:1234" not in card  # loose numbers are no phone number
    assert event_from_text(1, "/kaart huisarts").command == "kaart"
    assert event_from_text(1, "hallo").kind == "text"
