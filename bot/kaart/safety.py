"""Safety first: decide the safety level of a situation and make sure the message names real numbers.

The level combines the signal lexicon with dense similarity to acute prototype sentences
(knowledge/signalen.yaml: acute_prototypen). The threshold is conservative on purpose: a false alarm
costs a moment of reading, a missed suicide plan or abused child costs far more.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from bot.kaart.signals import SignalHit
from bot.safety.lines import NationalLines

Level = Literal["acute", "zorg"]
# Dense evidence needs both: close to an acute prototype, and closer to it than to any everyday domain.
ACUTE_SIMILARITY = 0.40
ACUTE_LEAD = 0.10
ZORG_SIMILARITY = 0.45
ZORG_LEAD = 0.06


@dataclass(frozen=True, slots=True)
class SafetyCall:
    """Per safety domain the level found, and how close the closest acute prototype was."""

    levels: dict[str, Level]
    similarity: dict[str, float]

    @property
    def level(self) -> Level | None:
        values = set(self.levels.values())
        return "acute" if "acute" in values else "zorg" if "zorg" in values else None


def classify(*, hits: dict[str, list[SignalHit]], closeness: dict[str, tuple[float, float]],
             safety_domains: set[str]) -> SafetyCall:  # fmt: skip
    """Lexicon level per domain, raised by prototype similarity; never lowered.

    closeness: domain -> (best similarity to its acute prototypes, best lead over all non-safety prototypes).
    """
    levels: dict[str, Level] = {}
    for domain in safety_domains:
        found = {h.level for h in hits.get(domain, [])}
        best, lead = closeness.get(domain, (0.0, -1.0))
        if "acute" in found or (best >= ACUTE_SIMILARITY and lead >= ACUTE_LEAD):
            levels[domain] = "acute"
        elif "zorg" in found or (best >= ZORG_SIMILARITY and lead >= ZORG_LEAD):
            levels[domain] = "zorg"
    return SafetyCall(levels, {d: c[0] for d, c in closeness.items()})


def acute_closeness(sims: np.ndarray, *, columns: np.ndarray, acute: np.ndarray, safety_columns: list[int],
                    domain_ids: list[str]) -> dict[str, tuple[float, float]]:  # fmt: skip
    """Per safety domain: highest clause x acute-prototype similarity, and the largest lead of a clause's
    acute similarity over that clause's best match among the other (non-safety) domains."""
    out: dict[str, tuple[float, float]] = {}
    if sims.size == 0:
        return out
    others = ~np.isin(columns, safety_columns)
    other_best = sims[:, others].max(axis=1) if others.any() else np.zeros(sims.shape[0])
    for column in sorted(set(columns[acute].tolist())):
        per_clause = sims[:, acute & (columns == column)].max(axis=1)
        out[domain_ids[column]] = (float(per_clause.max()), float((per_clause - other_best).max()))
    return out


def national_sentences(lines: NationalLines) -> dict[str, tuple[str, str]]:
    """Per safety domain: (number that must be named, sentence naming it). Numbers: landelijke_lijnen.yaml."""
    alarm, suicide, home = lines["alarm"], lines["zelfmoordpreventie"], lines["veilig_thuis"]
    return {
        "any": (alarm.dial, f"Bij direct gevaar: bel {alarm.number}."),
        "crisis": (suicide.dial, f"Bij gedachten aan zelfdoding: bel {suicide.number} (gratis, dag en nacht)."),
        "veiligheid": (home.dial, f"Bij huiselijk geweld of kindermishandeling: {home.name} {home.number} "
                                  "(gratis, dag en nacht)."),
    }  # fmt: skip


def safety_message(template: str, domains: list[str], lines: NationalLines) -> str:
    """The configured message, completed with the national numbers it must always name."""
    sentences = national_sentences(lines)
    number, sentence = sentences["any"]
    message = template.strip() or sentence
    if number not in message:
        message = f"{sentence} {message}"
    for domain in ("crisis", "veiligheid"):
        number, sentence = sentences[domain]
        if domain in domains and number not in message:
            message = f"{message} {sentence}"
    return message
