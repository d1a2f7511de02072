"""The real Application, engine and services over real HTTP: the Bot API and the LLM are stand-ins on loopback.

The knowledge index is built once per session and copied per module.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.channels.telegram import build_application
from bot.channels.telegram_texts import REFUSAL
from tests.channels.botapi_standin import BotApiStandin
from tests.channels.conftest import ADMIN, ALLOWED, STRANGER, make_settings
from tests.channels.harness import running
from tests.channels.realstack import (
    copy_data,
    database_bytes,
    find_button,
    press,
    rows_for_user,
    say,
)
from tests.openai_standin import OpenAIStandin

PRIVATE_DETAILS = (
    "Jan de Vries",
    "Vries",
    "111222333",
    "111.222.333",
    "0612345678",
    "06-12345678",
    "Dorpsstraat",
    "1234 AB",
)
PII_QUESTION = (
    "Hoe maak ik goede afspraken over terugkoppeling met school over Jan de Vries, "
    "BSN 111.222.333, tel 06-12345678, Dorpsstraat 12, 1234 AB Utrecht?"
)


@pytest.fixture(scope="module")
def stack(prepared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """One LLM stand-in, one Bot API stand-in and one set of real services for this module."""
    from bot.services import build_services

    data_dir = copy_data(prepared_data, tmp_path_factory.mktemp("e2e") / "data")
    with OpenAIStandin() as llm, BotApiStandin() as standin:
        settings = make_settings(
            data_dir,
            standin.base_url,
            OPENAI_BASE_URL=llm.base_url,
            OPENAI_API_KEY="sk-standin",
            WIJKBOT_FOLLOWUP_PRESETS="3s,7d",
        )
        services = build_services(settings)
        yield {"llm": llm, "standin": standin, "settings": settings, "services": services, "data": data_dir}
        services.store.close()


def _app(stack: dict[str, Any]) -> Any:
    return build_application(stack["services"], settings=stack["settings"])


async def test_whole_flow_from_start_to_closed_referral(stack):
    standin: BotApiStandin = stack["standin"]
    user = ALLOWED
    async with running(_app(stack)):
        onboarding = await say(standin, user, "/start")
        assert any("privacy" in m.text.lower() or "BSN" in m.text for m in onboarding)
        assert any(b["callback_data"].startswith("w:") for m in onboarding for b in m.buttons), "wijk buttons"
        answer = await say(standin, user, "Hoe maak ik afspraken over terugkoppeling met een school?")
        if any(b["callback_data"] == "int:q" for m in answer for b in m.buttons):
            answer = await press(standin, user, "int:q")
        assert any(b["text"] == "👍" for m in answer for b in m.buttons), "an answer with feedback buttons"
        situation = await say(standin, user, "/partner")
        situation = await say(
            standin,
            user,
            "Een moeder met veel schulden en een zoon die al weken niet naar "
            "school gaat. Ze durft de post niet meer te openen.",
        )
        refer = find_button(situation, "ref:")
        label_question = await press(standin, user, refer)
        presets = await press(standin, user, find_button(label_question, "lbl:"))
        chosen = await press(standin, user, find_button(presets, "rm:", suffix=":0"))
        assert chosen
        before = len(standin.messages_to(user))
        await standin.await_messages(user, before + 1, timeout=10)  # the 3 s reminder
        reminder = standin.messages_to(user)[before]
        assert "terugkoppeling" in reminder.text.lower()
        closed = await press(standin, user, find_button([reminder], "fu:", suffix=":done"))
        contact = await press(standin, user, find_button(closed, "cc:", suffix=":n"))
        assert contact
        await asyncio.sleep(3.5)
    reminders = [m for m in standin.messages_to(user) if m.text == reminder.text]
    assert len(reminders) == 1, "the reminder arrives exactly once"
    stats = stack["services"].store.stats()
    assert stats is not None
    assert rows_for_user(stack["data"], user) > 0


async def test_unknown_user_gets_only_the_refusal(stack):
    standin: BotApiStandin = stack["standin"]
    llm: OpenAIStandin = stack["llm"]
    calls_before = llm.state.chat_calls
    async with running(_app(stack)):
        standin.push_text(STRANGER, "/start")
        standin.push_text(STRANGER, "Hoe werk ik samen met de huisarts?")
        standin.push_button(STRANGER, "ref:0")
        standin.push_text(STRANGER, "/start VERZONNEN-CODE")
        await standin.await_messages(STRANGER, 1)
        await asyncio.sleep(0.8)
    assert [m.text for m in standin.messages_to(STRANGER)] == [REFUSAL]
    assert llm.state.chat_calls == calls_before
    assert rows_for_user(stack["data"], STRANGER) == 0


async def test_personal_data_never_reaches_llm_logs_or_database(stack, caplog):
    caplog.set_level(logging.DEBUG)
    standin: BotApiStandin = stack["standin"]
    llm: OpenAIStandin = stack["llm"]
    user = ADMIN
    bodies_before = len(llm.state.raw)
    async with running(_app(stack)):
        replies = await say(standin, user, PII_QUESTION)
        if any(b["callback_data"] == "int:q" for m in replies for b in m.buttons):
            replies += await press(standin, user, "int:q")
        replies += await say(
            standin,
            user,
            "Situatie: Jan de Vries (BSN 111222333, 0612345678) woont op "
            "Dorpsstraat 12, 1234 AB en heeft grote schulden.",
        )
    assert llm.state.chat_calls > 0 and len(llm.state.raw) > bodies_before, "the question went to the LLM"
    sent_to_llm = b"\n".join(llm.state.raw[bodies_before:]).decode("utf-8", "replace")
    logs = caplog.text
    database = database_bytes(stack["data"]).decode("utf-8", "replace")
    for detail in PRIVATE_DETAILS:
        assert detail not in sent_to_llm, f"{detail!r} went to the LLM"
        assert detail not in logs, f"{detail!r} is in the logs"
        assert detail not in database, f"{detail!r} is in the database"
    assert any("BSN" in m.text and "anoniem" in m.text for m in replies), "the user is warned"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "x" * 10_000,
        "👩‍👩‍👧‍👦🏳️‍🌈",
        "<b>vet</b> *ster* _schuin_ [link](x) `c`",
        "/bestaatniet",
        "/kaart",
        "/kaart <script>",
        "/vergeet",
    ],
)
async def test_bad_inputs_get_a_sensible_reply(stack, text, caplog):
    standin: BotApiStandin = stack["standin"]
    user = ALLOWED
    async with running(_app(stack)):
        replies = await say(standin, user, text)
    assert replies and all(m.text.strip() for m in replies)
    assert all(len(m.text) <= 4096 for m in replies)
    assert "unhandled" not in caplog.text and "engine failed" not in caplog.text


async def test_stale_button_from_an_old_message(stack):
    standin: BotApiStandin = stack["standin"]
    async with running(_app(stack)):
        replies = await press(standin, ALLOWED, "fu:999999:done")
        replies += await press(standin, ALLOWED, "onzin-van-een-oude-versie")
    assert len(replies) >= 2 and all(m.text for m in replies)


async def test_admin_invite_is_redeemed_once_through_the_gate(stack):
    standin: BotApiStandin = stack["standin"]
    newcomer, latecomer = 7001, 7002
    async with running(_app(stack)):
        invite = await say(standin, ADMIN, "/uitnodigen")
        match = re.search(r"/start (\S+)", "\n".join(m.text for m in invite))
        assert match, "the admin gets a '/start CODE' line"
        code = match.group(1)
        welcome = await say(standin, newcomer, f"/start {code}")
        assert welcome and welcome[0].text != REFUSAL
        after = await say(standin, newcomer, "/help")
        assert after and after[0].text != REFUSAL
        refused = await say(standin, latecomer, f"/start {code}")
        refused_again = await say(standin, STRANGER + 1, "/uitnodigen")
    assert [m.text for m in refused] == [REFUSAL], "a code works once"
    assert [m.text for m in refused_again] == [REFUSAL]
    assert rows_for_user(stack["data"], latecomer) == 0


async def test_acute_violence_gets_protocol_first_and_no_presets(stack):
    standin: BotApiStandin = stack["standin"]
    async with running(_app(stack)):
        await say(standin, ADMIN, "/partner")
        reply = await say(
            standin,
            ADMIN,
            "partner sloeg met vuist tegen de muur, zij is bang, hij is nog in huis, ik sta buiten",
        )
        assert reply[0].text.startswith("⚠️") and "Eigen veiligheid eerst" in reply[0].text
        assert reply[0].text.index("112") < reply[0].text.index("0800-2000")
        assert not reply[0].buttons, "the protocol comes before any partner"
        referred = await press(standin, ADMIN, find_button(reply, "ref:"))
        data = [b["callback_data"] for m in referred for b in m.buttons]
        assert any(d.endswith(":called") for d in data) and not any(d.startswith("rm:") for d in data)


async def test_handover_share_contact_failed_and_identifying_label(stack):
    standin: BotApiStandin = stack["standin"]
    user = ALLOWED
    async with running(_app(stack)):
        await say(standin, user, "/partner")
        situation = await say(
            standin, user, "Een moeder met veel schulden, de deurwaarder staat aan de deur."
        )
        referred = await press(standin, user, find_button(situation, "ref:"))
        assert any("Toestemming" in m.text for m in referred)
        share = find_button(referred, "fu:", suffix=":share")
        referral_id = share.split(":")[1]
        contacts_before = len(standin.calls_of("sendContact", chat_id=user))
        shared = await press(standin, user, share)
        assert len(shared[-1].text) <= 600 and "(+31" in shared[-1].text
        await standin.await_for(
            lambda calls: len([c for c in calls if c.method == "sendContact"]) > contacts_before
        )
        refused = await say(standin, user, "mw jansen noorderlaan 5")
        assert any("lijkt op een naam" in m.text for m in refused)
        presets = await press(standin, user, find_button(refused, "lbl:"))
        await press(standin, user, find_button(presets, "rm:", suffix=":1"))
        failed = await press(standin, user, f"fu:{referral_id}:fail")
        assert any(b["callback_data"].endswith(":next") for m in failed for b in m.buttons)
        listed = await say(standin, user, "/open")
        assert any(f"fu:{referral_id}:relabel" == b["callback_data"] for m in listed for b in m.buttons)
        assert not any("jansen" in m.text or "noorderlaan" in m.text for m in listed)
