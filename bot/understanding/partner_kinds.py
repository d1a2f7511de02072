"""Which safety partner kind a kaart row is (politie, veilig_thuis, lijn_113, ...): a classifier learned from the
labelled kaart rows in knowledge/diensten/. The word lists of veiligheid.yaml and a national number in the phone
field are features here, not rules (the national number is also a hard rule, in SafetyData.kinds_of_service)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from bot.kaart.model import Service
from bot.understanding.normalize import fold
from bot.understanding.service_rows import NO_KIND

Patterns = dict[str, tuple[re.Pattern[str], ...]]


@dataclass(frozen=True, slots=True)
class KindSettings:
    """Chosen by leave-one-writer-out CV over knowledge/diensten/train_*.yaml (bench/partner_kinds.py --cv);
    the held-out file was never used to choose a value."""

    c: float = 10.0  # inverse regularisation (CV over 1, 3, 10, 30)
    title_weight: float = 1.0  # char n-grams of name, organisation and themes
    description_weight: float = 0.6  # word n-grams of the description
    words_weight: float = 1.0  # word-list hits, national number, crisis flag
    description_chars: float = 1.0  # char n-grams of the description (compounds: vluchthuis, gewelddadige)
    phone_free_copies: bool = True  # also learn each safety row without its phone field, so the text counts
    # too (CV with blanked phones in the test fold: safety recall 0.90 vs 0.78; with phones: equal)
    threshold: float = (
        0.5  # P(kind) from this on: the row is that kind (CV: 0.3 adds false kinds, 0.6 no gain)
    )
    tol: float = 1e-3  # lbfgs stopping tolerance: 4x faster than 1e-4, same CV figures
    seed: int = 0


@dataclass(frozen=True, slots=True)
class KindWords:
    """The hand-written knowledge used as features: kind words in names, in descriptions, national numbers."""

    names: Patterns
    described: Patterns
    phone_kind: Callable[[str], str | None]


def title_text(service: Service) -> str:
    return fold(" ; ".join([service.name, service.organization, *service.themes]))


def description_text(service: Service) -> str:
    return fold(" ; ".join([service.description, *service.audiences]))


class KindFeaturizer:
    """Char n-grams of the title, word n-grams of the description, and one block of word-list numbers."""

    def __init__(self, words: KindWords, kinds: Sequence[str], settings: KindSettings) -> None:
        self.words = words
        self.kinds = list(kinds)
        self.s = settings
        self.title = TfidfVectorizer(
            analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, dtype=np.float32
        )
        self.description = TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True, min_df=1,
                                           token_pattern=r"(?u)\b\w\w+\b", dtype=np.float32)  # fmt: skip
        self.description_chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True,
                                                 min_df=2, dtype=np.float32)  # fmt: skip

    def fit(self, services: Sequence[Service]) -> KindFeaturizer:
        self.title.fit([title_text(s) for s in services])
        self.description.fit([description_text(s) for s in services])
        self.description_chars.fit([description_text(s) for s in services])
        return self

    def transform(self, services: Sequence[Service]) -> sparse.csr_matrix:
        return sparse.hstack([
            self.title.transform([title_text(s) for s in services]) * self.s.title_weight,
            self.description.transform([description_text(s) for s in services]) * self.s.description_weight,
            self.description_chars.transform([description_text(s) for s in services]) * self.s.description_chars,
            sparse.csr_matrix(np.vstack([self.numbers(s) for s in services]) * self.s.words_weight),
        ], format="csr")  # fmt: skip

    def numbers(self, service: Service) -> np.ndarray:
        """Per kind: its name words in the title, its words in the description (alone and on a crisis row),
        its national number in the phone field; then the crisis flag."""
        title, described = title_text(service), description_text(service)
        phone = self.words.phone_kind(service.phone) if service.phone else None
        row: list[float] = []
        for kind in self.kinds:
            in_title = any(p.search(title) for p in self.words.names.get(kind, ()))
            count = min(3, sum(1 for p in self.words.described.get(kind, ()) if p.search(described))) / 3
            row += [float(in_title), count, count * service.crisis, float(phone == kind)]
        row.append(float(service.crisis))
        return np.asarray(row, dtype=np.float32)


class KindModel:
    """Fitted classifier: probabilities per kind (and 'geen') for kaart rows."""

    def __init__(self, featurizer: KindFeaturizer, model: LogisticRegression, settings: KindSettings) -> None:
        self.featurizer = featurizer
        self.model = model
        self.settings = settings
        self.classes = [str(c) for c in model.classes_]

    def probabilities(self, services: Sequence[Service]) -> list[dict[str, float]]:
        if not services:
            return []
        p = self.model.predict_proba(self.featurizer.transform(services))
        return [dict(zip(self.classes, (float(x) for x in row), strict=True)) for row in p]

    def kinds(self, services: Sequence[Service], *, threshold: float | None = None) -> list[set[str]]:
        return self.kinds_from(self.probabilities(services), threshold=threshold)

    def kinds_from(
        self, probabilities: list[dict[str, float]], *, threshold: float | None = None
    ) -> list[set[str]]:
        """The kinds at the threshold, from probabilities already computed."""
        limit = self.settings.threshold if threshold is None else threshold
        return [{k for k, p in probs.items() if k != NO_KIND and p >= limit} for probs in probabilities]


def train_kinds(services: Sequence[Service], labels: Sequence[str], *, words: KindWords, kinds: Sequence[str],
                settings: KindSettings | None = None) -> KindModel:  # fmt: skip
    """Pure and deterministic: the same rows give the same model."""
    settings = settings or KindSettings()
    services, labels = list(services), list(labels)
    if settings.phone_free_copies:
        copies = [
            (replace(s, phone=""), k)
            for s, k in zip(services, labels, strict=True)
            if k != NO_KIND and s.phone
        ]
        services += [s for s, _ in copies]
        labels += [k for _, k in copies]
    featurizer = KindFeaturizer(words, kinds, settings).fit(services)
    model = LogisticRegression(
        C=settings.c, max_iter=3000, class_weight="balanced", random_state=settings.seed
    )
    model.fit(featurizer.transform(services), np.asarray(labels))
    return KindModel(featurizer, model, settings)
