"""What the publication-question benches share: the development question sets, and the groups that keep a
follow-up question in the same cross-validation fold as the question before it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
DEV = [
    ROOT / "tests" / "data" / "dev_questions.yaml",
    ROOT / "tests" / "retrieval" / "labelled_questions.yaml",
    ROOT / "tests" / "retrieval" / "dev_questions_u3.yaml",
]


def follow_up_groups(previous: list[str]) -> np.ndarray:
    """One group per question that starts a thread; a follow-up (non-empty `previous`) joins the group before it."""
    group, out = -1, []
    for prev in previous:
        group += not prev
        out.append(group)
    return np.asarray(out)


@contextmanager
def index_without_memory(writers: dict[str, str]) -> Iterator[tuple[Any, Any, dict[str, list[Any]]]]:
    """A freshly built index in a temporary data directory, its retriever with the question memory detached
    (the built index holds every writer's questions: the benches measure without them), the embeddings, and
    each training writer's questions by name. Yields (retriever, embeddings, questions by writer)."""
    import tempfile

    from bot.config import Settings
    from bot.retrieval.embeddings import USEEmbeddings
    from bot.retrieval.index import KnowledgeIndex
    from bot.retrieval.training import TRAINING_DIR, load_training_file

    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(WIJKBOT_DATA_DIR=Path(tmp))
        embeddings = USEEmbeddings()
        retriever = KnowledgeIndex.load_or_build(settings, embeddings).retriever
        retriever.attach_memory(None)
        directory = settings.knowledge_dir / TRAINING_DIR
        yield retriever, embeddings, {w: load_training_file(directory / name) for w, name in writers.items()}
