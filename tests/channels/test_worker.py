"""The engine in its own worker process (issue #12): a crashing task or a dying worker never stops the bot,
and reminders and /vergeet work through the worker with the real engine."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

from bot.channels.telegram import build_application
from bot.channels.telegram_texts import ENGINE_ERROR
from bot.channels.telegram_worker import EngineWorker
from tests.channels.botapi_standin import BotApiStandin
from tests.channels.conftest import ALLOWED, make_settings
from tests.channels.fakes import scripted_factory
from tests.channels.harness import running
from tests.channels.realstack import copy_data, find_button, press, rows_for_user, say


async def test_worker_survives_a_failing_task_and_is_restarted_after_dying(standin, tmp_path):
    settings = make_settings(tmp_path / "data", standin.base_url)
    with EngineWorker(settings, factory=scripted_factory) as worker:
        first_pid = worker.worker_pid()
        assert first_pid != os.getpid(), "the engine runs in another process"
        async with running(build_application(None, settings=settings, engine=worker, access=worker)):
            assert [m.text for m in await say(standin, ALLOWED, "hoi")] == ["echo: hoi"]
            assert [m.text for m in await say(standin, ALLOWED, "boom")] == [ENGINE_ERROR]
            assert [m.text for m in await say(standin, ALLOWED, "nog steeds")] == ["echo: nog steeds"]
            assert worker.worker_pid() == first_pid, "a failing task does not end the worker"
            assert [m.text for m in await say(standin, ALLOWED, "die")] == [ENGINE_ERROR]
            after = await say(standin, ALLOWED, "pid", timeout=60)
            assert after[0].text.startswith("pid ") and after[0].text != f"pid {first_pid}"
            assert worker.restarts == 1
            assert [m.text for m in await say(standin, ALLOWED, "weer")] == ["echo: weer"]


async def test_slow_calls_of_one_user_do_not_hold_up_another(standin, tmp_path):
    settings = make_settings(
        tmp_path / "data", standin.base_url, WIJKBOT_ALLOWED_USERS=f"{ALLOWED},{ALLOWED + 1}"
    )
    with EngineWorker(settings, factory=scripted_factory) as worker:
        async with running(build_application(None, settings=settings, engine=worker, access=worker)):
            standin.push_text(ALLOWED, "slow 3")
            await asyncio.sleep(0.3)
            started = asyncio.get_running_loop().time()
            assert [m.text for m in await say(standin, ALLOWED + 1, "snel")] == ["echo: snel"]
            assert asyncio.get_running_loop().time() - started < 2.0, "no waiting behind another user's call"
            await standin.await_messages(ALLOWED, 1, timeout=10)


async def test_reminder_and_vergeet_through_the_worker(prepared_data: Path, tmp_path):
    data_dir = copy_data(prepared_data, tmp_path / "data")
    with BotApiStandin() as standin:
        settings = make_settings(data_dir, standin.base_url, WIJKBOT_FOLLOWUP_PRESETS="3s,7d")
        with EngineWorker(settings) as worker:
            async with running(build_application(None, settings=settings, engine=worker, access=worker)):
                await say(standin, ALLOWED, "/start", timeout=30)
                await say(standin, ALLOWED, "/partner")
                situation = await say(
                    standin,
                    ALLOWED,
                    "Een moeder met veel schulden en een zoon die al weken niet naar school gaat.",
                    timeout=30,
                )
                label_question = await press(standin, ALLOWED, find_button(situation, "ref:"))
                presets = await press(standin, ALLOWED, find_button(label_question, "lbl:"))
                await press(standin, ALLOWED, find_button(presets, "rm:", suffix=":0"))
                before = len(standin.messages_to(ALLOWED))
                await standin.await_messages(ALLOWED, before + 1, timeout=15)  # the 3 s reminder
                assert "terugkoppeling" in standin.messages_to(ALLOWED)[before].text.lower()
                await asyncio.sleep(3.5)
                reminders = [  # after scheduling: the confirmation also carries fu: buttons
                    m
                    for m in standin.messages_to(ALLOWED)[before:]
                    if any(b["callback_data"].startswith("fu:") for b in m.buttons)
                ]
                assert len(reminders) == 1, "the reminder arrives exactly once"
                assert rows_for_user(data_dir, ALLOWED) > 0
                ask = await say(standin, ALLOWED, "/vergeet")
                await press(standin, ALLOWED, find_button(ask, "forget:yes"))
        assert rows_for_user(data_dir, ALLOWED) == 0


async def test_many_calls_at_once_each_get_their_own_answer(tmp_path):
    """One pipe carries every call: answers come back in the order they are ready and reach their own caller,
    from the event loop (handle_async) and from threads (the blocking API of reminders and the gate)."""
    from bot.conversation.types import Event

    settings = make_settings(tmp_path / "data", "http://127.0.0.1:9/bot")
    with EngineWorker(settings, factory=scripted_factory) as worker:
        events = [Event(user_id=ALLOWED, kind="text", text=f"bericht {i}") for i in range(150)]
        slow = asyncio.ensure_future(worker.handle_async(Event(user_id=ALLOWED, kind="text", text="slow 1")))
        outcomes = await asyncio.gather(*(worker.handle_async(e) for e in events))
        assert [o.replies[0].text for o in outcomes] == [f"echo: bericht {i}" for i in range(150)]
        assert not slow.done(), "the quick answers did not wait for the slow one"
        threaded = await asyncio.gather(*(asyncio.to_thread(worker.handle, e) for e in events[:20]))
        assert [o.replies[0].text for o in threaded] == [f"echo: bericht {i}" for i in range(20)]
        assert (await slow).replies[0].text == "traag klaar"
        assert worker.restarts == 0


def test_events_and_outcomes_cross_the_pipe_as_field_tuples_unchanged() -> None:
    import pickle
    from multiprocessing.reduction import ForkingPickler

    from bot.conversation.types import Button, ContactCard, Event, Outcome, Reply

    reply = Reply(
        "tekst", buttons=((Button("Ja", "ja:1"), Button("Nee", "nee:1")),), contact=ContactCard("06", "X")
    )
    outcome = Outcome(replies=[reply, Reply("meer")], schedule_reminders=[3], cancel_reminders=[4], reloaded=True,
                      partners=["s1"], safety="zorg")  # fmt: skip
    event = Event(user_id=7, kind="command", text="args", command="start")
    for value in (outcome, event, reply):
        sent = bytes(ForkingPickler.dumps(value))
        assert pickle.loads(sent) == value
        assert len(sent) < len(pickle.dumps(value)), "the worker's reducer is used, not the default"


def test_task_threads_skip_scikit_learn_parameter_checks_and_others_keep_them() -> None:
    import threading

    import sklearn

    from bot.channels.telegram_worker import skip_parameter_checks

    seen: list[bool] = []

    def task() -> None:
        skip_parameter_checks()
        seen.append(sklearn.get_config()["skip_parameter_validation"])

    thread = threading.Thread(target=task)
    thread.start()
    thread.join()
    assert seen == [True]
    assert sklearn.get_config()["skip_parameter_validation"] is False  # this thread's config is untouched


async def test_a_scheduled_reminder_comes_with_its_outcome_no_second_call(standin, tmp_path, monkeypatch):
    """The outcome that schedules a reminder brings the reminder's record: the channel asks the worker nothing
    more (issue #12), and the reminder is sent when due."""
    settings = make_settings(tmp_path / "data", standin.base_url)
    asked: list[str] = []
    with EngineWorker(settings, factory=scripted_factory) as worker:
        plain = worker.pending_reminders
        monkeypatch.setattr(worker, "pending_reminders", lambda: asked.append("all") or plain())
        async with running(build_application(None, settings=settings, engine=worker, access=worker)):
            asked.clear()  # the start schedules every pending reminder once
            standin.push_text(ALLOWED, "remind 1")
            reply, due = await standin.await_messages(ALLOWED, 2, timeout=20)
            assert reply.text == "Ik herinner je." and due.text.startswith("Heb je terugkoppeling gehad?")
            assert asked == []
            assert worker.pending_of([1]) is None  # taken once; unknown ids: ask pending_reminders
