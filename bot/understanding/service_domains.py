"""Services -> levensgebieden at import: keep the kaart's own column, predict the rest, flag doubt for review."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from bot.kaart.model import Service
from bot.understanding.service_models import DomainSettings

if TYPE_CHECKING:
    import numpy as np

    from bot.understanding.model import Understander

MAX_SERVICE_DOMAINS = 3


def service_text(service: Service) -> str:
    """What a service says about itself: name, themes, audiences and description."""
    return ". ".join(p for p in (service.name, ", ".join(service.themes), ", ".join(service.audiences),
                                  service.description) if p)  # fmt: skip


@dataclass(frozen=True, slots=True)
class DomainGuess:
    """Predicted levensgebieden of one service, with the probability of each."""

    domains: tuple[str, ...]
    probabilities: dict[str, float]
    expanded: str = ""  # the service text as the models read it (kept for the ranker's word features)
    hits: np.ndarray | None = None  # its signal-lexicon row (kept for the ranker's profiles: read once)
    chosen_by: dict[str, float] | None = None  # the probabilities the domains were chosen by, if not these

    @property
    def confidence(self) -> float:
        chosen_by = self.chosen_by if self.chosen_by is not None else self.probabilities
        return min((chosen_by[d] for d in self.domains), default=0.0)


def guess_domains(services: list[Service], understander: Understander) -> list[DomainGuess]:
    """Domain probabilities for every service (also the ones with domains given, for soft membership): the
    classifier learned from labelled kaart rows, blended with the situation model read on the service text."""
    readings = understander.understand_many([service_text(s) for s in services])
    learned = understander.safety.learned
    settings = (learned.domain_settings or DomainSettings()) if learned is not None else None
    model = learned.domains if learned is not None and settings is not None and settings.blend > 0 else None
    rows = model.probabilities(services) if model is not None and services else None
    out = []
    for i, reading in enumerate(readings):
        probabilities = reading.probabilities
        threshold = understander.constants.service_domain_threshold
        if rows is not None and model is not None:
            w, threshold = model.settings.blend, model.settings.threshold
            probabilities = {d: w * float(rows[i, j]) + (1 - w) * reading.probabilities.get(d, 0.0)
                             for j, d in enumerate(model.domain_ids)}  # fmt: skip
        chosen = choose_domains(probabilities, threshold, understander.constants.first_domain_floor)
        if model is not None and not model.settings.rank_with_blend:  # soft membership: the situation model
            out.append(
                DomainGuess(chosen, reading.probabilities, reading.expanded, reading.hits, probabilities)
            )
            continue
        out.append(DomainGuess(chosen, probabilities, reading.expanded, reading.hits))
    return out


def choose_domains(probabilities: dict[str, float], threshold: float, floor: float) -> tuple[str, ...]:
    """Up to three levensgebieden from the threshold on; else the first one if it passes the floor."""
    ranked = sorted(probabilities, key=lambda d: -probabilities[d])
    chosen = [d for d in ranked[:MAX_SERVICE_DOMAINS] if probabilities[d] >= threshold]
    if not chosen and ranked and probabilities[ranked[0]] >= floor:
        chosen = [ranked[0]]
    return tuple(chosen)


def with_domains(services: list[Service], guesses: list[DomainGuess]) -> list[Service]:
    """Services whose levensgebieden were empty get the predicted ones (source 'voorspeld')."""
    return [
        service
        if service.levensgebieden
        else replace(
            service,
            levensgebieden=guess.domains,
            domains_source="voorspeld",
            domains_confidence=round(guess.confidence, 3),
        )  # fmt: skip
        for service, guess in zip(services, guesses, strict=True)
    ]


def needs_review(service: Service, *, threshold: float, margin: float) -> bool:
    """Predicted and either empty or not far above the threshold; confirmed and given domains never are."""
    if service.domains_source in ("kaart", "bevestigd"):
        return False
    return not service.levensgebieden or service.domains_confidence < threshold + margin
