"""Score ranked partner ids against labelled situations (used by bench/suggest.py and the tests)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml


@dataclass(frozen=True, slots=True)
class LabelledSituation:
    text: str
    wijk: str | None
    domains: tuple[str, ...]
    safety: str | None


@dataclass(slots=True)
class Scores:
    """Top-3 recall (share of expected levensgebieden covered), top-1 accuracy, safety-first rate."""

    recall_sum: float = 0.0
    top1_hits: int = 0
    cases: int = 0
    safety_first: int = 0
    safety_cases: int = 0
    nothing_ok: int = 0
    nothing_cases: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.recall_sum / self.cases if self.cases else 0.0

    @property
    def top1(self) -> float:
        return self.top1_hits / self.cases if self.cases else 0.0

    @property
    def safety_rate(self) -> float:
        return self.safety_first / self.safety_cases if self.safety_cases else 1.0


def load_situations(path: Path) -> list[LabelledSituation]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [
        LabelledSituation(
            str(item["s"]), item.get("wijk"), tuple(item.get("domains", [])), item.get("safety")
        )
        for item in data["situations"]
    ]


def score(situations: list[LabelledSituation], gold: dict[str, list[str]],
          ranker: Callable[[LabelledSituation], tuple[list[str], Any]]) -> Scores:  # fmt: skip
    """ranker returns (ranked ids, safety or None). Only the first 3 ids count."""
    out = Scores()
    for situation in situations:
        ids, safety = ranker(situation)
        top3 = ids[:3]
        if not situation.domains:
            out.nothing_cases += 1
            out.nothing_ok += not ids
            continue
        groups = [set(gold.get(d, [])) for d in situation.domains[:3]]
        covered = sum(1 for g in groups if g & set(top3))
        out.cases += 1
        out.recall_sum += covered / len(groups)
        first_ok = bool(ids) and ids[0] in groups[0]
        out.top1_hits += first_ok
        if situation.safety:
            out.safety_cases += 1
            out.safety_first += first_ok and safety is not None
        if covered < len(groups) or not first_ok:
            out.misses.append(f"{situation.text[:60]!r} -> {top3}")
    return out
