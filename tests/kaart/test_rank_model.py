"""The learned candidate order: word overlap, the fitted models, the keyed kaarten it learns from."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from bot.kaart.validation import parse_file
from bot.suggestion.rank_model import FEATURES, SLOT_FEATURES, RankModel, WordIndex, slot_rows, stems
from bot.suggestion.rank_training import RANK_DIR, keyed_kaarten

ROOT = Path(__file__).resolve().parents[2]


def test_stems_cut_words_and_drop_function_words() -> None:
    assert stems("Hij heeft schulden en wil hulp bij opvoeding") == ["schul", "opvoe"]


def test_word_overlap_prefers_the_service_named_for_the_problem() -> None:
    index = WordIndex.build(
        ["Schuldhulp Oost", "Jeugdteam", "Taalhuis"],
        [
            "Schuldhulp Oost: hulp bij schulden",
            "Jeugdteam: opvoeden en opgroeien",
            "Taalhuis: Nederlands leren",
        ],
    )
    names, texts = index.overlap("mw heeft grote schulden, post stapelt zich op")
    assert names.argmax() == 0 and texts.argmax() == 0
    assert names[1] == 0.0 and texts[2] == 0.0


def test_pairwise_fit_learns_the_feature_that_separates() -> None:
    rng = np.random.default_rng(0)
    groups = []
    for _ in range(40):
        rows = rng.normal(size=(6, len(FEATURES))).astype(np.float32)
        labels = np.zeros(6, dtype=np.int8)
        best = int(rows[:, 3].argmax())  # the accepted row: the highest 'dense'
        labels[best] = 1
        groups.append((rows, labels))
    for mode in ("pair", "point"):
        model = RankModel.fit(groups, c=1.0, mode=mode)
        assert int(np.argmax(np.abs(model.coef))) == 3 and model.coef[3] > 0
        hits = sum(int(model.score(r).argmax()) == int(y.argmax()) for r, y in groups)
        assert hits >= 30  # by chance: about 7 of 40


def test_a_dropped_feature_gets_no_weight() -> None:
    rng = np.random.default_rng(1)
    groups = []
    for _ in range(30):
        rows = rng.normal(size=(5, len(FEATURES))).astype(np.float32)
        labels = np.zeros(5, dtype=np.int8)
        labels[int(rows[:, 3].argmax())] = 1
        groups.append((rows, labels))
    model = RankModel.fit(groups, c=1.0, mode="pair", dropped=("dense",))
    assert model.coef[FEATURES.index("dense")] == 0.0
    assert groups[0][0][:, 3].any()  # the caller's rows are left as they were


def test_hub_scores_put_the_generic_service_highest() -> None:
    from bot.suggestion.ranking import hub_scores

    vectors = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.6, 0.6, 0.53]], dtype=np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    hub = hub_scores(vectors)
    assert hub.shape == (3,) and int(hub.argmax()) == 2
    assert hub_scores(np.zeros((0, 3), dtype=np.float32)).shape == (0,)


def test_slot_rows_one_row_per_place() -> None:
    ranked = {"financien": [(0, 2.0), (1, 1.0)], "huisvesting": [(2, 1.5)]}
    places, rows = slot_rows(ranked, ("financien", "huisvesting"), {"financien": 0.9, "huisvesting": 0.4},
                             frozenset({"financien"}))  # fmt: skip
    assert places == [(0, "financien"), (1, "financien"), (0, "huisvesting")]
    assert rows.shape == (3, len(SLOT_FEATURES))
    assert rows[1, SLOT_FEATURES.index("score_gap")] == -1.0
    assert rows[2, SLOT_FEATURES.index("sure")] == 0.0 and rows[0, SLOT_FEATURES.index("sure")] == 1.0


def test_keyed_kaarten_accept_only_ids_on_their_kaart() -> None:
    kaarten = keyed_kaarten(ROOT / "knowledge" / RANK_DIR)
    assert len(kaarten) >= 6
    for path, items in kaarten:
        ids = {s.id for s in parse_file(path).services}
        assert len(items) >= 60
        for item in items:
            assert set(item["accept"]) <= ids, (path.name, item["accept"])


def test_the_service_ranks_with_the_learned_order(real_service) -> None:  # type: ignore[no-untyped-def]
    orders = real_service.order_models()
    assert orders is not None and orders.slots is not None
    assert orders.within.coef.shape == (len(FEATURES),)
    assert orders.memory is None  # the key memory is off (RankSettings.memory: no gain in nested CV)
    result = real_service.suggest("mw heeft schulden en de post stapelt zich op", top=3)
    assert result.suggestions and "financien" in {s.domain for s in result.suggestions}
