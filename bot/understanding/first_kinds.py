"""Which safety partner kind fits FIRST in an acute situation, learned from answer keys.

The danger type says which kinds fit at all (veiligheid.yaml `partners`); which of them comes first depends on more
than the type: violence going on now, pills already taken or a man with a knife in the street ask for 112 first; a
child who tells the teacher about last night, or a calm plan to end one's life, ask for Veilig Thuis or the crisis
service first. The examples (knowledge/eerste_partner.yaml: acute situations with the kinds whose row an answer key
accepts first, and the kinds that kaart had; knowledge/eerste_partner_schrijvers.yaml: blind writers' acute situations
with the kinds they would call first, every kind available) train one logistic regression per kind on the situation's
sentence vector and danger-type probabilities. A kind the example's kaart did not have says nothing about that kind.
The ranking orders the fitting kinds by these probabilities (bot/suggestion/ranking.py); without examples, or on a
kaart without a row with 112, it keeps the order of veiligheid.yaml.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml
from sklearn.linear_model import LogisticRegression

FILE = "eerste_partner.yaml"
# acute situations of blind writers who named the kinds they would call first with every kind available (round 9)
WRITERS_FILE = "eerste_partner_schrijvers.yaml"
ACUTE = "level:acuut"
RATE = "rate:"  # scores() key prefix: how often a kind fitted first for the likely danger types (not learned per text)
RATE_PRIOR = 0.5
ALARM_KIND = "politie"  # the kind of a row with the national alarm number
MIN_EACH = 2  # a kind needs this many examples where it fits first and where it does not


@dataclass(frozen=True, slots=True)
class FirstExample:
    text: str
    danger: str
    first: frozenset[str]  # kinds whose row the answer key accepts first
    present: frozenset[str]  # the safety partner kinds that kaart had
    kaart: str


def load_examples(path: Path) -> list[FirstExample]:
    """The labelled examples; a missing file means none."""
    if not path.is_file():
        return []
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return [
        FirstExample(
            str(i["tekst"]),
            str(i["gevaar"]),
            frozenset(i["eerste"]),
            frozenset(i["op_kaart"]),
            str(i.get("kaart", "")),
        )  # fmt: skip
        for i in data.get("situaties") or []
    ]


def load_all(folder: Path) -> list[FirstExample]:
    """The examples of the answer keys (FILE) and of the writers (WRITERS_FILE) in the knowledge folder."""
    return [*load_examples(folder / FILE), *load_examples(folder / WRITERS_FILE)]


def examples_text(folder: Path) -> str:
    """The example files' text (for the model cache key)."""
    return "".join(
        p.read_text(encoding="utf-8") for p in (folder / FILE, folder / WRITERS_FILE) if p.is_file()
    )


def features(vectors: np.ndarray, dangers: Sequence[dict[str, float]], danger_ids: Sequence[str],
             danger_weight: float) -> np.ndarray:  # fmt: skip
    """Sentence vector plus the danger-type probabilities (weighted) and P(acuut) of the safety head (key
    ACUTE in the danger dict, as danger_inputs puts it there)."""
    types = np.array([[d.get(t, 0.0) for t in (*danger_ids, ACUTE)] for d in dangers], dtype=np.float32)
    return np.hstack([np.atleast_2d(vectors).astype(np.float32), danger_weight * types])


def danger_inputs(
    dangers: dict[str, float], levels: dict[str, float], level_weight: float
) -> dict[str, float]:
    """The danger-type probabilities with P(acuut) beside them (weighted): how sure the safety head is that the
    danger is there now."""
    return {**dangers, ACUTE: level_weight * levels.get("acuut", 0.0)}


class FirstKinds:
    """Per partner kind: P(its row fits first | situation), for acute situations."""

    def __init__(self, danger_ids: Sequence[str], *, c: float = 1.0, danger_weight: float = 1.0,
                 only: Sequence[str] = (), hits_weight: float = 0.0, vector_weight: float = 1.0) -> None:  # fmt: skip
        self.danger_ids = list(danger_ids)
        self.c = c
        self.danger_weight = danger_weight
        self.hits_weight = hits_weight
        self.vector_weight = vector_weight
        self.only = frozenset(only)  # learn these kinds only (empty: every kind with enough examples)
        self.models: dict[str, LogisticRegression] = {}
        self.rates: dict[
            str, dict[str, float]
        ] = {}  # danger -> kind -> share of its examples where it fits first

    def _x(
        self, vectors: np.ndarray, dangers: Sequence[dict[str, float]], hits: np.ndarray | None
    ) -> np.ndarray:
        x = features(self.vector_weight * vectors, dangers, self.danger_ids, self.danger_weight)
        if self.hits_weight > 0 and hits is not None:
            x = np.hstack([x, self.hits_weight * np.atleast_2d(hits).astype(np.float32)])
        return x

    def fit(self, vectors: np.ndarray, dangers: Sequence[dict[str, float]], examples: Sequence[FirstExample],
            hits: np.ndarray | None = None) -> FirstKinds:  # fmt: skip
        x = self._x(vectors, dangers, hits)
        for danger in {e.danger for e in examples}:
            of = [e for e in examples if e.danger == danger]
            kinds = {k for e in of for k in e.present} - self.only
            self.rates[danger] = {
                k: (sum(k in e.first for e in of if k in e.present) + RATE_PRIOR)
                / (sum(k in e.present for e in of) + 2 * RATE_PRIOR)
                for k in kinds
            }
        for kind in sorted({k for e in examples for k in e.present} - (set() if not self.only else set())):
            if self.only and kind not in self.only:
                continue
            rows = [i for i, e in enumerate(examples) if kind in e.present]
            y = np.array([kind in examples[i].first for i in rows])
            if y.sum() < MIN_EACH or (~y).sum() < MIN_EACH:
                continue
            model = LogisticRegression(C=self.c, class_weight="balanced", max_iter=2000)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                self.models[kind] = model.fit(x[rows], y)
        return self

    def scores(
        self, vector: np.ndarray, dangers: dict[str, float], hits: np.ndarray | None = None
    ) -> dict[str, float]:
        """P(fits first) per kind that has a model."""
        rated: dict[str, float] = {}
        for danger, p in dangers.items():
            for kind, rate in self.rates.get(danger, {}).items():
                rated[RATE + kind] = rated.get(RATE + kind, 0.0) + p * rate
        if not self.models:
            return rated
        x = self._x(vector.reshape(1, -1), [dangers], None if hits is None else hits.reshape(1, -1))
        return {**rated, **{kind: float(m.predict_proba(x)[0, 1]) for kind, m in self.models.items()}}


def order_kinds(fit: dict[str, float], first: dict[str, float], preferred: Sequence[str], *,
                alarm: bool = True, threshold: float = 0.5, compete: bool = False,
                margin: float = 0.0) -> list[str]:  # fmt: skip
    """The fitting kinds (fit: expected fit over the danger types): first those the learned model says fit first
    (P >= threshold, most likely first), then the rest by how often they fitted first for the likely danger types (RATE),
    then by fit and the order of veiligheid.yaml. The police kind is learned as "112 first" (the police rows of the
    answer keys are the alarm number): without a row with 112 (alarm False) nothing learned counts, the order is
    the fixed one of veiligheid.yaml (round 8: the learned order without 112 put a shelter or a local police row
    first)."""
    place = {k: i for i, k in enumerate(preferred)}
    if (
        not alarm
    ):  # no row with 112: the fixed order (the safety banner already says 112; never a local police
        first = {}  # row first for suicide, never a shelter before the police for violence now)

    def key(kind: str) -> tuple[float, float, float, int]:
        learned = first.get(kind, 0.0)
        if (
            compete and learned >= threshold
        ):  # a learned kind goes first only if likelier than the best other by RATE
            learned *= learned >= margin + max(
                (first.get(RATE + k, 0.0) for k in fit if k != kind), default=0.0
            )
        return (-learned if learned >= threshold else 0.0, -first.get(RATE + kind, 0.0), -fit[kind],
                place.get(kind, len(place)))  # fmt: skip

    return sorted(fit, key=key)
