"""The ranker's per-kaart caches (issue #12, warm suggest on a 10,000-service kaart) compute what the per-service
methods and the sparse product compute: the same masks for every wijk, the same word overlap."""

from __future__ import annotations

import numpy as np

from tests.kaart.conftest import THIRD


def test_wijk_masks_equal_serves_and_in_wijk(fast_service) -> None:  # type: ignore[no-untyped-def]
    for path in (None, THIRD):
        ranker = fast_service._loaded_for(path).ranker
        services = ranker.services
        wijken = {a for s in services for a in s.service_areas} | {None, "", "Nergens"}
        wijken |= {w.upper() for w in wijken if w}  # wijk names are matched without case
        assert len(wijken) > 4
        for wijk in sorted(wijken, key=str):
            allowed, in_wijk = ranker._masks(wijk)
            assert allowed.tolist() == [s.serves(wijk) for s in services], wijk
            assert in_wijk.tolist() == [float(s.in_wijk(wijk)) for s in services], wijk
            assert ranker._masks(wijk)[0] is allowed, "remembered per wijk"


def test_word_overlap_equals_the_sparse_product(fast_service) -> None:  # type: ignore[no-untyped-def]
    ranker = fast_service._loaded_for(None).ranker
    featurizer = fast_service.understander().model.featurizer.char
    for text in ("Een moeder met schulden en een zoon die niet naar school gaat.", "eenzaam", "xyz"):
        row = featurizer.transform([text])
        expected = np.asarray((ranker.prepared.words @ row.T).todense()).ravel()
        assert np.array_equal(ranker._word_overlap(row), expected)
        if text.startswith("Een moeder"):
            assert expected.max() > 0, "a real situation shares n-grams with some services"
