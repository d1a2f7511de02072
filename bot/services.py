"""Composition root: build_services(settings) wires every capability with plain constructor arguments."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

from bot.config import Settings

if TYPE_CHECKING:
    from bot.answering.service import AnswerService
    from bot.followup.store import FollowupStore
    from bot.ingest.vragen import Vraag
    from bot.kaart.service import KaartService
    from bot.privacy.pii import PiiScrubber
    from bot.retrieval.embeddings import USEEmbeddings
    from bot.retrieval.index import KnowledgeIndex


@dataclass
class Services:
    """Everything the conversation engine and the CLI need. Handlers receive this; they never build clients."""

    settings: Settings
    embeddings: USEEmbeddings
    index: KnowledgeIndex
    answers: AnswerService
    kaart: KaartService
    store: FollowupStore
    scrubber: PiiScrubber
    vragen: list[Vraag]


def build_services(settings: Settings, *, progress: Callable[[str], None] | None = None) -> Services:
    """Build all services once, at start-up. Raises SettingsError for unusable settings."""
    raise NotImplementedError  # filled in by the lead once the capabilities land
