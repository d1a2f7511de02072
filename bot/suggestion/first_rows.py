"""Which ROW of a safety partner kind comes first in an acute case, learned from answer keys.

When a kaart has more than one row of the kind chosen first (112 and the local police desk and the wijkagent; a
youth crisis service and an adult one; two huisartsenposten), one of them has to be shown. The keyed kaarten of
knowledge/rangschikking/ say which rows may come first (`first` of their acute situations). Per kind with two or
more rows on the kaart, those rows are one choice: a conditional logit (softmax over the kind's rows, one linear
score per row) on features every kaart has: the national alarm number (112) or another national number in the
phone field, the crisis flag, open day and night, the wijk, the text similarity to the situation (as a gap to the
best row of the kind), and whether the row's stated age groups fit the ages the situation names. Fitted at index
time with the learned candidate order (bot/suggestion/rank_training.py); without it the ranking keeps its fixed
rule (bot/suggestion/ranking.py: 112 first when acute, then the wijk, then the similarity).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import minimize

from bot.understanding.normalize import fold

# open day and night ("24/7", "dag en nacht", "altijd bereikbaar", "24 uur per dag")
ALWAYS = re.compile(r"24\s*/\s*7|24 uur|dag en nacht|altijd|dag & nacht|7 dagen per week|day and night")
FEATURES = ("alarm", "national", "crisis", "always", "in_wijk", "similarity_gap", "age_fit", "age_misfit")


@dataclass(frozen=True, slots=True)
class RowFacts:
    """What the ranking knows about one candidate row for one situation."""

    alarm: bool
    national: bool  # another national number (113, 0800-2000, ...) in the phone field
    crisis: bool
    schedule: str
    in_wijk: float
    similarity: float
    served: frozenset[str]  # the age groups the row states it serves (empty: everyone)


def row_matrix(rows: Sequence[RowFacts], groups: frozenset[str]) -> np.ndarray:
    """One feature row per candidate (FEATURES); groups: the age groups the situation names."""
    best = max((r.similarity for r in rows), default=0.0)
    out = []
    for r in rows:
        fit = bool(r.served and groups and r.served & groups)
        misfit = bool(r.served and groups and not r.served & groups)
        out.append([float(r.alarm), float(r.national), float(r.crisis), float(bool(ALWAYS.search(fold(r.schedule)))),
                    r.in_wijk, r.similarity - best, float(fit), float(misfit)])  # fmt: skip
    return np.asarray(out, dtype=np.float64)


class FirstRows:
    """Conditional logit over the rows of one kind: P(row first) = softmax(x_row . w) within the kind's rows."""

    def __init__(self, *, c: float = 1.0, dropped: Sequence[str] = ()) -> None:
        self.c = c
        self.keep = np.array([f not in dropped for f in FEATURES], dtype=np.float64)
        self.weights = np.zeros(len(FEATURES), dtype=np.float64)

    def fit(self, groups: Sequence[tuple[np.ndarray, np.ndarray]]) -> FirstRows:
        """groups: (feature rows of a kind's candidates, bool: the key accepts that row first); a group needs a row
        that is accepted and one that is not."""
        used = [(x * self.keep, y.astype(bool)) for x, y in groups if y.any() and not y.all()]
        if not used:
            return self

        def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
            value, grad = 0.5 / self.c * float(w @ w), w / self.c
            for x, y in used:
                s = x @ w
                p = np.exp(s - s.max())
                p /= p.sum()
                mass = p[y].sum()
                q = np.where(y, p, 0.0) / mass
                value -= float(np.log(mass))
                grad = grad + (p - q) @ x
            return value, grad

        result = minimize(
            loss, np.zeros(len(FEATURES)), jac=True, method="L-BFGS-B", options={"maxiter": 300}
        )
        self.weights = result.x * self.keep
        return self

    def scores(self, x: np.ndarray) -> np.ndarray:
        return np.asarray(x, dtype=np.float64) @ self.weights

    def best(self, x: np.ndarray) -> int:
        """The index of the candidate that comes first (ties: the first of them)."""
        return int(np.argmax(self.scores(x)))
