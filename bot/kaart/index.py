"""Search structures over one kaart for the directory: BM25 over Dutch tokens of name, themes and text."""

from __future__ import annotations

import math
from collections import Counter, defaultdict

import numpy as np

from bot.kaart.model import Kaart, Service
from bot.retrieval.lexical import dutch_tokens

__all__ = ["BM25", "KaartIndex", "dutch_tokens", "search_text"]


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

    def knows(self, term: str) -> bool:
        return term in self._idf

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


class KaartIndex:
    """The services of one kaart with a BM25 index and ids; immutable once built."""

    def __init__(self, *, kaart: Kaart) -> None:
        self.kaart = kaart
        self.bm25 = BM25([dutch_tokens(search_text(s)) for s in kaart.services])
        self.by_id = {s.id: i for i, s in enumerate(kaart.services)}
