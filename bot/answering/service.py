"""AnswerService: a grounded answer with its sources, extractive by default, LLM when configured."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal, Protocol

from bot.answering import messages
from bot.answering.extractive import TOP_PASSAGES, compose
from bot.answering.guard import Embed
from bot.answering.llm import LlmAnswerer, LlmUnavailable, LlmUnsupported
from bot.answering.messages import Language
from bot.answering.prompts import PromptLibrary
from bot.answering.query import BadQuestion, PreparedQuestion, prepare_question
from bot.answering.sentence_model import SentenceRanker
from bot.privacy.pii import PiiScrubber
from bot.retrieval.types import PUBLICATION_ATTRIBUTION, Passage, ScoredPassage

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

__all__ = ["Answer", "AnswerService", "BadQuestion", "Retriever"]

log = logging.getLogger(__name__)

SEARCH_K = 10
WITHIN_K = 40  # passages searched for an answer kept within one chapter


class Retriever(Protocol):
    def search(self, query: str, *, k: int = 10) -> list[ScoredPassage]: ...


InScope = Callable[[str, list[ScoredPassage]], bool]
FollowUpInScope = Callable[
    [str, list[ScoredPassage], str, list[ScoredPassage]], bool
]  # previous, its hits, own, ...


@dataclass(frozen=True)
class Answer:
    text: str  # Dutch (or English if the user wrote English), phone-sized
    mode: Literal["extractive", "llm"]
    in_scope: bool
    sources: list[ScoredPassage]  # ranked passages, best first
    notices: list[str] = field(default_factory=list)
    # The same answer as phone messages (empty: one message, `text`). The first is at most FIRST_MESSAGE_CHARS and
    # holds the best-ranked sentences with their citation and the source line; the second the other sentences,
    # without repeating a citation or source the first already gives.
    parts: tuple[str, ...] = ()


def source_name(passage: Passage) -> str:
    return PUBLICATION_ATTRIBUTION if passage.is_publication else passage.source


def source_line(passages: Sequence[Passage], language: Language) -> str:
    """'Bron: <publication attribution>; <team document names>' for the passages quoted."""
    names: list[str] = []
    for passage in passages:
        name = source_name(passage)
        if name not in names:
            names.append(name)
    return f"{messages.text('source_label', language)}: {'; '.join(names)}"


# Issue #8: a reply's first message is at most 600 characters on a phone.
FIRST_MESSAGE_CHARS = 600


def first_budget(leads: Sequence[str], hits: Sequence[ScoredPassage], language: Language) -> int:
    """Characters left for the first message's sentences: FIRST_MESSAGE_CHARS less the leads and the longest
    source line the quoted passages could give, each with its blank line."""
    fixed = [*leads, source_line([h.passage for h in hits[:TOP_PASSAGES]], language)]
    return FIRST_MESSAGE_CHARS - sum(len(part) + 2 for part in fixed)


class AnswerService:
    """Answers questions about collaboration from the knowledge index. Blocking; channels use to_thread."""

    def __init__(
        self,
        *,
        retriever: Retriever,
        in_scope: InScope,
        llm: BaseChatModel | None = None,
        prompts: PromptLibrary,
        scrubber: PiiScrubber | None = None,
        embed: Embed | None = None,
        kaart_contacts: Callable[[], Iterable[str]] | None = None,
        max_question_chars: int = 2000,
        on_answer: Callable[[Answer], None] | None = None,
        ranker: SentenceRanker | None = None,
        near_miss: InScope | None = None,
        follow_up: FollowUpInScope | None = None,
    ) -> None:
        """embed (USE vectors) lets replies that repeat the prompt's rules be caught by meaning;
        kaart_contacts gives the phone numbers, e-mails and sites a reply may mention besides the passages;
        on_answer is called with every answer (team insight counts the chapter; it gets no question)."""
        self._on_answer = on_answer
        self._ranker = ranker  # learned choice of the extractive answer's sentences (None: word overlap)
        self._near_miss = near_miss  # for a refused question: is it near a topic the publication does cover?
        self._retriever = retriever
        self._in_scope = in_scope
        self._follow_up = (
            follow_up  # a refused follow-up: in scope by the question it leans on and its own words?
        )
        if llm is not None and scrubber is None:
            scrubber = PiiScrubber(use_deduce=False)  # never send unscrubbed text, even when not wired
        self._llm = (
            LlmAnswerer(
                llm=llm, prompts=prompts, scrubber=scrubber, embed=embed, kaart_contacts=kaart_contacts
            )
            if llm is not None
            else None
        )
        self._max_chars = max_question_chars

    @property
    def llm_enabled(self) -> bool:
        return self._llm is not None

    def answer(
        self, question: str, *, history: Sequence[str] = (), reserve: int = 0, within: int | None = None
    ) -> Answer:
        """Answer one question; `history` holds earlier user questions of this conversation, latest last;
        `reserve`: characters the caller puts above the first phone message (Answer.parts); `within`: only
        passages of this chapter (a follow-up that stays in the topic of the last answer), in scope when the
        chapter has any passage for the question.

        Raises BadQuestion (with a Dutch message) for empty or emoji-only input.
        """
        if within is not None:
            answer = self._answer_within(question, history=history, chapter=within)
            if answer is not None:
                if self._on_answer is not None:
                    self._on_answer(answer)
                return answer
        answer = self._answer(question, history=history, reserve=reserve)
        if self._on_answer is not None:
            self._on_answer(answer)
        return answer

    def _answer(self, question: str, *, history: Sequence[str], reserve: int = 0) -> Answer:
        prepared = prepare_question(question, history=history, max_chars=self._max_chars)
        if prepared.is_injection:
            return self._refusal("injection", prepared)
        hits = list(self._retriever.search(prepared.retrieval_query, k=SEARCH_K))
        if not hits or not (self._in_scope(prepared.retrieval_query, hits) or self._follows_up(prepared)):
            if hits and self._near_miss is not None and self._near_miss(prepared.retrieval_query, hits):
                topic = next((h.passage for h in hits if h.passage.is_publication), hits[0].passage)
                return self._refusal("near_miss", prepared, citation=topic.citation())
            return self._refusal("out_of_scope", prepared)
        if self._llm is not None:
            return self._llm_answer(prepared, hits)
        return self._extractive(prepared, hits, notices=prepared.notices, reserve=reserve)

    def _answer_within(self, question: str, *, history: Sequence[str], chapter: int) -> Answer | None:
        """The answer from the passages of one chapter; None when the wider search finds none of them."""
        prepared = prepare_question(question, history=history, max_chars=self._max_chars)
        if prepared.is_injection:
            return self._refusal("injection", prepared)
        wide = self._retriever.search(prepared.retrieval_query, k=WITHIN_K)
        hits = [hit for hit in wide if hit.passage.chapter == chapter][:SEARCH_K]
        if not hits:
            return None
        if self._llm is not None:
            return self._llm_answer(prepared, hits)
        return self._extractive(prepared, hits, notices=prepared.notices)

    def _follows_up(self, prepared: PreparedQuestion) -> bool:
        """A follow-up refused with its context, answered when the context's topic is covered and its own words ask
        nothing the publication lacks (ScopeJudge.follow_up_in_scope)."""
        if self._follow_up is None or not prepared.is_followup or not prepared.previous:
            return False
        hits = list(self._retriever.search(prepared.retrieval_query, k=SEARCH_K))
        own = list(self._retriever.search(prepared.text, k=SEARCH_K))
        return self._follow_up(prepared.retrieval_query, hits, prepared.text, own)

    def _refusal(self, key: str, prepared: PreparedQuestion, **values: str) -> Answer:
        return Answer(
            text=messages.text(key, prepared.language, **values),
            mode="extractive",
            in_scope=False,
            sources=[],
            notices=list(prepared.notices),
        )

    def _extractive(
        self, prepared: PreparedQuestion, hits: list[ScoredPassage], *, notices: list[str], reserve: int = 0
    ) -> Answer:
        leads = [messages.text("english_lead", "en")] if prepared.language == "en" else []
        query, question = prepared.retrieval_query, prepared.text
        budget = first_budget(leads, hits, prepared.language) - reserve
        extract = compose(query, hits, ranker=self._ranker, question=question, first_chars=budget)
        loose = extract.loose and prepared.language == "nl"  # English words never meet the Dutch sentences
        if loose:  # room in the first message for the two lines that say so
            loose_lines = [messages.text("loose_lead"), messages.text("loose_more")]
            budget = first_budget([*leads, *loose_lines], hits, "nl") - reserve
            extract = compose(query, hits, ranker=self._ranker, question=question, first_chars=budget)
        # loose: say what the publication does say about the topic, not that it answers the question
        head = [*leads, messages.text("loose_lead")] if loose else leads
        tail = [messages.text("loose_more")] if loose else []
        language = prepared.language
        text = "\n\n".join([*head, extract.body, source_line(extract.cited, language), *tail])
        first = "\n\n".join([*head, extract.first, source_line(extract.first_cited, language)])
        parts: tuple[str, ...] = (first,)
        if extract.rest:
            shown = {source_name(p) for p in extract.first_cited}
            new_sources = [p for p in extract.rest_cited if source_name(p) not in shown]
            rest = [extract.rest, source_line(new_sources, language)] if new_sources else [extract.rest]
            parts = (first, "\n\n".join(rest))
        parts = (*parts[:-1], "\n\n".join([parts[-1], *tail]))
        return Answer(
            text=text, mode="extractive", in_scope=True, sources=hits, notices=list(notices), parts=parts
        )

    def _llm_answer(self, prepared: PreparedQuestion, hits: list[ScoredPassage]) -> Answer:
        assert self._llm is not None
        try:
            reply = self._llm.answer(
                prepared.text, previous=prepared.previous, hits=hits, language=prepared.language
            )
        except LlmUnavailable as exc:
            key = "llm_unsupported" if isinstance(exc, LlmUnsupported) else "llm_fallback"
            notice = messages.text(key, prepared.language)
            return self._extractive(prepared, hits, notices=[*prepared.notices, notice])
        if reply.leaked:
            log.warning("LLM reply repeated the prompt's rules; refused")
            return self._refusal("injection", prepared)
        if reply.no_answer:
            return Answer(
                text=messages.text("out_of_scope", prepared.language),
                mode="llm",
                in_scope=False,
                sources=hits,
                notices=list(prepared.notices),
            )
        text = f"{reply.text}\n\n{source_line(reply.cited, prepared.language)}"
        notices = list(prepared.notices)
        if reply.removed_contacts:
            notices.append(messages.text("contacts_removed", prepared.language))
        return Answer(text=text, mode="llm", in_scope=True, sources=hits, notices=notices)
