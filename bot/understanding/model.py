"""Understanding a situation: probabilities per levensgebied, a safety level and a danger type."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from bot.understanding.ages import CHILD_DANGER, Ages, read_ages, without_child_danger
from bot.understanding.classifier import TrainedModel
from bot.understanding.constants import Constants
from bot.understanding.features import Encoder, read_text
from bot.understanding.first_kinds import (
    MEDICAL_KEY,
    FirstChoice,
    FirstExample,
    FirstKinds,
    danger_inputs,
    emergency_head,
    medical_head,
    now_alarm_shares,
    present_head,
    with_medical,
)
from bot.understanding.lexicon import Lexicon
from bot.understanding.safety import SafetyData
from bot.understanding.taxonomy import Taxonomy


@dataclass(frozen=True, slots=True)
class Understanding:
    """What the models read in one text. `domains` are the chosen levensgebieden, most likely first."""

    domains: tuple[str, ...]
    probabilities: dict[str, float]
    level: str  # acuut | zorg | geen
    danger: str | None
    level_probabilities: dict[str, float] = field(default_factory=dict)
    danger_probabilities: dict[str, float] = field(default_factory=dict)
    forced_by: str = ""  # the acute phrase that forced 'acuut', if any
    vector: np.ndarray | None = None  # USE vector of the text (for ranking by meaning)
    hits: np.ndarray | None = None  # signal-lexicon hits per old lexicon group (for ranking by profile)
    expanded: str = ""  # the text as the models read it (Understander.expand)
    ages: Ages | None = (
        None  # the stated ages and age groups in `expanded` (read once: bot/understanding/ages.py)
    )
    first_kinds: dict[str, float] = field(default_factory=dict)  # acute: P(a kind's row fits first), learned

    def shown_domains(self, *, fill: float, limit: int = 3) -> tuple[str, ...]:
        """The chosen levensgebieden, then further likely ones (from probability `fill`) up to `limit`."""
        if not self.domains:
            return ()
        rest = sorted(
            (d for d in self.probabilities if d not in self.domains), key=lambda d: -self.probabilities[d]
        )
        extra = [d for d in rest if self.probabilities[d] >= fill][: max(0, limit - len(self.domains))]
        return (*self.domains, *extra)


class Understander:
    """A trained model with what it needs at prediction time (lexicon, encoder, safety data)."""

    def __init__(self, *, model: TrainedModel, lexicon: Lexicon, encoder: Encoder, taxonomy: Taxonomy,
                 safety: SafetyData, constants: Constants, training_seconds: float = 0.0) -> None:  # fmt: skip
        self.model = model
        self.lexicon = lexicon
        self.taxonomy = taxonomy
        self.safety = safety
        self.constants = constants
        self.training_seconds = training_seconds
        self._encoder = encoder
        self._hit_columns = model.featurizer.columns
        self.first: FirstKinds | FirstChoice | None = (
            None  # set by learn_first (bot/understanding/training.py)
        )
        self.model_key = ""  # the training cache key (build_understander); keys models fitted on its readings

    def learn_first(self, examples: list[FirstExample]) -> FirstKinds | FirstChoice | None:
        """Train the first-kind model (which safety partner kind first in an acute case) on its examples: the police
        model (FirstKinds, police only) and, with first_choice, the choice among all kinds beside it. Of the writers
        with a `moment` label only those the constants let in train it (first_moment_examples; the `medisch`
        labelled ones: first_medical_examples, at weight first_medical_example_weight); every `medisch` label trains
        the medical head when its P is a feature (first_medical_weight, first_medical_police_weight)."""
        c = self.constants
        use_emergency, use_present = c.first_emergency_gate > 0, c.first_present_gate > 0
        # the heads' labels: every `medisch` label (medical, emergency head); with the present head every `moment`
        labelled = [e for e in examples if e.medical or (use_present and e.moment)]
        examples = [e for e in examples if (not e.moment or (c.first_medical_examples if e.medical
                                                             else c.first_moment_examples))
                    and e.kaart not in c.first_heads_only]  # fmt: skip
        if not examples:
            return None
        weights = np.array([c.first_medical_example_weight if e.medical else 1.0 for e in examples])
        use_medical = c.first_medical_weight > 0 or c.first_medical_police_weight > 0
        kept = set(examples)
        extra = [e for e in labelled if e not in kept] if use_medical or use_emergency or use_present else []
        readings = self.understand_many([e.text for e in [*examples, *extra]])
        vectors = np.vstack([r.vector for r in readings if r.vector is not None])
        texts = [r.expanded for r in readings]
        head, p_medical = None, None
        if use_medical:  # fitted on every labelled example; P on the training rows cross-fitted by writer
            head, p = medical_head(vectors, texts, [*examples, *extra],
                                   {"c": c.medical_c, "vector_weight": c.medical_vector_weight,
                                    "chars": c.medical_chars})  # fmt: skip
            p_medical = p[: len(examples)] if head is not None else None
        # P(a bodily emergency now), P(the danger is happening now): read by order_kinds only (not model features)
        heads = {"c": c.medical_c, "vector_weight": c.medical_vector_weight, "chars": c.medical_chars}
        emergency = emergency_head(vectors, texts, [*examples, *extra], heads) if use_emergency else None
        present = present_head(vectors, texts, [*examples, *extra], {"c": c.moment_c, "vector_weight":
                               c.moment_vector_weight, "chars": c.moment_chars}) if use_present else None  # fmt: skip
        readings, vectors, texts = readings[: len(examples)], vectors[: len(examples)], texts[: len(examples)]
        police = None
        if not c.first_choice or c.first_choice_gate:  # the round-9 police model (alone, or as the gate)
            police = FirstKinds(self.model.dangers, c=c.first_c, danger_weight=c.first_danger_weight,
                                only=c.first_kinds, medical_weight=c.first_medical_police_weight)  # fmt: skip
            police.fit(vectors, with_medical([self._first_inputs(r.danger_probabilities, r.level_probabilities)
                                              for r in readings], p_medical), examples, weights=weights)  # fmt: skip
            self.first = police
        if c.first_choice:
            choice = FirstChoice(self.model.dangers, c=c.first_choice_c, danger_weight=c.first_danger_weight,
                                 words_weight=c.first_choice_words, moment_weight=c.first_moment_weight,
                                 moment=c.first_now_gate > 0,
                                 moment_head={"c": c.moment_c, "vector_weight": c.moment_vector_weight,
                                              "chars": c.moment_chars},
                                 medical_weight=c.first_medical_weight)  # fmt: skip
            inputs = with_medical([self._first_inputs(r.danger_probabilities, r.level_probabilities, True)
                                   for r in readings], p_medical)  # fmt: skip
            self.first = choice.fit(vectors, inputs, examples, police=police, texts=texts, weights=weights,
                                    medical=head)  # fmt: skip
            choice.emergency, choice.present = emergency, present
            choice.now_alarm = now_alarm_shares([*examples, *extra])
        return self.first

    def _first_inputs(
        self, dangers: dict[str, float], levels: dict[str, float], choice: bool = False
    ) -> dict[str, float]:
        c = self.constants
        return danger_inputs(dangers, levels, c.first_choice_level_weight if choice else c.first_level_weight)

    def _first_scores(
        self, vector: np.ndarray, dangers: dict[str, float], levels: dict[str, float], text: str = ""
    ) -> dict[str, float]:
        """The first-kind scores of an acute reading (empty without a trained model); text: as the models read it."""
        if isinstance(self.first, FirstChoice):
            police = self.first.police
            p = self.first.medical_p(vector, text)
            extra = {} if p is None else {MEDICAL_KEY: p}
            urgent = self.first.urgency(vector, text)
            inputs = {**self._first_inputs(dangers, levels), **extra}
            out = {} if police is None else police.scores(vector, inputs)
            return {**out, **self.first.scores(vector, {**self._first_inputs(dangers, levels, True), **extra}, text),
                    **extra, **urgent}  # fmt: skip
        if self.first is not None:
            return self.first.scores(vector, self._first_inputs(dangers, levels))
        return {}

    def expand(self, text: str) -> str:
        """The text as the models see it (see features.read_text)."""
        return read_text(self.lexicon, text, self._hit_columns)[0]

    def understand(self, text: str) -> Understanding:
        expanded, hits = read_text(self.lexicon, text, self._hit_columns)
        vector = np.asarray(self._encoder.encode_query(expanded or "."), dtype=np.float32).reshape(1, -1)
        return self._read([expanded], hits.reshape(1, -1), vector)[0]

    def understand_many(self, texts: list[str]) -> list[Understanding]:
        """Batch version (service texts at import); same results as calling understand() per text."""
        if not texts:
            return []
        read = [read_text(self.lexicon, t, self._hit_columns) for t in texts]
        expanded = [r[0] for r in read]
        vectors = np.asarray(self._encoder.encode([e or "." for e in expanded]), dtype=np.float32)
        return self._read(expanded, np.vstack([r[1] for r in read]), vectors)

    def _read(self, expanded: list[str], hits: np.ndarray, vectors: np.ndarray) -> list[Understanding]:
        features = self.model.featurizer.transform(expanded, vectors, hits)
        domain_p, level_p, danger_p = self.model.probabilities(features, expanded)
        out = []
        for i, text in enumerate(expanded):
            probabilities = dict(zip(self.model.domain_ids, (float(p) for p in domain_p[i]), strict=True))
            levels = dict(zip(self.model.levels, (float(p) for p in level_p[i]), strict=True))
            dangers = dict(zip(self.model.dangers, (float(p) for p in danger_p[i]), strict=True))
            out.append(self._decide(text, probabilities, levels, dangers, vectors[i], hits[i]))
        return out

    def _decide(self, expanded: str, probabilities: dict[str, float], levels: dict[str, float],
                dangers: dict[str, float], vector: np.ndarray, hits: np.ndarray) -> Understanding:  # fmt: skip
        c = self.constants
        ranked = sorted(probabilities, key=lambda d: -probabilities[d])
        chosen: list[str] = []
        if probabilities[ranked[0]] >= c.first_domain_floor:
            chosen = [ranked[0]] + [
                d for d in ranked[1 : c.max_domains] if probabilities[d] >= c.domain_threshold
            ]
        if not expanded:  # nothing left after negation: no domain, unless the forced list spoke
            chosen = []
        safety = judge_safety(expanded, levels, dangers, c, self.safety)
        level, danger, levels, dangers, forced = safety
        first = {}
        if level == "acuut":
            first = self._first_scores(vector, dangers, levels, expanded)
        return Understanding(tuple(chosen), probabilities, level, danger, levels, dangers,
                             forced, vector, hits, expanded, read_ages(expanded), first)  # fmt: skip


def judge_safety(expanded: str, levels: dict[str, float], dangers: dict[str, float], c: Constants,
                 safety: SafetyData) -> tuple[str, str | None, dict[str, float], dict[str, float], str]:  # fmt: skip
    """Level, danger type, the (adjusted) level and danger probabilities, and the forcing phrase ('' if none)."""
    if c.adult_child_mask and dangers.get(CHILD_DANGER) and read_ages(expanded).adult_only:
        levels, dangers = without_child_danger(levels, dangers)
    acute, zorg = levels.get("acuut", 0.0), levels.get("zorg", 0.0)
    level = "acuut" if acute >= c.acute_threshold else "zorg" if acute + zorg >= c.zorg_threshold else "geen"
    danger = max(dangers, key=lambda d: dangers[d]) if level != "geen" and dangers else None
    forced = safety.forced(expanded)
    if forced is None:
        return level, danger, levels, dangers, ""
    # the phrase decides the level; its danger type weighs in next to the model's
    w = c.forced_danger_weight
    dangers = {d: (1 - w) * p + (w if d == forced.danger else 0.0) for d, p in dangers.items()}
    dangers.setdefault(forced.danger, w)
    return "acuut", max(dangers, key=lambda d: dangers[d]), levels, dangers, forced.phrase
