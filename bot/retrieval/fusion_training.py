"""Training the learned fusion (bot.retrieval.fusion) from the training writers, leave-one-writer-out inside.

A training question's memory signals and chapter prior come from the writers other than its own, so the rows
the model learns from look like a new writer's questions. Used when the index is built (all writers) and by
bench/fusion_cv.py (all writers but the one tested).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from bot.retrieval.fusion import (
    ChapterPrior,
    FusionConstants,
    FusionModel,
    labels,
    passage_features,
    prior_text,
    static_features,
    train,
    train_prior,
)
from bot.retrieval.hybrid import HybridRetriever, Signals
from bot.retrieval.language import english_share
from bot.retrieval.memory import QuestionMemory
from bot.retrieval.training import TrainingQuestion, question_text
from bot.retrieval.types import ScoredPassage

Encode = Callable[[list[str]], np.ndarray]
Probe = Callable[[str, np.ndarray], tuple[list[ScoredPassage], Signals, float]]
Priors = Callable[[frozenset[str]], "ChapterPrior | None"]


@dataclass
class Example:
    """One in-scope question with its retrieval signals (without memory), lexical share and USE vector."""

    text: str
    chapter: int
    facts: tuple[str, ...]
    kind: str
    writer: str
    signals: Signals
    share: float
    vector: np.ndarray


class FusionTrainer:
    """Signals of every question once; memories and chapter priors per set of writers, built on demand.

    The question memory holds every writer's questions once; a set of writers sees it with the other writers'
    questions hidden (`subset_memories=True`: one memory built per set of writers instead, as before; same CV)."""

    def __init__(
        self,
        retriever: HybridRetriever,
        encode: Encode,
        by_writer: Mapping[str, Sequence[TrainingQuestion]],
        constants: FusionConstants | None = None,
        *,
        memory: QuestionMemory | None = None,
        subset_memories: bool = False,
        probe: Probe | None = None,
        priors: Priors | None = None,
    ) -> None:
        """retriever: without a memory attached (its signals must not hold the training questions);
        memory: the memory of every writer's in-scope questions in `by_writer` order, when already built;
        probe: retriever.probe, or one that remembers the searches already made;
        priors: the chapter prior of a set of writers (with `constants`) when fitted elsewhere, else None."""
        self.retriever, self.encode = retriever, encode
        self.priors = priors
        self.probe: Probe = probe or retriever.probe
        self.by_writer = {w: list(qs) for w, qs in by_writer.items()}
        self.constants = constants or FusionConstants()
        self.static = static_features(retriever.passages)
        self.subset_memories = subset_memories
        self._memory: dict[frozenset[str], QuestionMemory] = {}
        self._prior: dict[tuple[frozenset[str], float, float, bool], ChapterPrior] = {}
        self._hidden: dict[frozenset[str], np.ndarray] = {}
        everyone = [q for qs in self.by_writer.values() for q in qs]
        self.full_memory = memory or QuestionMemory.build(retriever.passages, everyone, encode)
        self._memory_writer = np.asarray([w for w, qs in self.by_writer.items() for q in qs if q.in_scope])
        self.examples = {w: self.prepare(qs, w) for w, qs in self.by_writer.items()}

    def prepare(self, questions: Sequence[TrainingQuestion], writer: str) -> list[Example]:
        """In-scope questions as examples (texts embedded in one batch)."""
        kept = [q for q in questions if q.in_scope]
        return self.examples_of(
            [question_text(q) for q in kept], [(int(q.chapter or 0), q.facts, q.kind) for q in kept], writer
        )

    def examples_of(
        self, texts: list[str], labels_: list[tuple[int, tuple[str, ...], str]], writer: str
    ) -> list[Example]:
        vectors = self.encode(texts) if texts else np.zeros((0, 1), dtype=np.float32)
        out = []
        for text, (chapter, facts, kind), vector in zip(texts, labels_, vectors, strict=True):
            _, signals, share = self.probe(text, vector)
            out.append(Example(text, chapter, facts, kind, writer, signals, share, vector))
        return out

    def memory(self, writers: frozenset[str]) -> QuestionMemory:
        """A memory of `writers` only (subset_memories); otherwise the shared memory of every writer."""
        if not self.subset_memories:
            return self.full_memory
        if writers not in self._memory:
            questions = [q for w in sorted(writers) for q in self.by_writer[w]]
            self._memory[writers] = QuestionMemory.build(self.retriever.passages, questions, self.encode)
        return self._memory[writers]

    def hidden(self, writers: frozenset[str]) -> np.ndarray | None:
        """True per question of the shared memory whose writer is not in `writers`."""
        if self.subset_memories:
            return None
        if writers not in self._hidden:
            self._hidden[writers] = ~np.isin(self._memory_writer, sorted(writers))
        return self._hidden[writers]

    def prior(self, writers: frozenset[str], constants: FusionConstants | None = None) -> ChapterPrior:
        constants = constants or self.constants
        key = (writers, constants.chapter_c, constants.prior_word_weight, constants.prior_expansion)
        if key not in self._prior:
            fitted = self.priors(writers) if self.priors is not None and constants == self.constants else None
            self._prior[key] = fitted or fit_prior(
                [(e.vector, e.chapter, e.text) for w in sorted(writers) for e in self.examples[w]],
                constants, self.retriever.synonyms_of,
            )  # fmt: skip
        return self._prior[key]

    def prior_text(self, text: str, constants: FusionConstants | None = None) -> str:
        return prior_text(text, self.retriever.synonyms_of(text), constants or self.constants)

    def with_memory(
        self, example: Example, writers: frozenset[str], constants: FusionConstants | None = None
    ) -> Signals:
        weight = (constants or self.constants).memory_expansion
        dense, lexical = self.memory(writers).signals(
            example.text, example.vector, hide=self.hidden(writers),
            expansion=" ".join(self.retriever.synonyms_of(example.text)) if weight else "", expansion_weight=weight,
        )  # fmt: skip
        return replace(example.signals, memory_dense=dense, memory_lexical=lexical)

    def features(
        self, example: Example, writers: frozenset[str], constants: FusionConstants | None = None
    ) -> np.ndarray:
        """Feature rows of every passage for `example`, with memory and prior from `writers`."""
        signals = self.with_memory(example, writers, constants)
        fused = self.retriever.fuse(signals, lexical_share=example.share)
        prior = self.prior(writers, constants).per_passage(
            example.vector, self.retriever.passages, self.prior_text(example.text, constants)
        )
        constants = constants or self.constants
        english = english_share(example.text) if constants.language else None
        return passage_features(
            signals, share=example.share, fused=fused, prior=prior, static=self.static, english=english,
            covered=constants.covered,
        )  # fmt: skip

    def model(self, writers: Sequence[str], constants: FusionConstants | None = None) -> FusionModel:
        """Trained on the questions of `writers`; each writer's rows use the other writers' memory and prior."""
        constants = constants or self.constants
        rows = []
        lowered = [p.text.lower() for p in self.retriever.passages]
        looked_up: dict[Any, np.ndarray] = {}  # each fact's and chapter's passages, once
        for writer in writers:
            others = frozenset(writers) - {writer}
            if not others:
                continue
            for example in self.examples[writer]:
                target = labels(
                    self.retriever.passages, example.chapter, example.facts, constants, lowered, looked_up
                )
                rows.append((self.features(example, others, constants), target))
        return train(rows, self.prior(frozenset(writers), constants), constants)


def train_fusion(
    retriever: HybridRetriever,
    encode: Encode,
    by_writer: Mapping[str, Sequence[TrainingQuestion]],
    memory: QuestionMemory | None = None,
    probe: Probe | None = None,
    priors: Priors | None = None,
    searched: Callable[[], None] | None = None,
) -> FusionModel | None:
    """At index build: the fusion model over every writer (None with fewer than two writers); `memory`: the
    question memory of every writer's questions in `by_writer` order, when already built; `priors`: see
    FusionTrainer (bot.index_build fits them in a second process: prior_inputs, fit_prior); `searched`: called
    once every question is searched (through `probe`), before the model is fitted."""
    writers = fusion_writers(by_writer)
    if len(writers) < 2:
        return None
    trainer = FusionTrainer(
        retriever, encode, {w: by_writer[w] for w in writers}, memory=memory, probe=probe, priors=priors
    )
    if searched is not None:
        searched()
    return trainer.model(writers)


def fusion_writers(by_writer: Mapping[str, Sequence[TrainingQuestion]]) -> list[str]:
    """The writers the fusion learns from: those with in-scope questions."""
    return [w for w, qs in by_writer.items() if any(q.in_scope for q in qs)]


def prior_sets(writers: Sequence[str]) -> list[frozenset[str]]:
    """The sets of writers train_fusion fits a chapter prior for: all but one, each in turn, then all."""
    everyone = frozenset(writers)
    return [everyone - {w} for w in writers if len(everyone) > 1] + [everyone]


def prior_inputs(
    by_writer: Mapping[str, Sequence[TrainingQuestion]],
    vector: Callable[[str], np.ndarray],
    writers: frozenset[str],
) -> list[tuple[np.ndarray, int, str]]:
    """(vector, chapter, text) of the in-scope questions of `writers`, as FusionTrainer.prior reads its examples."""
    return [(vector(question_text(q)), int(q.chapter or 0), question_text(q))
            for w in sorted(writers) for q in by_writer[w] if q.in_scope]  # fmt: skip


def fit_prior(
    examples: Sequence[tuple[np.ndarray, int, str]],
    constants: FusionConstants,
    synonyms: Callable[[str], list[str]],
) -> ChapterPrior:
    """The chapter prior on examples (vector, chapter, question text)."""
    vectors = np.stack([vector for vector, _, _ in examples])
    texts = [prior_text(text, synonyms(text), constants) for _, _, text in examples]
    return train_prior(vectors, [chapter for _, chapter, _ in examples], constants, texts)
