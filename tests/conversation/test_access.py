"""Access control: allowlist, admins, one-time invites with expiry, the engine's own gate."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.conversation import texts
from bot.conversation.access import AccessControl
from tests.conversation.helpers import Chat


def test_allowlist_admins_and_unknown(services, clock) -> None:
    access = AccessControl(services.settings, services.store, clock=clock)
    assert access.is_allowed(1) and access.is_allowed(2) and access.is_allowed(900)
    assert access.is_admin(900) and not access.is_admin(1)
    assert not access.is_allowed(5)
    with pytest.raises(PermissionError):
        access.create_invite(1)


def test_invite_one_time_and_expiry(services, clock) -> None:
    access = AccessControl(services.settings, services.store, clock=clock)
    invite = access.create_invite(900)
    assert len(invite.code) >= 16
    assert invite.expires_at == clock.now + timedelta(hours=services.settings.invite_ttl_hours)
    assert access.create_invite(900).code != invite.code
    assert not access.redeem(5, "wrong-code")
    assert access.redeem(5, invite.code) and access.is_allowed(5)
    assert not access.redeem(6, invite.code), "one-time"
    late = access.create_invite(900)
    clock.advance(hours=services.settings.invite_ttl_hours, seconds=1)
    assert not access.redeem(7, late.code) and not access.is_allowed(7)


def test_unknown_user_gets_refusal_without_rows_or_calls(engine, services) -> None:
    stranger = Chat(engine, 555)
    for action in (
        lambda: stranger.text("Moeder met schulden"),
        lambda: stranger.cmd("open"),
        lambda: stranger.data("w:Noord"),
        lambda: stranger.cmd("start"),
    ):
        action()
        assert stranger.said() == texts.NO_ACCESS
    stranger.cmd("start", "not-a-code")
    assert stranger.said() == texts.INVITE_BAD
    assert services.answers.calls == [] and services.kaart.suggest_calls == []
    assert services.store.get_user(555) is None and services.store.stats().users == 0


def test_invite_via_engine_commands(engine, services) -> None:
    admin = Chat(engine, 900)
    admin.cmd("uitnodigen")
    said = admin.said()
    code = said.split("/start ")[1].split()[0]
    assert "geldig tot" in said
    newcomer = Chat(engine, 42)
    newcomer.cmd("start", code)
    assert texts.INVITE_OK in newcomer.said() and "Welkom" in newcomer.said()
    newcomer.text("Hoe bouw ik een netwerk op met partners?")
    assert newcomer.said().startswith("Antwoord")
    late = Chat(engine, 43)
    late.cmd("start", code)
    assert late.said() == texts.INVITE_BAD, "the code works once"
    member = Chat(engine, 1)
    member.cmd("uitnodigen")
    assert member.said() == texts.ADMIN_ONLY
