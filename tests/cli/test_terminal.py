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
from tests.conftest import copy_data_dir


@pytest.fixture(scope="module")
def chat_services(built_data_dir: Path, tmp_path_factory: pytest.TempPathFactory):
    """One set of services on a private copy of the built data dir for the module's chats (perf11: built once, not
    per test; the chats use different users' state only through user 0, and only the first makes a referral)."""
    data_dir = tmp_path_factory.mktemp("terminal") / "data"
    copy_data_dir(built_data_dir, data_dir)
    settings = Settings(WIJKBOT_DATA_DIR=data_dir, OPENAI_API_KEY="", OPENAI_BASE_URL="", CHROMA_HOST="")
    services = build_services(settings)
    yield services
    services.store.close()


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


def test_first_turn_waits_for_the_background_warm_up(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The prompt comes before the models are trained; a turn that needs them waits and gets the same answer."""
    from bot.services import warm_in_background

    settings = Settings(WIJKBOT_DATA_DIR=data_dir, OPENAI_API_KEY="", OPENAI_BASE_URL="", CHROMA_HOST="")
    services = build_services(settings, warm=False)
    assert services.kaart._active is None  # nothing built before the prompt
    engine = Engine(services)
    ready = warm_in_background(services, engine.warm_up)
    out = io.StringIO()
    console = Console(file=out, width=100, force_terminal=False, color_system=None)
    situation = "vader kan de rekeningen niet meer betalen, er komt steeds een deurwaarder langs"
    monkeypatch.setattr("sys.stdin", io.StringIO(situation + "\n/stop\n"))
    TerminalChat(engine, console=console, ready=ready).run()
    assert ready.wait(timeout=120)
    assert services.kaart._active is not None
    assert "Ik verwijs door naar" in out.getvalue()  # the suggestion needed the model and got it
