"""Which partner a message means by its kind: 'die van de schulden', 'de thuisverpleging', 'de psycholoog'.

The kaart's own words decide: the service's themes, its description and its levensgebieden (label and
description from knowledge/levensgebieden.yaml). A word weighs by where it is found (a theme says more than a
sentence of the description) and by how rare it is on the kaart (inverse document frequency), so 'schulden'
finds the schuldhulp-like service and not every service of the levensgebied financiën. Words that ask for an
attribute ('nummer', 'contactpersoon', 'adres') never count as a kind.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bot.conversation.lookup import same_word, words
from bot.kaart.model import Service

# Where a word is found -> its weight. Themes are the kaart's own keywords; the levensgebied text is shared
# by many services and only breaks ties.
FIELD_WEIGHTS = {"themes": 1.0, "description": 0.6, "levensgebied": 0.3}
ASKING_WORDS = frozenset(
    ["nummer", "telefoonnummer", "telefoon", "tel", "bellen", "bel", "contactpersoon", "contact", "adres",
     "openingstijden", "open", "bereikbaar", "talen", "taal", "spreken", "spreekt", "kosten", "kost",
     "website", "mail", "email", "toegang", "aanmelden", "dienst", "partner", "organisatie", "hulp", "helpen",
     "zoek", "zoeken", "vind", "weet", "iemand", "contactgegevens", "gegevens", "mensen", "daarvan", "welk"]
)  # fmt: skip
# Words of a question about when: 'hebben ze een telefonisch spreekuur?' asks for the schedule of the partner
# in focus or of the list, never for the one service whose description happens to mention a spreekuur.
SCHEDULE_WORDS = frozenset(
    ["spreekuur", "spreekuren", "inloop", "inloopspreekuur", "telefonisch", "geopend", "vandaag", "morgen",
     "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag", "weekend", "tijden",
     "openingstijden", "avond", "avonds", "ochtend", "middag"]
)  # fmt: skip
# Words about costs and waiting: 'zit er een eigen bijdrage aan?' asks about the partner in focus.
VALUE_WORDS = frozenset(
    ["eigen", "bijdrage", "gratis", "betalen", "betaalt", "prijs", "euro", "vergoed", "vergoeding", "wachtlijst",
     "wachttijd", "verwijzing", "verwijsbrief", "anoniem", "huisbezoek", "aanmelden", "aanmelding"]
)  # fmt: skip
# Verbs every question uses: 'kunnen ze ook op huisbezoek komen?' names no kind by 'komen'.
GENERAL_VERBS = frozenset(
    ["komen", "kunnen", "gaan", "doen", "doet", "hebben", "heeft", "zitten", "zit", "staan", "krijgen", "moeten",
     "willen", "zeggen", "vragen", "bereik", "bereiken", "terecht", "naartoe", "langs", "werken", "werkt"]
)  # fmt: skip
PLACE_WORDS = frozenset(
    ["wijk", "buurt", "gebied", "omgeving", "regio", "hier", "daar"]
)  # 'bij ons in de buurt'
ATTRIBUTE_WORDS = ASKING_WORDS | SCHEDULE_WORDS | VALUE_WORDS | GENERAL_VERBS | PLACE_WORDS
MIN_KIND_SCORE = 1.0  # one theme word found on a few entries, or a description word found on one or two
CLEAR_MARGIN = 1.25  # the best must beat the second by this factor to be 'the one'


def kind_words(text: str) -> list[str]:
    """The content words of a message that can name a kind of service."""
    return [w for w in words(text) if w not in ATTRIBUTE_WORDS]


@dataclass(frozen=True, slots=True)
class KindIndex:
    """Per service: its words per field; per word: the idf over the kaart."""

    entries: tuple[tuple[Service, Mapping[str, frozenset[str]]], ...]
    idf: Mapping[str, Mapping[str, float]]  # field -> word -> idf over that field (levensgebieden are shared)

    @classmethod
    def build(cls, services: Sequence[Service], domain_texts: Mapping[str, str]) -> KindIndex:
        """`domain_texts`: levensgebied id -> 'label omschrijving'."""
        entries = []
        for s in services:
            fields = {
                "themes": frozenset(words(" ".join((*s.themes, s.name, s.organization)))),
                "description": frozenset(
                    words(f"{s.description} {s.contact_title}")
                ),  # 'wie is de wijkcoach'
                "levensgebied": frozenset(words(" ".join(domain_texts.get(d, "") for d in s.levensgebieden))),
            }
            entries.append((s, fields))
        n = max(len(entries), 1)
        own = Counter(w for _, f in entries for w in f["themes"] | f["description"])
        shared = Counter(w for _, f in entries for w in f["levensgebied"])
        idf_own = {w: math.log((n + 1) / (c + 0.5)) for w, c in own.items()}
        idf_shared = {w: math.log((n + 1) / (c + 0.5)) for w, c in shared.items()}
        return cls(tuple(entries), {"themes": idf_own, "description": idf_own, "levensgebied": idf_shared})

    def score(self, text_words: Sequence[str], fields: Mapping[str, frozenset[str]]) -> float:
        total = 0.0
        for w in set(text_words):
            best = 0.0
            for field, weight in FIELD_WEIGHTS.items():
                for candidate in fields[field]:
                    strength = same_word(w, candidate) or head_of(w, candidate)
                    if strength:
                        best = max(best, weight * strength * self.idf[field][candidate])
            total += best
        return total

    def ranked(self, text: str, *, among: Sequence[str] | None = None) -> list[tuple[float, Service]]:
        """(score, service), best first; `among` limits it to these ids (the partners just shown)."""
        text_words = kind_words(text)
        if not text_words:
            return []
        scored = [
            (self.score(text_words, fields), s)
            for s, fields in self.entries
            if among is None or s.id in among
        ]
        return sorted((x for x in scored if x[0] > 0), key=lambda x: -x[0])

    def best(
        self,
        text: str,
        *,
        among: Sequence[str] | None = None,
        minimum: float = MIN_KIND_SCORE,
        wijk: str | None = None,
    ) -> Service | None:
        """The one service the text means by kind, or None when none or several fit about equally. Among
        several that fit equally, the one limited to `wijk` wins ('wie is de wijkcoach' in the user's wijk)."""
        ranked = self.ranked(text, among=among)
        if not ranked or ranked[0][0] < minimum:
            return None
        if len(ranked) > 1 and ranked[0][0] < CLEAR_MARGIN * ranked[1][0]:
            close = [s for score, s in ranked if score * CLEAR_MARGIN > ranked[0][0]]
            local = [s for s in close if s.in_wijk(wijk)]
            return local[0] if len(local) == 1 and _one_kind(close) else None
        return ranked[0][1]


MIN_HEAD_WORD = 6
HEAD_MATCH = 0.6


def head_of(word: str, candidate: str) -> float:
    """'schade' - 'aardbevingsschade', 'opvang' - 'vrouwenopvang': the word is the compound's head (kinds only;
    a name is never found by its head: 'nummer' is no 'alarmnummer')."""
    return (
        HEAD_MATCH
        if len(word) >= MIN_HEAD_WORD and len(candidate) > len(word) and candidate.endswith(word)
        else 0.0
    )


def _one_kind(services: Sequence[Service]) -> bool:
    """The same service in several wijken: one organisation, or the same themes ('Wijkteam Noord', '... Zuid')."""
    organizations = {s.organization.casefold() for s in services}
    themes = {tuple(sorted(t.casefold() for t in s.themes)) for s in services}
    return len(organizations) == 1 or (len(themes) == 1 and themes != {()})
