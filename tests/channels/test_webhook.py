"""Webhook mode: PTB's secret-token check in front of the same handlers."""

from __future__ import annotations

import socket
from dataclasses import asdict

import httpx

from bot.channels.telegram import build_application, on_startup
from bot.channels.telegram_startup import webhook_options
from tests.channels.conftest import ADMIN, ALLOWED, make_settings
from tests.channels.fakes import FakeAccess, ScriptedEngine

SECRET = "een-lang-geheim-voor-de-test-123"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _update(update_id: int, text: str) -> dict:
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": 0,
            "chat": {"id": ALLOWED, "type": "private"},
            "from": {"id": ALLOWED, "is_bot": False, "first_name": "Tester"},
            "text": text,
        },
    }


async def test_webhook_accepts_only_the_secret(standin, tmp_path):
    port = _free_port()
    settings = make_settings(
        tmp_path,
        standin.base_url,
        WEBHOOK_URL=f"http://127.0.0.1:{port}/tg/hook",
        WEBHOOK_SECRET=SECRET,
        WEBHOOK_LISTEN="127.0.0.1",
        WEBHOOK_PORT=port,
    )
    engine = ScriptedEngine()
    app = build_application(
        None, settings=settings, engine=engine, access=FakeAccess(allowed={ALLOWED, ADMIN})
    )
    await app.initialize()
    await on_startup(app)
    await app.start()
    await app.updater.start_webhook(**asdict(webhook_options(settings)))
    try:
        async with httpx.AsyncClient() as client:
            url = f"http://127.0.0.1:{port}/tg/hook"
            wrong = await client.post(
                url, json=_update(1, "zonder geheim"), headers={"X-Telegram-Bot-Api-Secret-Token": "fout"}
            )
            right = await client.post(
                url, json=_update(2, "met geheim"), headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}
            )
        await standin.await_messages(ALLOWED, 1)
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()
    assert wrong.status_code == 403 and right.status_code == 200
    [set_webhook] = standin.calls_of("setWebhook")
    assert set_webhook.params["secret_token"] == SECRET
    assert [e.text for e in engine.events] == ["met geheim"]
