"""Typo-tolerant search over the kaart, next-best partners, and partners worth meeting in a wijk."""

from __future__ import annotations

import numpy as np
from rapidfuzz import fuzz, process

from bot.kaart.index import KaartIndex, dutch_tokens
from bot.kaart.model import Service
from bot.kaart.signals import fold
from bot.kaart.suggest import Suggestion, reason_text

FUZZY_CUTOFF = 80.0


def _expand(index: KaartIndex, token: str, vocabulary: list[str]) -> list[tuple[str, float]]:
    """The token itself plus vocabulary terms that look like it (typos, compound prefixes)."""
    out = [(token, 1.0)] if token in index.bm25._idf else []  # noqa: SLF001
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


def main_domain(index: KaartIndex, position: int) -> str | None:
    general = index.lexicon.general_domain()
    row = index.profile[position].copy()
    if general is not None:
        row[index.column(general)] = 0.0
    return index.domain_ids[int(np.argmax(row))] if row.max() > 0 else None


SUBSTITUTE_MEMBERSHIP = 0.5  # a substitute really works in the levensgebied, not only touches it


def alternatives(index: KaartIndex, service_id: str, *, wijk: str | None, limit: int,
                 domain: str | None = None) -> list[Suggestion]:  # fmt: skip
    """Substitutes for `service_id`: services that work in the same levensgebied (`domain` when given and
    known, else the service's main one), in the wijk first, then the most similar."""
    position = index.by_id.get(service_id)
    if position is None:
        return []
    domain = domain if domain in index.domain_ids else main_domain(index, position)
    if domain is None:
        return []
    col = index.column(domain)
    in_wijk = np.array([1.0 if s.in_wijk(wijk) else 0.0 for s in index.kaart.services])
    score = 1.5 * index.profile[:, col] + index.vectors @ index.vectors[position] + 0.5 * in_wijk
    label = index.lexicon.domains[domain].label
    out: list[Suggestion] = []
    for i in np.argsort(-score):
        service = index.kaart.services[int(i)]
        member = index.profile[int(i), col] >= SUBSTITUTE_MEMBERSHIP
        if int(i) == position or not member or not service.serves(wijk):
            continue
        evidence = index.memberships[int(i)].evidence.get(domain, "")
        reason = reason_text(label=label, signals=(), evidence=evidence, service=service, wijk=wijk,
                             alternative=True)  # fmt: skip
        out.append(Suggestion(service, domain, reason, float(score[int(i)]), label, alternative=True))
        if len(out) >= limit:
            break
    return out


def kennismaken(index: KaartIndex, *, wijk: str | None, limit: int) -> list[Service]:
    """Partners worth meeting (vraagstuk 2): one per levensgebied, in the wijk first, no national lines."""
    services = index.kaart.services
    chosen: list[int] = []
    general = index.lexicon.general_domain()
    for col, domain in enumerate(index.domain_ids):
        if domain == general:
            continue
        best, best_score = None, 0.0
        for i in np.flatnonzero(index.profile[:, col] >= 0.5):
            service = services[int(i)]
            if int(i) in chosen or not service.serves(wijk) or _national(service):
                continue
            score = float(index.profile[int(i), col]) + (1.0 if service.in_wijk(wijk) else 0.0)
            if score > best_score:
                best, best_score = int(i), score
        if best is not None:
            chosen.append(best)
    chosen.sort(key=lambda i: not services[i].in_wijk(wijk))
    return [services[i] for i in chosen[:limit]]


def _national(service: Service) -> bool:
    numbers = [p.replace("-", "").replace(" ", "") for p in service.phone.split(" / ")]
    return service.crisis and any(n.startswith("0800") or n in {"112", "113"} for n in numbers)
