"""The key memory: rows accepted for the nearest keyed situations carry over to another kaart's rows."""

from __future__ import annotations

import numpy as np

from bot.suggestion.rank_memory import KeyMemory


def _unit(*values: float) -> np.ndarray:
    v = np.zeros(8, dtype=np.float32)
    v[: len(values)] = values
    return v / np.linalg.norm(v)


def test_recall_prefers_rows_like_the_ones_accepted_for_similar_situations() -> None:
    fall, debt = _unit(1, 0, 0), _unit(0, 1, 0)
    course, budget = _unit(0, 0, 1, 0), _unit(0, 0, 0, 1)  # what the keys accepted
    memory = KeyMemory.build([(0, fall, np.vstack([course])), (1, debt, np.vstack([budget])),
                              (1, _unit(0.9, 0.1), np.vstack([course, budget]))], k=2)  # fmt: skip
    recall = memory.recall(_unit(1, 0.05))  # a fall on a new kaart
    assert recall is not None
    candidates = np.vstack([_unit(0, 0, 0.9, 0.1), _unit(0, 0, 0.1, 0.9), _unit(0, 0, 0, 0, 1)])
    scores = recall.scores(candidates)
    assert scores[0] > scores[1] > scores[2]
    assert scores[2] == 0.0


def test_without_leaves_out_one_kaart_and_empty_keys_are_skipped() -> None:
    memory = KeyMemory.build([(0, _unit(1), np.vstack([_unit(0, 1)])), (1, _unit(0, 1), np.zeros((0, 8))),
                              (2, _unit(0, 0, 1), np.vstack([_unit(1), _unit(0, 0, 1)]))])  # fmt: skip
    assert len(memory.situations) == 2 and list(memory.starts) == [0, 1, 3]
    rest = memory.without(0)
    assert list(rest.source) == [2] and rest.accepted.shape == (2, 8) and list(rest.starts) == [0, 2]
    assert memory.without(2).without(0).recall(_unit(1)) is None
