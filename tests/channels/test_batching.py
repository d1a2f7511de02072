"""Micro-batching in the engine worker: calls served together share one model call, and get the same replies."""

from __future__ import annotations

import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from bot.channels.batching import MicroBatcher
from bot.config import Settings
from bot.conversation.types import Event, Outcome

QUESTIONS = (
    "Hoe maak ik goede afspraken over terugkoppeling met een school?",
    "Wat kan ik doen als een partner nooit terugbelt?",
    "Hoe leer ik de huisartsen in mijn wijk kennen?",
    "Wanneer deel ik informatie met een partner en wanneer niet?",
    "Hoe zorg ik voor een vaste contactpersoon bij de schuldhulp?",
    "Wat is de meldcode en wanneer gebruik ik die?",
    "Hoe werk ik samen met de wijkagent?",
    "Welke partners zijn er voor mantelzorgers?",
)
SITUATIONS = (
    "Een moeder met schulden en een zoon die niet meer naar school gaat.",
    "Een oudere man die vereenzaamt en zijn medicijnen vergeet.",
    "Een jong stel met een baby en veel ruzie in huis.",
    "Een vader die zijn baan kwijt is en de huur niet kan betalen.",
    "Een tiener die veel blowt en 's nachts op straat hangt.",
    "Een vrouw die zegt dat haar man haar slaat, ze durft niet naar huis.",
    "Een gezin dat uit huis wordt gezet en geen geld heeft voor eten.",
    "Een jongen van 19 met schulden die zijn post niet opent.",
)


def _served(batcher: MicroBatcher, work) -> object:  # type: ignore[no-untyped-def]
    with batcher.serving():
        return work()


def test_calls_served_together_share_one_model_call() -> None:
    batcher = MicroBatcher(max_wait=1.0)
    calls: list[list[int]] = []
    start = threading.Barrier(6)

    def double(items: list[int]) -> list[int]:
        calls.append(items)
        return [2 * i for i in items]

    def one(i: int) -> list[int]:
        start.wait()
        return batcher.run("double", double, [i, 10 + i])

    with ThreadPoolExecutor(6) as pool:
        results = list(pool.map(lambda i: _served(batcher, lambda: one(i)), range(6)))
    assert results == [[2 * i, 20 + 2 * i] for i in range(6)]
    assert len(calls) < 6 and sum(len(c) for c in calls) == 12
    assert batcher.batches == len(calls) and batcher.items == 12
    assert batcher.run("double", double, [4]) == [8]  # outside a served call: at once


def test_a_call_that_never_reaches_the_model_holds_up_the_others_only_briefly() -> None:
    batcher = MicroBatcher(max_wait=0.05)
    release = threading.Event()
    with ThreadPoolExecutor(2) as pool:
        slow = pool.submit(
            _served, batcher, lambda: release.wait(5)
        )  # in progress, waiting on something else
        time.sleep(0.05)
        started = time.monotonic()
        fast = pool.submit(_served, batcher, lambda: batcher.run("m", lambda xs: xs, ["a"]))
        assert fast.result(timeout=5) == ["a"]
        assert time.monotonic() - started < 2.0
        release.set()
        slow.result(timeout=5)


def test_a_failing_model_call_fails_every_call_of_its_batch_and_the_batcher_lives_on() -> None:
    batcher = MicroBatcher(max_wait=1.0)
    start = threading.Barrier(3)

    def boom(items: list[str]) -> list[str]:
        raise ValueError("model broke")

    def one() -> list[str]:
        start.wait()
        return batcher.run("boom", boom, ["x"])

    with ThreadPoolExecutor(3) as pool:
        futures = [pool.submit(_served, batcher, one) for _ in range(3)]
        for future in futures:
            with pytest.raises(ValueError, match="model broke"):
                future.result(timeout=5)
    assert _served(batcher, lambda: batcher.run("ok", lambda xs: [x.upper() for x in xs], ["y"])) == ["Y"]


def _same(outcome: Outcome) -> tuple[object, ...]:
    """What the user gets, without the random answer tokens in the feedback buttons."""
    replies = tuple(
        (r.text, tuple(tuple((b.label, re.sub(r"fb:[0-9a-f]+", "fb:T", b.data)) for b in row) for row in r.buttons),
         r.contact, r.notice)
        for r in outcome.replies
    )  # fmt: skip
    return replies, tuple(outcome.partners), outcome.safety


def test_replies_of_a_batch_are_the_replies_one_at_a_time(data_dir: Path) -> None:
    from bot.channels.telegram_worker import build_engine

    settings = Settings(_env_file=None, WIJKBOT_DATA_DIR=data_dir, OPENAI_API_KEY="", OPENAI_BASE_URL="",
                        CHROMA_HOST="")  # type: ignore[call-arg]  # fmt: skip
    engine, _, batcher = build_engine(settings)
    texts = [*QUESTIONS, *SITUATIONS]

    def fresh_caches() -> None:  # every text is embedded and read again, not found in a cache
        engine._deps.services.embeddings._cache.clear()
        engine._deps.services.kaart._readings.clear()

    fresh_caches()
    alone = [
        _served(batcher, lambda i=i, t=t: engine.handle(Event(100 + i, "text", t)))
        for i, t in enumerate(texts)
    ]
    fresh_caches()
    start = threading.Barrier(len(texts))
    batches_before, items_before = batcher.batches, batcher.items

    def together(i: int, text: str) -> Outcome:
        start.wait()
        return engine.handle(Event(200 + i, "text", text))

    with ThreadPoolExecutor(len(texts)) as pool:
        futures = [
            pool.submit(_served, batcher, lambda i=i, t=t: together(i, t)) for i, t in enumerate(texts)
        ]
        batched = [f.result(timeout=120) for f in futures]
    batches, items = batcher.batches - batches_before, batcher.items - items_before
    assert items > batches, "the calls served together shared model calls"
    assert [_same(o) for o in batched] == [_same(o) for o in alone]  # type: ignore[arg-type]
