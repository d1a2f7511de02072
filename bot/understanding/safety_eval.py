"""Danger-type figures on labelled situations (used by bench/suggest.py, bench/writer_cv.py and the tests).

The danger head is judged on its own: on every labelled safety case (acuut or zorg), is the most likely danger type
the labelled one, whatever level the level head gave? Next to it: the danger type as shown (only when a level was
given), which is what decides the safety partner.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class DangerScores:
    cases: dict[str, int] = field(default_factory=dict)  # per labelled level (acuut, zorg)
    head_right: dict[str, int] = field(default_factory=dict)  # argmax of the danger head = label
    shown_right: dict[str, int] = field(default_factory=dict)  # a level given AND its danger type = label
    per_type: dict[str, list[int]] = field(default_factory=dict)  # danger -> [cases, head right]
    confusions: dict[tuple[str, str], int] = field(
        default_factory=dict
    )  # (label, head argmax) -> n, wrong only

    def line(self, level: str) -> str:
        n = self.cases.get(level, 0)
        h, s = self.head_right.get(level, 0), self.shown_right.get(level, 0)
        return f"{level}: danger head {h}/{n} = {h / max(1, n):.3f}, shown with a level {s}/{n} = {s / max(1, n):.3f}"


def head_danger(reading: Any) -> str | None:
    """The danger head's most likely type (also when no level was given)."""
    dangers = reading.danger_probabilities
    return max(dangers, key=lambda d: dangers[d]) if dangers else None


def danger_scores(gold: Sequence[Any], readings: Sequence[Any]) -> DangerScores:
    """gold: LabelledText; readings: Understanding, one per gold item."""
    out = DangerScores()
    for item, reading in zip(gold, readings, strict=True):
        if item.level == "geen" or not item.danger:
            continue
        level = item.level
        head = head_danger(reading)
        out.cases[level] = out.cases.get(level, 0) + 1
        right = head == item.danger
        out.head_right[level] = out.head_right.get(level, 0) + right
        out.shown_right[level] = out.shown_right.get(level, 0) + (
            reading.level != "geen" and reading.danger == item.danger
        )
        counts = out.per_type.setdefault(item.danger, [0, 0])
        counts[0] += 1
        counts[1] += right
        if not right:
            key = (item.danger, head or "-")
            out.confusions[key] = out.confusions.get(key, 0) + 1
    return out


def print_danger_table(scores: DangerScores, title: str, *, confusions: bool = True) -> None:
    print(
        f"\ndanger type ({title}): head = most likely type of the danger head on every labelled safety case"
    )
    for level in ("acuut", "zorg"):
        print(f"  {scores.line(level)}")
    print("| danger type          | cases | head right |")
    print("|----------------------|-------|------------|")
    for danger, (n, right) in sorted(scores.per_type.items()):
        print(f"| {danger:<20} | {n:5d} | {right / max(1, n):10.3f} |")
    if confusions and scores.confusions:
        worst = sorted(scores.confusions.items(), key=lambda kv: -kv[1])[:6]
        print(
            "  most frequent confusions (label -> head): " + ", ".join(f"{a}->{b} {n}" for (a, b), n in worst)
        )


def print_confusion(pairs: Sequence[tuple[str, str]], title: str) -> None:
    """A full confusion table (label rows, danger head columns) of (label, head) pairs."""
    types = sorted({a for a, _ in pairs} | {b for _, b in pairs})
    short = {t: t[:8] for t in types}
    print(f"\ndanger-type confusion ({title}): rows = label, columns = danger head")
    print("| label \\ head        | " + " | ".join(f"{short[t]:>8}" for t in types) + " | right |")
    print("|" + "-" * 22 + "|" + "|".join("-" * 10 for _ in types) + "|-------|")
    for a in types:
        row = [sum(1 for x, y in pairs if x == a and y == b) for b in types]
        n = sum(row)
        print(
            f"| {a:<20} | "
            + " | ".join(f"{v:>8}" for v in row)
            + f" | {row[types.index(a)] / max(1, n):.3f} |"
        )
