"""Which sentences of the best passages answer the question? A small learned scorer for the extractive answer.

Per candidate sentence: word overlap with the query (idf-weighted; and with the newest question alone, which matters
for follow-ups), USE cosine with the query and with the newest question, the rank of its passage, its position, and
whether it shares any word. A logistic regression learns their weights from the labelled training questions
(knowledge/vragen_training/): a sentence is positive when it holds one of the question's literal facts.
Grouped 5-fold CV (bench/answers.py): the answer holds a fact for 0.56 of the training questions, against 0.51 for
word overlap alone. Trained once per index version and kept as a few numbers in the index folder (not in git).
"""

from __future__ import annotations

import json
import math
import os
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from bot.retrieval.lexical import dutch_tokens
from bot.retrieval.sentences import SentenceVectors, passage_sentences
from bot.retrieval.training import TrainingQuestion, question_text
from bot.retrieval.types import ScoredPassage

TOP_PASSAGES = 4
RANK_PRIOR = (1.0, 0.6, 0.4, 0.3)
MODEL_FILE = "sentence_model.json"
FEATURES = ("overlap", "overlap_new", "cosine", "cosine_new", "rank_prior", "position", "shares_word", "top")
C = 0.1  # grouped CV over 0.1, 1 and 10 (bench/answers.py)

Usable = Callable[[str], bool]
Encode = Callable[[str], np.ndarray]


@dataclass(frozen=True, slots=True)
class Sentence:
    passage_rank: int
    position: int
    text: str
    overlap: int  # query words it shares


@dataclass(frozen=True, slots=True)
class SentenceModel:
    """Weights of FEATURES and a bias; score = weights · features + bias."""

    weights: tuple[float, ...]
    bias: float

    def scores(self, features: np.ndarray) -> np.ndarray:
        return features @ np.asarray(self.weights) + self.bias if len(features) else np.zeros(0)


def candidate_sentences(
    hits: Sequence[ScoredPassage],
    terms: set[str],
    usable: Usable,
    tokens: Callable[[str], frozenset[str]] = lambda s: frozenset(dutch_tokens(s)),
) -> list[tuple[Sentence, set[str]]]:
    """Usable sentences of the best passages with the query words each holds."""
    out = []
    for rank, hit in enumerate(hits[:TOP_PASSAGES]):
        for position, sentence in passage_sentences(hit.passage):
            if usable(sentence):
                matched = set(tokens(sentence) & terms)
                out.append((Sentence(rank, position, sentence, len(matched)), matched))
    return out


def idf_weights(found: Sequence[tuple[Sentence, set[str]]], terms: set[str]) -> dict[str, float]:
    """A query word in every sentence ('wijkteam') says little; a rare one says a lot."""
    df = Counter(t for _, matched in found for t in matched if t in terms)  # the sentences holding each word
    return {t: math.log(1 + len(found) / df[t]) for t in terms if df[t]}


@dataclass(frozen=True, slots=True)
class SentenceRanker:
    """Scores candidate sentences with a SentenceModel, using the stored sentence vectors."""

    model: SentenceModel
    vectors: SentenceVectors
    encode: Encode  # query -> USE vector (the retriever's, so the search's vector is reused from cache)
    _tokens: dict[str, frozenset[str]] = field(default_factory=dict, repr=False)  # per publication sentence

    def tokens(self, sentence: str) -> frozenset[str]:
        """Analyzed words of a sentence, remembered (the sentences are the index's, so this stays small)."""
        found = self._tokens.get(sentence)
        if found is None:
            found = self._tokens[sentence] = frozenset(dutch_tokens(sentence))
        return found

    def rank(
        self, query: str, question: str, hits: Sequence[ScoredPassage], usable: Usable
    ) -> list[tuple[Sentence, float]]:
        sentences, features = self.features(query, question, hits, usable)
        return list(zip(sentences, self.model.scores(features).tolist(), strict=True))

    def features(
        self, query: str, question: str, hits: Sequence[ScoredPassage], usable: Usable
    ) -> tuple[list[Sentence], np.ndarray]:
        terms, new_terms = set(dutch_tokens(query)), set(dutch_tokens(question))
        found = candidate_sentences(hits, terms | new_terms, usable, self.tokens)
        weight = idf_weights(found, terms | new_terms)
        q, n = self.encode(query), self.encode(question) if question != query else None
        rows = []
        for sentence, matched in found:
            vector = self.vectors.get(sentence.text)
            cos = float(vector @ q) if vector is not None else 0.0
            cos_new = float(vector @ n) if vector is not None and n is not None else cos
            rows.append([
                sum(weight.get(t, 0.0) for t in matched & terms),
                sum(weight.get(t, 0.0) for t in matched & new_terms),
                cos, cos_new, RANK_PRIOR[sentence.passage_rank], min(sentence.position, 10) / 10,
                float(bool(matched & terms)), float(sentence.passage_rank == 0),
            ])  # fmt: skip
        return [s for s, _ in found], np.asarray(rows, dtype=np.float64).reshape(-1, len(FEATURES))


def labelled_rows(
    ranker: SentenceRanker,
    questions: Sequence[TrainingQuestion],
    search: Callable[[str], list[ScoredPassage]],
    usable: Usable,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Features, labels (holds a fact) and question index of every candidate sentence of the training questions.
    usable: a pure function of the sentence (asked once per distinct sentence)."""
    x: list[np.ndarray] = []
    y: list[bool] = []
    group: list[int] = []
    verdicts: dict[str, bool] = {}  # the top passages' sentences recur across questions: each judged once

    def usable_once(sentence: str) -> bool:
        verdict = verdicts.get(sentence)
        if verdict is None:
            verdict = verdicts[sentence] = usable(sentence)
        return verdict

    for n, question in enumerate(q for q in questions if q.in_scope and q.facts):
        query = question_text(question)
        sentences, features = ranker.features(query, question.q, search(query), usable_once)
        facts = [f.lower() for f in question.facts]
        x.append(features)
        y.extend(any(f in s.text.lower() for f in facts) for s in sentences)
        group.extend([n] * len(sentences))
    return np.vstack(x) if x else np.zeros((0, len(FEATURES))), np.asarray(y, dtype=bool), np.asarray(group)


def train(features: np.ndarray, labels: np.ndarray, *, c: float = C) -> SentenceModel:
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=c, max_iter=2000, class_weight="balanced", random_state=0)
    model.fit(features, labels.astype(int))
    return SentenceModel(tuple(float(w) for w in model.coef_[0]), float(model.intercept_[0]))


def load_or_train(
    path: Path,
    *,
    vectors: SentenceVectors,
    encode: Encode,
    questions: Callable[[], Sequence[TrainingQuestion]],
    search: Callable[[str], list[ScoredPassage]],
    usable: Usable,
    rows: Callable[..., tuple[np.ndarray, np.ndarray, np.ndarray]] = labelled_rows,
) -> SentenceRanker | None:
    """The ranker of this index version: read from `path`, or trained on the questions and written there.
    None when there are no sentence vectors or no usable training questions. rows: labelled_rows, or one that
    gives the same rows sooner (bot.services: half of them in a second process at index build)."""
    if not len(vectors):
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return SentenceRanker(SentenceModel(tuple(data["weights"]), float(data["bias"])), vectors, encode)
    except (OSError, ValueError, KeyError, TypeError):
        pass
    untrained = SentenceRanker(SentenceModel((0.0,) * len(FEATURES), 0.0), vectors, encode)
    x, y, _ = rows(untrained, questions(), search, usable)
    if not y.any() or y.all():
        return None
    model = train(x, y)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(json.dumps(asdict(model)), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only index folder: train again next time
    return SentenceRanker(model, vectors, encode)
