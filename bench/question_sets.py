"""What the publication-question benches share: the development question sets, and the groups that keep a
follow-up question in the same cross-validation fold as the question before it."""

from __future__ import annotations

from pathlib import Path

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
