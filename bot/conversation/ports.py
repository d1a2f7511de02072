"""The narrow interfaces the conversation engine depends on (not the whole Services container).

`bot.services.Services` satisfies `EngineServices`; tests pass small fakes with the same shape.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

import numpy as np

if TYPE_CHECKING:
    from bot.answering.service import Answer
    from bot.config import Settings
    from bot.followup.service import FollowUpService
    from bot.followup.store import FollowupStore
    from bot.ingest.vragen import Vraag
    from bot.kaart.model import Kaart, Service
    from bot.privacy.pii import PiiScrubber
    from bot.safety.protocol import SafetyProtocols
    from bot.suggestion.result import Suggestion, SuggestionResult
    from bot.suggestion.service import SignalSummary


class Answers(Protocol):
    def answer(
        self, question: str, *, history: Sequence[str] = (), reserve: int = 0, within: int | None = None
    ) -> Answer: ...


class Encoder(Protocol):
    def encode(self, texts: list[str]) -> np.ndarray: ...

    def encode_query(self, text: str) -> np.ndarray: ...


class KaartPort(Protocol):
    """What the engine asks of the sociale kaart (one call site for suggestions: partners.suggest)."""

    def active(self) -> Kaart: ...
    def wijken(self) -> list[str]: ...
    def get(self, service_id: str) -> Service | None: ...
    def search(self, text: str, *, wijk: str | None = None, limit: int = 5) -> list[Service]: ...
    def suggest(self, situation: str, *, wijk: str | None = None, top: int = 3) -> SuggestionResult: ...
    def signals(self, text: str) -> SignalSummary: ...
    def alternatives(
        self, service_id: str, *, wijk: str | None = None, limit: int = 3, domain: str | None = None
    ) -> list[Suggestion]: ...
    def kennismaken(self, *, wijk: str | None, limit: int = 8) -> list[Service]: ...
    def reload(self) -> None: ...


class EngineServices(Protocol):
    """Read-only view of the services the engine uses."""

    @property
    def settings(self) -> Settings: ...
    @property
    def answers(self) -> Answers: ...
    @property
    def kaart(self) -> KaartPort: ...
    @property
    def store(self) -> FollowupStore: ...
    @property
    def followup(self) -> FollowUpService: ...
    @property
    def protocols(self) -> SafetyProtocols: ...
    @property
    def scrubber(self) -> PiiScrubber: ...
    @property
    def vragen(self) -> list[Vraag]: ...
    @property
    def embeddings(self) -> Encoder | None: ...
