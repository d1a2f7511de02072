"""What the index build learns from the training questions (knowledge/vragen_training), in one pass.

Three models come from the same ~1,300 questions: the near-miss judge (bot.retrieval.scope_model), the question
memory (bot.retrieval.memory) and the learned fusion (bot.retrieval.fusion). Each question is read once, embedded
once (one batch) and searched once; the judge's evidence and the fusion's signals are both taken from that one
search, and the memory serves the fusion's leave-one-writer-out rows by hiding a writer's questions instead of
being rebuilt per set of writers.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bot.retrieval.fusion import FusionModel
from bot.retrieval.fusion_training import Probe, train_fusion
from bot.retrieval.hybrid import HybridRetriever, Signals
from bot.retrieval.memory import QuestionMemory
from bot.retrieval.scope import ScopeJudge
from bot.retrieval.scope_model import ScopeModel
from bot.retrieval.scope_model import train as train_scope
from bot.retrieval.training import TrainingQuestion, load_training_file, question_text, training_files
from bot.retrieval.types import ScoredPassage

Encode = Callable[[list[str]], np.ndarray]


@dataclass(frozen=True, slots=True)
class TrainedModels:
    scope: ScopeModel | None  # None without both in-scope and near-miss questions
    fusion: FusionModel | None  # None with fewer than two writers
    memory: QuestionMemory


class VectorBook:
    """USE vectors of texts embedded once; other texts go to `encode`."""

    def __init__(self, texts: Sequence[str], encode: Encode) -> None:
        unique = list(dict.fromkeys(texts))
        vectors = encode(unique) if unique else np.zeros((0, 1), dtype=np.float32)
        self._known = dict(zip(unique, vectors, strict=True))
        self._encode = encode

    def __getitem__(self, text: str) -> np.ndarray:
        return self._known[text]

    def encode(self, texts: list[str]) -> np.ndarray:
        missing = [t for t in dict.fromkeys(texts) if t not in self._known]
        if missing:
            self._known.update(zip(missing, self._encode(missing), strict=True))
        if not texts:
            return np.zeros((0, 1), dtype=np.float32)
        return np.stack([self._known[t] for t in texts])


def read_writers(directory: Path) -> dict[str, list[TrainingQuestion]]:
    """Each training file (one writer) by its stem, in file-name order."""
    return {path.stem: load_training_file(path) for path in training_files(directory)}


def train_models(
    by_writer: Mapping[str, Sequence[TrainingQuestion]],
    retriever: HybridRetriever,
    rules: ScopeJudge,
    encode: Encode,
) -> TrainedModels:
    """retriever: without a memory or fusion attached (the judge's evidence and the fusion's signals must not
    hold the training questions); rules: the scope judge without a learned model."""
    questions = [q for qs in by_writer.values() for q in qs]
    texts = [question_text(q) for q in questions]
    book = VectorBook(texts, encode)
    probes: dict[str, tuple[list[ScoredPassage], Signals, float]] = {}

    def probe(text: str, vector: np.ndarray) -> tuple[list[ScoredPassage], Signals, float]:
        if text not in probes:
            probes[text] = retriever.probe(text, vector)
        return probes[text]

    from bot.index_build import priors_aside, scope_aside, signals_reused  # second core, searches kept

    priors = priors_aside(retriever, by_writer, book.__getitem__)
    memory = QuestionMemory.build(retriever.passages, questions, book.encode)
    scope_later: list[Callable[[], ScopeModel | None]] = []

    def searched() -> None:  # the fusion's searches are made: the judge can learn from them meanwhile
        scope_later.append(scope_aside(lambda: _train_scope(by_writer, rules, book, probe)))

    fusion = train_fusion(retriever, book.encode, by_writer, memory=memory, probe=probe, priors=priors,
                          searched=searched)  # fmt: skip
    scope = scope_later[0]() if scope_later else _train_scope(by_writer, rules, book, probe)
    if signals_reused():  # the sentence ranker searches these questions again, with the memory attached
        retriever.reuse_signals({text: (book[text], signals) for text, (_, signals, _) in probes.items()})
    return TrainedModels(scope, fusion, memory)


def _train_scope(
    by_writer: Mapping[str, Sequence[TrainingQuestion]],
    rules: ScopeJudge,
    book: VectorBook,
    probe: Probe,
) -> ScopeModel | None:
    """The near-miss judge on the questions' USE vectors, the rules' evidence and their nearest other-writer
    questions."""
    pairs = [(w, q) for w, qs in by_writer.items() for q in qs]
    out = np.asarray([not q.in_scope for _, q in pairs], dtype=bool)
    if not out.any() or out.all():
        return None
    texts = [question_text(q) for _, q in pairs]
    numbers = np.asarray([_evidence(t, rules, book[t], probe) for t in texts], dtype=np.float32)
    vectors = np.stack([book[t] for t in texts])
    return train_scope(vectors, numbers, out.tolist(), writers=[w for w, _ in pairs], texts=texts)


def _evidence(text: str, rules: ScopeJudge, vector: np.ndarray, probe: Probe) -> tuple[float, ...]:
    hits = probe(text, vector)[0]
    return rules.evidence(text, hits, rules.signal(text, hits, vector))
