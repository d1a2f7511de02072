"""Engine fixtures for follow-up tests (same shape as tests/conversation)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conversation.conftest import Clock


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def services(tmp_path: Path):
    from tests.conversation.fakes import make_services

    svc = make_services(tmp_path, WIJKBOT_FOLLOWUP_PRESETS="10s,3d", WIJKBOT_ALLOWED_USERS="1,2")
    yield svc
    svc.store.close()
