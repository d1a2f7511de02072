"""Label check bench: recall on identifying labels and false refusals of ordinary labels, per split.

Baseline in the same run: the scrubber alone (what the label check did before issue 9).
Run: .venv/bin/python bench/labels.py
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.privacy.labels import LabelChecker  # noqa: E402
from bot.privacy.pii import PiiScrubber  # noqa: E402

DATA = ROOT / "tests" / "privacy" / "label_strings.yaml"


def score(check: Callable[[str], bool], split: dict[str, list[str]]) -> tuple[float, float, list[str]]:
    """(recall on identifying, false-refusal rate on ordinary, the mistakes)."""
    missed = [s for s in split["identifying"] if not check(s)]
    refused = [s for s in split["ordinary"] if check(s)]
    recall = 1 - len(missed) / len(split["identifying"])
    return recall, len(refused) / len(split["ordinary"]), missed + [f"(refused) {s}" for s in refused]


def main() -> None:
    data = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    scrubber = PiiScrubber()
    checker = LabelChecker(scrubber)
    methods: dict[str, Callable[[str], bool]] = {
        "scrubber only (baseline)": lambda s: scrubber.check_label(s),
        "label check": lambda s: checker.check(s).identifying,
    }
    print(f"{'split':8} {'method':26} {'n':>4} {'recall':>7} {'false refusals':>15}")
    mistakes: list[str] = []
    for split_name, split in data.items():
        n = len(split["identifying"]) + len(split["ordinary"])
        for name, check in methods.items():
            recall, refusals, wrong = score(check, split)
            print(f"{split_name:8} {name:26} {n:>4} {recall:>7.3f} {refusals:>15.3f}")
            if name == "label check":
                mistakes += [f"{split_name}: {w}" for w in wrong]
    print("\nMistakes of the label check:" if mistakes else "\nNo mistakes.")
    for line in mistakes:
        print(f"  {line}")


if __name__ == "__main__":
    main()
