"""The referral label path goes through the same scrubber: surnames and particles are refused, not stored."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.conversation import texts
from bot.conversation.engine import Engine
from bot.privacy.pii import PiiScrubber
from tests.conversation.helpers import Chat


@pytest.fixture(scope="module")
def real_scrubber() -> PiiScrubber:
    scrubber = PiiScrubber()
    scrubber.warm_up()
    return scrubber


@pytest.fixture
def services(tmp_path: Path, real_scrubber: PiiScrubber):
    from tests.conversation.fakes import make_services

    svc = make_services(tmp_path, WIJKBOT_FOLLOWUP_PRESETS="10s,3d", WIJKBOT_ALLOWED_USERS="1")
    svc.scrubber = real_scrubber
    yield svc
    svc.store.close()


def test_surname_and_particle_labels_are_refused(services) -> None:
    chat = Chat(Engine(services), 1)
    chat.cmd("partner")
    chat.text("Moeder met drie kinderen en een grote huurachterstand")
    chat.press("Ik verwijs door naar Schuldhulp")
    (referral,) = services.store.referrals(1)
    for label in ("Amrani", "fam. el amrani", "dhr de boer", "mw jansen noorderlaan 5", "1827 36 453"):
        chat.text(label)
        assert texts.LABEL_IDENTIFYING in chat.said(), label
        assert services.store.get_referral(referral.id).case_label is None
    chat.text("schulden oost")
    assert services.store.get_referral(referral.id).case_label == "schulden oost"
