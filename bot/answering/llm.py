"""LLM mode: an OpenAI-compatible chat model answers only from numbered passages, citing [n]."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bot.answering.extractive import cite
from bot.answering.guard import (
    Embed,
    LeakDetector,
    best_support,
    keep_supported_citations,
    known_contacts,
    remove_unsourced_contacts,
)
from bot.answering.messages import Language
from bot.answering.prompts import PromptLibrary
from bot.answering.query import looks_like_injection
from bot.ingest.chunking import split_sentences
from bot.retrieval.types import Passage, ScoredPassage

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from bot.config import Settings
    from bot.privacy.pii import PiiScrubber

log = logging.getLogger(__name__)

LLM_PASSAGES = 5
PASSAGE_CHARS = 1200
NO_ANSWER = "GEEN_ANTWOORD"
_CITATION = re.compile(r"\s*\[(\s*\d+(?:\s*[,;]\s*\d+)*\s*)\]")
_LANGUAGE_NAMES = {"nl": "Nederlands", "en": "Engels (English), omdat de vraag in het Engels is"}


class LlmUnavailable(RuntimeError):
    """The model timed out, failed, or gave an answer we cannot use; the caller falls back."""


class LlmUnsupported(LlmUnavailable):
    """The model answered, but nothing of it could be checked against the passages."""


@dataclass(frozen=True, slots=True)
class LlmReply:
    text: str  # citations rendered as passage citations
    no_answer: bool  # the model said the passages do not answer the question
    cited: tuple[Passage, ...]
    leaked: bool = False  # the reply repeated the prompt's rules: show the refusal instead
    removed_contacts: int = 0  # sentences dropped for a phone number, e-mail or URL found in no source


def build_chat_model(settings: Settings) -> BaseChatModel | None:
    """ChatOpenAI for any OpenAI-compatible server; None when no key or base URL is set."""
    if not settings.llm_enabled:
        return None
    from langchain_openai import ChatOpenAI

    kwargs: dict[str, Any] = {
        "model": settings.openai_model,
        "api_key": settings.openai_api_key or "not-needed",
        "timeout": min(settings.openai_timeout, 20.0),
        "max_tokens": settings.openai_max_tokens,
        "max_retries": 0,
        "temperature": 0.1,
    }
    if settings.openai_base_url:
        kwargs["base_url"] = settings.openai_base_url
    return ChatOpenAI(**kwargs)


def clean_citations(text: str, count: int) -> tuple[str, list[int]]:
    """Drop citation numbers outside 1..count; returns the text and the valid numbers in order of use."""
    used: list[int] = []

    def keep(match: re.Match[str]) -> str:
        numbers = [int(n) for n in re.findall(r"\d+", match.group(1))]
        valid = [n for n in dict.fromkeys(numbers) if 1 <= n <= count]
        used.extend(n for n in valid if n not in used)
        return f" [{', '.join(map(str, valid))}]" if valid else ""

    return _CITATION.sub(keep, text), used


def render_citations(text: str, passages: Sequence[Passage]) -> str:
    """Replace [1, 2] by '[citation 1; citation 2]'. Expects text already cleaned."""

    def render(match: re.Match[str]) -> str:
        numbers = [int(n) for n in re.findall(r"\d+", match.group(1))]
        return " [" + "; ".join(cite(passages[n - 1])[1:-1] for n in numbers) + "]"

    return _CITATION.sub(render, text)


def _safe_passage_text(passage: Passage, scrubber: PiiScrubber | None) -> str:
    """Passage text without sentences that instruct the assistant; team documents get PII scrubbed."""
    sentences = [s for _, s in split_sentences(passage.text) if not looks_like_injection(s)]
    text = " ".join(sentences)[:PASSAGE_CHARS]
    if scrubber is not None and not passage.is_publication:
        text = scrubber.scrub(text).text
    return text


class LlmAnswerer:
    """retrieve -> prompt -> model -> parse. Holds no state besides its collaborators."""

    def __init__(
        self,
        *,
        llm: BaseChatModel,
        prompts: PromptLibrary,
        scrubber: PiiScrubber | None,
        embed: Embed | None = None,
        kaart_contacts: Callable[[], Iterable[str]] | None = None,
    ) -> None:
        self._llm = llm
        self._prompts = prompts
        self._scrubber = scrubber
        self._leaks = LeakDetector(embed)
        self._kaart_contacts = kaart_contacts or (lambda: ())

    def _scrub(self, text: str) -> str:
        return self._scrubber.scrub(text).text if self._scrubber is not None else text

    def _messages(
        self, question: str, previous: str, passages: Sequence[Passage], language: Language
    ) -> list:
        blocks = [
            self._prompts.render(
                "answer_passage", number=i, citation=p.citation(), text=_safe_passage_text(p, self._scrubber)
            )
            for i, p in enumerate(passages, start=1)
        ]
        context = (
            self._prompts.render("answer_context", previous=self._scrub(previous)) + "\n\n"
            if previous
            else ""
        )
        return self._prompts.chat_messages(
            "answer_system",
            "answer_user",
            n=len(passages),
            language=_LANGUAGE_NAMES[language],
            passages="\n\n".join(blocks),
            context=context,
            question=self._scrub(question),
        )

    def answer(
        self, question: str, *, previous: str, hits: Sequence[ScoredPassage], language: Language
    ) -> LlmReply:
        """Ask the model; raises LlmUnavailable on timeout, error or an unusable reply."""
        passages = [h.passage for h in hits[:LLM_PASSAGES]]
        messages = self._messages(question, previous, passages, language)
        try:
            result = self._llm.invoke(messages)
        except Exception as exc:  # timeout, connection, HTTP error, bad JSON: all mean "fall back"
            log.warning("LLM call failed: %s", type(exc).__name__)
            raise LlmUnavailable(type(exc).__name__) from exc
        raw = result.content if isinstance(result.content, str) else str(result.content)
        raw = raw.strip()
        if not raw:
            raise LlmUnavailable("empty reply")
        if self._leaks.leaks(raw, str(messages[0].content)):
            return LlmReply(text="", no_answer=False, cited=(), leaked=True)
        if NO_ANSWER in raw:
            return LlmReply(text="", no_answer=True, cited=())
        return self._checked(raw, passages)

    def _checked(self, raw: str, passages: Sequence[Passage]) -> LlmReply:
        """Contact details only from the sources; citations only where the passage supports the sentence."""
        texts = [p.text for p in passages]
        cleaned, _ = clean_citations(raw, len(passages))
        cleaned, removed = remove_unsourced_contacts(
            cleaned, known_contacts([*texts, *self._kaart_contacts()])
        )
        cleaned, used = keep_supported_citations(cleaned, texts)
        if not cleaned.strip():
            raise LlmUnsupported("nothing left after the checks")
        if not used:  # every claim needs a source: the passage that supports the answer as a whole
            best = best_support(cleaned, texts)
            if best is None:
                raise LlmUnsupported("reply not supported by the passages")
            cleaned, used = f"{cleaned.rstrip()} [{best}]", [best]
        return LlmReply(
            text=render_citations(cleaned, passages).strip(),
            no_answer=False,
            cited=tuple(passages[n - 1] for n in used),
            removed_contacts=removed,
        )
