"""The labelled training questions in knowledge/vragen_training/*.yaml, loaded strictly.

Each item: q, chapter (0-11, or null for a near-miss question the publication does not answer), facts,
soort, and `vorige` for a follow-up (the question asked just before). Written by writers who never saw the code.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from bot.retrieval.types import CHAPTER_CONCLUSION, CHAPTER_INTRO

TRAINING_DIR = "vragen_training"
KINDS = frozenset({"gewoon", "parafrase", "telefoon", "engels", "vervolg", "buiten", "conclusie"})


@dataclass(frozen=True, slots=True)
class TrainingQuestion:
    q: str
    chapter: int | None  # None: out of scope (near miss)
    facts: tuple[str, ...] = ()
    kind: str = "gewoon"
    previous: str = ""  # `vorige`: the question before a follow-up

    @property
    def in_scope(self) -> bool:
        return self.chapter is not None


def _question(item: dict[str, object], where: str) -> TrainingQuestion:
    chapter = item.get("chapter")
    if chapter is not None and not (
        isinstance(chapter, int) and CHAPTER_INTRO <= chapter <= CHAPTER_CONCLUSION
    ):
        raise ValueError(f"{where}: unknown chapter {chapter!r}")
    kind = str(item.get("soort", "gewoon"))
    if kind not in KINDS:
        raise ValueError(f"{where}: unknown soort {kind!r}")
    q = str(item.get("q", "")).strip()
    if not q:
        raise ValueError(f"{where}: empty q")
    facts = item.get("facts") or []
    if not isinstance(facts, list):
        raise ValueError(f"{where}: facts must be a list")
    return TrainingQuestion(q, chapter, tuple(str(f) for f in facts), kind, str(item.get("vorige") or ""))


def load_training_questions(directory: Path) -> list[TrainingQuestion]:
    """All training questions of every YAML file in `directory` (sorted by name); none when it is absent."""
    if not directory.is_dir():
        return []
    return [q for path in sorted(directory.glob("*.yaml")) for q in load_training_file(path)]


def load_training_file(path: Path) -> list[TrainingQuestion]:
    """The training questions of one writer's file."""
    return list(_parsed(path.name, path.read_text(encoding="utf-8")))


@lru_cache(maxsize=64)
def _parsed(name: str, text: str) -> tuple[TrainingQuestion, ...]:
    """The questions of a file's text, remembered by its name and text: an index build reads every training file
    in several places (the helper's prediction, the models, the sentence ranker); the questions are immutable."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: ~20x faster than the pure-Python parser
    data = yaml.load(text, Loader=loader) or {}  # noqa: S506 (a safe loader)
    return tuple(_question(item, f"{name}#{n}") for n, item in enumerate(data.get("questions") or []))


def question_text(question: TrainingQuestion) -> str:
    """The question as retrieval sees it: a follow-up carries the question before it."""
    return f"{question.previous} {question.q}".strip() if question.previous else question.q


def training_files(directory: Path) -> list[Path]:
    """The files that make up the training set (part of the index's content hash)."""
    return sorted(directory.glob("*.yaml")) if directory.is_dir() else []
