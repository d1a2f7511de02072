"""Composition root: build_services(settings) wires every capability with plain constructor arguments."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.config import Settings

if TYPE_CHECKING:
    from bot.answering.service import AnswerService
    from bot.followup.store import FollowupStore
    from bot.ingest.vragen import Vraag
    from bot.privacy.pii import PiiScrubber
    from bot.retrieval.embeddings import USEEmbeddings
    from bot.retrieval.index import KnowledgeIndex
    from bot.suggestion.service import PartnerService

Progress = Callable[[str], None]


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

    def reload_knowledge(self, progress: Progress | None = None) -> None:
        """Re-read the knowledge files without a restart (admin /herlaad; the engine reloads the kaart itself)."""
        self.index = build_index(self.settings, self.embeddings, progress=progress)
        self.answers = build_answer_service(self.settings, self.index, scrubber=self.scrubber)
        from bot.ingest.vragen import load_vragen

        self.vragen = load_vragen(self.settings.knowledge_dir / "vragen.yaml")


def build_index(
    settings: Settings, embeddings: USEEmbeddings, *, rebuild: bool = False, progress: Progress | None = None
) -> KnowledgeIndex:
    """Load the knowledge index, rebuilding it when a knowledge file changed (or when asked)."""
    from bot.retrieval.index import KnowledgeIndex

    return KnowledgeIndex.load_or_build(settings, embeddings, rebuild=rebuild, progress=progress)


def build_answer_service(
    settings: Settings, index: KnowledgeIndex, *, scrubber: PiiScrubber | None
) -> AnswerService:
    """Answer pipeline over the index; with an LLM only when OPENAI_API_KEY or OPENAI_BASE_URL is set."""
    from bot.answering.llm import build_chat_model
    from bot.answering.prompts import PromptLibrary
    from bot.answering.service import AnswerService

    return AnswerService(
        retriever=index.retriever,
        in_scope=index.scope.is_in_scope,
        llm=build_chat_model(settings),
        prompts=PromptLibrary(settings.prompts_dir),
        scrubber=scrubber,
    )


def warm_up(services: Services) -> None:
    """Do the one-time work now (kaart vectors, first query) so the first user does not wait for it."""
    services.kaart.active()
    services.index.retriever.search("Hoe werk ik samen met de huisarts?", k=5)  # no LLM call at start-up


def build_services(settings: Settings, *, progress: Progress | None = None, warm: bool = True) -> Services:
    """Build all services once, at start-up. Raises SettingsError for unusable settings."""
    from bot.followup.store import FollowupStore
    from bot.ingest.vragen import load_vragen
    from bot.privacy.pii import PiiScrubber
    from bot.retrieval.embeddings import USEEmbeddings
    from bot.suggestion.service import PartnerService

    settings.validate_all()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    embeddings = USEEmbeddings()
    scrubber = PiiScrubber()
    scrubber.warm_up()  # load deduce's name lists once, not per message
    index = build_index(settings, embeddings, progress=progress)
    services = Services(
        settings=settings,
        embeddings=embeddings,
        index=index,
        answers=build_answer_service(settings, index, scrubber=scrubber),
        kaart=PartnerService(settings=settings, embeddings=embeddings),
        store=FollowupStore(settings.database_path),
        scrubber=scrubber,
        vragen=load_vragen(settings.knowledge_dir / "vragen.yaml"),
    )
    if warm:
        warm_up(services)
    return services
