"""Durability: the bot runs as a real process (`python -m bot run`). A reminder created before a SIGKILL arrives
exactly once after the restart, and a clean restart (SIGTERM) does not send it again."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.channels.botapi_standin import TOKEN, BotApiStandin, Call
from tests.channels.conftest import ALLOWED
from tests.channels.realstack import copy_data, find_button

STARTUP_TIMEOUT = 90.0
REMINDER_TEXT = "terugkoppeling gehad"


def _start(standin: BotApiStandin, data_dir: Path, log: Path) -> subprocess.Popen[bytes]:
    """Start `python -m bot run` against the stand-in; returns once it polls for updates."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("OPENAI_", "WIJKBOT_", "TELEGRAM_", "WEBHOOK_"))
    }
    env.update(
        {
            "WIJKBOT_DATA_DIR": str(data_dir),
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_API_BASE_URL": standin.base_url,
            "WIJKBOT_ALLOWED_USERS": str(ALLOWED),
            "WIJKBOT_FOLLOWUP_PRESETS": "10s,7d",
            "WIJKBOT_TELEGRAM_MAX_RATE": "0",
            "WIJKBOT_LOG_LEVEL": "DEBUG",
        }
    )
    polls_before = len(standin.calls_of("getUpdates"))
    with log.open("ab") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", "run"],
            cwd=data_dir.parent,
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    try:
        standin.wait_for(
            lambda calls: sum(c.method == "getUpdates" for c in calls) > polls_before, timeout=STARTUP_TIMEOUT
        )
    except TimeoutError:
        process.kill()
        raise AssertionError(f"bot did not start: {log.read_text()[-2000:]}") from None
    return process


def _act(standin: BotApiStandin, *, text: str | None = None, button: str | None = None) -> list[Call]:
    """Play the user: send text or press a button, wait for the answer and its acknowledgement."""
    before = len(standin.messages_to(ALLOWED))
    update_id = (
        standin.push_text(ALLOWED, text) if text is not None else standin.push_button(ALLOWED, button or "")
    )
    standin.wait_for(
        lambda calls: len([c for c in calls if c.method == "sendMessage" and c.chat_id == ALLOWED]) > before,
        timeout=20,
    )
    standin.wait_for(
        lambda calls: any(
            c.method == "getUpdates" and int(c.params.get("offset") or 0) > update_id for c in calls
        ),
        timeout=10,
    )
    time.sleep(0.3)
    return standin.messages_to(ALLOWED)[before:]


def _reminders(standin: BotApiStandin) -> list[Call]:
    return [m for m in standin.messages_to(ALLOWED) if REMINDER_TEXT in m.text]


def test_reminder_survives_sigkill_exactly_once_and_clean_restart_adds_none(prepared_data, tmp_path):
    data_dir = copy_data(prepared_data, tmp_path / "data")
    log = tmp_path / "bot.log"
    with BotApiStandin() as standin:
        bot = _start(standin, data_dir, log)
        try:
            replies = _act(standin, text="/partner")
            replies = _act(
                standin,
                text="Een vader met hoge schulden; de deurwaarder komt langs en hij "
                "slaapt slecht. Er is geen geld voor eten.",
            )
            if any(b["callback_data"] == "int:s" for m in replies for b in m.buttons):
                replies = _act(standin, button="int:s")
            replies = _act(standin, button=find_button(replies, "ref:"))
            replies = _act(standin, button=find_button(replies, "lbl:"))
            # Taken before the press: the bot sets the due time after it, so "early" is measured
            # against the earliest moment the reminder could have been created.
            pressed = time.monotonic()
            _act(standin, button=find_button(replies, "rm:", suffix=":0"))  # over 10 seconden
        finally:
            bot.send_signal(signal.SIGKILL)
            bot.wait(10)
        assert not _reminders(standin), "not due yet when the process died"
        bot = _start(standin, data_dir, log)
        try:
            standin.wait_for(lambda calls: bool(_reminders(standin)), timeout=30)
            # Due times may be stored to the second, so allow one second of rounding.
            assert time.monotonic() - pressed >= 9.0, "not before it was due"
            time.sleep(3)
            assert len(_reminders(standin)) == 1
        finally:
            bot.send_signal(signal.SIGTERM)
            assert bot.wait(20) == 0, "SIGTERM shuts down cleanly"
        bot = _start(standin, data_dir, log)
        try:
            time.sleep(3)
        finally:
            bot.send_signal(signal.SIGTERM)
            bot.wait(20)
        assert len(_reminders(standin)) == 1, "a clean restart never sends it again"
    output = log.read_text()
    assert "Traceback" not in output
    assert "schulden" not in output and "deurwaarder" not in output, "no message text in the logs"
    assert TOKEN not in output, "no token in the logs"
