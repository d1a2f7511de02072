"""Retrieval fixtures: one index over the real knowledge files per session, built in a temp data dir."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.config import PROJECT_ROOT, Settings
from bot.retrieval.embeddings import USEEmbeddings
from bot.retrieval.evaluate import LabelledQuestion, load_questions
from bot.retrieval.index import ENGLISH_WORDS_FILE, GENERAL_WORDS_FILE, SYNONYMS_FILE, KnowledgeIndex
from bot.retrieval.training import TRAINING_DIR
from tests.conftest import built_once_per_run

HERE = Path(__file__).resolve().parent
DEV_QUESTIONS = PROJECT_ROOT / "tests" / "data" / "dev_questions.yaml"


@pytest.fixture(scope="session")
def embeddings(use_embeddings: USEEmbeddings) -> USEEmbeddings:
    return (
        use_embeddings  # perf11: the session's one USE model (loading one takes seconds on a loaded machine)
    )


@pytest.fixture(scope="session")
def knowledge_root(tmp_path_factory: pytest.TempPathFactory, embeddings: USEEmbeddings) -> Path:
    """Where the session's retrieval index lives: root/knowledge (publication, no team documents), root/data.

    perf12: under pytest-xdist the index is built once for all workers, and each worker reads a copy (same files,
    so knowledge_index reuses it)."""
    root = tmp_path_factory.mktemp("retrieval")
    shared = built_once_per_run(tmp_path_factory, "retrieval", lambda target: _build(target, embeddings))
    if shared is None:
        copy_knowledge(root / "knowledge")
    else:
        shutil.copytree(shared / "knowledge", root / "knowledge")
        shutil.copytree(shared / "data", root / "data")
    return root


def _build(root: Path, embeddings: USEEmbeddings) -> None:
    copy_knowledge(root / "knowledge")
    settings = Settings(WIJKBOT_DATA_DIR=root / "data", WIJKBOT_KNOWLEDGE_DIR=root / "knowledge")
    assert KnowledgeIndex.load_or_build(settings, embeddings).manifest.folder  # built and closed for writing


@pytest.fixture(scope="session")
def knowledge_index(knowledge_root: Path, embeddings: USEEmbeddings) -> KnowledgeIndex:
    """The index over a copy of the publication (no team documents), built once."""
    settings = Settings(
        WIJKBOT_DATA_DIR=knowledge_root / "data", WIJKBOT_KNOWLEDGE_DIR=knowledge_root / "knowledge"
    )
    return KnowledgeIndex.load_or_build(settings, embeddings)


def copy_built(knowledge_index: KnowledgeIndex, knowledge_root: Path, target: Path) -> Settings:
    """Private copies of the session index's knowledge and data dirs (same files, so the index is reused, not
    built): for tests that change files or the index."""
    assert knowledge_index.manifest.folder  # built (and closed for writing) before copying
    shutil.copytree(knowledge_root / "knowledge", target / "knowledge")
    shutil.copytree(knowledge_root / "data", target / "data")
    return Settings(WIJKBOT_DATA_DIR=target / "data", WIJKBOT_KNOWLEDGE_DIR=target / "knowledge")


@pytest.fixture(scope="session")
def dev_questions() -> list[LabelledQuestion]:
    return load_questions(DEV_QUESTIONS)


@pytest.fixture(scope="session")
def own_questions() -> list[LabelledQuestion]:
    return load_questions(HERE / "labelled_questions.yaml")


@pytest.fixture(scope="session")
def heldout_questions() -> list[LabelledQuestion]:
    """Never used for tuning; tests on it only guard against large regressions."""
    return load_questions(HERE / "heldout_questions.yaml")


def copy_knowledge(target: Path) -> Path:
    """A private knowledge dir with the publication, for tests that change files."""
    (target / "publicatie").mkdir(parents=True)
    (target / "documenten").mkdir()
    shutil.copy(Settings().publication_path, target / "publicatie")
    _copy_synonyms(target)
    return target


def _copy_synonyms(target: Path) -> None:
    """Copy the query-side data files (synonyms, general words, training questions) next to the publication."""
    for name in (SYNONYMS_FILE, ENGLISH_WORDS_FILE, GENERAL_WORDS_FILE):
        source = Settings().knowledge_dir / name
        if source.is_file():
            shutil.copy(source, target / name)
    training = Settings().knowledge_dir / TRAINING_DIR
    if training.is_dir() and not (target / TRAINING_DIR).exists():
        shutil.copytree(training, target / TRAINING_DIR)
