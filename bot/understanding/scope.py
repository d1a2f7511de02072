"""Where a safety signal stands in the text: negated, told as past, or said to be not urgent. Learned, not decided.

The signal lexicon never negates a safety hit ('geen suïcidale gedachten' still counts as a suicide word: a missed
alarm costs more than a false one), so the safety heads saw 'geen suïcidale gedachten, wel somber' much like an
alarm. These columns tell the models where each safety hit stands, next to the hits themselves:

- ``level:negated``: safety hits with a negation in their clause ('geen geweld', 'slaat niet', 'no suicidal
  thoughts'), by the same local-negation reading the lexicon uses for every other domain (signalen.yaml
  `ontkenning`);
- ``level:past``: safety hits whose sentence tells them as past or over ('vroeger geslagen', 'jaren geleden',
  'nu rustig'; signalen.yaml `ontkenning.verleden`);
- ``level:calm``: the text says the danger is not acute ('niet acuut', 'geen direct gevaar', 'no immediate danger';
  `ontkenning.veilig`), with or without a safety hit.

The level and danger heads weigh these columns like any other feature (constants.scope_weight; 0: not used, the
columns are not added). Nothing here blanks a word or changes a level: a 'geen geweld meer sinds ze weg is, maar hij
staat nu voor de deur' keeps its hits and its present-tense words.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from bot.understanding.lexicon import SENTENCE, Lexicon, SignalHit

NEGATED, PAST, CALM = "level:negated", "level:past", "level:calm"
SCOPE_COLUMNS = (NEGATED, PAST, CALM)
SCOPE_CAP = 2.0  # two negated (past) safety hits say as much as more


@dataclass(frozen=True, slots=True)
class SafetyScope:
    """Per text: how many safety hits are negated, told as past, and whether the text calls the danger not acute."""

    negated: int = 0
    past: int = 0
    calm: bool = False
    hits: int = 0  # safety hits in all

    def row(self) -> np.ndarray:
        return np.array([min(self.negated, SCOPE_CAP) / SCOPE_CAP, min(self.past, SCOPE_CAP) / SCOPE_CAP,
                         float(self.calm)], dtype=np.float32)  # fmt: skip


def safety_hits(lexicon: Lexicon, hits: list[SignalHit]) -> list[SignalHit]:
    """The hits that carry a safety level or belong to a safety domain."""
    return [h for h in hits if h.level or (h.domain in lexicon.domains and lexicon.domains[h.domain].safety)]


def read_scope(lexicon: Lexicon, text: str) -> SafetyScope:
    """Where the safety hits of a situation stand (text: as typed; read as the lexicon reads it)."""
    detection = lexicon.read(text)
    expanded = lexicon.normalizer.expand(text)
    folded = lexicon.normalizer.mask(expanded)
    negation = lexicon.negation
    calm = negation.safe is not None and negation.safe.search(folded) is not None
    found = safety_hits(lexicon, detection.hits)
    negated = past = 0
    for hit in found:
        end = min(len(folded), hit.start + len(hit.matched))
        if negation.safety_negated(folded, hit.start, end, hit.phrase):
            negated += 1
        elif negation.past is not None and negation.past.search(_sentence_at(folded, hit.start)):
            past += 1
    return SafetyScope(negated, past, calm, len(found))


def _sentence_at(text: str, position: int) -> str:
    for sentence in SENTENCE.finditer(text):
        if sentence.start() <= position < sentence.end():
            return sentence.group(0)
    return ""
