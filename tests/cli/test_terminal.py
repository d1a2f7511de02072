"""The terminal chat drives the real engine: numbered choices press buttons, and state lands in SQLite."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console

from bot.channels.terminal import TerminalChat
from bot.config import Settings
from bot.conversation.engine import Engine
from bot.services import build_services


@pytest.fixture
def chat_services(data_dir: Path):
    settings = Settings(WIJKBOT_DATA_DIR=data_dir, OPENAI_API_KEY="", OPENAI_BASE_URL="", CHROMA_HOST="")
    return build_services(settings)


def _run(services, lines: list[str], monkeypatch: pytest.MonkeyPatch) -> str:
    out = io.StringIO()
    console = Console(file=out, width=100, force_terminal=False, color_system=None)
    monkeypatch.setattr("sys.stdin", io.StringIO("".join(line + "\n" for line in lines)))
    TerminalChat(Engine(services), console=console).run()
    return out.getvalue()


def test_question_situation_and_referral(chat_services, monkeypatch: pytest.MonkeyPatch) -> None:
    transcript = _run(
        chat_services,
        [
            "hoe zorg ik dat de school terugkoppeling krijgt na een verwijzing",
            "vader kan de rekeningen niet meer betalen, er komt steeds een deurwaarder langs",
            "1",
            "/stop",
        ],
        monkeypatch,
    )
    assert "Vraag " in transcript and "(p. " in transcript  # a cited answer (passage or vraag card)
    assert "Ik verwijs door naar" in transcript  # suggestion buttons shown as numbered choices
    assert "[1]" in transcript
    assert "Warme overdracht naar" in transcript  # choice 1 pressed the first referral button
    referrals = chat_services.store.referrals(0, status="open")
    assert len(referrals) == 1


def test_vragen_menu_and_end_of_input(chat_services, monkeypatch: pytest.MonkeyPatch) -> None:
    transcript = _run(chat_services, ["/vragen", "5"], monkeypatch)  # stdin ends without /stop
    assert "Wat doen we met die financiële schotten?" in transcript
    assert "Vraag 5 · " in transcript and "Samenwerken in de wijk" in transcript
    assert "Tot ziens" in transcript
