"""The engine is thread-safe: many users at once, as channels call it through asyncio.to_thread."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

from bot.conversation import texts
from bot.conversation.engine import Engine
from bot.conversation.types import Event


def test_fifty_users_twenty_messages(services, clock) -> None:
    engine = Engine(services, clock=clock)  # channel gates; here every id may talk

    def user(uid: int) -> int:
        answered = 0
        for i in range(20):
            if i % 4 == 0:
                out = engine.handle(Event(user_id=uid, kind="command", command="partner"))
                out = engine.handle(
                    Event(user_id=uid, kind="text", text="Vader met schulden en huurachterstand")
                )
                data = next(
                    b.data for r in out.replies for row in r.buttons for b in row if b.data.startswith("ref:")
                )
                out = engine.handle(Event(user_id=uid, kind="button", data=data))
            else:
                out = engine.handle(
                    Event(user_id=uid, kind="text", text=f"Hoe werk ik samen met partner {i}?")
                )
                data = out.replies[-1].buttons[0][0].data
                out = engine.handle(Event(user_id=uid, kind="button", data=data))
            answered += bool(out.replies) and texts.SOMETHING_WENT_WRONG not in out.replies[0].text
        return answered

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=16) as pool:
        results = list(pool.map(user, range(1000, 1050)))
    elapsed = time.perf_counter() - started
    assert results == [20] * 50
    stats = services.store.stats()
    assert stats.referrals["open"] == 50 * 5
    assert stats.feedback_up == 50 * 15
    assert stats.users == 0, "ids outside the allowlist get no users row"
    assert elapsed < 30


def test_context_expires_after_ttl(services, clock) -> None:
    engine = Engine(services, clock=clock)
    ask = Event(user_id=1, kind="text", text="Hoe bouw ik een netwerk op met partners?")
    engine.handle(ask)
    clock.advance(hours=services.settings.context_ttl_hours + 1)
    engine.handle(Event(user_id=1, kind="text", text="En hoe houd ik contact met de huisarts?"))
    assert services.answers.calls[-1][1] == []
    engine.handle(ask)
    assert services.answers.calls[-1][1] == ["En hoe houd ik contact met de huisarts?"]
