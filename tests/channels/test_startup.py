"""Start-up validation: unusable settings exit 2 with a clear message, before anything connects."""

from __future__ import annotations

import pytest

from bot.channels.telegram import file_base_url, run_telegram
from bot.channels.telegram_startup import startup_problem
from tests.channels.botapi_standin import TOKEN
from tests.channels.conftest import make_settings


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"TELEGRAM_BOT_TOKEN": ""}, "ontbreekt"),
        ({"TELEGRAM_BOT_TOKEN": "geen-token"}, "ongeldige vorm"),
        ({"TELEGRAM_BOT_TOKEN": "123:kort"}, "ongeldige vorm"),
        ({"WIJKBOT_ALLOWED_USERS": "123,abc"}, "geen numeriek"),
        ({"WIJKBOT_ALLOWED_USERS": "", "WIJKBOT_ADMINS": ""}, "WIJKBOT_ALLOWED_USERS of WIJKBOT_ADMINS"),
        ({"WIJKBOT_FOLLOWUP_PRESETS": "3x"}, "Ongeldige duur"),
        ({"WEBHOOK_URL": "https://bot.example.org/hook"}, "WEBHOOK_SECRET"),
        ({"TELEGRAM_API_BASE_URL": "ftp://x/bot"}, "http"),
    ],
)
def test_bad_settings_exit_2_with_message(tmp_path, capsys, overrides, expected):
    settings = make_settings(tmp_path, "http://127.0.0.1:9/bot", **overrides)
    assert expected in (startup_problem(settings) or "")
    assert run_telegram(settings) == 2
    assert expected in capsys.readouterr().err
    assert TOKEN not in capsys.readouterr().err


def test_good_settings_pass(tmp_path):
    assert startup_problem(make_settings(tmp_path, "http://127.0.0.1:9/bot")) is None
    settings = make_settings(
        tmp_path,
        "http://127.0.0.1:9/bot",
        WEBHOOK_URL="https://bot.example.org/hook",
        WEBHOOK_SECRET="geheim-en-lang-genoeg-123",
    )
    assert startup_problem(settings) is None


def test_file_base_url():
    assert file_base_url("https://api.telegram.org/bot") == "https://api.telegram.org/file/bot"
    assert file_base_url("http://127.0.0.1:8081/bot") == "http://127.0.0.1:8081/file/bot"
