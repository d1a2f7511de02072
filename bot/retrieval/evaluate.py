"""Retrieval quality metrics on labelled questions (schema of /work/shared/eval/dev_questions.yaml)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.retrieval.types import ScoredPassage


@dataclass(frozen=True, slots=True)
class LabelledQuestion:
    """One question with its expected chapter and fact strings, or marked out of scope."""

    q: str
    chapter: int | None = None
    facts: tuple[str, ...] = ()
    out_of_scope: bool = False


@dataclass(frozen=True, slots=True)
class Metrics:
    """Averages over the in-scope questions."""

    n: int
    chapter_hit_at_3: float
    fact_at_3: float
    mrr_at_10: float
    misses: tuple[str, ...] = ()


def load_questions(path: Path) -> list[LabelledQuestion]:
    """Read a questions YAML file; unknown keys are ignored."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    out: list[LabelledQuestion] = []
    for item in data.get("questions", []):
        chapter = item.get("chapter")
        out.append(
            LabelledQuestion(
                q=str(item["q"]),
                chapter=int(chapter) if chapter is not None else None,
                facts=tuple(str(f) for f in item.get("facts", []) or []),
                out_of_scope=bool(item.get("out_of_scope", False)),
            )
        )
    return out


def _question_scores(question: LabelledQuestion, hits: Sequence[ScoredPassage]) -> tuple[bool, bool, float]:
    chapters = [h.passage.chapter for h in hits[:10]]
    hit3 = question.chapter in chapters[:3]
    top3_text = " ".join(h.passage.text for h in hits[:3]).lower()
    fact3 = any(f.lower() in top3_text for f in question.facts) if question.facts else hit3
    rr = 0.0
    for rank, chapter in enumerate(chapters, start=1):
        if chapter == question.chapter:
            rr = 1.0 / rank
            break
    return hit3, fact3, rr


def evaluate(
    search: Callable[[str], Sequence[ScoredPassage]], questions: Sequence[LabelledQuestion]
) -> Metrics:
    """chapter-hit@3, fact@3 and MRR@10 (first passage of the right chapter) over in-scope questions."""
    in_scope = [q for q in questions if not q.out_of_scope and q.chapter is not None]
    hits3 = facts3 = rr_sum = 0.0
    misses: list[str] = []
    for question in in_scope:
        hit3, fact3, rr = _question_scores(question, search(question.q))
        hits3 += hit3
        facts3 += fact3
        rr_sum += rr
        if not (hit3 and fact3):
            misses.append(question.q)
    n = max(len(in_scope), 1)
    return Metrics(len(in_scope), hits3 / n, facts3 / n, rr_sum / n, tuple(misses))
