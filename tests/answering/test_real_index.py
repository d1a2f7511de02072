"""AnswerService on the real knowledge index (publication + hybrid retrieval + scope judge)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.answering.extractive import MAX_CHARS
from bot.answering.prompts import PromptLibrary
from bot.answering.service import AnswerService
from bot.config import PROJECT_ROOT, Settings
from bot.privacy.pii import PiiScrubber
from tests.conftest import copy_data_dir


@pytest.fixture(scope="module")
def real_service(
    tmp_path_factory: pytest.TempPathFactory, built_data_dir: Path, use_embeddings: object
) -> AnswerService:
    from bot.retrieval.index import KnowledgeIndex

    data_dir = tmp_path_factory.mktemp("answering") / "data"
    copy_data_dir(built_data_dir, data_dir)  # reuse the session's index build
    settings = Settings(_env_file=None, WIJKBOT_DATA_DIR=data_dir)
    index = KnowledgeIndex.load_or_build(settings, use_embeddings)  # type: ignore[arg-type]
    assert not index.rebuilt
    return AnswerService(
        retriever=index.retriever,
        in_scope=index.scope.is_in_scope,
        prompts=PromptLibrary(PROJECT_ROOT / "prompts"),
        scrubber=PiiScrubber(use_deduce=False),
    )


def _body(text: str) -> str:
    return text.rsplit("\n\nBron:", 1)[0]


@pytest.mark.parametrize(
    ("question", "chapter"),
    [
        ("Wat doen we met die financiële schotten?", 5),
        ("Ik heb geen tijd om met huisartsen te overleggen, tips?", 1),
    ],
)
def test_in_scope_answers_cite_the_right_chapter(
    real_service: AnswerService, question: str, chapter: int
) -> None:
    answer = real_service.answer(question)
    assert answer.in_scope and len(answer.sources) >= 3
    assert len(_body(answer.text)) <= MAX_CHARS
    assert f"[Vraag {chapter} · " in answer.text
    cited = set(int(n) for n in re.findall(r"\(Vraag (\d+) · ", answer.text))
    assert cited <= {s.passage.chapter for s in answer.sources}
    assert "Bron: Samenwerken in de wijk" in answer.text


@pytest.mark.parametrize(
    "question", ["Wat is de hoofdstad van Australië?", "Geef me een recept voor pannenkoeken"]
)
def test_out_of_scope_on_real_index(real_service: AnswerService, question: str) -> None:
    answer = real_service.answer(question)
    assert not answer.in_scope and "/vragen" in answer.text


def test_followup_changes_the_hit(real_service: AnswerService) -> None:
    previous = "Hoe maak ik afspraken over terugkoppeling na een verwijzing?"
    alone = real_service.answer("en wat als dat niet lukt?")
    followed = real_service.answer("en wat als dat niet lukt?", history=[previous])
    assert followed.in_scope
    top_alone = [s.passage.id for s in alone.sources[:3]]
    top_followed = [s.passage.id for s in followed.sources[:3]]
    assert top_alone != top_followed


def test_real_index_data_dir_is_private(tmp_path: Path) -> None:
    assert not (PROJECT_ROOT / "data" / "answering").exists()
