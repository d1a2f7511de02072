"""Latency hygiene: a question is embedded once per turn, and no lock is held across the answer (LLM) call."""

from __future__ import annotations

import threading
import time
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from bot.answering.prompts import PromptLibrary
from bot.answering.service import AnswerService
from bot.config import PROJECT_ROOT, Settings
from bot.conversation.engine import Engine
from bot.privacy.pii import PiiScrubber
from bot.retrieval.embeddings import USEEmbeddings
from tests.conftest import copy_data_dir
from tests.conversation.helpers import Chat


class CountingEmbeddings(USEEmbeddings):
    """Counts how often each text goes through the model."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: Counter[str] = Counter()

    def _encode_uncached(self, texts: list[str]) -> np.ndarray:
        self.seen.update(texts)
        return super()._encode_uncached(texts)


def test_question_is_embedded_once_per_answer(tmp_path: Path, built_data_dir: Path) -> None:
    from bot.retrieval.index import KnowledgeIndex

    data_dir = tmp_path / "data"
    copy_data_dir(built_data_dir, data_dir)
    settings = Settings(_env_file=None, WIJKBOT_DATA_DIR=data_dir)
    embeddings = CountingEmbeddings()
    index = KnowledgeIndex.load_or_build(settings, embeddings)
    service = AnswerService(
        retriever=index.retriever,
        in_scope=index.scope.is_in_scope,
        prompts=PromptLibrary(PROJECT_ROOT / "prompts"),
        scrubber=PiiScrubber(use_deduce=False),
    )
    embeddings.seen.clear()
    for question in (
        "Hoe maak ik afspraken over terugkoppeling met school?",
        "Wat is de hoofdstad van Peru?",
    ):
        service.answer(question)
    assert embeddings.seen and max(embeddings.seen.values()) == 1, embeddings.seen


SLOW_CALL = 3.0  # the slow user's 'LLM call'; a turn that waits behind it takes at least this long
NOT_WAITING = 1.5  # a turn that did not wait stays well below SLOW_CALL, also on a loaded machine


def _warm(engine: Engine) -> None:
    """The first turn of a process builds the act model (seconds on a loaded machine): do that before timing."""
    Chat(engine, 2).text("goedemorgen")


class SlowAnswers:
    """An answer service whose 'LLM call' for one user takes long."""

    def __init__(self, services: object) -> None:
        self._inner = services.answers  # type: ignore[attr-defined]
        self.started = threading.Event()

    def answer(self, question: str, *, history: list[str], reserve: int = 0) -> object:
        if "traag" in question:
            self.started.set()
            time.sleep(SLOW_CALL)
        return self._inner.answer(question, history=history, reserve=reserve)


@pytest.fixture
def services(tmp_path: Path):
    from tests.conversation.fakes import make_services

    svc = make_services(tmp_path, WIJKBOT_ALLOWED_USERS="1,2")
    yield svc
    svc.store.close()


def test_no_user_waits_behind_another_users_llm_call(services) -> None:
    slow = SlowAnswers(services)
    services.answers = slow
    engine = Engine(services)
    _warm(engine)
    worker = threading.Thread(target=Chat(engine, 1).text, args=("Hoe werk ik samen, traag antwoord graag?",))
    worker.start()
    assert slow.started.wait(120)
    started = time.perf_counter()
    Chat(engine, 2).text("Hoe werk ik samen met de huisarts?")
    waited = time.perf_counter() - started
    worker.join()
    assert waited < NOT_WAITING, f"user 2 waited {waited:.2f} s behind user 1"


def test_engine_holds_no_lock_of_the_user_across_the_answer_call(services) -> None:
    """The engine lets go of the user's lock during the answer call (the Telegram channel keeps the order
    of one user's messages with its own lock)."""
    slow = SlowAnswers(services)
    services.answers = slow
    engine = Engine(services)
    _warm(engine)
    chat = Chat(engine, 1)
    worker = threading.Thread(target=chat.text, args=("Hoe werk ik samen, traag antwoord graag?",))
    worker.start()
    assert slow.started.wait(120)
    started = time.perf_counter()
    Chat(engine, 1).cmd("help")
    waited = time.perf_counter() - started
    worker.join()
    assert waited < NOT_WAITING
    assert chat.said().startswith("Antwoord") and len(services.answers._inner.calls) == 1
