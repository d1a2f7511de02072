"""Search structures over one kaart: BM25 over Dutch tokens, USE vectors, and a service x domain profile."""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from bot.kaart.model import Kaart, Service
from bot.kaart.signals import Lexicon, fold

try:  # shared analyzer (bot/retrieval/lexical.py); the fallback keeps this module usable on its own
    from bot.retrieval.lexical import dutch_tokens
except ImportError:  # pragma: no cover

    def dutch_tokens(text: str) -> list[str]:
        return [w for w in re.findall(r"[a-z0-9]+", fold(text)) if len(w) > 1]


THEME_WEIGHT = 1.0
NAME_WEIGHT = 0.8
DESCRIPTION_WEIGHT = 0.5
DENSE_THEME_THRESHOLD = 0.45
EMBED_BATCH = 256
SERVICE_TEXT_WORDS = 6  # embedding cost grows with tokens; the first words carry the topic


class Encoder(Protocol):
    def encode(self, texts: list[str]) -> np.ndarray: ...


def service_text(service: Service) -> str:
    """Short text that represents a service for dense matching."""
    description = " ".join(service.description.split()[:SERVICE_TEXT_WORDS])
    return f"{service.name}. {service.organization}. {', '.join(service.themes)}. {description}"


def search_text(service: Service) -> str:
    return " ".join([service.name, service.organization, " ".join(service.themes), " ".join(service.audiences),
                     service.description])  # fmt: skip


class BM25:
    """A small Okapi BM25 with an inverted index; scores every document for a bag of query tokens."""

    def __init__(self, documents: list[list[str]], *, k1: float = 1.2, b: float = 0.75) -> None:
        self.size = len(documents)
        self._postings: dict[str, list[tuple[int, int]]] = defaultdict(list)
        lengths = np.array([len(d) for d in documents], dtype=np.float32)
        average = float(lengths.mean()) if self.size else 1.0
        self._norm = k1 * (1 - b + b * lengths / max(average, 1.0))
        self._k1 = k1
        for index, doc in enumerate(documents):
            for term, count in Counter(doc).items():
                self._postings[term].append((index, count))
        self._idf = {
            t: math.log(1 + (self.size - len(p) + 0.5) / (len(p) + 0.5)) for t, p in self._postings.items()
        }

    def vocabulary(self) -> list[str]:
        return list(self._postings)

    def scores(self, tokens: list[str]) -> np.ndarray:
        out = np.zeros(self.size, dtype=np.float32)
        for term in set(tokens):
            postings = self._postings.get(term)
            if not postings:
                continue
            idx = np.fromiter((p[0] for p in postings), dtype=np.int64, count=len(postings))
            tf = np.fromiter((p[1] for p in postings), dtype=np.float32, count=len(postings))
            out[idx] += self._idf[term] * tf * (self._k1 + 1) / (tf + self._norm[idx])
        return out


@dataclass(frozen=True, slots=True)
class ServiceDomains:
    """Why a service belongs to a domain: the words that matched (for reasons and debugging)."""

    weights: dict[str, float]
    evidence: dict[str, str]
    theme_counts: Counter[str] = field(default_factory=Counter)

    def focus(self, domain: str) -> float:
        """Share of the service's recognised themes that point to `domain` (1.0 = fully about it)."""
        total = sum(self.theme_counts.values())
        return self.theme_counts[domain] / total if total else 0.0


def _hits_to_weights(hits: list[tuple[str, str]], weight: float, out: ServiceDomains) -> None:
    for domain, matched in hits:
        if weight > out.weights.get(domain, 0.0):
            out.weights[domain] = weight
            out.evidence[domain] = matched


class KaartIndex:
    """Everything suggest and search need for one kaart; immutable once built."""

    def __init__(self, *, kaart: Kaart, lexicon: Lexicon, vectors: np.ndarray, domain_vectors: np.ndarray,
                 theme_vectors: dict[str, np.ndarray]) -> None:  # fmt: skip
        self.kaart = kaart
        self.lexicon = lexicon
        self.domain_ids = list(lexicon.domains)
        self.vectors = vectors
        self.bm25 = BM25([dutch_tokens(search_text(s)) for s in kaart.services])
        self.by_id = {s.id: i for i, s in enumerate(kaart.services)}
        self._theme_cache: dict[str, list[tuple[str, str]]] = {}
        self.memberships = [self._memberships(s, domain_vectors, theme_vectors) for s in kaart.services]
        self.profile = self._profile_matrix()
        self.crisis = np.array([s.crisis for s in kaart.services], dtype=bool)
        self.preferred = self._preferred_matrix()
        self.folded_names = [fold(f"{s.name} {s.organization} {' '.join(s.themes)}") for s in kaart.services]

    def _memberships(self, service: Service, domain_vectors: np.ndarray,
                     theme_vectors: dict[str, np.ndarray]) -> ServiceDomains:  # fmt: skip
        out = ServiceDomains({}, {})
        for theme in service.themes:
            if theme not in self._theme_cache:
                self._theme_cache[theme] = [
                    (h.domain, theme) for h in self.lexicon.detect(theme, themes=True)
                ]
            hits = list(self._theme_cache[theme])
            if not hits and theme in theme_vectors:
                sims = domain_vectors @ theme_vectors[theme]
                best = int(np.argmax(sims))
                if sims[best] >= DENSE_THEME_THRESHOLD:
                    hits = [(self.domain_ids[best], theme)]
            domains = {d for d, _ in hits}
            out.theme_counts.update(domains)
            _hits_to_weights(hits, THEME_WEIGHT / math.sqrt(max(len(domains), 1)), out)
        name_hits = [(h.domain, h.matched) for h in self.lexicon.detect(service.name, themes=True)]
        _hits_to_weights(name_hits, NAME_WEIGHT, out)
        text_hits = [(h.domain, h.matched) for h in self.lexicon.detect(service.description, themes=True)]
        counts = Counter(d for d, _ in text_hits)
        strong = [(d, m) for d, m in text_hits if counts[d] >= 2]
        _hits_to_weights(strong, DESCRIPTION_WEIGHT, out)
        _hits_to_weights(text_hits, DESCRIPTION_WEIGHT * 0.6, out)
        return out

    def _profile_matrix(self) -> np.ndarray:
        matrix = np.zeros((len(self.memberships), len(self.domain_ids)), dtype=np.float32)
        self.focus = np.zeros_like(matrix)
        column = {d: j for j, d in enumerate(self.domain_ids)}
        for i, member in enumerate(self.memberships):
            for domain, weight in member.weights.items():
                matrix[i, column[domain]] = weight
                self.focus[i, column[domain]] = member.focus(domain)
            strong = sum(1 for w in member.weights.values() if w >= NAME_WEIGHT)
            if strong > 2:  # generalists fit everything a little
                matrix[i] /= 1 + 0.1 * (strong - 2)
        return matrix

    def _preferred_matrix(self) -> np.ndarray:
        matrix = np.zeros((len(self.kaart.services), len(self.domain_ids)), dtype=bool)
        for j, domain in enumerate(self.lexicon.domains.values()):
            if not domain.preferred:
                continue
            for i, service in enumerate(self.kaart.services):
                words = fold(f"{service.name} {service.organization}")
                matrix[i, j] = any(re.search(rf"\b{re.escape(p)}\b", words) for p in domain.preferred)
        return matrix

    def matches_any(self, positions: np.ndarray, words: set[str]) -> np.ndarray:
        """1.0 for services whose name, organisation or themes contain one of `words` (folded)."""
        pattern = re.compile("|".join(rf"\b{re.escape(w)}" for w in sorted(words)))
        return np.array([1.0 if pattern.search(self.folded_names[int(i)]) else 0.0 for i in positions])

    def column(self, domain: str) -> int:
        return self.domain_ids.index(domain)


def unique_themes(kaart: Kaart) -> list[str]:
    seen: dict[str, None] = {}
    for service in kaart.services:
        for theme in service.themes:
            seen.setdefault(theme, None)
    return list(seen)


def embed_in_batches(encoder: Encoder, texts: list[str], *, progress: object | None = None) -> np.ndarray:
    """Encode many texts in batches; `progress(done, total)` is called after each batch when given."""
    parts = []
    for start in range(0, len(texts), EMBED_BATCH):
        parts.append(encoder.encode(texts[start : start + EMBED_BATCH]))
        if callable(progress):
            progress(min(start + EMBED_BATCH, len(texts)), len(texts))
    if not parts:
        return np.zeros((0, 512), dtype=np.float32)
    return np.vstack(parts).astype(np.float32)
