"""How long it takes at a partner: the sentence of a kaart field that states a waiting time or a duration.

Kaarten write the waiting time in their own words and in whichever field the writer chose: 'Wachttijd voor
een intake is ongeveer 8 weken' in the description, 'binnen 3 werkdagen een gesprek' in the access route,
'Koppeling duurt nu ongeveer 3 weken'. The answer quotes that sentence; when no field states a time, it says
so instead of answering another attribute.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.conversation.lookup import same_word, words
from bot.kaart.model import Service

# 'binnen 2 weken', '2 à 3 gesprekken en binnen 6 weken', 'ongeveer drie maanden', 'binnen een week'
NUMBER = r"(?:\d+|een|één|twee|drie|vier|vijf|zes|zeven|acht|negen|tien|twaalf|enkele|paar)"
DURATION = re.compile(
    rf"\b{NUMBER}(?:\s*(?:à|a|-|tot|of)\s*{NUMBER})?\s+(?:werk)?(?:dagen|dag|weken|week|maanden|maand)\b",
    re.IGNORECASE,
)
WAIT = re.compile(
    r"\b(?:wacht\w*|wachtlijst\w*|duurt|doorlooptijd|direct|meteen|dezelfde\s+dag)\b", re.IGNORECASE
)
# 'binnen 3 weken', 'meestal binnen 2 maanden', 'ongeveer 10 weken': a time to wait for, not a length of stay
WITHIN = re.compile(rf"\b(?:binnen|ongeveer|gemiddeld|circa|ca\.?|nu)\s+{NUMBER}\b", re.IGNORECASE)
SENTENCE = re.compile(r"(?<=[.!?])\s+")
MAX_SENTENCE = 220
ASKED_MATCH = (
    0.7  # a word of the question that is (or starts, or shares a long stem with) a word of the sentence
)


def _sentences(service: Service) -> tuple[list[str], list[str]]:
    """The sentences of the fields about the way in (access route, hours, costs), and of the description."""
    fields = (service.application_process, service.schedule, service.fees_description)
    way_in = [s.strip() for field in fields if field for s in SENTENCE.split(field) if s.strip()]
    about = [s.strip() for s in SENTENCE.split(service.description or "") if s.strip()]
    return way_in, about


def waiting_time(service: Service, asked: Sequence[str] = ()) -> str:
    """The kaart's sentence about how long it takes ('' when no field says): a sentence that speaks of waiting
    and names a time first ('binnen 3 weken', 'wachttijd ongeveer 6 weken'), then one of the access route that
    names a time, then one of the description ('een paar dagen logeren' says how long a stay is, not how long
    the wait), then one about waiting. `asked`: the content words of the question; a sentence of that order that
    holds one of them goes first ('zijn ze snel bij een dreigende uitzetting?' -> 'Bij dreigende huisuitzetting
    ... binnen 3 werkdagen een eerste gesprek', not the usual waiting time for an intake)."""
    way_in, about = _sentences(service)
    sentences = way_in + about
    ranked = (
        [s for s in sentences if (WAIT.search(s) or WITHIN.search(s)) and DURATION.search(s)]
        + [s for s in way_in if DURATION.search(s)]
        + [s for s in about if DURATION.search(s)]
        + [s for s in sentences if WAIT.search(s) and "wacht" in s.casefold()]
    )
    if not ranked:
        return ""
    about_asked = [s for s in ranked if any(same_word(w, f) >= ASKED_MATCH for w in asked for f in words(s))]
    best = (about_asked or ranked)[0].rstrip(";.")
    return best if len(best) <= MAX_SENTENCE else best[: MAX_SENTENCE - 1].rstrip() + "…"
