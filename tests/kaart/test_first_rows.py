"""Which row of a safety partner kind first in an acute case (bot/suggestion/first_rows.py, round 13).

The model is a conditional logit over a kind's rows, learned from the `first` keys of keyed kaarten. The unit tests
use made-up feature rows; the last test reads the production model on the dev kaart Heidevenne (three rows of the
Veilig Thuis kind: the 24/7 advice and report line, an aandachtsfunctionaris and a walk-in centre)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from bot.suggestion.first_rows import FEATURES, FirstRows, RowFacts, row_matrix
from bot.suggestion.service import PartnerService

HEIDEVENNE = Path(__file__).resolve().parent.parent / "data" / "dev_heidevenne" / "heidevenne.csv"


def _facts(*, alarm: bool = False, crisis: bool = False, schedule: str = "", served: frozenset[str] = frozenset(),
           similarity: float = 0.5) -> RowFacts:  # fmt: skip
    return RowFacts(alarm, False, crisis, schedule, 0.0, similarity, served)


def test_row_features_read_schedule_and_age_groups() -> None:
    rows = [_facts(crisis=True, schedule="24 uur per dag, 7 dagen per week", served=frozenset({"jongere", "kind"})),
            _facts(schedule="ma-vr 9-17 uur", served=frozenset({"volwassene"}), similarity=0.8)]  # fmt: skip
    x = row_matrix(rows, frozenset({"volwassene"}))
    col = {f: i for i, f in enumerate(FEATURES)}
    assert x[0, col["always"]] == 1 and x[1, col["always"]] == 0
    assert x[0, col["age_misfit"]] == 1 and x[1, col["age_fit"]] == 1
    assert x[1, col["similarity_gap"]] == 0 and x[0, col["similarity_gap"]] < 0
    # no ages named in the situation: neither fit nor misfit
    assert row_matrix(rows, frozenset())[:, [col["age_fit"], col["age_misfit"]]].sum() == 0


def test_the_choice_is_learned_from_the_keys_and_can_be_unlearned() -> None:
    """Keys that always accept the crisis row teach the crisis flag; reversed keys teach the reverse."""
    x = row_matrix([_facts(crisis=True), _facts(similarity=0.9)], frozenset())
    crisis_first = FirstRows().fit([(x, np.array([True, False]))] * 5)
    assert crisis_first.best(x) == 0
    other_first = FirstRows().fit([(x, np.array([False, True]))] * 5)
    assert other_first.best(x) == 1
    # groups where every row (or none) is accepted teach nothing
    assert not FirstRows().fit([(x, np.array([True, True])), (x, np.array([False, False]))]).weights.any()


def test_acute_case_gets_the_24_7_veilig_thuis_row_not_the_office_hours_one(
    real_service: PartnerService,
) -> None:
    ranker = real_service._loaded_for(HEIDEVENNE).ranker  # noqa: SLF001
    assert ranker.first_rows is not None
    allowed = np.ones(len(ranker.services), dtype=bool)
    rows = ranker.kind_candidates("veilig_thuis", allowed)
    assert len(rows) >= 2
    similarity = np.zeros(len(ranker.services))
    facts = ranker.row_facts(rows, np.zeros(len(ranker.services)), similarity)
    best = rows[ranker.first_rows.best(row_matrix(facts, frozenset({"oudere"})))]
    assert ranker.services[best].id == "veilig-thuis"
