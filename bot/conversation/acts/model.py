"""Train and apply the dialogue-act model: char n-gram TF-IDF + word n-gram TF-IDF (+ USE sentence vectors),
a linear SVM with sigmoid-calibrated probabilities for the act, logistic regression for the detail.

`train(utterances)` is a pure, deterministic function (fixed seed, sorted input order kept) run at start-up;
no model file is written. A second small model gives the attribute of a partner question and the kind of
small talk or action, trained on the same corpus. Every setting was chosen by leave-one-writer-out
cross-validation on the training files only (bench/dialogue_acts.py --cv --variants).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, Protocol, TypeAlias

import numpy as np
import scipy.sparse as sp
from scipy.special import expit
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion
from sklearn.svm import LinearSVC
from sklearn.utils.extmath import safe_sparse_dot, softmax

from bot.conversation.acts.corpus import Utterance
from bot.fast_tfidf import tfidf


class SentenceEncoder(Protocol):
    """USEEmbeddings' shape: a batch of texts, or one (cached) query, to normalised vectors."""

    def encode(self, texts: list[str]) -> np.ndarray: ...

    def encode_query(self, text: str) -> np.ndarray: ...


@dataclass(frozen=True, slots=True)
class ModelConfig:
    """The constants of the model. Leave-one-writer-out CV, 5 writers, 2810 messages (round 4): logistic
    regression with USE weight 1 (rounds 2-3) 0.923 accuracy, acuut recall 0.88; the calibrated linear SVM with
    USE weight 0.5 and plain copies 0.936, acuut recall 0.94; with the acuut operating point 0.3: 0.935 and
    acuut recall 0.98 at precision 0.89. USE weight for the SVM: 0 -> 0.908, 0.35 -> 0.933, 0.5 -> 0.933,
    0.75 -> 0.934, 1 -> 0.931, 1.5 -> 0.915 (four writers), 2 -> 0.903 (four writers)."""

    char_ngrams: tuple[int, int] = (2, 5)  # char_wb n-grams catch typos and short forms ("nr?", "tel")
    word_ngrams: tuple[int, int] = (1, 2)  # word pairs catch "en als", "wat is", "wie is"
    classifier: Literal["svm", "logreg"] = (
        "svm"  # the act head; the detail head is always logistic regression
    )
    svm_c: float = 1.0  # CV: 0.5 -> 0.932, 1 -> 0.933, 2 -> 0.936, 3 -> 0.921 (four writers); 1 is the usual
    calibration_folds: int = 3  # sigmoid (Platt) calibration of the SVM scores into probabilities
    c: float = 10.0  # logistic regression, the act head when classifier='logreg'
    detail_c: float = 10.0  # logistic regression, the detail head (as in round 3)
    seed: int = 0
    # Weight of the USE sentence vector next to the n-grams, for the act head and the detail head.
    embedding_weight: float = 0.5
    detail_embedding_weight: float = 1.0  # the detail head as in round 3 (0.99 detail accuracy)
    class_weight: str | None = None  # 'balanced': CV 0.933 against 0.933, so no reweighting
    # Also train on a plain copy of each message (lower case, no punctuation or emoji), the way dictated and
    # hurried messages look: CV 0.933 -> 0.936, acuut recall 0.92 -> 0.94.
    plain_copies: bool = True
    # Operating point: 'acuut' wins when the model gives it at least this much, even when another act is more
    # likely (a missed acute message is worse than a false alarm). CV: argmax 0.941 recall / 0.932 precision,
    # 0.4 -> 0.966 / 0.904, 0.3 -> 0.976 / 0.889, 0.2 -> 0.980 / 0.848. None: plain argmax.
    acute_threshold: float | None = 0.3


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


PLAIN_DROP = re.compile(r"[^\w\s]")  # punctuation and emoji


def plain(text: str) -> str:
    """A message as dictated or typed in a hurry: 'Nummer van VT?? 🙏' -> 'nummer van vt'."""
    return " ".join(PLAIN_DROP.sub(" ", text.casefold()).split())


def _features(config: ModelConfig) -> FeatureUnion:
    return FeatureUnion(
        [
            ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=config.char_ngrams, sublinear_tf=True,
                                      min_df=1, preprocessor=normalize)),
            ("words", TfidfVectorizer(analyzer="word", ngram_range=config.word_ngrams, sublinear_tf=True,
                                      token_pattern=r"(?u)\b\w+\b|\?", preprocessor=normalize)),
        ]
    )  # fmt: skip


def transform(features: FeatureUnion, texts: Sequence[str]) -> sp.csr_matrix:
    """FeatureUnion.transform without its joblib round trip (most of the cost of one message)."""
    return sp.hstack([tfidf(vectorizer, list(texts)) for _, vectorizer in features.transformer_list]).tocsr()


@dataclass(frozen=True, slots=True)
class PlattSVM:
    """A fitted CalibratedClassifierCV(LinearSVC, method='sigmoid') as plain arrays: the same probabilities,
    without scikit-learn's per-call checks (10 ms -> 0.1 ms a message). One row per calibration fold."""

    classes_: np.ndarray
    coef: np.ndarray  # (folds, classes, features)
    intercept: np.ndarray  # (folds, classes)
    a: np.ndarray  # (folds, classes), sigmoid slope per class
    b: np.ndarray  # (folds, classes)

    @classmethod
    def of(cls, fitted: CalibratedClassifierCV) -> PlattSVM:
        parts = fitted.calibrated_classifiers_
        if any(len(p.estimator.classes_) != len(fitted.classes_) for p in parts):
            raise ValueError("every calibration fold needs every act")
        return cls(
            classes_=fitted.classes_,
            coef=np.stack([p.estimator.coef_ for p in parts]),
            intercept=np.stack([p.estimator.intercept_ for p in parts]),
            a=np.array([[c.a_ for c in p.calibrators] for p in parts]),
            b=np.array([[c.b_ for c in p.calibrators] for p in parts]),
        )

    def predict_proba(self, matrix: sp.csr_matrix) -> np.ndarray:
        total = np.zeros((matrix.shape[0], len(self.classes_)))
        for coef, intercept, a, b in zip(self.coef, self.intercept, self.a, self.b, strict=True):
            scores = np.asarray(matrix @ coef.T) + intercept
            proba = expit(-(a * scores + b))
            sums = proba.sum(axis=1, keepdims=True)
            total += np.divide(proba, sums, out=np.full_like(proba, 1 / len(self.classes_)), where=sums != 0)
        return total / len(self.coef)


Classifier: TypeAlias = LogisticRegression | PlattSVM


@dataclass(frozen=True, slots=True)
class _Head:
    """Fitted n-gram features and a classifier over them (plus weighted sentence vectors when given)."""

    features: FeatureUnion
    classifier: Classifier
    weight: float

    def proba(self, texts: Sequence[str], vectors: np.ndarray | None) -> tuple[list[str], np.ndarray]:
        matrix = transform(self.features, texts)
        if vectors is not None and self.weight:
            matrix = sp.hstack([matrix, sp.csr_matrix(self.weight * vectors)]).tocsr()
        return [str(c) for c in self.classifier.classes_], predict_proba(self.classifier, matrix)


def predict_proba(classifier: Classifier, matrix: sp.csr_matrix) -> np.ndarray:
    """classifier.predict_proba(matrix). For a multinomial logistic regression (the detail head) its own arithmetic
    (scores = X @ coef.T + intercept, then softmax) without its input checks, which cost more than the product for
    one message; the same numbers bit for bit (tests/conversation/test_act_model.py). Other classifiers as they are."""
    if (
        isinstance(classifier, LogisticRegression)
        and len(classifier.classes_) > 2
        and classifier.solver != "liblinear"
        and getattr(classifier, "multi_class", "deprecated") in ("auto", "deprecated", "multinomial")
        and sp.issparse(matrix)
        and matrix.shape[1] == classifier.coef_.shape[1]
    ):
        scores = safe_sparse_dot(matrix, classifier.coef_.T, dense_output=True) + classifier.intercept_
        return np.asarray(softmax(scores, copy=False))
    return np.asarray(classifier.predict_proba(matrix))


def _classifier(config: ModelConfig, kind: str) -> LogisticRegression | CalibratedClassifierCV:
    if kind == "detail":
        return LogisticRegression(C=config.detail_c, max_iter=3000, random_state=config.seed)
    if kind == "svm":
        svm = LinearSVC(
            C=config.svm_c, class_weight=config.class_weight, random_state=config.seed, max_iter=5000
        )
        return CalibratedClassifierCV(svm, cv=config.calibration_folds, method="sigmoid")
    return LogisticRegression(
        C=config.c, max_iter=3000, random_state=config.seed, class_weight=config.class_weight
    )


def _fit(
    texts: list[str],
    labels: list[str],
    vectors: np.ndarray | None,
    config: ModelConfig,
    *,
    kind: str,
    weight: float,
) -> _Head:
    features = _features(config)
    matrix = features.fit_transform(texts)
    if vectors is not None and weight:
        matrix = sp.hstack([matrix, sp.csr_matrix(weight * vectors)]).tocsr()
    fitted = _classifier(config, kind).fit(matrix, labels)
    return _Head(
        features, PlattSVM.of(fitted) if isinstance(fitted, CalibratedClassifierCV) else fitted, weight
    )


def _with_plain_copies(
    texts: list[str], labels: list[str], vectors: np.ndarray | None
) -> tuple[list[str], list[str], np.ndarray | None]:
    """Add the plain form of each message that has punctuation or emoji, with the same label and
    sentence vector (the vector hardly changes; encoding the copies would double the start-up work)."""
    extra = [i for i, t in enumerate(texts) if plain(t) != t.casefold()]
    texts = texts + [plain(texts[i]) for i in extra]
    labels = labels + [labels[i] for i in extra]
    if vectors is not None:
        vectors = np.vstack([vectors, vectors[extra]])
    return texts, labels, vectors


@dataclass(frozen=True, slots=True)
class ActModel:
    """Two fitted heads: act, and detail (attribute for partner_vraag, soort for smalltalk/actie)."""

    acts: _Head
    details: _Head | None
    encoder: SentenceEncoder | None = None
    acute_threshold: float | None = None

    def predict(self, text: str) -> ActPrediction:
        return self.predict_many([text])[0]

    def _vectors(self, texts: Sequence[str]) -> np.ndarray | None:
        if self.encoder is None:
            return None
        if len(texts) == 1:
            return np.asarray(self.encoder.encode_query(texts[0]), dtype=np.float32)[None, :]
        return np.asarray(self.encoder.encode(list(texts)), dtype=np.float32)

    def predict_many(self, texts: Sequence[str], vectors: np.ndarray | None = None) -> list[ActPrediction]:
        """`vectors`: the texts' sentence vectors when already known (cross-validation), else encoded here."""
        if vectors is None or self.encoder is None:
            vectors = self._vectors(texts)
        classes, probabilities = self.acts.proba(texts, vectors)
        details = self._details(texts, vectors)
        out: list[ActPrediction] = []
        acute = classes.index("acuut") if "acuut" in classes else -1
        for row, detail_row in zip(probabilities, details, strict=True):
            best = int(np.argmax(row))
            if acute >= 0 and self.acute_threshold is not None and row[acute] >= self.acute_threshold:
                best = acute  # the operating point: a missed acute message is worse than a false alarm
            act = classes[best]
            out.append(ActPrediction(act=act, confidence=float(row[best]), detail=_detail_for(act, detail_row),
                                     probabilities={c: float(p) for c, p in zip(classes, row, strict=True)},
                                     details=detail_row))  # fmt: skip
        return out

    def _details(self, texts: Sequence[str], vectors: np.ndarray | None) -> list[dict[str, float]]:
        if self.details is None:
            return [{} for _ in texts]
        classes, probabilities = self.details.proba(texts, vectors)
        return [dict(zip(classes, map(float, row), strict=True)) for row in probabilities]


def _detail_for(act: str, probabilities: dict[str, float]) -> str:
    """The best detail of the act's own kind ('partner_vraag:telefoon' -> 'telefoon')."""
    own = {k.split(":", 1)[1]: p for k, p in probabilities.items() if k.startswith(f"{act}:")}
    return max(own, key=lambda k: own[k]) if own else ""


def train(
    utterances: Sequence[Utterance],
    config: ModelConfig | None = None,
    *,
    encoder: SentenceEncoder | None = None,
    vectors: np.ndarray | None = None,
) -> ActModel:
    """Fit the act head and the detail head. Deterministic for the same corpus, config and encoder."""
    config = config or ModelConfig()
    if len({u.act for u in utterances}) < 2:
        raise ValueError("the dialogue-act corpus needs at least two acts")
    texts = [u.text for u in utterances]
    if encoder is None:
        vectors = None
    elif vectors is None:
        vectors = np.asarray(encoder.encode(texts), dtype=np.float32)
    act_texts, act_labels, act_vectors = texts, [u.act for u in utterances], vectors
    if config.plain_copies:
        act_texts, act_labels, act_vectors = _with_plain_copies(act_texts, act_labels, act_vectors)
    acts = _fit(
        act_texts, act_labels, act_vectors, config, kind=config.classifier, weight=config.embedding_weight
    )
    keep = [i for i, u in enumerate(utterances) if u.detail]
    details = None
    if len({utterances[i].detail for i in keep}) >= 2:
        details = _fit([texts[i] for i in keep], [f"{utterances[i].act}:{utterances[i].detail}" for i in keep],
                       vectors[keep] if vectors is not None else None, config, kind="detail",
                       weight=config.detail_embedding_weight)  # fmt: skip
    return ActModel(acts=acts, details=details, encoder=encoder, acute_threshold=config.acute_threshold)
