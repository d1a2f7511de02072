"""Work done while the levensgebieden head is fitted (classifier.train's `meanwhile`) sees the safety heads only,
and leaves the three heads as they are without it."""

from __future__ import annotations

import pickle

import numpy as np

from bot.understanding import classifier
from bot.understanding.constants import Constants
from bot.understanding.features import Featurizer


def test_meanwhile_reads_the_safety_heads_and_changes_no_head() -> None:
    rng = np.random.default_rng(3)
    words = ("schulden", "huur", "eenzaam", "school", "ruzie", "slaat", "moeder", "vader", "kind", "angst")
    domains = ["financien", "wonen", "sociaal", "onderwijs"]
    examples = []
    for n in range(120):
        level = ("acuut", "zorg", "geen")[n % 3]
        examples.append(classifier.Example(" ".join(rng.choice(words, size=6)), (domains[n % 4],), level,
                                           ("huiselijk", "jeugd")[n % 2] if level != "geen" else None))  # fmt: skip
    dense = rng.normal(size=(len(examples), 8)).astype(np.float32)
    hits = rng.integers(0, 2, size=(len(examples), 3)).astype(np.float32)
    constants = Constants()
    seen: list[tuple[np.ndarray, np.ndarray]] = []

    def meanwhile(partial: classifier.TrainedModel) -> str:
        assert partial.domains is None
        features = partial.featurizer.transform(["kind slaat moeder"], dense[:1], hits[:1])
        domain_p, level_p, _ = partial.probabilities(features, ["kind slaat moeder"])
        seen.append((domain_p, level_p))
        return "first-kind model"

    def fitted(then: object = None) -> classifier.TrainedModel:
        return classifier.train(examples, dense=dense, hits=hits, domain_ids=domains, dangers=["huiselijk", "jeugd"],
                                featurizer=Featurizer(constants, ["a", "b", "c"]), constants=constants,
                                meanwhile=then)  # fmt: skip

    plain, overlapped = fitted(), fitted(meanwhile)
    assert overlapped.first == "first-kind model" and plain.first is None
    parts = ("domains", "level", "danger")
    assert pickle.dumps([getattr(overlapped, p) for p in parts]) == pickle.dumps(
        [getattr(plain, p) for p in parts]
    )
    domain_p, level_p = seen[0]
    assert not domain_p.any() and domain_p.shape == (1, len(domains))
    features = plain.featurizer.transform(["kind slaat moeder"], dense[:1], hits[:1])
    assert np.array_equal(level_p, plain.level.predict_proba(features))
