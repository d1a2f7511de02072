"""The index build on two cores (issue #12): the training questions' USE vectors are made in a second process while
this one ingests, writes Chroma and embeds the passage windows and sentences.

The build embeds the training questions in one encode call: the distinct question texts that are not already in
the embeddings' cache as a passage window or sentence (`predicted_call`). The helper process
(bot.retrieval.embed_process) makes that same call with the same model files, and the build's call takes its
vectors (`USEEmbeddings.expect`) only when its uncached texts are exactly those. The same for the sentence ranker's
one-text calls of bare follow-up questions. So the vectors, and every model trained on them, are the same as in a
serial build; when a prediction does not hold or the helper fails, the build embeds those texts itself.

The fusion model's eight chapter priors (one per set of training writers) need only the questions' vectors, so
they are fitted in a forked copy of this process as soon as the vectors are known (`priors_aside`), while this
one searches every training question; the same code on the same inputs, so the same priors.

At the end of a build, the sentence ranker's training rows (a search with the final retriever and the features
of the candidate sentences, per training question) are made for the second half of the questions in a forked
copy of this process while this one makes the first half (`rows_in_two`): the same searches on the same state,
so the same rows in the same order; a child that fails or hangs is replaced by making its rows here.

The near-miss judge (scope model) needs the searches of the training questions, not the fusion model: once the
fusion's searches are made, it is trained in a forked copy of this process while this one fits the fusion model
(`scope_aside`); the same code on the same state, so the same model (made here when the child fails).
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    import numpy as np

    from bot.config import Settings
    from bot.retrieval.embeddings import USEEmbeddings
    from bot.retrieval.fusion import ChapterPrior
    from bot.retrieval.hybrid import HybridRetriever
    from bot.retrieval.training import TrainingQuestion

Rows = tuple["np.ndarray", "np.ndarray", "np.ndarray"]
T = TypeVar("T")

logger = logging.getLogger(__name__)
MIN_TEXTS = 200  # fewer question texts are not worth a process start (about a second of the other core)
MIN_RANKER_QUESTIONS = 200  # fewer sentence-ranker questions are not worth a fork
_ASIDE: contextvars.ContextVar[bool] = contextvars.ContextVar("aside", default=False)
_REUSE: contextvars.ContextVar[bool] = contextvars.ContextVar("reuse", default=False)
# what a forked child does first (the embeddings' forget_expected: the helper's vectors arrive in the parent only)
_CHILD_SETUP: contextvars.ContextVar[Callable[[], None] | None] = contextvars.ContextVar(
    "child_setup", default=None
)
CHILD_SECONDS = 300.0  # a child that has not answered by then is stopped; its rows are made here


def will_build(settings: Settings, *, rebuild: bool) -> bool:
    """True when load_or_build is going to build (asked, no index, or a knowledge file changed)."""
    from bot.retrieval.index import MANIFEST, content_hash

    if rebuild:
        return True
    try:
        import json

        manifest = json.loads((settings.index_dir / MANIFEST).read_text(encoding="utf-8"))
        return str(manifest.get("content_hash")) != content_hash(settings)
    except (OSError, ValueError, AttributeError):
        return True


def passage_texts(settings: Settings) -> set[str]:
    """The texts the build embeds before the training questions: passage windows and passage sentences."""
    from bot.retrieval.index import _ingest
    from bot.retrieval.sentences import passage_sentences
    from bot.retrieval.units import dense_units

    passages = _ingest(settings).passages
    texts = {u.text for p in passages for u in dense_units(p)}
    texts.update(s for p in passages for _, s in passage_sentences(p) if s)
    return texts


def predicted_call(settings: Settings, earlier: set[str]) -> list[str]:
    """The texts of the build's encode call for the training questions (train_models' VectorBook): the distinct
    question texts, in order, without those embedded earlier in the build (`earlier`: passage_texts)."""
    from bot.retrieval.index_training import read_writers
    from bot.retrieval.training import TRAINING_DIR, question_text

    writers = read_writers(settings.knowledge_dir / TRAINING_DIR)
    texts = [question_text(q) for questions in writers.values() for q in questions]
    return [t for t in dict.fromkeys(texts) if t not in earlier]


def follow_up_questions(settings: Settings, earlier: set[str]) -> list[str]:
    """The bare follow-up questions the sentence ranker embeds one at a time (`question.q` next to the question
    with the one before it), without texts already embedded. A text listed here that the build finds in its cache
    after all is simply not asked for."""
    from bot.retrieval.training import TRAINING_DIR, load_training_questions, question_text

    questions = load_training_questions(settings.knowledge_dir / TRAINING_DIR)
    bare = (q.q for q in questions if q.in_scope and q.facts and question_text(q) != q.q)
    return [t for t in dict.fromkeys(bare) if t not in earlier]


def questions_aside(settings: Settings, embeddings: USEEmbeddings) -> bool:
    """Start embedding the build's training questions in a second process (one call, as the build makes it), then
    there the bare follow-up questions (one call per text, as the sentence ranker makes them); True when started."""
    from bot.retrieval.embed_process import encode_jobs_in_process

    try:
        earlier = passage_texts(settings)
        texts = predicted_call(settings, earlier)
        singles = follow_up_questions(settings, earlier | set(texts))
    except Exception as exc:  # noqa: BLE001 - the build itself reports broken knowledge files
        logger.debug("no question vectors aside (%s)", type(exc).__name__)
        return False
    if len(texts) < MIN_TEXTS:
        return False
    jobs = [(texts, len(texts)), *([(singles, 1)] if singles else [])]  # the calls as the build makes them
    futures = encode_jobs_in_process(embeddings, jobs)
    if not futures:
        return False
    embeddings.expect(texts, futures[0])
    if singles:
        embeddings.expect(singles, futures[1], batch=1)
    return True


def rows_in_two(embeddings: USEEmbeddings) -> Callable[..., Rows]:
    """sentence_model.labelled_rows, with the rows of the second half of the questions made in a forked child."""
    from bot.answering.sentence_model import labelled_rows

    def rows(ranker: Any, questions: Sequence[TrainingQuestion], search: Any, usable: Any) -> Rows:
        selected = [q for q in questions if q.in_scope and q.facts]  # the questions labelled_rows uses
        half = len(selected) // 2
        if sys.platform != "linux" or half < MIN_RANKER_QUESTIONS // 2:
            return labelled_rows(ranker, questions, search, usable)
        import multiprocessing

        from bot.lifetime import watched

        context = multiprocessing.get_context("fork")
        receive, send = context.Pipe(duplex=False)
        child = context.Process(target=watched(_rows_child), name="wijkbot-zinnen", daemon=True,
                                args=(send, embeddings, ranker, selected[half:], search, usable))  # fmt: skip
        child.start()
        send.close()
        first = labelled_rows(ranker, selected[:half], search, usable)
        second = _received(receive, child) or labelled_rows(ranker, selected[half:], search, usable)
        return _joined(first, second, offset=half)

    return rows


def _rows_child(
    send: Any, embeddings: USEEmbeddings, ranker: Any, questions: Any, search: Any, usable: Any
) -> None:
    from bot.answering.sentence_model import labelled_rows

    embeddings.forget_expected()  # the helper's vectors arrive in the parent: here the same call is made
    try:
        send.send(labelled_rows(ranker, questions, search, usable))
    finally:
        send.close()


def _received(receive: Any, child: Any, *, what: str = "sentence-ranker rows") -> Any:
    """What the child sent, or None when it failed or did not answer in time (then it is stopped)."""
    rows: Any = None
    try:
        if receive.poll(CHILD_SECONDS):
            rows = receive.recv()
    except (EOFError, OSError):
        rows = None
    finally:
        receive.close()
        if rows is None and child.is_alive():
            child.kill()
        child.join()
    if rows is None:
        logger.warning("%s aside failed; made here", what)
    return rows


def _joined(first: Rows, second: Rows, *, offset: int) -> Rows:
    """The rows of both halves as labelled_rows gives them for all questions (question index continued)."""
    import numpy as np

    return (np.vstack([first[0], second[0]]), np.concatenate([first[1], second[1]]),
            np.concatenate([first[2], second[2] + offset]))  # fmt: skip


@contextlib.contextmanager
def working_aside(child_setup: Callable[[], None] | None = None) -> Iterator[None]:
    """Within: an index build may fit the chapter priors and the scope model in forked children (priors_aside,
    scope_aside); child_setup: what such a child does first."""
    token, setup = _ASIDE.set(True), _CHILD_SETUP.set(child_setup)
    try:
        yield
    finally:
        _ASIDE.reset(token)
        _CHILD_SETUP.reset(setup)


@contextlib.contextmanager
def reusing_signals() -> Iterator[None]:
    """Within: train_models hands the retriever its searches' signals (HybridRetriever.reuse_signals), so that the
    sentence ranker's searches of the same questions compute only the memory's signals; the caller forgets them
    (reuse_signals(None)) when the ranker is trained."""
    token = _REUSE.set(True)
    try:
        yield
    finally:
        _REUSE.reset(token)


def signals_reused() -> bool:
    return _REUSE.get()


def scope_aside(train: Callable[[], T]) -> Callable[[], T]:
    """Within working_aside() on Linux: start `train` in a forked child now and return what gives its result
    (waiting for the child; made here when the child fails or hangs). Elsewhere: `train` itself, called later."""
    if not _ASIDE.get() or sys.platform != "linux":
        return train
    import multiprocessing

    from bot.lifetime import watched

    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=watched(_result_child), name="wijkbot-scope", daemon=True,
                            args=(send, train, _CHILD_SETUP.get()))  # fmt: skip
    child.start()
    send.close()

    def result() -> T:
        boxed = _received(receive, child, what="scope model")  # a 1-tuple: the model may be None
        return boxed[0] if boxed is not None else train()

    return result


def _result_child(send: Any, train: Callable[[], Any], setup: Callable[[], None] | None) -> None:
    try:
        if setup is not None:
            setup()
        send.send((train(),))
    finally:
        send.close()


def priors_aside(
    retriever: HybridRetriever,
    by_writer: Mapping[str, Sequence[TrainingQuestion]],
    vector: Callable[[str], Any],
) -> Callable[[frozenset[str]], ChapterPrior | None] | None:
    """Fit every chapter prior train_fusion needs in a forked child; returns the look-up train_fusion takes (it
    waits for the child on first use; None for a set it does not have, or when the child failed: fitted here).
    None outside working_aside() or where processes cannot be forked."""
    from bot.retrieval.fusion import FusionConstants
    from bot.retrieval.fusion_training import fusion_writers, prior_sets

    writers = fusion_writers(by_writer)
    if not _ASIDE.get() or sys.platform != "linux" or len(writers) < 2:
        return None
    import multiprocessing

    from bot.lifetime import watched

    sets = prior_sets(writers)
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=watched(_priors_child), name="wijkbot-priors", daemon=True,
                            args=(send, retriever, by_writer, vector, sets, FusionConstants()))  # fmt: skip
    child.start()
    send.close()
    fitted: dict[frozenset[str], ChapterPrior] = {}
    waited: list[bool] = []

    def lookup(writers_: frozenset[str]) -> ChapterPrior | None:
        if not waited:
            waited.append(True)
            fitted.update(_received(receive, child, what="chapter priors") or {})
        return fitted.get(writers_)

    return lookup


def _priors_child(send: Any, retriever: Any, by_writer: Any, vector: Any, sets: Any, constants: Any) -> None:
    from bot.retrieval.fusion_training import fit_prior, prior_inputs

    try:
        send.send(
            {s: fit_prior(prior_inputs(by_writer, vector, s), constants, retriever.synonyms_of) for s in sets}
        )
    finally:
        send.close()
