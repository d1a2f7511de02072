"""Answered questions are counted through the follow-up store's one writer (issue #12): team insight reads them."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

from bot.followup.insight import TeamInsight
from bot.followup.store import FollowupStore
from bot.services import QuestionCounter


def _answer(chapter: int, *, in_scope: bool = True, publication: bool = True) -> SimpleNamespace:
    passage = SimpleNamespace(is_publication=publication, chapter=chapter)
    return SimpleNamespace(in_scope=in_scope, sources=[SimpleNamespace(passage=passage)])


def test_counts_per_chapter_through_the_store(tmp_path: Path) -> None:
    path = tmp_path / "data" / "wijkbot.sqlite3"
    store = FollowupStore(path)
    counter = QuestionCounter(path, store=store)
    threads = [threading.Thread(target=lambda: [counter(_answer(c)) for c in (3, 3, 5)]) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    counter(_answer(7, in_scope=False))  # outside the publication's scope: not counted
    counter(_answer(7, publication=False))
    store.count_question(5, now=datetime(2025, 1, 31, tzinfo=UTC))
    assert TeamInsight(path).collect().questions_by_chapter == {3: 16, 5: 9}
    store.close()


def test_counter_without_a_store_opens_one(tmp_path: Path) -> None:
    path = tmp_path / "data" / "wijkbot.sqlite3"
    QuestionCounter(path)(_answer(2))
    assert TeamInsight(path).collect().questions_by_chapter == {2: 1}
