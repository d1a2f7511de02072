"""A learned order of the candidate partners within one levensgebied (replaces the hand-set score sum).

Per candidate row (a service with membership >= min_membership in a shown levensgebied) a feature row: domain
membership, P(levensgebied | situation) x membership, primary levensgebied, USE and character n-gram similarity (and
their gap to the best candidate), idf-weighted word overlap with the name and with the whole service text, wijk,
age-group match / mismatch, general entry point, crisis line on an everyday case, signal-profile cosine, how many
levensgebieden the service serves, and `recall`: how much the row resembles the rows professionals accepted for
the nearest situations of the keyed kaarten (bot/suggestion/rank_memory.py). A pairwise logistic regression over
these rows, fitted on the keyed dev kaarten (knowledge/rangschikking/, see bot/suggestion/rank_training.py), scores
the candidates; a second one orders the places over levensgebieden; the safety picks stay as they are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import numpy as np

from bot.understanding.normalize import fold

FEATURES = ("membership", "p_member", "primary", "dense", "words", "dense_gap", "words_gap", "name_overlap",
            "text_overlap", "in_wijk", "audience_match", "audience_mismatch", "general", "crisis_everyday",
            "profile", "breadth", "recall", "hub")  # fmt: skip
GROUP_ORDER = ("baby", "kind", "jongere", "volwassene", "oudere")
_TOKEN = re.compile(r"[a-z][a-z]{3,}")
STEM = 5  # a word counts by its first STEM letters (schulden / schuldhulp, opvoeden / opvoeding)


_STOP_WORDS = (
    "voor door naar over maar niet zijn haar hebben heeft wordt worden deze onze jouw mijn hulp bij alle ook "
    "kunnen kan waar wanneer omdat zich zelf veel meer andere graag heel gaat gaan komt komen wil willen moet "
    "weer toch iets niets zoals tijdens nadat sinds want omdat"
)
_STOP = frozenset(_STOP_WORDS.split())


def stems(text: str) -> list[str]:
    """The analyzer of the word-overlap features: folded words of 4+ letters (no function words), cut to their
    first STEM letters."""
    return [w[:STEM] for w in _TOKEN.findall(fold(text)) if w not in _STOP]


@dataclass(frozen=True, slots=True)
class WordIndex:
    """Per kaart: services x stems, binary x idf, L2-normalised, for the name and for the whole text."""

    vocabulary: dict[str, int]
    idf: np.ndarray
    names: Any  # csr services x vocabulary
    texts: Any

    @classmethod
    def build(cls, names: list[str], texts: list[str]) -> WordIndex:
        from scipy import sparse

        docs = [set(stems(t)) | set(stems(n)) for n, t in zip(names, texts, strict=True)]
        vocabulary = {w: i for i, w in enumerate(sorted(set().union(*docs)))} if docs else {}
        df = np.zeros(len(vocabulary), dtype=np.float32)
        for doc in docs:
            df[[vocabulary[w] for w in doc]] += 1
        idf = np.log((1 + len(docs)) / (1 + df)).astype(np.float32) + 1.0

        def matrix(rows: list[set[str]]) -> Any:
            data, ind, ptr = [], [], [0]
            for row in rows:
                cols = sorted(vocabulary[w] for w in row if w in vocabulary)
                vals = idf[cols]
                norm = float(np.linalg.norm(vals)) or 1.0
                ind += cols
                data += (vals / norm).tolist()
                ptr.append(len(ind))
            shape = (len(rows), len(vocabulary))
            return sparse.csr_matrix((np.array(data, dtype=np.float32), ind, ptr), shape=shape)

        return cls(vocabulary, idf, matrix([set(stems(n)) for n in names]), matrix(docs))

    def overlap(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """(name overlap, text overlap) per service: idf-weighted share of the service's stems in `text`."""
        cols = sorted({self.vocabulary[w] for w in stems(text) if w in self.vocabulary})
        query = np.zeros(len(self.vocabulary), dtype=np.float32)
        query[cols] = self.idf[cols]
        query /= float(np.linalg.norm(query)) or 1.0
        return np.asarray(self.names @ query).ravel(), np.asarray(self.texts @ query).ravel()


@dataclass(frozen=True, slots=True)
class RankContext:
    """What one situation brings to the ranking, per service (computed once per suggestion)."""

    allowed: np.ndarray
    in_wijk: np.ndarray
    dense: np.ndarray
    words: np.ndarray
    similarity: np.ndarray  # dense + words_weight x words (the hand-set score and the safety picks)
    profile: np.ndarray
    name_overlap: np.ndarray
    text_overlap: np.ndarray
    groups: frozenset[str]
    everyday: bool
    recall: Any = None  # rank_memory.Recall: the rows accepted for the nearest keyed situations


def group_matrix(audiences: list[frozenset[str]]) -> np.ndarray:
    """services x age groups, 1.0 where a service explicitly serves the group."""
    out = np.zeros((len(audiences), len(GROUP_ORDER)), dtype=np.float32)
    for i, served in enumerate(audiences):
        for g in served:
            if g in GROUP_ORDER:
                out[i, GROUP_ORDER.index(g)] = 1.0
    return out


def feature_rows(candidates: np.ndarray, column: int, p_domain: float, ctx: RankContext, *, membership: np.ndarray,
                 primary: np.ndarray | None, general: np.ndarray, with_kind: np.ndarray, groups: np.ndarray,
                 breadth: np.ndarray, vectors: np.ndarray | None = None,
                 hub: np.ndarray | None = None) -> np.ndarray:  # fmt: skip
    """candidates x FEATURES for one levensgebied (column)."""
    c = candidates
    member = membership[c, column]
    dense, words = ctx.dense[c], ctx.words[c]
    wanted = np.zeros(len(GROUP_ORDER), dtype=np.float32)
    for g in ctx.groups:
        if g in GROUP_ORDER:
            wanted[GROUP_ORDER.index(g)] = 1.0
    served = groups[c]
    match = (served @ wanted > 0).astype(np.float32) if ctx.groups else np.zeros(len(c), dtype=np.float32)
    mismatch = ((served.sum(axis=1) > 0) & (match == 0)).astype(np.float32) if ctx.groups else match * 0
    columns = [
        member, p_domain * member, primary[c, column] if primary is not None else np.zeros(len(c)),
        dense, words, dense - (dense.max() if len(c) else 0.0), words - (words.max() if len(c) else 0.0),
        ctx.name_overlap[c], ctx.text_overlap[c], ctx.in_wijk[c], match, mismatch,
        general[c].astype(np.float32), (with_kind[c] & ctx.everyday).astype(np.float32), ctx.profile[c], breadth[c],
        ctx.recall.scores(vectors[c]) if ctx.recall is not None and vectors is not None else np.zeros(len(c)),
        hub[c] if hub is not None else np.zeros(len(c)),
    ]  # fmt: skip
    return np.column_stack(columns).astype(np.float32) if len(c) else np.zeros((0, len(FEATURES)), np.float32)


@dataclass(frozen=True, slots=True)
class RankModel:
    """A linear score over standardised FEATURES rows (pointwise logistic regression)."""

    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    features: tuple[str, ...] = FEATURES
    # mode "gbm": gradient-boosted trees on the raw rows (then mean/scale/coef are unused). Round 10, LOKO over the
    # eight keyed dev kaarten with the recall feature: top-3 0.930 vs 0.926 pairwise, top-1 0.736 vs 0.739, but
    # 4-8 ms per scored levensgebied on one thread (warm suggest p95 budget 50 ms) and ~1 s more fit: not used.
    trees: Any = None

    def score(self, rows: np.ndarray) -> np.ndarray:
        if self.trees is not None:
            if not len(rows):
                return np.zeros(0)
            return np.asarray(self.trees.decision_function(rows)).ravel()
        return np.asarray(((rows - self.mean) / self.scale) @ self.coef).ravel()

    @classmethod
    def fit(cls, groups: list[tuple[np.ndarray, np.ndarray]], *, c: float = 1.0, mode: str = "point",
            balanced: bool = False, dropped: tuple[str, ...] = ()) -> RankModel:  # fmt: skip
        """groups: per (situation, levensgebied) the candidates' FEATURES rows and 0/1 labels (accepted by the
        key). point: logistic regression on the rows; pair: on the differences accepted - not accepted within a
        group (no intercept). Deterministic (lbfgs). dropped: FEATURES left out (their weight stays 0)."""
        from sklearn.linear_model import LogisticRegression

        rows = np.vstack([g[0] for g in groups]).astype(np.float64)
        if dropped:
            rows[:, [FEATURES.index(f) for f in dropped]] = 0.0
            groups = [(g[0].astype(np.float64).copy(), g[1]) for g in groups]
            for g in groups:
                g[0][:, [FEATURES.index(f) for f in dropped]] = 0.0
        if mode == "gbm":
            return cls._fit_trees(rows, np.concatenate([g[1] for g in groups]), c)
        mean = rows.mean(axis=0)
        scale = rows.std(axis=0)
        scale[scale < 1e-6] = 1.0
        if mode == "pair":
            diffs = [((p - n) / scale) for r, y in groups for p in r[y == 1] for n in r[y == 0]]
            x = np.array(diffs).reshape(-1, len(mean))
            model = LogisticRegression(C=c, fit_intercept=False, max_iter=2000)
            model.fit(np.vstack([x, -x]), np.r_[np.ones(len(x)), np.zeros(len(x))])
            mean = np.zeros_like(mean)
        else:
            labels = np.concatenate([g[1] for g in groups])
            model = LogisticRegression(C=c, class_weight="balanced" if balanced else None, max_iter=2000)
            model.fit((rows - mean) / scale, labels)
        return cls(mean.astype(np.float32), scale.astype(np.float32), model.coef_[0].astype(np.float32))

    @classmethod
    def _fit_trees(cls, rows: np.ndarray, labels: np.ndarray, c: float) -> RankModel:
        """Pointwise gradient boosting (deterministic: no subsampling, no early stopping); c: learning rate."""
        from sklearn.ensemble import HistGradientBoostingClassifier

        trees = HistGradientBoostingClassifier(learning_rate=c, max_iter=150, max_leaf_nodes=8, min_samples_leaf=40,
                                               l2_regularization=1.0, early_stopping=False, random_state=0)  # fmt: skip
        trees.fit(rows, labels)
        n = rows.shape[1]
        return cls(np.zeros(n, np.float32), np.ones(n, np.float32), np.zeros(n, np.float32), trees=trees)


SLOT_FEATURES = ("score", "score_gap", "round0", "round1", "p_domain", "place0", "place1", "sure")


def slot_rows(ranked: dict[str, list[tuple[int, float]]], domains: tuple[str, ...],
              probabilities: dict[str, float], sure: frozenset[str]) -> tuple[list[tuple[int, str]], np.ndarray]:  # fmt: skip
    """The (round, levensgebied) places of the first three candidates per shown levensgebied and their
    SLOT_FEATURES rows: the candidate's order score and its gap to the best of the whole situation, its round,
    P(levensgebied), the levensgebied's place among the shown ones, and whether the model chose it."""
    slots, rows = [], []
    best = max((r[0][1] for r in ranked.values() if r), default=0.0)
    for place, domain in enumerate(domains):
        for r, (_, s) in enumerate(ranked.get(domain, [])[:3]):
            slots.append((r, domain))
            rows.append([s, s - best, r == 0, r == 1, probabilities.get(domain, 0.0), place == 0, place == 1,
                         domain in sure])  # fmt: skip
    return slots, np.array(rows, dtype=np.float32).reshape(-1, len(SLOT_FEATURES))
