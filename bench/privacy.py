"""Privacy bench: recall and false positives per identifier kind, the label check, start-up and latency.

Run: .venv/bin/python bench/privacy.py            (accuracy on tests/privacy/labelled_*.yaml and the blind
                                                       set in tests/data/heldout/privacy, then timings)
     .venv/bin/python bench/privacy.py --misses   (also list what was missed or wrongly flagged)
     .venv/bin/python bench/privacy.py --full     (for comparison: the full deduce.Deduce())
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.privacy.evaluation import (  # noqa: E402
    KINDS,
    evaluate_labels,
    evaluate_scrubber,
    load_label_set,
    load_pii_set,
    load_situation_texts,
)
from bot.privacy.labels import LabelChecker  # noqa: E402
from bot.privacy.pii import PiiScrubber  # noqa: E402

DATA = Path(__file__).resolve().parent.parent / "tests" / "privacy"
# Written blind by a writer who never saw the code (tests/data/heldout/LEESMIJ.md): never tune on it.
BLIND = Path(__file__).resolve().parent.parent / "tests" / "data" / "heldout" / "privacy"
SPLITS = ("dev", "heldout", "blind")

MESSAGES = [
    "Hoe werk ik samen met de huisarts en de wijkverpleegkundige?",
    "Mevrouw Jansen (BSN 111222333) woont op Dorpsstraat 12, 1234 AB. Bel 06-12345678.",
    "Ik heb geen tijd om met huisartsen te overleggen, tips?",
    "Jan de Vries, geboren 3 mei 1980, heeft schulden. Wie kan helpen? Mail jan@example.nl.",
    "Moeder heeft contact gehad met Veilig Thuis. Wat nu?",
    "Wat doen we met die financiële schotten tussen Wmo en Jeugdwet?",
    "Gezin Yilmaz op rekening NL91 ABNA 0417 1643 00, school belt niet terug.",
    "Hoe maak ik afspraken met school en leerplicht over terugkoppeling na twee weken? " * 4,
]
ROUNDS = 100


def rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def full_deduce() -> None:
    """Start-up and memory of the full deduce.Deduce() (streets, institutions...), for comparison."""
    from bot.privacy.names import _import_deduce_quietly

    before = rss_mb()
    started = time.perf_counter()
    engine = _import_deduce_quietly().Deduce()
    startup = time.perf_counter() - started
    timings = []
    for message in MESSAGES * 20:
        t0 = time.perf_counter()
        engine.deidentify(message)
        timings.append((time.perf_counter() - t0) * 1000)
    print(f"| full deduce.Deduce() start-up | {startup * 1000:7.0f} ms |")
    print(f"| RSS delta                     | {rss_mb() - before:7.1f} MB |")
    print(
        f"| deidentify p50 / p95          | {statistics.median(timings):.2f} / {percentile(timings, 0.95):.2f} ms |"
    )


def accuracy(scrubber: PiiScrubber, *, misses: bool) -> None:
    """Recall per kind and false-positive rate per split; label-check recall and false refusals."""
    items = load_pii_set(DATA / "labelled_pii.yaml") + load_pii_set(BLIND / "blind_pii.yaml")
    labels = load_label_set(DATA / "labelled_labels.yaml") + load_label_set(BLIND / "blind_labels.yaml")
    checker = LabelChecker(scrubber)
    print("| split   | kind     | n   | recall |")
    print("|---------|----------|-----|--------|")
    for split in SPLITS:
        report = evaluate_scrubber(scrubber.find, [i for i in items if i.split == split])
        for kind in KINDS:
            if report.total.get(kind):
                print(f"| {split:7} | {kind:8} | {report.total[kind]:3} | {report.recall(kind):6.3f} |")
        print(f"| {split:7} | ALL      | {sum(report.total.values()):3} | {report.recall():6.3f} |")
        print(f"| {split:7} | FP rate  | {report.ordinary:3} | {report.fp_rate:6.3f} |  (ordinary sentences)")
        if misses:
            for kind, text in report.misses:
                print(f"    miss {kind}: {text}")
            for text in report.false_hits:
                print(f"    false positive: {text}  ->  {scrubber.scrub(text).text}")
    situations = evaluate_scrubber(scrubber.find, load_situation_texts(DATA.parent / "kaart"))
    print(
        f"| kaart situations (other writers) | FP rate | {situations.ordinary} | {situations.fp_rate:6.3f} |"
    )
    if misses:
        for text in situations.false_hits:
            print(f"    false positive: {text[:90]}  ->  {scrubber.scrub(text).text[:90]}")
    print()
    print("| split   | labels: n identifying | recall | n ordinary | false refusals |")
    print("|---------|-----------------------|--------|------------|----------------|")
    for split in SPLITS:
        report = evaluate_labels(  # the production path: FollowUpService refuses labels through LabelChecker
            lambda text: checker.check(text).identifying, [i for i in labels if i.split == split]
        )
        print(
            f"| {split:7} | {report.identifying:21} | {report.recall:6.3f} | {report.ordinary:10} "
            f"| {report.false_refusal_rate:14.3f} |"
        )
        if misses:
            for text in report.misses:
                print(f"    label let through: {text}")
            for text in report.false_refusals:
                print(f"    label refused: {text}")
    print()


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument(
        "--threads", type=int, default=None, help="native threads per pool (default: WIJKBOT_THREADS, 1)"
    )
    args = parser.parse_args()
    from bot.threads import use_threads

    print(use_threads(args.threads))
    if "--full" in sys.argv:
        full_deduce()
        return
    accuracy(PiiScrubber(), misses="--misses" in sys.argv)
    before = rss_mb()
    started = time.perf_counter()
    scrubber = PiiScrubber()
    scrubber.warm_up()
    startup = time.perf_counter() - started
    after = rss_mb()

    timings: list[float] = []
    cpu: list[float] = []  # thread CPU time: what the scrubber costs, without waiting for a busy machine
    for _ in range(ROUNDS):
        for message in MESSAGES:
            t0, c0 = time.perf_counter(), time.thread_time()
            scrubber.scrub(message)
            timings.append((time.perf_counter() - t0) * 1000)
            cpu.append((time.thread_time() - c0) * 1000)

    regex_only = PiiScrubber(use_deduce=False)
    regex_timings: list[float] = []
    for _ in range(ROUNDS):
        for message in MESSAGES:
            t0 = time.perf_counter()
            regex_only.scrub(message)
            regex_timings.append((time.perf_counter() - t0) * 1000)

    print("| measure                                   | value      |")
    print("|-------------------------------------------|------------|")
    print(f"| deduce start-up (light, names only)       | {startup * 1000:7.0f} ms |")
    print(f"| RSS delta after start-up                  | {after - before:7.1f} MB |")
    print(f"| RSS total                                 | {after:7.1f} MB |")
    print(f"| scrub p50 (with deduce, {len(timings)} msgs)        | {statistics.median(timings):7.2f} ms |")
    print(f"| scrub p95 (with deduce)                   | {percentile(timings, 0.95):7.2f} ms |")
    print(
        f"| scrub CPU p50 / p95 (with deduce)         | {statistics.median(cpu):.2f}/{percentile(cpu, 0.95):.2f} ms |"
    )
    print(f"| scrub p50 (regex only)                    | {statistics.median(regex_timings):7.2f} ms |")
    print(f"| scrub p95 (regex only)                    | {percentile(regex_timings, 0.95):7.2f} ms |")


if __name__ == "__main__":
    main()
