"""Helpers to run the real services/engine behind the channel: a data dir with a prebuilt index, button lookup."""

from __future__ import annotations

import asyncio
import shutil
import sqlite3
from pathlib import Path

from bot.config import Settings
from tests.channels.botapi_standin import BotApiStandin, Call
from tests.conftest import copy_data_dir

DB_NAME = "wijkbot.sqlite3"


def prepare_index(data_dir: Path) -> Path:
    """Build services once in data_dir (embeds the knowledge index); later copies reuse the index."""
    from bot.services import build_services

    services = build_services(Settings(_env_file=None, WIJKBOT_DATA_DIR=data_dir))  # type: ignore[call-arg]
    services.store.close()
    return data_dir


def copy_data(prepared: Path, target: Path) -> Path:
    """A fresh data dir with the prepared index but without any database."""
    return copy_data_dir(prepared, target, ignore=shutil.ignore_patterns(f"{DB_NAME}*"))


def database_bytes(data_dir: Path) -> bytes:
    """All bytes of the SQLite database, its WAL and shared-memory files."""
    return b"".join(p.read_bytes() for p in sorted(data_dir.glob(f"{DB_NAME}*")))


def rows_for_user(data_dir: Path, user_id: int) -> int:
    """How many rows in any table mention this user id in any user column."""
    path = data_dir / DB_NAME
    if not path.exists():
        return 0
    total = 0
    with sqlite3.connect(path) as connection:
        tables = [r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        for table in tables:
            columns = [r[1] for r in connection.execute(f"PRAGMA table_info({table})")]
            for column in (c for c in columns if "user" in c or c in ("created_by", "redeemed_by")):
                total += connection.execute(
                    f"SELECT COUNT(*) FROM {table} WHERE {column} = ?", (user_id,)
                ).fetchone()[0]
    return total


def find_button(messages: list[Call], prefix: str, *, suffix: str = "") -> str:
    """callback_data of the newest button whose data starts with prefix (and ends with suffix)."""
    for message in reversed(messages):
        for button in message.buttons:
            data = button.get("callback_data", "")
            if data.startswith(prefix) and data.endswith(suffix):
                return data
    raise AssertionError(f"no button {prefix}…{suffix} in {[m.buttons for m in messages[-3:]]}")


async def say(standin: BotApiStandin, user_id: int, text: str, *, timeout: float = 15.0) -> list[Call]:
    """Send text and wait until the bot has answered it (at least one new message); returns the new ones."""
    before = len(standin.messages_to(user_id))
    standin.push_text(user_id, text)
    return await _new_messages(standin, user_id, before, timeout=timeout)


async def press(standin: BotApiStandin, user_id: int, data: str, *, timeout: float = 15.0) -> list[Call]:
    """Press a button and wait for the bot's answer; returns the new messages."""
    before = len(standin.messages_to(user_id))
    standin.push_button(user_id, data)
    return await _new_messages(standin, user_id, before, timeout=timeout)


async def _new_messages(standin: BotApiStandin, user_id: int, before: int, *, timeout: float) -> list[Call]:
    await standin.await_messages(user_id, before + 1, timeout=timeout)
    await asyncio.sleep(0.15)  # replies of one event may come as several messages
    return standin.messages_to(user_id)[before:]
