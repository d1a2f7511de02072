"""Engine test fixtures. Until bot.answering.service / bot.kaart.format land, tiny stand-ins are registered."""

from __future__ import annotations

import importlib
import sys
import types
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest


def _ensure(name: str, build: dict[str, object]) -> None:
    try:
        importlib.import_module(name)
    except ImportError:
        module = types.ModuleType(name)
        module.__dict__.update(build)
        sys.modules[name] = module


class _BadQuestion(ValueError):
    pass


def _format_suggestions(result: object) -> str:
    lines = [f"{i + 1}. {s.service.organization} — {s.reason}" for i, s in enumerate(result.suggestions)]  # type: ignore[attr-defined]
    return "\n".join(lines) or "Geen partner gevonden."


_ensure("bot.answering.service", {"BadQuestion": _BadQuestion})
_ensure(
    "bot.kaart.format",
    {"format_suggestions": _format_suggestions, "format_card": lambda s: f"{s.organization}\n{s.phone}"},
)


class Clock:
    """A settable clock for the engine and store."""

    def __init__(self) -> None:
        self.now = datetime(2024, 5, 3, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += timedelta(**kwargs)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def services(tmp_path: Path):
    from tests.conversation.fakes import make_services

    svc = make_services(
        tmp_path, WIJKBOT_FOLLOWUP_PRESETS="10s,3d", WIJKBOT_ADMINS="900", WIJKBOT_ALLOWED_USERS="1,2"
    )
    yield svc
    svc.store.close()


@pytest.fixture(scope="session")
def understanding(shared_act_model):
    """One trained dialogue-act model for the whole session (training is deterministic): the one the engines
    built without an understanding share (tests/conftest.py shared_act_model), so it is trained once."""
    import bot.conversation.engine as engine_module
    from bot.config import PROJECT_ROOT

    return engine_module.Understanding(PROJECT_ROOT / "knowledge")


@pytest.fixture
def engine(services, clock, understanding):
    from bot.conversation.engine import Engine

    return Engine(services, clock=clock, gate=True, understanding=understanding)


@pytest.fixture(scope="session")
def rules_understanding():
    """The understanding the round-rule tests read (names, kinds, English words): built once, not trained."""
    from bot.config import PROJECT_ROOT
    from bot.conversation.understanding import Understanding

    return Understanding(PROJECT_ROOT / "knowledge")


@pytest.fixture
def rules_turn(request: pytest.FixtureRequest, rules_understanding):
    """A turn builder on the calling test module's kaart (`_KAART`, or the one given), with the partners shown
    so far."""
    from tests.conversation.helpers import rule_turn

    def build(*, kaart=None, shown: tuple[str, ...] = (), recent: tuple[str, ...] = ()):
        chosen = kaart if kaart is not None else request.module._KAART
        return rule_turn(rules_understanding, chosen, shown=shown, recent=recent)

    return build
