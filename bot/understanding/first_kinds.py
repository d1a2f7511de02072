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
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from scipy.optimize import minimize
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from bot.understanding.moment import MEDICAL, MOMENTS, NOT_MEDICAL, NOW, MomentHead, cross_fitted
from bot.yaml_loader import load_yaml

FILE = "eerste_partner.yaml"
# acute situations of blind writers who named the kinds they would call first with every kind available (round 9)
WRITERS_FILE = "eerste_partner_schrijvers.yaml"
# acute situations of blind writers with the kinds they would call first AND `moment: nu | achteraf` (round 12)
MOMENT_FILE = "eerste_partner_moment.yaml"
# acute situations of blind writers with the kinds they would call first, `moment` AND `medisch: ja | nee` (is there a
# bodily emergency too; round 16, writers eerste_f1 and eerste_f2)
MEDICAL_FILE = "eerste_partner_medisch.yaml"
MEDICAL_KEY = "medisch:ja"  # scores() key and input key: P(a bodily emergency too) of the medical head
# scores() key: P(a bodily emergency happening now: `moment: nu` AND `medisch: ja`) of the emergency head (round 18)
EMERGENCY_KEY = "spoed:nu"
# scores() key: P(the danger is happening now) of the present head (present_head: every `moment` label; round 18)
PRESENT_KEY = "nu:kop"
# scores() key prefix: the share of a danger type's `moment: nu` examples (writers with every kind) whose writer put
# 112 first (now_alarm_shares; round 19): read by kind_order's violence-now rule
NOW_ALARM = "nu112:"
NOW_KEY = "moment:nu"  # scores() key: P(the danger is happening now) of the moment head (bot/understanding/moment.py)
ACUTE = "level:acuut"
RATE = "rate:"  # scores() key prefix: how often a kind fitted first for the likely danger types (not learned per text)
RATE_PRIOR = 0.5
CHOICE = "choice:"  # scores() key prefix: the conditional-logit score of a kind (FirstChoice)
ALARM_KIND = "politie"  # the kind of a row with the national alarm number
# the six safety partner kinds (knowledge/veiligheid.yaml `soorten_partner`): a writer's kaart with every kind
KINDS = frozenset({"politie", "crisisdienst", "huisartsenpost", "lijn_113", "veilig_thuis", "vrouwenopvang"})
MIN_EACH = 2  # a kind needs this many examples where it fits first and where it does not


@dataclass(frozen=True, slots=True)
class FirstExample:
    text: str
    danger: str
    first: frozenset[str]  # kinds whose row the answer key accepts first
    present: frozenset[str]  # the safety partner kinds that kaart had
    kaart: str
    moment: str = ""  # nu | achteraf when the writer labelled it (MOMENT_FILE, MEDICAL_FILE), else ''
    medical: str = ""  # ja | nee when the writer labelled it (MEDICAL_FILE), else ''


def load_examples(path: Path) -> list[FirstExample]:
    """The labelled examples; a missing file means none."""
    if not path.is_file():
        return []
    data = load_yaml(path.read_text(encoding="utf-8")) or {}
    return [
        FirstExample(
            str(i["tekst"]),
            str(i["gevaar"]),
            frozenset(i["eerste"]),
            frozenset(i["op_kaart"]),
            str(i.get("kaart", "")),
            str(i.get("moment", "")),
            str(i.get("medisch", "")),
        )  # fmt: skip
        for i in data.get("situaties") or []
    ]


def load_all(folder: Path) -> list[FirstExample]:
    """The examples of the answer keys (FILE) and of the writers (WRITERS_FILE, MOMENT_FILE, MEDICAL_FILE) in the
    knowledge folder."""
    return [*load_examples(folder / FILE), *load_examples(folder / WRITERS_FILE),
            *load_examples(folder / MOMENT_FILE), *load_examples(folder / MEDICAL_FILE)]  # fmt: skip


def examples_text(folder: Path) -> str:
    """The example files' text (for the model cache key)."""
    return "".join(
        p.read_text(encoding="utf-8")
        for p in (folder / FILE, folder / WRITERS_FILE, folder / MOMENT_FILE, folder / MEDICAL_FILE)
        if p.is_file()
    )


def features(vectors: np.ndarray, dangers: Sequence[dict[str, float]], danger_ids: Sequence[str],
             danger_weight: float, medical_weight: float = 0.0) -> np.ndarray:  # fmt: skip
    """Sentence vector plus the danger-type probabilities (weighted) and P(acuut) of the safety head (key
    ACUTE in the danger dict, as danger_inputs puts it there); with medical_weight > 0 also P(a bodily emergency
    too) of the medical head (key MEDICAL_KEY; 0.5 when missing)."""
    types = np.array([[d.get(t, 0.0) for t in (*danger_ids, ACUTE)] for d in dangers], dtype=np.float32)
    parts = [np.atleast_2d(vectors).astype(np.float32), danger_weight * types]
    if medical_weight > 0:
        medical = np.array([[d.get(MEDICAL_KEY, 0.5)] for d in dangers], dtype=np.float32)
        parts.append(medical_weight * medical)
    return np.hstack(parts)


def medical_head(vectors: np.ndarray, texts: Sequence[str], examples: Sequence[FirstExample],
                 settings: dict[str, float | bool] | None = None) -> tuple[MomentHead | None, np.ndarray]:  # fmt: skip
    """The medical head (bot/understanding/moment.py on the `medisch` labels) fitted on the labelled examples, and
    P(medisch) for every example, cross-fitted by writer for the labelled ones (moment.cross_fitted)."""
    settings = settings or {}
    return cross_fitted(vectors, texts, [e.medical for e in examples], [e.kaart for e in examples],
                        c=float(settings.get("c", 1.0)), vector_weight=float(settings.get("vector_weight", 1.0)),
                        chars=bool(settings.get("chars", False)), labels=(MEDICAL, NOT_MEDICAL),
                        positive=MEDICAL)  # fmt: skip


def emergency_labels(examples: Sequence[FirstExample]) -> list[str]:
    """Per example: MEDICAL when the writer labelled it `moment: nu` and `medisch: ja` (a bodily emergency going on
    now: hurt, limp, pills just taken), NOT_MEDICAL for the other labelled ones, '' without both labels."""
    return [(MEDICAL if e.moment == "nu" and e.medical == MEDICAL else NOT_MEDICAL) if e.moment and e.medical else ""
            for e in examples]  # fmt: skip


def emergency_head(vectors: np.ndarray, texts: Sequence[str], examples: Sequence[FirstExample],
                   settings: dict[str, float | bool] | None = None) -> MomentHead | None:  # fmt: skip
    """The emergency head (bot/understanding/moment.py on emergency_labels) fitted on the labelled examples (None
    with fewer than two classes). Read by order_kinds only, so no cross-fitted P of the training rows is needed."""
    return _labelled_head(
        vectors, texts, emergency_labels(examples), (MEDICAL, NOT_MEDICAL), MEDICAL, settings
    )


def present_head(vectors: np.ndarray, texts: Sequence[str], examples: Sequence[FirstExample],
                 settings: dict[str, float | bool] | None = None) -> MomentHead | None:  # fmt: skip
    """The moment head on EVERY example with a `moment` label (also the writers that do not train the first-kind
    models): P(the danger is happening now), read by order_kinds only."""
    return _labelled_head(vectors, texts, [e.moment for e in examples], MOMENTS, NOW, settings)


def _labelled_head(vectors: np.ndarray, texts: Sequence[str], labels: Sequence[str], known: Sequence[str],
                   positive: str, settings: dict[str, float | bool] | None) -> MomentHead | None:  # fmt: skip
    settings = settings or {}
    rows = [i for i, label in enumerate(labels) if label in known]
    if len({labels[i] for i in rows}) < 2:
        return None
    head = MomentHead(c=float(settings.get("c", 1.0)), vector_weight=float(settings.get("vector_weight", 1.0)),
                      chars=bool(settings.get("chars", False)), positive=positive)  # fmt: skip
    return head.fit(np.atleast_2d(vectors)[rows], [texts[i] for i in rows], [labels[i] for i in rows])


def now_alarm_shares(examples: Sequence[FirstExample], *, minimum: int = 10) -> dict[str, float]:
    """Per danger type: of the examples labelled `moment: nu` whose kaart had a row with 112 (and another kind),
    the share whose writer put 112 first; only types with at least `minimum` such examples. The writers' own answer
    to "when the danger is going on now, is 112 first?" (huiselijk geweld and kindermishandeling about 0.9,
    suicide and psychosis about 0.7 in rounds 12-18)."""
    counts: dict[str, list[int]] = {}
    for e in examples:
        if e.moment == NOW and ALARM_KIND in e.present and len(e.present) > 1 and e.first & e.present:
            n = counts.setdefault(e.danger, [0, 0])
            n[0] += ALARM_KIND in e.first
            n[1] += 1
    return {d: hit / total for d, (hit, total) in counts.items() if total >= minimum}


def with_medical(dangers: Sequence[dict[str, float]], p: np.ndarray | None) -> list[dict[str, float]]:
    """The input dicts with P(medisch) under MEDICAL_KEY (unchanged without p)."""
    if p is None:
        return list(dangers)
    return [{**d, MEDICAL_KEY: float(v)} for d, v in zip(dangers, p, strict=True)]


def danger_inputs(
    dangers: dict[str, float], levels: dict[str, float], level_weight: float
) -> dict[str, float]:
    """The danger-type probabilities with P(acuut) beside them (weighted): how sure the safety head is that the
    danger is there now."""
    return {**dangers, ACUTE: level_weight * levels.get("acuut", 0.0)}


class FirstKinds:
    """Per partner kind: P(its row fits first | situation), for acute situations."""

    def __init__(self, danger_ids: Sequence[str], *, c: float = 1.0, danger_weight: float = 1.0,
                 only: Sequence[str] = (), hits_weight: float = 0.0, vector_weight: float = 1.0,
                 medical_weight: float = 0.0) -> None:  # fmt: skip
        self.danger_ids = list(danger_ids)
        self.medical_weight = medical_weight  # > 0: P(medisch) (MEDICAL_KEY of the inputs) as a feature
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
        x = features(self.vector_weight * vectors, dangers, self.danger_ids, self.danger_weight,
                     getattr(self, "medical_weight", 0.0))  # fmt: skip
        if self.hits_weight > 0 and hits is not None:
            x = np.hstack([x, self.hits_weight * np.atleast_2d(hits).astype(np.float32)])
        return x

    def fit(self, vectors: np.ndarray, dangers: Sequence[dict[str, float]], examples: Sequence[FirstExample],
            hits: np.ndarray | None = None, weights: np.ndarray | None = None) -> FirstKinds:  # fmt: skip
        """weights: one per example (default 1); the RATEs count every example once."""
        x = self._x(vectors, dangers, hits)
        weights = np.ones(len(examples)) if weights is None else np.asarray(weights, dtype=np.float64)
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
                self.models[kind] = model.fit(x[rows], y, sample_weight=weights[rows])
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


class FirstChoice:
    """Which ONE of the kaart's fitting kinds comes first: a conditional logit over the kinds the example's kaart had
    (one linear score per kind on the same features as FirstKinds; softmax over the present kinds; the loss is minus
    the log of the probability mass on the kinds the key accepts first). Unlike one model per kind, the scores of
    the kinds compete, so "Veilig Thuis first" and "the huisartsenpost first" are learned against 112 directly."""

    def __init__(self, danger_ids: Sequence[str], *, c: float = 1.0, danger_weight: float = 1.0,
                 vector_weight: float = 1.0, words_weight: float = 0.0, moment_weight: float = 0.0,
                 moment_head: dict[str, float | bool] | None = None, moment: bool = False,
                 medical_weight: float = 0.0) -> None:  # fmt: skip
        self.danger_ids = list(danger_ids)
        # > 0: P(medisch) of the medical head (MEDICAL_KEY of the inputs) as a feature, each kind its own weight
        self.medical_weight = medical_weight
        # the medical head (kept here; the caller adds its P to the inputs)
        self.medical: MomentHead | None = None
        # the emergency head (emergency_head; set by Understander.learn_first), read by order_kinds' emergency rule
        self.emergency: MomentHead | None = None
        # the present head (present_head; set by Understander.learn_first), read by order_kinds' violence-now rule
        self.present: MomentHead | None = None
        # now_alarm_shares of the labelled examples (set by Understander.learn_first): which danger types the
        # violence-now rule serves besides those with the police first in veiligheid.yaml
        self.now_alarm: dict[str, float] = {}
        self.c = c
        self.danger_weight = danger_weight
        self.vector_weight = vector_weight
        self.words_weight = words_weight  # > 0: word 1-2-grams of the text (TF-IDF) as features too
        self.words: TfidfVectorizer | None = None
        # > 0: P(nu) of the moment head as a feature (each kind its own weight); the head is fitted on the examples
        # with a `moment` label when moment_weight > 0 or moment (the gate in order_kinds reads it)
        self.moment_weight = moment_weight
        self.moment_settings = dict(moment_head or {})
        self.use_moment = moment or moment_weight > 0
        self.moment: MomentHead | None = None
        self.kinds: list[str] = []
        self.weights = np.zeros((0, 0), dtype=np.float64)
        self.bias = np.zeros(0, dtype=np.float64)
        self.police: FirstKinds | None = None

    def _x(self, vectors: np.ndarray, dangers: Sequence[dict[str, float]],
           texts: Sequence[str] | None = None, now: np.ndarray | None = None) -> np.ndarray:  # fmt: skip
        x = features(self.vector_weight * vectors, dangers, self.danger_ids, self.danger_weight,
                     getattr(self, "medical_weight", 0.0))  # fmt: skip
        if self.words is not None:
            words = self.words.transform(list(texts or [""] * len(x))).toarray()
            x = np.hstack([x, self.words_weight * words])
        if self.moment is not None and self.moment_weight > 0:
            now = np.full(len(x), 0.5) if now is None else now
            x = np.hstack([x, self.moment_weight * np.asarray(now).reshape(-1, 1)])
        return x.astype(np.float64)

    def fit(self, vectors: np.ndarray, dangers: Sequence[dict[str, float]],
            examples: Sequence[FirstExample], police: FirstKinds | None = None,
            texts: Sequence[str] | None = None, weights: np.ndarray | None = None,
            medical: MomentHead | None = None) -> FirstChoice:  # fmt: skip
        """police: a police-only FirstKinds fitted beside it, kept here (order_kinds asks it before 112 first).
        texts: the examples' texts as the models read them (Understanding.expanded; default the raw texts), for the
        word features. weights: one per example (default 1). medical: the medical head whose (cross-fitted) P the
        inputs carry under MEDICAL_KEY, kept here for scoring (medical_p)."""
        self.police = police
        self.medical = medical
        self.kinds = sorted({k for e in examples for k in e.present})
        place = {k: i for i, k in enumerate(self.kinds)}
        keep = [i for i, e in enumerate(examples) if e.first & e.present and len(e.present) > 1]
        texts = list(texts) if texts is not None else [e.text for e in examples]
        if self.words_weight > 0:
            self.words = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True, dtype=np.float32)
            self.words.fit([texts[i] for i in keep])
        now = None
        # P(nu) of a labelled row from a head fitted without its writer (moment.cross_fitted)
        if self.use_moment:
            self.moment, now = cross_fitted(vectors, texts, [e.moment for e in examples],
                                            [e.kaart for e in examples], c=float(self.moment_settings.get("c", 1.0)),
                                            vector_weight=float(self.moment_settings.get("vector_weight", 1.0)),
                                            chars=bool(self.moment_settings.get("chars", False)))  # fmt: skip
        x = self._x(vectors, dangers, texts, now)[keep]
        w = (np.ones(len(examples)) if weights is None else np.asarray(weights, dtype=np.float64))[keep]
        present = np.zeros((len(keep), len(self.kinds)), dtype=bool)
        first = np.zeros_like(present)
        for row, i in enumerate(keep):
            present[row, [place[k] for k in examples[i].present]] = True
            first[row, [place[k] for k in examples[i].first & examples[i].present]] = True
        n_kinds, n_features = len(self.kinds), x.shape[1]

        def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
            weights = theta[: n_kinds * n_features].reshape(n_kinds, n_features)
            s = x @ weights.T + theta[n_kinds * n_features :]
            s = np.where(present, s, -np.inf)
            top = s.max(axis=1, keepdims=True)
            p = np.exp(s - top)
            p /= p.sum(axis=1, keepdims=True)
            q = np.where(first, p, 0.0)
            mass = q.sum(axis=1, keepdims=True)
            q /= mass
            value = -(w * np.log(mass[:, 0])).sum() + 0.5 / self.c * float((weights**2).sum())
            g = w[:, None] * (p - q)  # d loss / d score
            grad_w = g.T @ x + weights / self.c
            return value, np.concatenate([grad_w.ravel(), g.sum(axis=0)])

        theta = np.zeros(n_kinds * n_features + n_kinds)
        result = minimize(loss, theta, jac=True, method="L-BFGS-B", options={"maxiter": 500})
        self.weights = result.x[: n_kinds * n_features].reshape(n_kinds, n_features)
        self.bias = result.x[n_kinds * n_features :]
        return self

    def medical_p(self, vector: np.ndarray, text: str) -> float | None:
        """P(a bodily emergency too) of the kept medical head (None without one)."""
        head = getattr(self, "medical", None)
        if head is None:
            return None
        return float(head.p_now(vector.reshape(1, -1), [text])[0])

    def urgency(self, vector: np.ndarray, text: str) -> dict[str, float]:
        """P(a bodily emergency happening now) of the kept emergency head (EMERGENCY_KEY) and P(the danger is
        happening now) of the kept present head (PRESENT_KEY), for the heads there are."""
        heads = {EMERGENCY_KEY: getattr(self, "emergency", None), PRESENT_KEY: getattr(self, "present", None)}
        out = {key: float(head.p_now(vector.reshape(1, -1), [text])[0])
               for key, head in heads.items() if head is not None}  # fmt: skip
        out.update({NOW_ALARM + d: share for d, share in getattr(self, "now_alarm", {}).items()})
        return out

    def scores(self, vector: np.ndarray, dangers: dict[str, float], text: str = "") -> dict[str, float]:
        """A score per kind (higher: likelier first; compare only among the kinds a kaart has). text: as read by
        the models (Understanding.expanded), for the word features."""
        if not self.kinds:
            return {}
        vectors = vector.reshape(1, -1)
        now = self.moment.p_now(vectors, [text]) if self.moment is not None else None
        s = self._x(vectors, [dangers], [text], now)[0] @ self.weights.T + self.bias
        out = {CHOICE + kind: float(v) for kind, v in zip(self.kinds, s, strict=True)}
        if now is not None:
            out[NOW_KEY] = float(now[0])
        return out


def order_kinds(fit: dict[str, float], first: dict[str, float], preferred: Sequence[str], *,
                alarm: bool = True, threshold: float = 0.5, compete: bool = False,
                margin: float = 0.0, now_gate: float = 0.0,
                eligible: Collection[str] | None = None, fallback_only: bool = False,
                emergency: float = 0.0, present: float = 0.0, now_alarm: bool = False) -> list[str]:  # fmt: skip
    """The fitting kinds (fit: expected fit over the danger types): first those the learned model says fit first
    (P >= threshold, most likely first), then the rest by how often they fitted first for the likely danger types (RATE),
    then by fit and the order of veiligheid.yaml. The police kind is learned as "112 first" (the police rows of the
    answer keys are the alarm number): without a row with 112 (alarm False) nothing learned counts, the order is
    the fixed one of veiligheid.yaml (round 8: the learned order without 112 put a shelter or a local police row
    first). eligible (first_eligible; None: every kind): only these kinds may come before the others, whatever
    was learned (round 17: a kind that fits only a minor danger type never goes first); with fallback_only (and
    the learned choice) only the kind that comes first when 112 does not is held to it. emergency > 0: when the
    emergency head (first[EMERGENCY_KEY]) reads a bodily emergency going on now with at least this probability and
    the kaart has a row with 112, 112 comes first whatever else was learned (round 18). present > 0: the same when
    the likeliest danger type puts the police first in veiligheid.yaml (preferred: violence) and the present head
    (first[PRESENT_KEY]) reads it as happening now with at least this probability (round 18); now_alarm: also for a
    likeliest type whose writers put 112 first in most of their 'nu' cases (kind_order; round 19: partner violence
    with small children there, read as child abuse)."""
    order = _order_kinds(fit, first, preferred, alarm=alarm, threshold=threshold, compete=compete, margin=margin,
                         now_gate=now_gate, eligible=eligible, fallback_only=fallback_only)  # fmt: skip
    urgent = emergency > 0 and first.get(EMERGENCY_KEY, 0.0) >= emergency
    violent_now = (present > 0 and bool(preferred) and (preferred[0] == ALARM_KIND or now_alarm)
                   and first.get(PRESENT_KEY, 0.0) >= present)  # fmt: skip
    if alarm and ALARM_KIND in order and (urgent or violent_now):
        order = [ALARM_KIND, *(k for k in order if k != ALARM_KIND)]
    return order


def _order_kinds(fit: dict[str, float], first: dict[str, float], preferred: Sequence[str], *, alarm: bool,
                 threshold: float, compete: bool, margin: float, now_gate: float,
                 eligible: Collection[str] | None, fallback_only: bool) -> list[str]:  # fmt: skip
    place = {k: i for i, k in enumerate(preferred)}
    if (
        not alarm
    ):  # no row with 112: the fixed order (the safety banner already says 112; never a local police
        first = {}  # row first for suicide, never a shelter before the police for violence now)

    if any(k.startswith(CHOICE) for k in first):  # the learned choice among the kaart's kinds (FirstChoice)
        order = sorted(
            fit, key=lambda k: (-first.get(CHOICE + k, -np.inf), -fit[k], place.get(k, len(place)))
        )
        if not fallback_only:
            order = _eligible_first(order, eligible)
        if (
            order[0] == ALARM_KIND
            and len(order) > 1
            and (
                not _police_first(fit, first, threshold, margin, compete)
                or first.get(NOW_KEY, 1.0) < now_gate
            )
        ):
            # the police model (FirstKinds) does not back 112 first, or the moment head does not read the danger
            # as happening now (P(nu) under now_gate): 112 second, after the next eligible kind (none: 112 stays)
            after = [k for k in order[1:] if eligible is None or k in eligible]
            if after:
                order = [after[0], ALARM_KIND, *(k for k in order[1:] if k != after[0])]
        return order

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

    return _eligible_first(sorted(fit, key=key), eligible)


def _eligible_first(order: list[str], eligible: Collection[str] | None) -> list[str]:
    """The order with the eligible kinds first (each part in its own order); unchanged if none or all are."""
    if eligible is None or not any(k in eligible for k in order):
        return order
    return [k for k in order if k in eligible] + [k for k in order if k not in eligible]


def first_eligible(safety: Any, level: str, dangers: dict[str, float], present: Collection[str],
                   share: float) -> set[str] | None:  # fmt: skip
    """The kinds that may come first: those that fit (veiligheid.yaml `partners`, on the kaart: present) a danger
    type whose probability is at least `share` times that of the likeliest type. share <= 0: None (every kind).
    The expected fit of kind_order weighs kinds of EVERY danger type, so a learned score could put Veilig Thuis
    first for a suicide case with a little child-danger probability; the issue asks for the kind that fits the
    danger type."""
    if share <= 0 or not dangers:
        return None
    top = max(dangers.values())
    return {k for name, p in dangers.items() if p >= share * top
            for k in safety.partner_kinds(level, name) if k in present}  # fmt: skip


def kind_order(safety: Any, c: Any, level: str, danger: str | None, dangers: dict[str, float],
               first: dict[str, float], present: Collection[str], alarm: bool) -> list[str]:  # fmt: skip
    """The partner kinds of a kaart (present: the kinds it has rows of; alarm: it has a row with 112) in the order
    the ranking shows them: by expected fit over the danger types (their probabilities; each kind counts by its
    place among the kinds of that danger the kaart has: a case that is psychosis or child danger gets the police,
    who fit both, before either specialist), then order_kinds with the learned first-kind scores (first) and the
    settings of the constants c. safety: SafetyData."""
    if not dangers:
        dangers = {danger: 1.0} if danger else {}
    fit: dict[str, float] = {}
    for name, probability in dangers.items():
        kinds = [k for k in safety.partner_kinds(level, name) if k in present]
        for place, kind in enumerate(kinds):
            fit[kind] = fit.get(kind, 0.0) + probability * c.kind_place_decay**place
    if not fit:
        return []
    first = first if c.first_kind_order else {}
    eligible = first_eligible(safety, level, dangers, present, c.first_danger_share)
    share = c.first_present_share
    now_alarm = share > 0 and first.get(NOW_ALARM + (danger or ""), 0.0) >= share
    return order_kinds(fit, first, safety.partner_kinds(level, danger), alarm=alarm, threshold=c.first_threshold,
                       compete=True, margin=c.first_choice_margin if c.first_choice else c.first_margin,
                       now_gate=c.first_now_gate, eligible=eligible,
                       fallback_only=c.first_share_fallback_only, emergency=c.first_emergency_gate,
                       present=c.first_present_gate, now_alarm=now_alarm)  # fmt: skip


def _police_first(fit: dict[str, float], first: dict[str, float], threshold: float, margin: float,
                  compete: bool) -> bool:  # fmt: skip
    """With a police-only FirstKinds beside the choice (its P under ALARM_KIND): 112 first only if that P reaches
    the threshold and, with compete, beats the best other fitting kind's RATE by the margin. Without it: yes."""
    if ALARM_KIND not in first:
        return True
    learned = first[ALARM_KIND]
    others = max((first.get(RATE + k, 0.0) for k in fit if k != ALARM_KIND), default=0.0)
    return learned >= threshold and (not compete or learned >= margin + others)
