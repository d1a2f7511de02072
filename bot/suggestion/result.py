"""What a suggestion returns: the safety line, one partner per levensgebied, advice. Stable for the engine."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from bot.kaart.model import Service
from bot.suggestion.advice import AdviceRef

LEVEL_NAMES: dict[str, Literal["acute", "zorg"]] = {"acuut": "acute", "zorg": "zorg"}


@dataclass(frozen=True, slots=True)
class Safety:
    """A safety line shown before any suggestion. level: 'acute' or 'zorg' (the CLI's JSON contract)."""

    level: Literal["acute", "zorg"]
    message: str
    danger: str | None = None


@dataclass(frozen=True, slots=True)
class Suggestion:
    """One partner for one levensgebied, with a Dutch reason."""

    service: Service
    domain: str
    reason: str
    score: float
    domain_label: str = ""
    signals: tuple[str, ...] = ()
    meldcode: str = ""
    alternative: bool = False


@dataclass(slots=True)
class SuggestionResult:
    """What suggest() returns; to_json() gives the CLI's --json schema."""

    safety: Safety | None
    suggestions: list[Suggestion]
    advice: AdviceRef
    nothing_fits: bool
    general: list[Service] = field(default_factory=list)
    domains: tuple[str, ...] = ()  # the levensgebieden the situation was read as, most likely first

    def to_json(self) -> dict[str, Any]:
        return {
            "safety": None
            if self.safety is None
            else {"level": self.safety.level, "message": self.safety.message},
            "suggestions": [
                {
                    "id": s.service.id,
                    "organization": s.service.organization,
                    "name": s.service.name,
                    "domain": s.domain,
                    "reason": s.reason,
                    "contact_name": s.service.contact_name,
                    "phone": s.service.phone,
                    "email": s.service.email,
                    "application_process": s.service.application_process,
                }  # fmt: skip
                for s in self.suggestions
            ],
            "advice": self.advice.to_json(),
        }
