"""The learned classifiers: ordinary family/age/medication texts are not acute, acute phrases are; thresholds on
the held-out split (written by another writer, never used for tuning) catch regressions."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from bot.suggestion.evaluation import per_domain_f1
from bot.understanding.corpus import HELDOUT_GLOB, load_corpus
from bot.understanding.features import CachingEncoder
from bot.understanding.training import KnowledgePaths, train_model

ROOT = Path(__file__).resolve().parents[2]
ORDINARY = [
    "man van 45 is zijn baan kwijt en snapt niks van hoe hij een uitkering moet aanvragen",
    "haar man helpt met de boodschappen",
    "zoon van 16 gamet veel",
    "dochter regelt de medicijnen van moeder",
    "ex betaalt geen alimentatie",
    "ze hebben vaak ruzie over geld maar het is niet bedreigend",
    "mw 67 wdw, kan nt meer zelfstndig douchen, loopt met rollater",
    "zijn hond is dood en hij is er verdrietig over",
    "pillen voor de bloeddruk vergeet ze soms",
]


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_situations_are_not_acute(use_understander, text: str) -> None:  # type: ignore[no-untyped-def]
    reading = use_understander.understand(text)
    assert reading.level != "acuut", reading.level_probabilities


def test_violence_happening_now_is_acute_with_112(use_understander) -> None:  # type: ignore[no-untyped-def]
    reading = use_understander.understand("hij slaat haar nu, ik hoor haar gillen")
    assert (reading.level, reading.danger) == ("acuut", "huiselijk_geweld")
    assert "112" in use_understander.safety.message(reading.level, reading.danger)


@pytest.mark.parametrize(("text", "danger"), [
    ("ze wil een einde aan haar leven maken, heeft de pillen klaarliggen", "suicide"),
    ("dhr wil er vannacht een eind aan maken", "suicide"),
    ("buurvrouw belt: hij slaat haar op dit moment", "huiselijk_geweld"),
])  # fmt: skip
def test_forced_acute_phrases(use_understander, text: str, danger: str) -> None:  # type: ignore[no-untyped-def]
    reading = use_understander.understand(text)
    assert (reading.level, reading.danger) == ("acuut", danger)


def test_forced_list_never_fires_on_ordinary_training_situations(use_understander) -> None:  # type: ignore[no-untyped-def]
    corpus = load_corpus(ROOT / "knowledge" / "situaties", use_understander.taxonomy)
    fired = [
        i.text
        for i in corpus
        if i.level == "geen" and use_understander.safety.forced(use_understander.expand(i.text))
    ]
    assert not fired


def test_out_of_scope_questions_get_no_domain(use_understander) -> None:  # type: ignore[no-untyped-def]
    assert not use_understander.understand("Wanneer wordt het oud papier opgehaald?").domains


def test_heldout_thresholds(use_understander) -> None:  # type: ignore[no-untyped-def]
    """Loose regression bars on the held-out split (first run and later figures: bench/suggest.py)."""
    heldout = load_corpus(ROOT / "knowledge" / "situaties", use_understander.taxonomy, pattern=HELDOUT_GLOB)
    readings = use_understander.understand_many([i.text for i in heldout])
    f1 = per_domain_f1(
        [i.domains for i in heldout], [r.domains for r in readings], use_understander.taxonomy.ids
    )
    assert np.mean([v[2] for v in f1.values()]) >= 0.62
    top3 = np.mean([i.domains[0] in sorted(r.probabilities, key=lambda d: -r.probabilities[d])[:3]
                    for i, r in zip(heldout, readings, strict=True)])  # fmt: skip
    assert top3 >= 0.85
    acute = [r for i, r in zip(heldout, readings, strict=True) if i.level == "acuut"]
    ordinary = [r for i, r in zip(heldout, readings, strict=True) if i.level == "geen"]
    assert np.mean([r.level == "acuut" for r in acute]) >= 0.8
    assert np.mean([r.level == "acuut" for r in ordinary]) <= 0.07
    assert (
        np.mean([r.level != "geen" for i, r in zip(heldout, readings, strict=True) if i.level == "zorg"])
        >= 0.7
    )


def test_heldout_contrast_triples_keep_their_levels(use_understander) -> None:  # type: ignore[no-untyped-def]
    """The round-15 held-out writers wrote triples on one topic (acuut / zorg / geen): the level must follow the
    content, not the topic's words. First run 37+37 of 80 acute, 34+38 of 80 zorg flagged, 0 of 80 false acute
    (bench/safety_levels.py)."""
    folder = ROOT / "knowledge" / "situaties"
    heldout = load_corpus(folder, use_understander.taxonomy, pattern="heldout_contrast_*.yaml")
    readings = use_understander.understand_many([i.text for i in heldout])
    by_level: dict[str, list[str]] = {"acuut": [], "zorg": [], "geen": []}
    for item, reading in zip(heldout, readings, strict=True):
        by_level[item.level].append(reading.level)
    assert len(by_level["acuut"]) >= 80
    assert np.mean([level == "acuut" for level in by_level["acuut"]]) >= 0.88
    assert np.mean([level != "geen" for level in by_level["zorg"]]) >= 0.8
    assert np.mean([level == "acuut" for level in by_level["geen"]]) <= 0.04


def test_training_is_deterministic(use_understander, use_embeddings) -> None:  # type: ignore[no-untyped-def]
    u = use_understander
    corpus = load_corpus(KnowledgePaths.under(ROOT / "knowledge").corpus, u.taxonomy)[::12]
    encoder = CachingEncoder(use_embeddings)  # each text embedded once: the same vectors for both trainings
    a = train_model(corpus, taxonomy=u.taxonomy, lexicon=u.lexicon, encoder=encoder, constants=u.constants)
    b = train_model(corpus, taxonomy=u.taxonomy, lexicon=u.lexicon, encoder=encoder, constants=u.constants)
    texts = ["mw heeft schulden", "kind spijbelt"]
    dense = use_embeddings.encode(texts)
    hits = np.zeros((2, len(a.featurizer.columns)), dtype=np.float32)
    fa, fb = a.featurizer.transform(texts, dense, hits), b.featurizer.transform(texts, dense, hits)
    for pa, pb in zip(a.probabilities(fa, texts), b.probabilities(fb, texts), strict=True):
        assert np.array_equal(pa, pb)
