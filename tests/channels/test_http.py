"""The Bot API's HTTP client on aiohttp (bot/channels/telegram_http.py): what PTB's BaseRequest expects of it."""

from __future__ import annotations

import asyncio
import socket

import pytest
from aiohttp import web
from telegram import InputFile
from telegram.error import BadRequest, NetworkError, TimedOut
from telegram.request import RequestData
from telegram.request._requestparameter import RequestParameter

from bot.channels.telegram_http import AiohttpRequest


async def _server(handler: object) -> tuple[web.AppRunner, str]:
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handler)  # type: ignore[arg-type]
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    return runner, f"http://127.0.0.1:{port}"


async def test_parameters_files_and_errors_reach_the_server_and_come_back_as_ptb_expects() -> None:
    seen: list[dict[str, object]] = []

    async def handler(request: web.Request) -> web.Response:
        form = await request.post()
        seen.append({k: (v.file.read() if hasattr(v, "file") else v) for k, v in form.items()})
        if request.path.endswith("/fail"):
            return web.json_response(
                {"ok": False, "error_code": 400, "description": "Bad Request: nope"}, status=400
            )
        return web.json_response({"ok": True, "result": True})

    runner, base = await _server(handler)
    try:
        async with AiohttpRequest(connections=2) as request:
            data = RequestData(
                [RequestParameter.from_input("chat_id", 7), RequestParameter.from_input("text", "hé <b>")]
            )
            assert await request.post(f"{base}/sendMessage", data) is True
            document = InputFile(b"inhoud", filename="lijst.csv", attach=False)
            upload = RequestData(
                [RequestParameter.from_input("chat_id", 7), RequestParameter.from_input("document", document)]
            )
            await request.post(f"{base}/sendDocument", upload)
            with pytest.raises(BadRequest, match="(?i)nope"):
                await request.post(f"{base}/fail", data)
            status, body = await request.do_request(f"{base}/file", "GET")
    finally:
        await runner.cleanup()
    assert seen[0] == {"chat_id": "7", "text": "hé <b>"}
    assert seen[1]["chat_id"] == "7" and seen[1]["document"] == b"inhoud"
    assert status == 200 and b'"ok": true' in body


async def test_a_slow_reply_is_timed_out_and_a_closed_port_is_a_network_error() -> None:
    async def slow(request: web.Request) -> web.Response:
        await asyncio.sleep(2)
        return web.json_response({"ok": True, "result": True})

    runner, base = await _server(slow)
    try:
        async with AiohttpRequest(read_timeout=0.2) as request:
            with pytest.raises(TimedOut):
                await request.post(f"{base}/getMe")
    finally:
        await runner.cleanup()
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    async with AiohttpRequest() as request:
        with pytest.raises(NetworkError):
            await request.post(f"http://127.0.0.1:{port}/getMe")
