"""The `eval conversations` contract (schema, press errors, advance) and phone-sized replies on the dev set."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.conversation.engine import Engine
from bot.conversation.evaluation import EvalClock, ScriptError, parse_duration, play, read_script, user_ids
from tests.conversation.test_real_services import real_services  # noqa: F401 - shared module fixture

DEV = Path(__file__).resolve().parents[1] / "data" / "dev_conversations.yaml"


def _play(services, understanding, script: dict) -> list[dict]:
    conversations = read_script(script)
    services.settings.allowed_users_raw = ",".join(str(u) for u in user_ids(len(conversations)))
    clock = EvalClock()
    engine = Engine(services, clock=clock, understanding=understanding)

    def set_wijk(user_id: int, wijk: str) -> None:
        services.store.ensure_user(user_id, now=clock())
        services.store.set_wijk(user_id, wijk, now=clock())

    return play(engine, clock, conversations, set_wijk=set_wijk)


def test_schema_press_error_press_if_and_advance(services, understanding) -> None:
    script = {"conversations": [
        {"wijk": "Noord", "turns": [
            {"say": "moeder heeft schulden en de deurwaarder staat voor de deur", "expect": {"ignored": True}},
            {"press": "bestaat niet"},
            {"press_if": "bestaat ook niet"},
            {"press": "verwijs"},
            {"press_if": "geen label"},
            {"press": "over 3 dagen"},  # 09:00 on a working day: at least 2 days, at most ~6 from now
            {"advance": "2d"},
            {"advance": "5d"},
            {"say": "/open"},
        ]},
        {"turns": [{"say": "hallo"}]},
    ]}  # fmt: skip
    out = _play(services, understanding, script)
    assert len(out) == 2 and [len(c["turns"]) for c in out] == [9, 1]
    turns = out[0]["turns"]
    for turn in turns:
        assert set(turn) >= {"input", "replies", "partners", "safety", "latency_ms"}
        assert all(set(r) == {"text", "buttons"} for r in turn["replies"])
    assert turns[0]["partners"][:2] == ["schuld-1", "schuld-2"]
    assert services.kaart.suggest_calls[0][1] == "Noord", "the wijk of the conversation is used"
    assert turns[0]["safety"] is None
    assert "error" in turns[1] and turns[1]["replies"] == []
    assert "error" not in turns[2] and turns[2]["replies"] == []
    assert "error" not in turns[3], "a failed press keeps the previous buttons"
    assert "error" not in turns[5]
    assert turns[6]["replies"] == [], "nothing falls due after 2 days"
    assert turns[7]["replies"], turns[5]
    assert "terugkoppeling" in turns[7]["replies"][0]["text"].lower(), turns[7]["replies"]
    assert out[1]["turns"][0]["replies"][0]["text"]


def test_bad_scripts_and_durations() -> None:
    assert parse_duration("3d1h").total_seconds() == 3 * 86400 + 3600
    for bad in ("soon", "3x", ""):
        with pytest.raises(ScriptError):
            parse_duration(bad)
    for script in ({}, {"conversations": [{"turns": "say hi"}]}, {"conversations": [{"turns": ["hi"]}]}):
        with pytest.raises(ScriptError):
            read_script(script)


def test_dev_conversations_are_phone_sized(real_services, understanding) -> None:  # noqa: F811
    out = _play(real_services, understanding, yaml.safe_load(DEV.read_text(encoding="utf-8")))
    for conversation in out:
        for turn in conversation["turns"]:
            texts = [r["text"] for r in turn["replies"]]
            if texts:
                assert len(texts[0]) <= 600, turn["input"]
            if turn["partners"]:
                assert sum(len(t) for t in texts) <= 1200, turn["input"]
            assert "wat bedoel je" not in " ".join(texts).lower(), turn["input"]


def test_number_of_veilig_thuis_is_a_number_not_an_alarm(real_services, understanding) -> None:  # noqa: F811
    script = {"conversations": [{"turns": [{"say": "nummer van veilig thuis?"},
                                           {"say": "meisje van 7 heeft striemen op haar rug en wil niet naar huis"}]}]}  # fmt: skip
    number, alarm = _play(real_services, understanding, script)[0]["turns"]
    text = "\n".join(r["text"] for r in number["replies"])
    assert "0800-2000" in text and "LET OP" not in text and len(text) <= 300
    assert number["safety"] is None and number["partners"] == ["veilig-thuis"]
    assert alarm["safety"] == "acute" and alarm["partners"][0] == "veilig-thuis"


def test_eval_clock_starts_on_a_working_monday_morning_whatever_the_hour_of_the_run() -> None:
    from datetime import date

    from bot.conversation.evaluation import eval_start
    from bot.followup.clock import LOCAL_TZ

    start = eval_start(date(2026, 12, 2))  # a Wednesday
    local = start.astimezone(LOCAL_TZ)
    assert (local.date(), local.hour, local.minute) == (date(2026, 12, 7), 10, 0)
    assert eval_start(date(2026, 12, 7)) == start  # a Monday keeps its own day
    # Easter Monday 2027 (29 March) is a public holiday: the next working Monday
    assert eval_start(date(2027, 3, 27)).astimezone(LOCAL_TZ).date() == date(2027, 4, 5)


def test_every_conversation_starts_at_the_same_moment() -> None:
    clock = EvalClock()
    started = clock()
    clock.advance(parse_duration("7d3h"))
    assert clock() > started
    clock.restart()
    assert clock() == started
