"""A Telegram Bot API stand-in on loopback, for tests and bench/load.py.

It runs an aiohttp server in its own thread (so it serves an in-process Application and a bot subprocess alike),
answers the Bot API methods wijkbot uses, records every call, and lets a test play users:
`push_text(user_id, "hoi")`, `push_button(user_id, data)`, then `wait_for(...)` replies.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

# An upper bound for a wait, not a timing assertion: a bot under test may first build its engine worker and
# models before it polls (seconds on a loaded 2-core machine).
WAIT = 60.0

BOT_ID = 7000001
BOT_USERNAME = "wijkbot_test_bot"
TOKEN = "123456789:TESTtoken_abcdefghijklmnopqrstuvwxyz0123"
_JSON_FIELDS = {"reply_markup", "allowed_updates", "commands", "link_preview_options", "entities"}
_INT_FIELDS = {"chat_id", "message_id", "offset", "timeout", "limit", "user_id"}


@dataclass(frozen=True, slots=True)
class Call:
    """One Bot API request the bot made."""

    method: str
    params: dict[str, Any]
    at: float  # time.monotonic()

    @property
    def chat_id(self) -> int | None:
        value = self.params.get("chat_id")
        return int(value) if value is not None else None

    @property
    def text(self) -> str:
        return str(self.params.get("text", ""))

    @property
    def buttons(self) -> list[dict[str, str]]:
        """All inline buttons of a sendMessage, flattened: [{'text':..., 'callback_data':...}]."""
        markup = self.params.get("reply_markup") or {}
        return [b for row in markup.get("inline_keyboard", []) for b in row]


@dataclass
class Failure:
    """A scripted error answer: the next `times` calls of `method` (whose text contains `marker`) fail."""

    method: str
    code: int
    description: str
    marker: str = ""
    times: int = 1
    retry_after: int | None = None


@dataclass
class BotApiStandin:
    """The stand-in server. Use as a context manager, or start()/stop()."""

    host: str = "127.0.0.1"
    port: int = 0
    calls: list[Call] = field(default_factory=list)
    pushed_at: dict[int, float] = field(default_factory=dict)  # update_id -> monotonic time of push
    files: dict[str, bytes] = field(default_factory=dict)
    failures: list[Failure] = field(default_factory=list)
    listeners: list[Callable[[Call], None]] = field(default_factory=list)  # every message and button notice
    backlog: int = 4096  # the accept queue: a load test with many connections must never see a refusal

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1000)
        self._pressed_by: dict[str, int] = {}  # callback query id -> the user who pressed
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._new_update: asyncio.Event | None = None
        self._runner: web.AppRunner | None = None

    # ---- lifecycle ----
    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}/bot"

    def __enter__(self) -> BotApiStandin:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> None:
        self._thread = threading.Thread(target=self._serve, name="botapi-standin", daemon=True)
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("Bot API stand-in did not start")

    def stop(self) -> None:
        if self._loop is None:
            return
        asyncio.run_coroutine_threadsafe(self._shutdown(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        if self._thread is not None:
            self._thread.join(10)
        self._loop = None

    def _serve(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        asyncio.set_event_loop(loop)
        loop.run_until_complete(self._startup())
        self._ready.set()
        loop.run_forever()
        loop.close()

    async def _startup(self) -> None:
        self._new_update = asyncio.Event()
        app = web.Application(client_max_size=50 * 1024 * 1024)
        app.router.add_post("/bot{token}/{method}", self._api)
        app.router.add_get("/bot{token}/{method}", self._api)
        app.router.add_get("/file/bot{token}/{path:.*}", self._file)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port, backlog=self.backlog)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def _shutdown(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    # ---- playing users ----
    def push_update(self, payload: dict[str, Any]) -> int:
        """Queue an update (without update_id); returns its update_id."""
        with self._lock:
            update_id = next(self._update_ids)
            self._updates.append({"update_id": update_id, **payload})
            self.pushed_at[update_id] = time.monotonic()
        if self._loop is not None and self._new_update is not None:
            self._loop.call_soon_threadsafe(self._new_update.set)
        return update_id

    def push_text(self, user_id: int, text: str, *, chat_type: str = "private") -> int:
        """A user sends a text message (commands get a bot_command entity, like Telegram does)."""
        message = self._message(user_id, chat_type=chat_type)
        message["text"] = text
        if text.startswith("/"):
            length = len(text.split()[0]) if text.split() else 1
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        return self.push_update({"message": message})

    def push_message(self, user_id: int, **fields: Any) -> int:
        """A user sends any other message (voice=..., sticker=..., photo=...)."""
        return self.push_update({"message": {**self._message(user_id), **fields}})

    def push_button(self, user_id: int, data: str, *, message_id: int | None = None) -> int:
        """A user presses an inline button with this callback data."""
        message = self._message(BOT_ID, chat_id=user_id, is_bot=True)
        message["message_id"] = message_id or 1
        message["text"] = "…"
        query_id = str(next(self._message_ids))
        self._pressed_by[query_id] = user_id
        query = {
            "id": query_id,
            "from": _user(user_id),
            "chat_instance": str(user_id),
            "message": message,
            "data": data,
        }
        return self.push_update({"callback_query": query})

    def _message(
        self, user_id: int, *, chat_id: int | None = None, chat_type: str = "private", is_bot: bool = False
    ) -> dict[str, Any]:
        chat_id = chat_id if chat_id is not None else (user_id if chat_type == "private" else -100 - user_id)
        chat: dict[str, Any] = {"id": chat_id, "type": chat_type}
        if chat_type != "private":
            chat["title"] = "Testgroep"
        sender = _user(user_id, is_bot=is_bot)
        return {"message_id": next(self._message_ids), "date": int(time.time()), "chat": chat, "from": sender}

    # ---- inspecting calls ----
    def calls_of(self, method: str, *, chat_id: int | None = None) -> list[Call]:
        with self._lock:
            return [c for c in self.calls if c.method == method and (chat_id is None or c.chat_id == chat_id)]

    def messages_to(self, chat_id: int) -> list[Call]:
        return self.calls_of("sendMessage", chat_id=chat_id)

    def _check(self, predicate: Callable[[list[Call]], bool], deadline: float) -> list[Call] | None:
        """The calls when predicate holds, None to keep waiting; TimeoutError after the deadline."""
        with self._lock:
            snapshot = list(self.calls)
        if predicate(snapshot):
            return snapshot
        if time.monotonic() > deadline:
            raise TimeoutError("stand-in: condition not met in time")
        return None

    def wait_for(self, predicate: Callable[[list[Call]], bool], *, timeout: float = WAIT) -> list[Call]:
        """Block until predicate(calls) holds; returns the calls. Raises TimeoutError."""
        deadline = time.monotonic() + timeout
        while (snapshot := self._check(predicate, deadline)) is None:
            time.sleep(0.02)
        return snapshot

    async def await_for(
        self, predicate: Callable[[list[Call]], bool], *, timeout: float = WAIT
    ) -> list[Call]:
        """Async variant of wait_for (does not block the event loop)."""
        deadline = time.monotonic() + timeout
        while (snapshot := self._check(predicate, deadline)) is None:
            await asyncio.sleep(0.02)
        return snapshot

    async def await_messages(self, chat_id: int, count: int, *, timeout: float = WAIT) -> list[Call]:
        """Wait until chat_id received at least `count` messages in total; returns them."""
        await self.await_for(
            lambda calls: (
                len([c for c in calls if c.method == "sendMessage" and c.chat_id == chat_id]) >= count
            ),
            timeout=timeout,
        )
        return self.messages_to(chat_id)

    # ---- the API ----
    def _heard(self, call: Call) -> Call | None:
        """What the user sees of a call: a message, or a notice on a pressed button (as a call to their chat)."""
        if call.method == "sendMessage":
            return call
        if call.method == "answerCallbackQuery" and call.params.get("text"):
            user = self._pressed_by.get(str(call.params.get("callback_query_id")))
            return Call(call.method, {**call.params, "chat_id": user}, call.at) if user is not None else None
        return None

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params = await _params(request)
        call = Call(method=method, params=params, at=time.monotonic())
        with self._lock:
            self.calls.append(call)
            failure = self._take_failure(method, params)
        if failure is None and (heard := self._heard(call)) is not None:
            for listener in self.listeners:
                listener(heard)
        if failure is not None:
            body: dict[str, Any] = {
                "ok": False,
                "error_code": failure.code,
                "description": failure.description,
            }
            if failure.retry_after is not None:
                body["parameters"] = {"retry_after": failure.retry_after}
            return web.json_response(body, status=failure.code)
        if method == "getUpdates":
            return _ok(await self._get_updates(params))
        handler = self._results().get(method)
        return _ok(handler(params) if handler else True)

    def _take_failure(self, method: str, params: dict[str, Any]) -> Failure | None:
        for failure in self.failures:
            if (
                failure.method == method
                and failure.times > 0
                and failure.marker in str(params.get("text", ""))
            ):
                failure.times -= 1
                return failure
        return None

    def _results(self) -> dict[str, Callable[[dict[str, Any]], Any]]:
        return {
            "getMe": lambda p: {
                "id": BOT_ID,
                "is_bot": True,
                "first_name": "Wijkbot",
                "username": BOT_USERNAME,
                "can_join_groups": False,
                "can_read_all_group_messages": False,
                "supports_inline_queries": False,
            },
            "sendMessage": self._sent_message,
            "editMessageText": self._sent_message,
            "sendContact": self._sent_contact,
            "getFile": lambda p: {
                "file_id": p.get("file_id"),
                "file_unique_id": "u1",
                "file_size": len(self.files.get(str(p.get("file_id")), b"")),
                "file_path": f"voice/{p.get('file_id')}.oga",
            },
            "getWebhookInfo": lambda p: {
                "url": "",
                "has_custom_certificate": False,
                "pending_update_count": 0,
            },
        }

    def _sent_message(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = int(params.get("chat_id", 0))
        message = {
            "message_id": params.get("message_id") or next(self._message_ids),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private"},
            "from": _user(BOT_ID, is_bot=True),
            "text": params.get("text", ""),
        }
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        return message

    def _sent_contact(self, params: dict[str, Any]) -> dict[str, Any]:
        message = self._sent_message(params)
        message.pop("text", None)
        message["contact"] = {
            "phone_number": params.get("phone_number", ""),
            "first_name": params.get("first_name", ""),
        }
        return message

    async def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        timeout = float(params.get("timeout") or 0)
        limit = int(params.get("limit") or 100)
        deadline = time.monotonic() + timeout
        assert self._new_update is not None
        while True:
            self._new_update.clear()  # before looking, so a push after the look wakes us
            with self._lock:
                self._updates = [u for u in self._updates if u["update_id"] >= offset]
                batch = self._updates[:limit]
            if batch or time.monotonic() >= deadline:
                return batch
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(
                    self._new_update.wait(), timeout=max(0.01, deadline - time.monotonic())
                )

    async def _file(self, request: web.Request) -> web.Response:
        name = request.match_info["path"].rsplit("/", 1)[-1].rsplit(".", 1)[0]
        data = self.files.get(name)
        if data is None:
            return web.Response(status=404)
        return web.Response(body=data, content_type="audio/ogg")


def _user(user_id: int, *, is_bot: bool = False) -> dict[str, Any]:
    return {
        "id": user_id,
        "is_bot": is_bot,
        "first_name": "Bot" if is_bot else f"Tester{user_id}",
        "language_code": "nl",
    }


def _ok(result: Any) -> web.Response:
    return web.json_response({"ok": True, "result": result})


async def _params(request: web.Request) -> dict[str, Any]:
    """Decode PTB's form fields: complex values are JSON, strings are plain."""
    if request.content_type == "application/json":
        raw: dict[str, Any] = await request.json()
    else:
        form = await request.post()
        raw = {k: v for k, v in form.items() if isinstance(v, str)}
    params: dict[str, Any] = {}
    for key, value in raw.items():
        if key in _JSON_FIELDS and isinstance(value, str):
            params[key] = json.loads(value)
        elif key in _INT_FIELDS and isinstance(value, str) and value.lstrip("-").isdigit():
            params[key] = int(value)
        else:
            params[key] = value
    return params
