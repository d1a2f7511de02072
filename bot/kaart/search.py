"""Typo-tolerant search over the kaart, and partners worth meeting in a wijk."""

from __future__ import annotations

import numpy as np
from rapidfuzz import fuzz, process

from bot.kaart.index import KaartIndex, dutch_tokens
from bot.kaart.model import Service
from bot.understanding.normalize import fold

FUZZY_CUTOFF = 80.0


def _expand(index: KaartIndex, token: str, vocabulary: list[str]) -> list[tuple[str, float]]:
    """The token itself plus vocabulary terms that look like it (typos, compound prefixes)."""
    out = [(token, 1.0)] if index.bm25.knows(token) else []
    if len(token) < 4:
        return out
    for term, score, _ in process.extract(token, vocabulary, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF,
                                          limit=5):  # fmt: skip
        if term != token:
            out.append((term, score / 100 * 0.9))
    if len(token) >= 5:
        prefix = [t for t in vocabulary if t.startswith(token[:3]) and t != token]
        for term, score, _ in process.extract(token, prefix, scorer=fuzz.partial_ratio,
                                              score_cutoff=85.0, limit=5):  # fmt: skip
            out.append((term, score / 100 * 0.7))
    return out


def search_services(index: KaartIndex, text: str, *, wijk: str | None, limit: int) -> list[Service]:
    """BM25 over names, organisations, themes and descriptions, with fuzzy term expansion."""
    vocabulary = index.bm25.vocabulary()
    scores = np.zeros(index.bm25.size, dtype=np.float32)
    for token in dutch_tokens(text):
        for term, weight in _expand(index, token, vocabulary):
            scores += weight * index.bm25.scores([term])
    folded = fold(text).strip()
    if folded:
        names = [fold(f"{s.name} {s.organization}") for s in index.kaart.services]
        for _, score, position in process.extract(folded, names, scorer=fuzz.partial_ratio,
                                                  score_cutoff=85.0, limit=limit * 4):  # fmt: skip
            scores[position] += score / 100 * 2.0
    services = index.kaart.services
    order = [int(i) for i in np.argsort(-scores) if scores[i] > 0 and services[int(i)].serves(wijk)]
    order.sort(key=lambda i: -(scores[i] + (0.5 if services[i].in_wijk(wijk) else 0.0)))
    return [services[i] for i in order[:limit]]


def kennismaken(index: KaartIndex, *, wijk: str | None, limit: int,
                exclude: frozenset[str] = frozenset()) -> list[Service]:  # fmt: skip
    """Partners worth meeting (vraagstuk 2): one per levensgebied, in the wijk first, no national lines.
    exclude: ids of general entry points (wijkteam, Wmo-loket) that the user already knows."""
    services = index.kaart.services
    domains = list(dict.fromkeys(d for s in services for d in s.levensgebieden))
    chosen: list[int] = []
    for domain in domains:
        best, best_score = None, 0.0
        for i, service in enumerate(services):
            if domain not in service.levensgebieden or i in chosen or service.id in exclude:
                continue
            if not service.serves(wijk) or _national(service):
                continue
            score = 1.0 / len(service.levensgebieden) + (1.0 if service.in_wijk(wijk) else 0.0)
            if score > best_score:
                best, best_score = i, score
        if best is not None:
            chosen.append(best)
    chosen.sort(key=lambda i: not services[i].in_wijk(wijk))
    return [services[i] for i in chosen[:limit]]


def _national(service: Service) -> bool:
    numbers = [p.replace("-", "").replace(" ", "") for p in service.phone.split(" / ")]
    return service.crisis and any(n.startswith("0800") or n in {"112", "113"} for n in numbers)
