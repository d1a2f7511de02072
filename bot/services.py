"""Composition root: build_services(settings) wires every capability with plain constructor arguments."""

from __future__ import annotations

import contextlib
import logging
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.config import Settings

if TYPE_CHECKING:
    from bot.answering.sentence_model import SentenceRanker
    from bot.answering.service import Answer, AnswerService
    from bot.followup.service import FollowUpService
    from bot.followup.store import FollowupStore
    from bot.ingest.vragen import Vraag
    from bot.privacy.labels import LabelChecker
    from bot.privacy.pii import PiiScrubber
    from bot.retrieval.embeddings import USEEmbeddings
    from bot.retrieval.index import KnowledgeIndex
    from bot.safety.protocol import SafetyProtocols
    from bot.suggestion.service import PartnerService
    from bot.understanding.model import Understander

Progress = Callable[[str], None]
BUILD_CACHE_TEXTS = 20_000  # texts kept in the embeddings' cache during an index build (2 KB each)
TRAINING_READS_KEPT = (
    16_384  # situations the lexicon remembers during the situation training (about 10,000 read)
)
logger = logging.getLogger(__name__)


@dataclass
class Services:
    """Everything the conversation engine and the CLI need. Handlers receive this; they never build clients."""

    settings: Settings
    embeddings: USEEmbeddings
    index: KnowledgeIndex
    answers: AnswerService
    kaart: PartnerService
    store: FollowupStore
    scrubber: PiiScrubber
    vragen: list[Vraag]

    @cached_property
    def labels(self) -> LabelChecker:
        """The case-label check (names, addresses, dates of birth; lower case too)."""
        from bot.privacy.labels import LabelChecker

        return LabelChecker(self.scrubber)

    @cached_property
    def followup(self) -> FollowUpService:
        """Terugkoppeling rules over the store; the conversation layer calls this, never the store."""
        from bot.followup.service import FollowUpService

        return FollowUpService(self.store, presets=self.settings.followup_presets,
                               checkin_seconds=self.settings.followup_checkin,
                               is_identifying=lambda label: self.labels.check(label).identifying)  # fmt: skip

    @cached_property
    def protocols(self) -> SafetyProtocols:
        """Safety protocol per danger type and the national lines (knowledge/)."""
        from bot.safety.protocol import load_protocols

        return load_protocols(self.settings.knowledge_dir)

    def reload_knowledge(self, progress: Progress | None = None) -> None:
        """Re-read the knowledge files without a restart (admin /herlaad; the engine reloads the kaart itself)."""
        self.index = build_index(self.settings, self.embeddings, progress=progress)
        self.answers = build_answer_service(self.settings, self.index, scrubber=self.scrubber,
                                           embeddings=self.embeddings, kaart=self.kaart, store=self.store)  # fmt: skip
        from bot.ingest.vragen import load_vragen

        self.vragen = load_vragen(self.settings.knowledge_dir / "vragen.yaml")


def build_index(
    settings: Settings,
    embeddings: USEEmbeddings,
    *,
    rebuild: bool = False,
    progress: Progress | None = None,
    aside: bool = True,
) -> KnowledgeIndex:
    """Load the knowledge index, rebuilding it when a knowledge file changed (or when asked). aside: a build
    embeds the training questions in a second process meanwhile, and makes half of the sentence ranker's rows in
    a forked one (bot.index_build; the same vectors and models)."""
    from bot.index_build import questions_aside, reusing_signals, rows_in_two, will_build, working_aside
    from bot.retrieval.index import KnowledgeIndex

    # A build embeds the training questions for several models (scope, fusion, memory, sentence scorer) and the
    # passage windows and sentences: with room for all of them in the cache, each text is embedded once.
    with (
        embeddings.remembering(BUILD_CACHE_TEXTS),
        working_aside(embeddings.forget_expected) if aside else contextlib.nullcontext(),
        reusing_signals(),  # the sentence ranker's searches take the signals of the models' searches (perf15)
    ):
        if aside and will_build(settings, rebuild=rebuild):
            questions_aside(settings, embeddings)  # the training questions' vectors on the second core
        try:
            index = KnowledgeIndex.load_or_build(settings, embeddings, rebuild=rebuild, progress=progress)
            try:
                if index.rebuilt:  # trained at index time, not on the first question; half of its rows aside
                    sentence_ranker(settings, index, rows=rows_in_two(embeddings) if aside else None)
            finally:
                index.retriever.reuse_signals(None)  # the bot keeps the index: not the build's signals
        finally:
            embeddings.forget_expected()
    return index


def build_answer_service(
    settings: Settings,
    index: KnowledgeIndex,
    *,
    scrubber: PiiScrubber | None,
    embeddings: USEEmbeddings | None = None,
    kaart: PartnerService | None = None,
    store: FollowupStore | None = None,
) -> AnswerService:
    """Answer pipeline over the index; with an LLM only when OPENAI_API_KEY or OPENAI_BASE_URL is set.

    With embeddings, model replies that repeat the prompt's rules are caught by meaning; with the kaart,
    its phone numbers, e-mails and websites may appear in a model reply (besides those in the passages)."""
    from bot.answering.llm import build_chat_model
    from bot.answering.prompts import PromptLibrary
    from bot.answering.service import AnswerService

    return AnswerService(
        retriever=index.retriever,
        in_scope=index.scope.is_in_scope,
        llm=build_chat_model(settings),
        prompts=PromptLibrary(settings.prompts_dir),
        scrubber=scrubber,
        embed=embeddings.encode if embeddings is not None else None,
        kaart_contacts=(lambda: kaart_contacts(kaart)) if kaart is not None else None,
        on_answer=QuestionCounter(settings.database_path, store=store),
        ranker=sentence_ranker(settings, index),
        near_miss=index.scope.is_near_miss,
        follow_up=index.scope.follow_up_in_scope,  # retrieval11: a follow-up read with its own words
    )


def sentence_ranker(settings: Settings, index: KnowledgeIndex, *, rows: Any = None) -> SentenceRanker | None:
    """The learned sentence scorer of this index version (trained on first use, then read from the index folder).
    rows: how its training rows are made (default labelled_rows, in this process)."""
    from bot.answering.extractive import usable_sentence
    from bot.answering.sentence_model import MODEL_FILE, labelled_rows, load_or_train
    from bot.retrieval.training import TRAINING_DIR, load_training_questions

    return load_or_train(
        settings.index_dir / index.manifest.folder / MODEL_FILE,
        vectors=index.sentences,
        encode=index.retriever.query_vector,
        questions=lambda: load_training_questions(settings.knowledge_dir / TRAINING_DIR),
        search=index.retriever.search,
        usable=usable_sentence,
        rows=rows or labelled_rows,
    )


def kaart_contacts(kaart: PartnerService) -> list[str]:
    """Every phone number, e-mail address and website in the active sociale kaart."""
    return [v for s in kaart.active().services for v in (s.phone, s.email, s.website) if v]


class QuestionCounter:
    """Counts answered questions per publication chapter for team insight (no text, no user).

    Written through the follow-up store (`store`, or one opened on first use): one writer per process, no
    extra connection that waits for an fsync on every answer (issue #12)."""

    def __init__(self, database_path: Path, *, store: FollowupStore | None = None) -> None:
        self._path = database_path
        self._store = store

    def __call__(self, answer: Answer) -> None:
        if not answer.in_scope or not answer.sources or not answer.sources[0].passage.is_publication:
            return
        if self._store is None:  # opened on first use: building services stays free of database work
            from bot.followup.store import FollowupStore

            self._store = FollowupStore(self._path)
        self._store.count_question(answer.sources[0].passage.chapter)


def situation_model_aside(settings: Settings, embeddings: USEEmbeddings | None = None) -> Callable[[], str]:
    """Train (or load) the situation model in a second process while this one builds the index: the two use a
    core each. Returns `wait`, which gives the summary line, or raises RuntimeError when the training failed.
    Where processes cannot be forked, `wait` trains here. Same model either way (the same function and cache).
    embeddings: loaded here first and shared with the child (forked), which then does not load it again."""
    import multiprocessing

    from bot.lifetime import watched

    if sys.platform != "linux":
        return lambda: _situation_model_line(settings, embeddings)
    started = time.perf_counter()  # the line's time includes the model load before the fork
    if embeddings is not None:
        embeddings.prepare_cache()  # the model (and its files in the data dir) once, for both processes
    context = multiprocessing.get_context("fork")  # called before this process starts any thread of its own
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=watched(_situation_model_child), args=(settings, send, embeddings, started),
                            name="wijkbot-begrip", daemon=True)  # fmt: skip
    child.start()
    send.close()

    def wait() -> str:
        try:
            ok, line = receive.recv()
        except EOFError:
            ok, line = False, "het trainproces stopte onverwacht"
        child.join()
        receive.close()
        if not ok:
            raise RuntimeError(line)
        return str(line)

    return wait


def _situation_model_child(
    settings: Settings, send: Any, embeddings: USEEmbeddings | None = None, started: float | None = None
) -> None:
    try:
        send.send((True, _situation_model_line(settings, embeddings, started=started, aside=True)))
    except BaseException as exc:  # reported by the parent, which exits with an error
        send.send((False, f"{type(exc).__name__}: {exc}"))
    finally:
        send.close()


def _situation_model_line(
    settings: Settings,
    embeddings: USEEmbeddings | None = None,
    *,
    started: float | None = None,
    aside: bool = False,
) -> str:
    """Train the situation model into its cache under the data dir (or load it) and say so. aside: half of the
    examples' forward passes in a forked helper (only in a process without other threads of its own: the training
    process of `wijkbot index`)."""
    from bot.retrieval.embeddings import USEEmbeddings
    from bot.suggestion.service import PartnerService, order_encode_calls
    from bot.understanding.training import KnowledgePaths, build_understander

    started = time.perf_counter() if started is None else started
    encoder = embeddings if embeddings is not None else USEEmbeddings(cache_dir=settings.data_dir)

    from bot.understanding.lexicon import reads_kept

    rehearsed: list[object] = []

    def rehearse(partial: Understander) -> None:
        """While the levensgebieden head is fitted (other threads): the USE vectors the learned order's fit will ask
        for next, the same ones (USEEmbeddings.rehearse), so that fit, which needs every head, embeds nothing."""
        if partial.constants.learned_order:
            rehearsed.extend(encoder.rehearse(order_encode_calls(settings.knowledge_dir, partial)))

    try:
        # each text read by the lexicon once in this build (the order's texts: rehearsed, then fitted on)
        with reads_kept(TRAINING_READS_KEPT):
            model = build_understander(KnowledgePaths.under(settings.knowledge_dir), encoder,
                                       cache_dir=settings.data_dir / "begrip", meanwhile=rehearse,
                                       aside=aside)  # fmt: skip
            # the learned partner order is fitted on this model's readings (knowledge/rangschikking), cached with it
            PartnerService(settings=settings, embeddings=encoder, understander=model).order_models()
    finally:
        encoder.forget_expected(rehearsed)
    return f"Situatiemodel klaar ({len(model.taxonomy.ids)} levensgebieden) in {time.perf_counter() - started:.1f} s."


def engine_models_line(settings: Settings, embeddings: USEEmbeddings | None = None) -> str:
    """Train the models the engine worker reads at start (the dialogue-act model, the partner-kind model, the
    service-domain model) into the data dir, or find them current (bot.trained_cache), and say so. `wijkbot index`
    runs this while the situation model trains in its second process, so a start of the bot reads them instead of
    training them (issue #12)."""
    from bot.channels.telegram_worker import worker_understanding
    from bot.understanding.safety import load_safety
    from bot.understanding.taxonomy import load_taxonomy
    from bot.understanding.training import KnowledgePaths

    started = time.perf_counter()
    worker_understanding(settings, encoder=embeddings).acts()  # with the worker's USE model (round 10)
    paths = KnowledgePaths.under(settings.knowledge_dir)
    learned = load_safety(paths.safety, load_taxonomy(paths.taxonomy)).learned
    kinds = domains = None
    if learned is not None:
        # where build_understander keeps them (PartnerService)
        learned.cache_dir = settings.data_dir / "begrip"
        kinds, domains = learned.kinds, learned.domains
    parts = ["gespreksmodel", *(["soorten partner"] if kinds is not None else []),
             *(["levensgebieden van diensten"] if domains is not None else [])]  # fmt: skip
    return f"Modellen klaar ({', '.join(parts)}) in {time.perf_counter() - started:.1f} s."


def warm_up(services: Services) -> None:
    """Do the one-time work now (kaart vectors, first query) so the first user does not wait for it."""
    services.kaart.active()
    services.index.retriever.search("Hoe werk ik samen met de huisarts?", k=5)  # no LLM call at start-up


def warm_in_background(
    services: Services, *also: Callable[[], None], progress: Progress | None = None
) -> threading.Event:
    """warm_up (and `also`) in a daemon thread; the returned event is set when done. Every model is built
    lazily under a lock, so a turn that needs one before then waits for it, and one that does not, does not.
    The work is the same as in the foreground (same seeds, same caches), only earlier."""
    ready = threading.Event()

    def work() -> None:
        started = time.perf_counter()
        try:
            for step in also:
                step()
            warm_up(services)
        except Exception:  # the turn that needs the model builds it again and reports the problem
            logger.exception("warming up in the background failed")
        finally:
            ready.set()
        logger.debug("models ready in the background in %.1f s", time.perf_counter() - started)

    if progress is not None:
        progress("Modellen worden op de achtergrond klaargezet (eenmalig); je kunt al typen.")
    threading.Thread(target=work, name="wijkbot-warm-up", daemon=True).start()
    return ready


def build_services(settings: Settings, *, progress: Progress | None = None, warm: bool = True) -> Services:
    """Build all services once, at start-up. Raises SettingsError for unusable settings."""
    from bot.followup.store import FollowupStore
    from bot.ingest.vragen import load_vragen
    from bot.privacy.pii import PiiScrubber
    from bot.retrieval.embeddings import USEEmbeddings
    from bot.suggestion.service import PartnerService

    settings.validate_all()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    embeddings = USEEmbeddings(cache_dir=settings.data_dir)
    scrubber = PiiScrubber()
    scrubber.warm_up()  # load deduce's name lists once, not per message
    index = build_index(settings, embeddings, progress=progress)
    kaart = PartnerService(settings=settings, embeddings=embeddings, progress=progress)
    store = FollowupStore(settings.database_path)
    services = Services(
        settings=settings,
        embeddings=embeddings,
        index=index,
        answers=build_answer_service(
            settings, index, scrubber=scrubber, embeddings=embeddings, kaart=kaart, store=store
        ),  # fmt: skip
        kaart=kaart,
        store=store,
        scrubber=scrubber,
        vragen=load_vragen(settings.knowledge_dir / "vragen.yaml"),
    )
    _ = services.protocols  # a broken protocol file stops the start, not the first acute message
    if warm:
        warm_up(services)
    return services
