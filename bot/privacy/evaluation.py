"""Measure the scrubber and the label check on labelled strings (tests/privacy/labelled_*.yaml)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.privacy.pii import PLACEHOLDERS, PiiFinding

KINDS = tuple(PLACEHOLDERS)


@dataclass(frozen=True, slots=True)
class LabelledText:
    split: str
    text: str
    pii: tuple[tuple[str, str], ...]  # (kind, exact substring); empty for an ordinary sentence


@dataclass(frozen=True, slots=True)
class LabelledLabel:
    split: str
    text: str
    identifying: bool


@dataclass
class ScrubReport:
    found: dict[str, int] = field(default_factory=dict)
    total: dict[str, int] = field(default_factory=dict)
    ordinary: int = 0
    false_positives: int = 0
    misses: list[tuple[str, str]] = field(default_factory=list)  # (kind, text)
    false_hits: list[str] = field(default_factory=list)

    def recall(self, kind: str | None = None) -> float:
        found = self.found.get(kind, 0) if kind else sum(self.found.values())
        total = self.total.get(kind, 0) if kind else sum(self.total.values())
        return found / total if total else 1.0

    @property
    def fp_rate(self) -> float:
        return self.false_positives / self.ordinary if self.ordinary else 0.0


@dataclass
class LabelReport:
    caught: int = 0
    identifying: int = 0
    refused: int = 0
    ordinary: int = 0
    misses: list[str] = field(default_factory=list)
    false_refusals: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.caught / self.identifying if self.identifying else 1.0

    @property
    def false_refusal_rate(self) -> float:
        return self.refused / self.ordinary if self.ordinary else 0.0


def load_pii_set(path: Path) -> list[LabelledText]:
    """Strict loader: an unknown kind or a substring that is not in its text fails."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    items: list[LabelledText] = []
    for split, parts in data.items():
        for entry in parts.get("identifying", []):
            pii = tuple((str(k), str(v)) for k, v in entry["pii"])
            for kind, value in pii:
                if kind not in KINDS or value not in entry["text"]:
                    raise ValueError(f"bad label {kind!r}/{value!r} in {entry['text']!r}")
            items.append(LabelledText(split, entry["text"], pii))
        items.extend(LabelledText(split, str(text), ()) for text in parts.get("ordinary", []))
    return items


def load_label_set(path: Path) -> list[LabelledLabel]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    items: list[LabelledLabel] = []
    for split, parts in data.items():
        items.extend(LabelledLabel(split, str(t), True) for t in parts.get("identifying", []))
        items.extend(LabelledLabel(split, str(t), False) for t in parts.get("not_identifying", []))
    return items


def load_situation_texts(folder: Path) -> list[LabelledText]:
    """Situation descriptions written by others for the kaart tests (tests/kaart/situ*.yaml): ordinary text."""
    items: list[LabelledText] = []
    for path in sorted(folder.glob("situ*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        entries = data["situations"] if isinstance(data, dict) else data
        items.extend(
            LabelledText("situaties", str(e["s"]), ()) for e in entries if isinstance(e, dict) and e.get("s")
        )
    return items


def _covered(findings: Iterable[PiiFinding], start: int, end: int) -> bool:
    chars = set(range(start, end))
    for finding in findings:
        chars -= set(range(finding.start, finding.end))
    return not chars


def evaluate_scrubber(find: Callable[[str], list[PiiFinding]], items: Iterable[LabelledText]) -> ScrubReport:
    """Per-kind recall (identifier fully covered by findings) and the false-positive rate on ordinary text."""
    report = ScrubReport()
    for item in items:
        findings = find(item.text)
        if not item.pii:
            report.ordinary += 1
            if findings:
                report.false_positives += 1
                report.false_hits.append(item.text)
            continue
        for kind, value in item.pii:
            start = item.text.index(value)
            report.total[kind] = report.total.get(kind, 0) + 1
            if _covered(findings, start, start + len(value)):
                report.found[kind] = report.found.get(kind, 0) + 1
            else:
                report.misses.append((kind, item.text))
    return report


def evaluate_labels(check: Callable[[str], bool], items: Iterable[LabelledLabel]) -> LabelReport:
    """check(text) is True when the label is refused as identifying."""
    report = LabelReport()
    for item in items:
        refused = check(item.text)
        if item.identifying:
            report.identifying += 1
            report.caught += refused
            if not refused:
                report.misses.append(item.text)
        else:
            report.ordinary += 1
            report.refused += refused
            if refused:
                report.false_refusals.append(item.text)
    return report
