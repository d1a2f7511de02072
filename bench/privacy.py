"""Privacy bench: deduce start-up time and memory, and per-message scrub latency (p50/p95).

Run: .venv/bin/python bench/privacy.py          (what wijkbot uses: deduce names only)
     .venv/bin/python bench/privacy.py --full   (for comparison: the full deduce.Deduce())
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.privacy.pii import PiiScrubber  # noqa: E402

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
    before = rss_mb()
    started = time.perf_counter()
    scrubber = PiiScrubber()
    scrubber.warm_up()
    startup = time.perf_counter() - started
    after = rss_mb()

    timings: list[float] = []
    for _ in range(ROUNDS):
        for message in MESSAGES:
            t0 = time.perf_counter()
            scrubber.scrub(message)
            timings.append((time.perf_counter() - t0) * 1000)

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
    print(f"| scrub p50 (regex only)                    | {statistics.median(regex_timings):7.2f} ms |")
    print(f"| scrub p95 (regex only)                    | {percentile(regex_timings, 0.95):7.2f} ms |")


if __name__ == "__main__":
    main()
