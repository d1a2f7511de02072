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


@dataclass(slots=True)
class CorpusScores:
    """Figures on a labelled corpus (knowledge/situaties) scored on one kaart with a hand-made answer key."""

    cases: int = 0
    top3: int = 0
    top1: int = 0
    acute_cases: int = 0
    acute_first: int = 0  # given 'acute' AND a fitting safety partner first
    acute_level: int = 0  # given 'acute' at all
    zorg_cases: int = 0
    zorg_flagged: int = 0  # given 'zorg' or 'acute'
    ordinary_cases: int = 0
    false_acute: int = 0
    ordinary_zorg: int = 0  # ordinary situations given 'zorg' (a safety partner first where none belongs)
    misses: list[str] = field(default_factory=list)

    def rate(self, part: int, whole: int) -> float:
        return part / whole if whole else 0.0


def score_corpus(items: list[Any], suggest: Callable[[str], Any], key: dict[str, Any]) -> CorpusScores:
    """items: LabelledText; suggest(text) -> SuggestionResult; key: {levensgebieden: {...}, gevaar: {...}}.

    top-3 / top-1: a partner acceptable for the first labelled levensgebied (or, for a safety case, a partner
    that fits its danger type) is among the first three / is the first suggestion."""
    out = CorpusScores()
    domains, dangers = key["levensgebieden"], key["gevaar"]
    for item in items:
        result = suggest(item.text)
        ids = [s.service.id for s in result.suggestions]
        fitting = set(dangers.get(item.danger, [])) if item.danger else set()
        accept = set(domains.get(item.domains[0], [])) | fitting
        out.cases += 1
        out.top3 += bool(accept & set(ids[:3]))
        out.top1 += bool(ids) and ids[0] in accept
        level = result.safety.level if result.safety else None
        if item.level == "acuut":
            out.acute_cases += 1
            out.acute_level += level == "acute"
            out.acute_first += level == "acute" and bool(ids) and ids[0] in fitting
        elif item.level == "zorg":
            out.zorg_cases += 1
            out.zorg_flagged += level is not None
        else:
            out.ordinary_cases += 1
            out.false_acute += level == "acute"
            out.ordinary_zorg += level == "zorg"
        if not (accept & set(ids[:3])) or (item.level == "acuut" and not (ids and ids[0] in fitting)):
            out.misses.append(f"[{item.level}] {item.domains} -> {ids[:3]} {level}")
    return out


def per_domain_f1(gold: list[tuple[str, ...]], predicted: list[tuple[str, ...]],
                  domains: list[str]) -> dict[str, tuple[float, float, float, int]]:  # fmt: skip
    """Per levensgebied: precision, recall, F1 and support (multi-label)."""
    out = {}
    for domain in domains:
        tp = sum(1 for g, p in zip(gold, predicted, strict=True) if domain in g and domain in p)
        fp = sum(1 for g, p in zip(gold, predicted, strict=True) if domain not in g and domain in p)
        fn = sum(1 for g, p in zip(gold, predicted, strict=True) if domain in g and domain not in p)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        out[domain] = (precision, recall, f1, tp + fn)
    return out
