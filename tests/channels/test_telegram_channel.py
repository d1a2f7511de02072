"""The Telegram channel over real HTTP (Bot API stand-in), with a scripted engine: gate, rendering, robustness."""

from __future__ import annotations

import asyncio
import logging
import time

import pytest

from bot.channels.telegram import build_application
from bot.channels.telegram_texts import EMPTY, NOT_TEXT, RATE_LIMITED, REFUSAL
from tests.channels.botapi_standin import BotApiStandin, Failure
from tests.channels.conftest import ADMIN, ALLOWED, STRANGER, make_settings
from tests.channels.fakes import FakeAccess, ScriptedEngine
from tests.channels.harness import running


def _bot(standin: BotApiStandin, tmp_path, *, engine=None, access=None, **settings):
    engine = engine or ScriptedEngine()
    access = access or FakeAccess(allowed={ALLOWED, ADMIN})
    app = build_application(
        None, settings=make_settings(tmp_path, standin.base_url, **settings), engine=engine, access=access
    )
    return app, engine, access


async def test_text_is_escaped_and_buttons_rendered(standin, tmp_path):
    app, engine, _ = _bot(standin, tmp_path)
    async with running(app):
        standin.push_text(ALLOWED, "Wat is <b>vet</b> & *ster* _x_ `code` 👩‍👩‍👧?")
        [reply] = await standin.await_messages(ALLOWED, 1)
    assert reply.params["parse_mode"] == "HTML"
    assert reply.text == "echo: Wat is &lt;b&gt;vet&lt;/b&gt; &amp; *ster* _x_ `code` 👩‍👩‍👧?"
    assert reply.buttons == [{"text": "👍", "callback_data": "fb:1"}]
    assert engine.events[0].text == "Wat is <b>vet</b> & *ster* _x_ `code` 👩‍👩‍👧?"


async def test_unknown_user_gets_one_refusal_and_nothing_else(standin, tmp_path):
    app, engine, _ = _bot(standin, tmp_path)
    async with running(app):
        standin.push_text(STRANGER, "/start")
        standin.push_text(STRANGER, "Mijn cliënt heeft schulden")
        standin.push_button(STRANGER, "fb:1")
        standin.push_message(
            STRANGER,
            sticker={
                "file_id": "s1",
                "file_unique_id": "s1",
                "type": "regular",
                "width": 1,
                "height": 1,
                "is_animated": False,
                "is_video": False,
            },
        )
        await standin.await_for(
            lambda calls: len([c for c in calls if c.method == "answerCallbackQuery"]) == 1
        )
        await asyncio.sleep(0.3)
    assert [c.text for c in standin.messages_to(STRANGER)] == [REFUSAL]
    assert engine.events == []


async def test_start_with_valid_code_redeems_and_onboards(standin, tmp_path):
    access = FakeAccess(allowed={ALLOWED}, codes={"GOEDE-CODE-123"})
    app, engine, _ = _bot(standin, tmp_path, access=access)
    async with running(app):
        standin.push_text(STRANGER, "/start FOUTE-CODE")
        await standin.await_messages(STRANGER, 1)
        standin.push_text(STRANGER, "/start GOEDE-CODE-123")
        messages = await standin.await_messages(STRANGER, 2)
        standin.push_text(STRANGER, "hallo")
        messages = await standin.await_messages(STRANGER, 3)
    assert messages[0].text == REFUSAL
    assert messages[1].text.startswith("commando start [")
    assert "GOEDE-CODE" not in messages[1].text, "the engine gets plain /start after redemption"
    assert STRANGER in access.allowed
    assert [e.kind for e in engine.events] == ["command", "text"]


async def test_group_chats_are_ignored(standin, tmp_path):
    app, engine, _ = _bot(standin, tmp_path)
    async with running(app):
        standin.push_text(ALLOWED, "hallo groep", chat_type="group")
        standin.push_text(ALLOWED, "hallo privé")
        await standin.await_messages(ALLOWED, 1)
        await asyncio.sleep(0.2)
    assert [e.text for e in engine.events] == ["hallo privé"]
    assert not standin.calls_of("sendMessage", chat_id=-100 - ALLOWED)


async def test_rate_limit_notice_once_then_silence(standin, tmp_path):
    app, engine, _ = _bot(standin, tmp_path, WIJKBOT_RATE_LIMIT=3)
    async with running(app):
        for n in range(6):
            standin.push_text(ALLOWED, f"bericht {n}")
        await standin.await_messages(ALLOWED, 4)
        await asyncio.sleep(0.3)
    texts = [c.text for c in standin.messages_to(ALLOWED)]
    assert len(engine.events) == 3
    assert texts.count(RATE_LIMITED) == 1
    assert len(texts) == 4


async def test_long_input_truncated_with_notice_and_long_reply_split(standin, tmp_path):
    app, engine, _ = _bot(standin, tmp_path)
    async with running(app):
        standin.push_text(ALLOWED, "x" * 10_000)
        await standin.await_messages(ALLOWED, 2)
        standin.push_text(ALLOWED, "long 9000")
        await standin.await_messages(ALLOWED, 5)
        await asyncio.sleep(0.2)
    messages = standin.messages_to(ALLOWED)
    assert "4.000 tekens" in messages[0].text
    assert len(engine.events[0].text) == 4000
    long_parts = messages[2:]
    assert len(long_parts) >= 3
    assert all(len(m.text) <= 4096 for m in messages)
    assert all(not m.text.startswith(" ") for m in long_parts)


async def test_empty_sticker_unknown_command_and_stale_button(standin, tmp_path):
    app, engine, _ = _bot(standin, tmp_path)
    async with running(app):
        standin.push_text(ALLOWED, "   ")
        await standin.await_messages(ALLOWED, 1)
        standin.push_message(
            ALLOWED,
            sticker={
                "file_id": "s1",
                "file_unique_id": "s1",
                "type": "regular",
                "width": 1,
                "height": 1,
                "is_animated": False,
                "is_video": False,
            },
        )
        await standin.await_messages(ALLOWED, 2)
        standin.push_text(ALLOWED, "/bestaatniet@wijkbot_test_bot iets")
        await standin.await_messages(ALLOWED, 3)
        standin.push_button(ALLOWED, "stale", message_id=1)
        await standin.await_messages(ALLOWED, 4)
    texts = [c.text for c in standin.messages_to(ALLOWED)]
    assert texts[:2] == [EMPTY, NOT_TEXT]
    assert texts[2] == "commando bestaatniet [iets]"
    assert texts[3] == "Deze knop werkt niet meer."
    assert len(standin.calls_of("answerCallbackQuery")) == 1


async def test_a_notice_is_shown_on_the_pressed_button_not_as_a_message(standin, tmp_path):
    app, _, _ = _bot(standin, tmp_path)
    async with running(app):
        standin.push_button(ALLOWED, "thanks")
        await standin.await_for(lambda calls: any(c.method == "answerCallbackQuery" for c in calls))
        standin.push_button(ALLOWED, "other")
        await standin.await_messages(ALLOWED, 1)
    answers = standin.calls_of("answerCallbackQuery")
    assert [a.params.get("text") for a in answers] == ["Dank je!", None]
    assert [c.text for c in standin.messages_to(ALLOWED)] == ["knop other"]


async def test_engine_error_apologises_and_logs_no_text(standin, tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    app, _, _ = _bot(standin, tmp_path)
    async with running(app):
        standin.push_text(ALLOWED, "boom Jan Jansen 0612345678")
        [reply] = await standin.await_messages(ALLOWED, 1)
    assert "ging iets mis" in reply.text
    assert "RuntimeError" in caplog.text
    assert "Jansen" not in caplog.text and "0612345678" not in caplog.text


async def test_parse_error_resends_plain(standin, tmp_path):
    standin.failures.append(Failure("sendMessage", 400, "Bad Request: can't parse entities", marker="echo"))
    app, _, _ = _bot(standin, tmp_path)
    async with running(app):
        standin.push_text(ALLOWED, "a < b")
        await standin.await_messages(ALLOWED, 2)
    first, second = standin.messages_to(ALLOWED)
    assert first.params.get("parse_mode") == "HTML"
    assert "parse_mode" not in second.params and second.text == "echo: a < b"


async def test_voice_without_transcriber_asks_for_text(standin, tmp_path):
    app, engine, _ = _bot(standin, tmp_path)
    async with running(app):
        standin.push_message(ALLOWED, voice={"file_id": "v1", "file_unique_id": "v1", "duration": 3})
        [reply] = await standin.await_messages(ALLOWED, 1)
    assert engine.events[0].kind == "voice_unavailable"
    assert "Typ" in reply.text


@pytest.mark.parametrize("retry_after", [1])
async def test_retry_after_is_retried_by_rate_limiter(standin, tmp_path, retry_after):
    standin.failures.append(
        Failure(
            "sendMessage", 429, "Too Many Requests: retry after 1", marker="echo", retry_after=retry_after
        )
    )
    app, _, _ = _bot(standin, tmp_path)
    async with running(app):
        standin.push_text(ALLOWED, "hallo")
        await standin.await_messages(ALLOWED, 2, timeout=10)
    first, second = standin.messages_to(ALLOWED)
    assert second.at - first.at >= retry_after


async def test_slow_users_do_not_block_others(standin, tmp_path):
    class SlowEngine(ScriptedEngine):
        def handle(self, event):
            if event.text == "traag":
                time.sleep(1.5)  # a slow LLM call, in a worker thread
            return super().handle(event)

    slow_users = list(range(2000, 2010))  # more than asyncio's default worker count on small machines
    access = FakeAccess(allowed={ALLOWED, ADMIN, *slow_users})
    app, _, _ = _bot(standin, tmp_path, engine=SlowEngine(), access=access)
    async with running(app):
        for user in slow_users:
            standin.push_text(user, "traag")
        await asyncio.sleep(0.2)
        standin.push_text(ADMIN, "snel")
        await standin.await_messages(ADMIN, 1, timeout=1.0)
        assert not any(standin.messages_to(u) for u in slow_users), "slow replies are still being made"
        await standin.await_for(lambda calls: all(standin.messages_to(u) for u in slow_users), timeout=5)
    assert standin.calls_of("sendChatAction", chat_id=slow_users[0]), "typing action while working"
