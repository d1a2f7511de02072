"""The scrubber and the label check against the labelled strings: the goals of issue #10 as loose thresholds."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.privacy.evaluation import (
    KINDS,
    evaluate_labels,
    evaluate_scrubber,
    load_label_set,
    load_pii_set,
    load_situation_texts,
)
from bot.privacy.pii import PiiScrubber

HERE = Path(__file__).resolve().parent


@pytest.fixture(scope="module")
def scrubber() -> PiiScrubber:
    scrubber = PiiScrubber()
    scrubber.warm_up()
    return scrubber


def test_labelled_set_is_large_and_covers_every_kind() -> None:
    items = load_pii_set(HERE / "labelled_pii.yaml")
    assert len(items) >= 300
    kinds = {kind for item in items for kind, _ in item.pii}
    assert kinds == set(KINDS)
    assert sum(1 for item in items if not item.pii) >= 100
    assert len(load_label_set(HERE / "labelled_labels.yaml")) >= 100


@pytest.mark.parametrize("split", ["dev", "heldout"])
def test_recall_and_false_positives(scrubber: PiiScrubber, split: str) -> None:
    items = [i for i in load_pii_set(HERE / "labelled_pii.yaml") if i.split == split]
    report = evaluate_scrubber(scrubber.find, items)
    assert report.recall() >= 0.99, report.misses
    for kind in report.total:
        assert report.recall(kind) >= 0.95, (kind, report.misses)
    assert report.fp_rate <= 0.02, report.false_hits


def test_situations_written_by_others_stay_readable(scrubber: PiiScrubber) -> None:
    report = evaluate_scrubber(scrubber.find, load_situation_texts(HERE.parent / "kaart"))
    assert report.ordinary >= 200
    assert report.fp_rate <= 0.02, report.false_hits


@pytest.mark.parametrize("split", ["dev", "heldout"])
def test_label_check(scrubber: PiiScrubber, split: str) -> None:
    items = [i for i in load_label_set(HERE / "labelled_labels.yaml") if i.split == split]
    report = evaluate_labels(scrubber.check_label, items)
    assert report.recall >= 0.98, report.misses
    assert report.false_refusal_rate <= 0.05, report.false_refusals


def test_loader_is_strict(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text('dev:\n  identifying:\n    - {text: "bel 06", pii: [[fax, "06"]]}\n', encoding="utf-8")
    with pytest.raises(ValueError):
        load_pii_set(bad)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("bsn 2374.56.898", "bsn"),
        ("bsn 1827 36 453", "bsn"),
        ("bsn 2648-19-378", "bsn"),
        ("bel 06 - 1122 3344", "telefoon"),
        ("woont op 2511 bz 3", "adres"),
    ],
)
def test_issue_variants_are_scrubbed_even_without_word_lists(text: str, kind: str) -> None:
    """The five variants that reached the LLM in the adversarial test."""
    scrubbed = PiiScrubber(use_deduce=False).scrub(text)
    assert scrubbed.kinds == (kind,)
    assert not any(ch.isdigit() for ch in scrubbed.text)


def test_word_lists_load_lazily() -> None:
    scrubber = PiiScrubber()
    assert scrubber._vocab is not None and scrubber._vocab._lists is None  # nothing loaded at construction
    scrubber.find("bel 06-12345678")  # a number only: still the word lists are needed for names
    assert scrubber._vocab._lists is not None
