"""The index build on two cores (issue #12): the training questions' USE vectors are made in a second process while
this one ingests, writes Chroma and embeds the passage windows and sentences.

The build embeds the training questions in one encode call: the distinct question texts that are not already in
the embeddings' cache as a passage window or sentence (`predicted_call`). The helper process makes that same call
with the same model, and the build's call takes its vectors (`USEEmbeddings.expect`) only when its uncached texts
are exactly those. The same for the sentence ranker's one-text calls of bare follow-up questions. So the vectors,
and every model trained on them, are the same as in a serial build; when a prediction does not hold or the helper
fails, the build embeds those texts itself. Round 16: on Linux the helper is a fork of this process once the model
is loaded (`BuildHelper`; no interpreter start, imports and model load of its own, 2-3 s of CPU); elsewhere a
spawned process (bot.retrieval.embed_process) as before.

The fusion model's chapter priors (one per set of training writers, eleven fits of about a second) need only the
questions' vectors. The helper fits them as soon as it has embedded the questions; when this process needs them
(after searching every training question), it fits those the helper has not started yet, taking turns through a
shared counter, instead of waiting (`BuildHelper.priors_for`). Without the helper they are fitted in a forked copy
of this process once the vectors are known (`priors_aside`). The same code on the same inputs, so the same priors.

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
import os
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
_HELPERS: contextvars.ContextVar[list[BuildHelper] | None] = contextvars.ContextVar("helpers", default=None)
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
    there the bare follow-up questions (one call per text, as the sentence ranker makes them); True when started.
    Within working_aside() on Linux the helper is a fork of this process (the model is loaded already) that then
    fits the fusion's chapter priors on those vectors (see BuildHelper); elsewhere a spawned helper that only
    embeds (bot.retrieval.embed_process)."""
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
    helpers = _HELPERS.get()
    futures: Sequence[Any] | None = None
    if helpers is not None and sys.platform == "linux" and (os.cpu_count() or 1) >= 2:
        helper = BuildHelper.start(settings, embeddings, jobs)
        if helper is not None:
            helpers.append(helper)
            futures = [helper.pending(n) for n in range(len(jobs))]
    if futures is None:
        futures = encode_jobs_in_process(embeddings, jobs)
    if not futures:
        return False
    embeddings.expect(texts, futures[0])
    if singles:
        embeddings.expect(singles, futures[1], batch=1)
    return True


class BuildHelper:
    """A forked copy of this process, started when the USE model is loaded: it embeds the build's question calls
    (the same calls with the same model, so the same vectors) and then fits the fusion's chapter priors on them,
    work that priors_aside would start only once this process has those vectors. The vectors come back in memory
    shared with the child (a pipe would hold the child until this process reads them). The priors are shared work:
    each process takes the next set of writers from a shared counter, so this process fits priors too once it
    needs them (instead of waiting); the helper's come back as files in a private temporary folder. train_fusion
    takes them only when this process's vectors of every prior question are those the helper fitted on
    (priors_for); otherwise, and when the helper fails, they are fitted as before. The same code on the same
    inputs in either process, so the same priors."""

    def __init__(self, receive: Any, child: Any, shared: list[Any], sizes: list[int], texts: list[str],
                 plan: PriorsPlan | None, counter: Any, folder: str) -> None:  # fmt: skip
        self._receive, self._child, self._shared, self._sizes = receive, child, shared, sizes
        self._texts = texts  # the first job's texts: the vectors the priors are fitted on
        self._plan, self._counter, self._folder = plan, counter, folder  # plan None: no priors here
        self._got: dict[str, Any] = {}
        self._failed = False

    @classmethod
    def start(cls, settings: Settings, embeddings: USEEmbeddings, jobs: list[tuple[list[str], int]]
              ) -> BuildHelper | None:  # fmt: skip
        import mmap
        import multiprocessing
        import tempfile

        from bot.lifetime import watched
        from bot.retrieval.embeddings import EMBEDDING_DIM, USEEmbeddings

        if not isinstance(embeddings, USEEmbeddings):
            return None
        embeddings.prepare_cache()  # loaded here, before the fork: the child has it
        plan = PriorsPlan.of(settings, jobs[0][0])
        if (
            plan is not None
        ):  # the priors' library (1 s), imported once for both (and the build's later forks)
            import sklearn.linear_model  # noqa: F401
        sizes = [len(texts) for texts, _ in jobs]
        shared = [
            mmap.mmap(-1, max(1, n * EMBEDDING_DIM * 4)) for n in sizes
        ]  # anonymous, shared with the fork
        context = multiprocessing.get_context("fork")
        counter = context.Value("i", 0)  # the next set of writers whose prior is not taken yet
        folder = tempfile.mkdtemp(prefix="wijkbot-priors-")
        receive, send = context.Pipe(duplex=False)
        child = context.Process(target=watched(_helper_child), name="wijkbot-vragen", daemon=True,
                                args=(send, embeddings, jobs, shared, plan, counter, folder))  # fmt: skip
        try:
            child.start()
        except OSError as exc:
            logger.info("no build helper (%s); a spawned one embeds", type(exc).__name__)
            _remove(folder)
            return None
        send.close()
        return cls(receive, child, shared, sizes, jobs[0][0], plan, counter, folder)

    def pending(self, job: int) -> _Pending:
        """What USEEmbeddings.expect takes for job `job`: result() gives its vectors (raises when it failed)."""
        return _Pending(self, job)

    def vectors(self, job: int) -> np.ndarray:
        import numpy as np

        from bot.retrieval.embeddings import EMBEDDING_DIM

        if not self._wait(f"job{job}"):
            raise RuntimeError("the build helper gave no vectors")
        view = np.frombuffer(self._shared[job], dtype=np.float32, count=self._sizes[job] * EMBEDDING_DIM)
        return view.reshape(self._sizes[job], EMBEDDING_DIM).copy()

    def priors_for(
        self, by_writer: Mapping[str, Sequence[TrainingQuestion]], vector: Callable[[str], Any]
    ) -> Callable[[frozenset[str]], ChapterPrior | None] | None:
        """The look-up train_fusion takes, when the helper fits the priors on these questions with the vectors
        `vector` gives; else None. On first use this process fits the priors no process has taken yet, then
        waits for those the helper took."""
        import numpy as np

        plan = self._plan
        if plan is None or plan.questions != _question_key(by_writer):
            return None
        try:
            mine = dict(zip(self._texts, self.vectors(0), strict=True))
        except RuntimeError:
            return None
        if not all(np.array_equal(mine[t], vector(t)) for t in plan.texts):
            return None  # not the vectors this build embeds: fitted as before
        fitted: dict[frozenset[str], ChapterPrior] = {}
        waited: list[bool] = []

        def lookup(writers: frozenset[str]) -> ChapterPrior | None:
            if not waited:
                waited.append(True)
                while (n := _take(self._counter)) < len(plan.sets):
                    fitted[plan.sets[n]] = plan.fit(mine.__getitem__, plan.sets[n])
                if self._wait("priors"):
                    fitted.update(self._read_priors(plan, set(fitted)))
                else:
                    logger.warning("chapter priors aside failed; made here")
            return fitted.get(writers)

        return lookup

    def _read_priors(self, plan: PriorsPlan, have: set[frozenset[str]]) -> dict[frozenset[str], ChapterPrior]:
        import pickle
        from pathlib import Path

        out = {}
        for n, writers in enumerate(plan.sets):
            path = Path(self._folder) / f"{n}.pickle"
            if writers not in have and path.is_file():
                out[writers] = pickle.loads(path.read_bytes())  # noqa: S301 - written by our own child just now
        return out

    def _wait(self, key: str) -> bool:
        """Read the helper's messages until `key` came (True) or the helper failed or hung (False; stopped)."""
        while key not in self._got and not self._failed:
            try:
                if not self._receive.poll(CHILD_SECONDS):
                    raise TimeoutError
                name, value = self._receive.recv()
                self._got[name] = value
            except (EOFError, OSError, TimeoutError):
                self._failed = True
                self.close()
        return key in self._got

    def close(self) -> None:
        """Stop the helper if it still works (its results are no longer wanted), wait for it, remove its files."""
        if self._child.is_alive() and (self._failed or "priors" not in self._got):
            self._child.kill()
        self._child.join()
        self._receive.close()
        _remove(self._folder)


def _take(counter: Any) -> int:
    with counter.get_lock():
        n = int(counter.value)
        counter.value = n + 1
    return n


def _remove(folder: str) -> None:
    import shutil

    shutil.rmtree(folder, ignore_errors=True)


class _Pending:
    """A helper job's vectors, as USEEmbeddings.expect takes them (result(), like a Future)."""

    def __init__(self, helper: BuildHelper, job: int) -> None:
        self._helper, self._job = helper, job

    def result(self, timeout: float | None = None) -> np.ndarray:
        return self._helper.vectors(self._job)


def _question_key(by_writer: Mapping[str, Sequence[TrainingQuestion]]) -> list[tuple[str, str, int, bool]]:
    from bot.retrieval.training import question_text

    return [(w, question_text(q), int(q.chapter or 0), q.in_scope) for w, qs in by_writer.items() for q in qs]


class PriorsPlan:
    """The chapter priors of a build as priors_aside fits them (prior_sets, prior_inputs, fit_prior with the
    synonyms the retriever finds), for the questions read when the helper started."""

    def __init__(
        self, by_writer: dict[str, list[TrainingQuestion]], synonyms: dict[str, tuple[str, ...]]
    ) -> None:
        from bot.retrieval.fusion_training import fusion_writers, prior_sets
        from bot.retrieval.training import question_text

        self.by_writer, self.synonyms = by_writer, synonyms
        writers = fusion_writers(by_writer)
        self.sets = prior_sets(writers)
        self.questions = _question_key(by_writer)  # (writer, text, chapter, in scope)
        self.texts = {
            question_text(q) for w in writers for q in by_writer[w] if q.in_scope
        }  # what priors read

    @classmethod
    def of(cls, settings: Settings, texts: list[str]) -> PriorsPlan | None:
        """None when there are no priors to fit, or they need a text that is not among `texts`."""
        from bot.retrieval.index import load_synonyms
        from bot.retrieval.index_training import read_writers
        from bot.retrieval.training import TRAINING_DIR

        try:
            by_writer = read_writers(settings.knowledge_dir / TRAINING_DIR)
            table = {k: tuple(v) for k, v in load_synonyms(settings).items()}  # as HybridRetriever keeps them
        except Exception as exc:  # noqa: BLE001 - the build itself reports broken knowledge files
            logger.debug("no chapter priors aside (%s)", type(exc).__name__)
            return None
        plan = cls(by_writer, table)
        if len(plan.sets) < 2 or not plan.texts <= set(texts):
            return None
        return plan

    def fit(self, vector: Callable[[str], Any], writers: frozenset[str]) -> ChapterPrior:
        from bot.retrieval.fusion import FusionConstants
        from bot.retrieval.fusion_training import fit_prior, prior_inputs
        from bot.retrieval.hybrid import synonyms_in

        def synonyms(text: str) -> list[str]:
            return list(synonyms_in(text, self.synonyms))

        return fit_prior(prior_inputs(self.by_writer, vector, writers), FusionConstants(), synonyms)


def _helper_child(send: Any, embeddings: USEEmbeddings, jobs: list[tuple[list[str], int]], shared: list[Any],
                  plan: PriorsPlan | None, counter: Any, folder: str) -> None:  # fmt: skip
    import os
    import pickle

    import numpy as np

    from bot.retrieval import embed_process

    embed_process._Helper.inside = True  # noqa: SLF001 - a helper never starts helpers of its own
    encoder = (
        embeddings.sibling()
    )  # a fresh cache on the loaded model: the calls as a fresh process makes them
    try:
        first: np.ndarray | None = None
        for n, (texts, batch) in enumerate(jobs):
            vectors = embed_process.encode_chunks(encoder, texts, batch)
            np.frombuffer(shared[n], dtype=np.float32, count=vectors.size)[:] = vectors.ravel()
            send.send((f"job{n}", None))
            first = vectors if n == 0 else first
        if plan is not None and first is not None:
            known = dict(zip(jobs[0][0], first, strict=True))
            while (n := _take(counter)) < len(plan.sets):
                data = pickle.dumps(
                    plan.fit(known.__getitem__, plan.sets[n]), protocol=pickle.HIGHEST_PROTOCOL
                )
                path = os.path.join(folder, f"{n}.pickle")
                with open(path + ".tmp", "wb") as handle:
                    handle.write(data)
                os.replace(path + ".tmp", path)
            send.send(("priors", None))
    finally:
        send.close()


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
    token, setup, helpers = _ASIDE.set(True), _CHILD_SETUP.set(child_setup), _HELPERS.set([])
    try:
        yield
    finally:
        for helper in _HELPERS.get() or ():
            helper.close()
        _ASIDE.reset(token)
        _CHILD_SETUP.reset(setup)
        _HELPERS.reset(helpers)


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
    The build's helper fits them when it has the same vectors (BuildHelper.priors_for). None outside
    working_aside() or where processes cannot be forked."""
    from bot.retrieval.fusion import FusionConstants
    from bot.retrieval.fusion_training import fusion_writers, prior_sets

    writers = fusion_writers(by_writer)
    if not _ASIDE.get() or sys.platform != "linux" or len(writers) < 2:
        return None
    for helper in _HELPERS.get() or ():
        found = helper.priors_for(by_writer, vector)
        if found is not None:
            return found
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
