"""Reminder jobs with a scripted engine: sent when due, marked sent only after Telegram accepted, rescheduled at start."""

from __future__ import annotations

import asyncio

from bot.channels.telegram import build_application
from bot.channels.telegram_jobs import JOB_PREFIX, schedule_pending
from tests.channels.botapi_standin import Failure
from tests.channels.conftest import ADMIN, ALLOWED, make_settings
from tests.channels.fakes import FakeAccess, ScriptedEngine
from tests.channels.harness import running


def _app(standin, tmp_path, engine):
    return build_application(
        None,
        settings=make_settings(tmp_path, standin.base_url),
        engine=engine,
        access=FakeAccess(allowed={ALLOWED, ADMIN}),
    )


def _reminders(standin, chat_id=ALLOWED):
    return [c for c in standin.messages_to(chat_id) if "herinnering" in c.text]


async def test_reminder_arrives_once_and_is_marked_after_acceptance(standin, tmp_path):
    engine = ScriptedEngine()
    app = _app(standin, tmp_path, engine)
    async with running(app):
        standin.push_text(ALLOWED, "remind 0.5")
        await standin.await_for(lambda calls: bool(_reminders(standin)), timeout=5)
        await asyncio.sleep(0.2)
        assert engine.sent_marks == [1]
        await schedule_pending(app)  # idempotent: a sent reminder is not pending any more
        await asyncio.sleep(0.3)
    [reminder] = _reminders(standin)
    assert reminder.buttons == [{"text": "Ja, afgerond", "callback_data": "rem:1:done"}]


async def test_overdue_reminders_fire_at_start_and_rescheduling_is_idempotent(standin, tmp_path):
    engine = ScriptedEngine()
    engine.add_reminder(ALLOWED, seconds=-3600)  # due while the bot was down
    engine.add_reminder(ALLOWED, seconds=3600)
    app = _app(standin, tmp_path, engine)
    async with running(app):
        await schedule_pending(app)
        await schedule_pending(app)
        await standin.await_for(lambda calls: bool(_reminders(standin)), timeout=5)
        await asyncio.sleep(0.3)
        names = sorted(j.name for j in app.job_queue.jobs() if j.name.startswith(JOB_PREFIX))
    assert names == [f"{JOB_PREFIX}2"], "one job per pending reminder, the overdue one already fired"
    assert len(_reminders(standin)) == 1
    assert engine.sent_marks == [1]


async def test_rejected_reminder_is_not_marked_sent(standin, tmp_path):
    standin.failures.append(
        Failure("sendMessage", 403, "Forbidden: bot was blocked by the user", marker="herinnering")
    )
    engine = ScriptedEngine()
    engine.add_reminder(ALLOWED, seconds=0)
    async with running(_app(standin, tmp_path, engine)):
        await standin.await_for(lambda calls: any("herinnering" in c.text for c in calls), timeout=5)
        await asyncio.sleep(0.3)
    assert engine.sent_marks == []
    assert engine.pending_reminders(), "stays pending, so a restart tries again"


async def test_purge_job_is_scheduled(standin, tmp_path):
    app = _app(standin, tmp_path, ScriptedEngine())
    async with running(app):
        assert [j.name for j in app.job_queue.jobs() if j.name == "retention-purge"]
