"""Scale check: a generated 10,000-service kaart. Prints import time (wall and CPU, the CPU of the import's helper
process included), warm suggest p50/p95 and peak RSS.

Run: .venv/bin/python bench/scale.py [--services N]
"""

from __future__ import annotations

import argparse
import csv
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.config import Settings  # noqa: E402
from bot.kaart.model import FIELDS  # noqa: E402
from bot.retrieval.embeddings import USEEmbeddings  # noqa: E402
from bot.suggestion.service import PartnerService  # noqa: E402

THEMES = ["schulden", "budgetbeheer", "werk", "inkomen", "wonen", "huisvesting", "gezondheid", "wijkverpleging",
          "psychische klachten", "verslaving", "opvoeden", "jeugdhulp", "leerplicht", "ouderen", "dementie",
          "mantelzorg", "eenzaamheid", "ontmoeting", "taal", "statushouders", "juridisch advies", "dagbesteding",
          "cliëntondersteuning", "huiselijk geweld", "crisis", "sport", "vrijwilligerswerk"]  # fmt: skip
WORDS = [
    "hulp",
    "advies",
    "begeleiding",
    "gesprek",
    "thuis",
    "buurt",
    "gezin",
    "inwoners",
    "samen",
    "vrijwilligers",
    "coach",
    "cursus",
    "ondersteuning",
    "informatie",
    "activiteiten",
    "spreekuur",
    "groep",
    "training",
    "aan",
    "huis",
    "snel",
    "gratis",
]
WIJKEN = [f"Wijk {i}" for i in range(1, 21)]


def generate(path: Path, count: int, *, seed: int = 7) -> None:
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(FIELDS)
        for i in range(count):
            themes = rng.sample(THEMES, k=rng.randint(1, 3))
            desc = f"{themes[0].capitalize()}: " + " ".join(rng.choices(WORDS, k=rng.randint(10, 25))) + "."
            areas = ";".join(rng.sample(WIJKEN, k=rng.randint(1, 2))) if rng.random() < 0.6 else ""
            writer.writerow([f"s{i:05d}", f"Organisatie {i % 900} (fictief)", f"Dienst {i} {themes[0]}", desc,
                             ";".join(themes), "inwoners", areas, f"Medewerker {i}", "consulent",
                             f"0123-{i % 1000000:06d}", f"dienst{i}@example.org", f"https://example.org/{i}",
                             f"Straat {i}", "1234 AB", "Voorbeeldstad", "ma-vr", "Vrij toegankelijk", "Gratis",
                             "Wmo", "true" if "crisis" in themes else "false", "Nederlands", "2025-06-01"])  # fmt: skip


def _cpu_seconds() -> np.ndarray:
    """CPU time of this process, and of its finished helper processes (the import's embedding helpers)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return np.array([own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--services", type=int, default=10_000)
    parser.add_argument(
        "--threads", type=int, default=None, help="native threads per pool (default: WIJKBOT_THREADS, 1)"
    )
    args = parser.parse_args()
    from bot.threads import use_threads

    print(use_threads(args.threads))
    situations = yaml.safe_load((ROOT / "tests" / "kaart" / "situations.yaml").read_text(encoding="utf-8"))
    texts = [item["s"] for item in situations["situations"]]
    with tempfile.TemporaryDirectory() as tmp:
        kaart = Path(tmp) / "groot.csv"
        generate(kaart, args.services)
        service = PartnerService(
            settings=Settings(WIJKBOT_DATA_DIR=Path(tmp) / "data"),
            embeddings=USEEmbeddings(cache_dir=Path(tmp) / "data"),
        )
        service.active()  # load the model and the example kaart first: the import is what we time
        start, cpu = time.perf_counter(), _cpu_seconds()
        report = service.import_file(kaart)
        import_s = time.perf_counter() - start
        time.sleep(0.5)  # let the executor reap its helper process, so its CPU time is counted
        import_cpu = _cpu_seconds() - cpu
        assert report.ok, report.errors[:3]
        for text in texts[:3]:
            service.suggest(text)  # warm-up
        timings: list[float] = []
        cpu_ms: list[float] = []  # CPU time of each call: on a shared machine it hardly depends on other jobs
        fresh: list[float] = []  # first time each text is seen: no embedding cache hit
        for round_number in range(2):
            for text in texts:
                wijk = WIJKEN[len(text) % len(WIJKEN)] if round_number else None
                start, cpu_start = time.perf_counter(), time.process_time()
                service.suggest(text, wijk=wijk)
                timings.append((time.perf_counter() - start) * 1000)
                cpu_ms.append((time.process_time() - cpu_start) * 1000)
                if round_number == 0:
                    fresh.append(timings[-1])
        timings.sort()
        fresh.sort()
        cpu_ms.sort()
        cpu_p50, cpu_p95 = cpu_ms[len(cpu_ms) // 2], cpu_ms[int(len(cpu_ms) * 0.95) - 1]
        p50, p95 = timings[len(timings) // 2], timings[int(len(timings) * 0.95) - 1]
        fresh_p95 = fresh[int(len(fresh) * 0.95) - 1]
        rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        size_mb = kaart.stat().st_size / 1_000_000
    print(
        "| services | file MB | import s | import CPU s (here + helpers) | suggest p50 ms | suggest p95 ms | p95 new texts ms "
        "| peak RSS MB |"
    )
    print(
        "|----------|---------|----------|-------------------------------|----------------|----------------|------------------"
        "|-------------|"
    )
    print(
        f"| {args.services:8d} | {size_mb:7.1f} | {import_s:8.1f} | {import_cpu.sum():13.1f} ({import_cpu[0]:.1f} + {import_cpu[1]:.1f}) | {p50:14.1f} | {p95:14.1f} "
        f"| {fresh_p95:16.1f} | {rss_mb:11.0f} |"
    )
    print(
        f"suggest CPU time per call p50 / p95: {cpu_p50:.1f} / {cpu_p95:.1f} ms (the same calls)\n"
        f"goals: import <= 40 s, p95 <= 30 ms, RSS <= 800 MB; warm = second and later calls, "
        f"{len(timings)} calls incl. repeats with and without --wijk"
    )


if __name__ == "__main__":
    main()
