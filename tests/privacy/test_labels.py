"""Label check: names, addresses and dates of birth refused in any case; ordinary labels pass."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.privacy.labels import LabelChecker
from bot.privacy.pii import PiiScrubber

DATA = yaml.safe_load((Path(__file__).parent / "label_strings.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def checker() -> LabelChecker:
    return LabelChecker(PiiScrubber())


def test_labelled_set_is_big_enough() -> None:
    assert sum(len(split[kind]) for split in DATA.values() for kind in ("identifying", "ordinary")) >= 100


@pytest.mark.parametrize("split", ["dev", "heldout"])
def test_recall_and_false_refusals(checker: LabelChecker, split: str) -> None:
    cases = DATA[split]
    missed = [s for s in cases["identifying"] if not checker.check(s).identifying]
    refused = [s for s in cases["ordinary"] if checker.check(s).identifying]
    assert 1 - len(missed) / len(cases["identifying"]) >= 0.98, missed
    assert len(refused) / len(cases["ordinary"]) <= 0.05, refused


@pytest.mark.parametrize(
    ("label", "reason"),
    [("mw jansen noorderlaan 5", "adres"), ("dhr de boer", "aanhef"), ("fam. el amrani", "aanhef"),
     ("kerkstraat 12", "adres"), ("j. jansen", "initialen"), ("geb 12-03-2015", "pii"),
     ("Sophie de Vries 6jr", "pii"), ("gezin jansen", "aanhef"), ("de boer schulden", "naam")],
)  # fmt: skip
def test_issue_examples(checker: LabelChecker, label: str, reason: str) -> None:
    verdict = checker.check(label)
    # The scrubber runs first: when it already finds the name or address, the reason is "pii".
    assert verdict.identifying and verdict.reason in {reason, "pii"}


@pytest.mark.parametrize(
    "label",
    [
        "gezin met 3 kinderen",
        "schulden oost",
        "gezin A",
        "familie met schulden",
        "",
        "eenzame mw sterrenbuurt",
        "trap dhr havenkwartier",
        "mw bloemendorp alleen",
    ],
)
def test_ordinary_labels_pass(checker: LabelChecker, label: str) -> None:
    assert not checker.check(label).identifying
