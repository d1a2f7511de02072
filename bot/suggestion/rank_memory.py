"""What the keys of other kaarten say about a situation: the rows professionals accepted for similar situations.

The keyed kaarten (knowledge/rangschikking/) hold situations and the service rows a professional accepts for them.
For a new situation its nearest keyed situations (USE cosine) are looked up, and each candidate row of the kaart in
use gets the feature `recall`: per neighbour the best cosine of the candidate to a row that neighbour's key
accepted, averaged with the neighbours' similarities as weights. So "for a fall of an elderly man, professionals
chose the fall-prevention course and the ouderenadviseur" carries over to a kaart with other names.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# chosen by leave one kaart out over the eight keyed dev kaarten (bench/dev_kaarten.py --grid neighbours=...),
# top-3 / top-1: 3 0.926/0.730, 5 0.926/0.739, 7 0.928/0.736, 10 0.923/0.740, 20 0.918/0.736 (none 0.920/0.720)
NEIGHBOURS = 5


@dataclass(frozen=True, slots=True)
class Recall:
    """One situation's neighbours: their accepted rows' vectors, where each neighbour's rows start, weights."""

    accepted: np.ndarray  # rows x 512
    starts: np.ndarray  # per neighbour the first row in `accepted`
    weights: np.ndarray  # per neighbour, sum 1

    def scores(self, vectors: np.ndarray) -> np.ndarray:
        """Per candidate vector: the weighted mean over neighbours of the best cosine to their accepted rows."""
        if not len(vectors) or not len(self.starts):
            return np.zeros(len(vectors), dtype=np.float32)
        cos = vectors @ self.accepted.T
        best = np.maximum.reduceat(cos, self.starts, axis=1)
        return (best @ self.weights).astype(np.float32)


@dataclass(frozen=True, slots=True)
class KeyMemory:
    """Keyed situations (unit USE vectors), the vectors of the rows their keys accept, and which kaart each came
    from (so a kaart's own situations can be left out while its training rows are made)."""

    situations: np.ndarray  # n x 512
    accepted: np.ndarray  # m x 512, grouped by situation
    starts: np.ndarray  # n + 1 offsets into `accepted`
    source: np.ndarray  # n: index of the keyed kaart
    k: int = NEIGHBOURS

    @classmethod
    def build(cls, entries: list[tuple[int, np.ndarray, np.ndarray]], k: int = NEIGHBOURS) -> KeyMemory:
        """entries: (kaart index, situation vector, accepted rows' vectors); situations without an accepted row
        on their kaart are skipped."""
        kept = [(s, _unit(v), _unit(a)) for s, v, a in entries if len(a)]
        if not kept:
            return cls(np.zeros((0, 512), np.float32), np.zeros((0, 512), np.float32), np.zeros(1, np.int64),
                       np.zeros(0, np.int64), k)  # fmt: skip
        starts = np.cumsum([0] + [len(a) for _, _, a in kept])
        return cls(np.vstack([v for _, v, _ in kept]), np.vstack([a for _, _, a in kept]), starts,
                   np.array([s for s, _, _ in kept]), k)  # fmt: skip

    def without(self, source: int) -> KeyMemory:
        keep = np.flatnonzero(self.source != source)
        rows = [np.arange(self.starts[i], self.starts[i + 1]) for i in keep]
        accepted = self.accepted[np.concatenate(rows)] if rows else self.accepted[:0]
        starts = np.cumsum([0] + [len(r) for r in rows])
        return KeyMemory(self.situations[keep], accepted, starts, self.source[keep], self.k)

    def recall(self, vector: np.ndarray | None) -> Recall | None:
        if vector is None or not len(self.situations):
            return None
        sims = self.situations @ _unit(np.asarray(vector, dtype=np.float32).reshape(1, -1))[0]
        near = np.argsort(-sims, kind="stable")[: self.k]
        weights = np.clip(sims[near], 0.0, None)
        weights = weights / weights.sum() if weights.sum() > 0 else np.full(len(near), 1.0 / len(near))
        rows = [self.accepted[self.starts[i] : self.starts[i + 1]] for i in near]
        starts = np.cumsum([0] + [len(r) for r in rows[:-1]])
        return Recall(np.vstack(rows), starts, weights.astype(np.float32))


def _unit(x: np.ndarray) -> np.ndarray:
    x = np.atleast_2d(np.asarray(x, dtype=np.float32))
    return x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-9)
