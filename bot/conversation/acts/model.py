"""Train and apply the dialogue-act model: char n-gram TF-IDF + word n-gram TF-IDF, logistic regression.

`train(utterances)` is a pure, deterministic function (fixed seed, sorted input order kept) run at start-up;
no model file is written. A second small model gives the attribute of a partner question and the kind of
small talk or action, trained on the same corpus.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline

from bot.conversation.acts.corpus import Utterance


@dataclass(frozen=True, slots=True)
class ModelConfig:
    """The constants of the model; values are scikit-learn's usual text-classification settings."""

    char_ngrams: tuple[int, int] = (2, 5)  # char_wb n-grams catch typos and short forms ("nr?", "tel")
    word_ngrams: tuple[int, int] = (1, 2)  # word pairs catch "en als", "wat is", "wie is"
    c: float = 10.0  # weak regularisation: the corpus is small and clean
    seed: int = 0


@dataclass(frozen=True, slots=True)
class ActPrediction:
    """The most likely act with its probability, the detail (attribute/soort) and all act probabilities."""

    act: str
    confidence: float
    detail: str
    probabilities: dict[str, float]
    details: dict[str, float]  # 'act:detail' -> probability, for every act that has details

    def detail_of(self, act: str) -> str:
        """The best detail of another act ('partner_vraag' -> 'telefoon'), even when `act` did not win."""
        return _detail_for(act, self.details)


def normalize(text: str) -> str:
    """Lower case, no accents, digits as 0, one space: 'Cliënt 80 jr' -> 'client 00 jr'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(re.sub(r"\d", "0", plain).split())


def _pipeline(config: ModelConfig) -> Pipeline:
    features = FeatureUnion(
        [
            ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=config.char_ngrams, sublinear_tf=True,
                                      min_df=1, preprocessor=normalize)),
            ("words", TfidfVectorizer(analyzer="word", ngram_range=config.word_ngrams, sublinear_tf=True,
                                      token_pattern=r"(?u)\b\w+\b|\?", preprocessor=normalize)),
        ]
    )  # fmt: skip
    classifier = LogisticRegression(C=config.c, max_iter=2000, random_state=config.seed)
    return Pipeline([("features", features), ("classifier", classifier)])


@dataclass(frozen=True, slots=True)
class ActModel:
    """Two fitted pipelines: act, and detail (attribute for partner_vraag, soort for smalltalk/actie)."""

    acts: Pipeline
    details: Pipeline | None
    detail_acts: frozenset[str]

    def predict(self, text: str) -> ActPrediction:
        return self.predict_many([text])[0]

    def predict_many(self, texts: Sequence[str]) -> list[ActPrediction]:
        probabilities = self.acts.predict_proba(list(texts))
        classes = [str(c) for c in self.acts.classes_]
        details = self._details(texts)
        out: list[ActPrediction] = []
        for row, detail_row in zip(probabilities, details, strict=True):
            best = int(np.argmax(row))
            act = classes[best]
            out.append(ActPrediction(act=act, confidence=float(row[best]), detail=_detail_for(act, detail_row),
                                     probabilities={c: float(p) for c, p in zip(classes, row, strict=True)},
                                     details=detail_row))  # fmt: skip
        return out

    def _details(self, texts: Sequence[str]) -> list[dict[str, float]]:
        if self.details is None:
            return [{} for _ in texts]
        classes = [str(c) for c in self.details.classes_]
        return [
            dict(zip(classes, map(float, row), strict=True))
            for row in self.details.predict_proba(list(texts))
        ]


def _detail_for(act: str, probabilities: dict[str, float]) -> str:
    """The best detail of the act's own kind ('partner_vraag:telefoon' -> 'telefoon')."""
    own = {k.split(":", 1)[1]: p for k, p in probabilities.items() if k.startswith(f"{act}:")}
    return max(own, key=lambda k: own[k]) if own else ""


def train(utterances: Sequence[Utterance], config: ModelConfig | None = None) -> ActModel:
    """Fit the act model and the detail model. Deterministic for the same corpus and config."""
    config = config or ModelConfig()
    if len({u.act for u in utterances}) < 2:
        raise ValueError("the dialogue-act corpus needs at least two acts")
    acts = _pipeline(config).fit([u.text for u in utterances], [u.act for u in utterances])
    with_detail = [u for u in utterances if u.detail]
    details = None
    if len({u.detail for u in with_detail}) >= 2:
        details = _pipeline(config).fit(
            [u.text for u in with_detail], [f"{u.act}:{u.detail}" for u in with_detail]
        )
    return ActModel(acts=acts, details=details, detail_acts=frozenset(u.act for u in with_detail))
