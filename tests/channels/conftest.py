"""Fixtures for channel tests: the Bot API stand-in and settings built in tmp_path."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.config import Settings
from tests.channels.botapi_standin import TOKEN, BotApiStandin

ALLOWED = 111
ADMIN = 900
STRANGER = 555


@pytest.fixture
def standin() -> Iterator[BotApiStandin]:
    with BotApiStandin() as server:
        yield server


def make_settings(data_dir: Path, base_url: str, **extra: Any) -> Settings:
    """Settings for a test bot: no .env, data in tmp, the stand-in as Telegram."""
    values: dict[str, Any] = {
        "WIJKBOT_DATA_DIR": data_dir,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": base_url,
        "WIJKBOT_ALLOWED_USERS": str(ALLOWED),
        "WIJKBOT_ADMINS": str(ADMIN),
        "WIJKBOT_TELEGRAM_MAX_RATE": 0,
    }
    values.update(extra)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@pytest.fixture(scope="session")
def prepared_data(tmp_path_factory: pytest.TempPathFactory, built_data_dir: Path) -> Path:
    """The session's built index plus warmed services (kaart vectors); copy it with realstack.copy_data."""
    from tests.channels.realstack import copy_data, prepare_index

    return prepare_index(copy_data(built_data_dir, tmp_path_factory.mktemp("prepared") / "data"))
