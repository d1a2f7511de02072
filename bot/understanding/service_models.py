"""The classifiers learned from labelled kaart rows (knowledge/diensten/train_*.yaml): partner kind, and
service -> levensgebieden. Trained once, on first use (under a second), deterministic."""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from bot.kaart.model import Service
from bot.understanding.service_rows import NO_KIND, LabelledService

if TYPE_CHECKING:
    from bot.understanding.partner_kinds import KindModel, KindSettings, KindWords


@dataclass(frozen=True, slots=True)
class DomainSettings:
    """Chosen by leave-one-writer-out CV over knowledge/diensten/train_*.yaml (bench/partner_kinds.py --cv)."""

    c: float = 10.0  # inverse regularisation of the one-vs-rest logistic regressions (CV over 3, 10, 30)
    word_weight: float = 0.7
    # Weight of this model against the situation model read on the service text. CV on labelled rows alone favours
    # 0.7-0.85 (F1 0.838 vs 0.805 for this model alone and 0.73 for the situation model alone). Round 5: chosen
    # for RANKING by bench/rank_cv.py (leave-one-writer-out readings of the 8 training writers on the example
    # kaart, plus the dev kaart sets of tests/kaart and the Lindenwaard dev kaart): blend 0.5, threshold 0.45 and
    # the blend also as soft membership: top-3 out of fold 0.907 -> 0.935 (every writer better), top-1
    # 0.719 -> 0.731, dev sets 0.807 -> 0.806, Lindenwaard 12 -> 13 of 13 (blend 0.7 / threshold 0.3: 0.918 /
    # 0.806). The ranker's weights were re-checked on the learned domains and stay (similarity, words, profile,
    # primary, audience, general and fill grids all flat or worse).
    blend: float = 0.5
    # a levensgebied is stored from this blended probability (rank CV top-3: 0.3 0.914, 0.4 0.927, 0.45 0.935,
    # 0.5 0.935, 0.6 0.936 with dev sets 0.804): few services get a second levensgebied
    threshold: float = 0.45
    rank_with_blend: bool = True  # soft membership of the other levensgebieden in ranking from the blend
    seed: int = 0


def domain_text(service: Service) -> str:
    from bot.understanding.normalize import fold

    return fold(". ".join(p for p in (service.name, service.organization, ", ".join(service.themes),
                                      ", ".join(service.audiences), service.description) if p))  # fmt: skip


class DomainModel:
    """Service text -> probability per levensgebied (multi-label, one-vs-rest logistic regression)."""

    def __init__(self, rows: Sequence[LabelledService], domain_ids: Sequence[str],
                 settings: DomainSettings | None = None) -> None:  # fmt: skip
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.multiclass import OneVsRestClassifier

        self.settings = settings or DomainSettings()
        self.domain_ids = list(domain_ids)
        self.char = TfidfVectorizer(
            analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, dtype=np.float32
        )
        self.word = TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True,
                                    token_pattern=r"(?u)\b\w\w+\b", dtype=np.float32)  # fmt: skip
        texts = [domain_text(r.service) for r in rows]
        self.char.fit(texts)
        self.word.fit(texts)
        y = np.zeros((len(rows), len(self.domain_ids)), dtype=np.int8)
        for i, row in enumerate(rows):
            for d in row.domains:
                y[i, self.domain_ids.index(d)] = 1
        keep = y.sum(axis=0) > 0  # a levensgebied without any labelled row stays at probability 0
        self._columns = [j for j in range(len(self.domain_ids)) if keep[j]]
        lr = LogisticRegression(C=self.settings.c, solver="liblinear", random_state=self.settings.seed)
        self.model = OneVsRestClassifier(lr).fit(self._features(texts), y[:, keep])

    def _features(self, texts: list[str]) -> Any:
        from scipy import sparse

        word = self.word.transform(texts) * self.settings.word_weight
        return sparse.hstack([self.char.transform(texts), word], format="csr")

    def probabilities(self, services: Sequence[Service]) -> np.ndarray:
        """services x levensgebieden (in domain_ids order)."""
        out = np.zeros((len(services), len(self.domain_ids)), dtype=np.float64)
        if services:
            p = self.model.predict_proba(self._features([domain_text(s) for s in services]))
            out[:, self._columns] = p
        return out


class ServiceModels:
    """Lazily trained, thread-safe holder of the two service classifiers (None when there are no rows)."""

    def __init__(self, rows: Sequence[LabelledService], words: Callable[[], KindWords], *, kinds: list[str],
                 domain_ids: list[str], kind_settings: KindSettings | None = None,
                 domain_settings: DomainSettings | None = None) -> None:  # fmt: skip
        self.rows = list(rows)
        self.kind_settings = kind_settings
        self.domain_settings = domain_settings
        self._words = words
        self._kind_ids = kinds
        self._domain_ids = domain_ids
        self._lock = threading.Lock()
        self._kinds: KindModel | None = None
        self._domains: DomainModel | None = None
        self.cache_dir: Path | None = None  # where the trained models are kept between starts (issue #12)
        self.progress: Callable[[str], None] | None = None  # told when a kept model is missing or stale

    @property
    def kinds(self) -> KindModel | None:
        if not any(r.kind != NO_KIND for r in self.rows):
            return None
        with self._lock:
            if self._kinds is None:
                self._kinds = self._trained_kinds()
            return self._kinds

    def _trained_kinds(self) -> KindModel:
        """Trained, or read from cache_dir when trained before on the same rows, words and code (issue #12)."""
        from bot.trained_cache import load_or_train
        from bot.understanding.partner_kinds import KindModel, train_kinds

        words = self._words()

        def fit() -> KindModel:
            return _without_words(train_kinds([r.service for r in self.rows], [r.kind for r in self.rows],
                                              words=words, kinds=self._kind_ids, settings=self.kind_settings))  # fmt: skip

        phones = [words.phone_kind(r.service.phone) for r in self.rows if r.service.phone]
        inputs = (repr(self.rows), repr(self.kind_settings), repr(self._kind_ids), repr(words.names),
                  repr(words.described), repr(phones))  # fmt: skip
        model = load_or_train(self.cache_dir, "kinds", inputs, fit, kind=KindModel,
                              modules=("bot.understanding.partner_kinds",))  # fmt: skip
        return _with_words(model, words)

    @property
    def domains(self) -> DomainModel | None:
        labelled = [r for r in self.rows if r.domains]
        if not labelled:
            return None
        with self._lock:
            if self._domains is None:
                self._domains = self._trained_domains(labelled)
            return self._domains

    def _trained_domains(self, labelled: list[LabelledService]) -> DomainModel:
        """Fitted, or read from cache_dir when fitted before on the same rows, settings and code: `wijkbot index`
        fits it, a start of the engine worker reads it (issue #12)."""
        from bot.trained_cache import load_or_train

        inputs = (repr(labelled), repr(self.domain_settings), repr(self._domain_ids))
        return load_or_train(self.cache_dir, "domeinen", inputs,
                             lambda: DomainModel(labelled, self._domain_ids, self.domain_settings),
                             kind=DomainModel, modules=("bot.understanding.service_models", "bot.understanding.normalize"),
                             progress=self.progress,
                             announce="Model voor levensgebieden van diensten wordt opnieuw gemaakt (eenmalig).")  # fmt: skip


def _without_words(model: KindModel) -> KindModel:
    """A copy without the word lists (they hold a method of the safety data): cached like that, and given the
    current ones after reading (they are part of the cache key)."""
    featurizer = copy.copy(model.featurizer)
    featurizer.words = None  # type: ignore[assignment]
    out = copy.copy(model)
    out.featurizer = featurizer
    return out


def _with_words(model: KindModel, words: KindWords) -> KindModel:
    featurizer = copy.copy(model.featurizer)
    featurizer.words = words
    out = copy.copy(model)
    out.featurizer = featurizer
    return out
