"""Training time of the learned candidate order and of the service-domain model, part by part (wall and CPU).

The situation model comes from the cache (--cache, trained once); then, without cache: the service-domain model
(knowledge/diensten, DomainModel), the partner-kind model, and the learned order from knowledge/rangschikking
split into reading the keyed situations, preparing the keyed kaarten (domain guesses + USE vectors of the rows,
as for a user's kaart), and the fits (feature rows, within and slot models, the key memory). Repeats --runs times
and prints medians (the machine may be shared: CPU seconds are steadier than wall).

Round 10 (machine shared, load 9-16 on 2 cores: CPU s are the figure to compare; medians of 3): service domains
0.95 CPU s (682 rows); learned order at 5d3af38 (6 keyed kaarten) 5.0 CPU s = reading 1.4 + features and fits 0.3
+ kaarten prepared (USE vectors and domain guesses of their rows) the rest; with 8 keyed kaarten and the key memory
6.7 CPU s = 1.9 + 0.6 + the rest.

Run: PYTHONPATH=. .venv/bin/python bench/order_timing.py [--runs 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def timed(table: dict[str, list[tuple[float, float]]], name: str, func: Any) -> Any:
    def run(*args: Any, **kwargs: Any) -> Any:
        wall, cpu = time.perf_counter(), time.process_time()
        try:
            return func(*args, **kwargs)
        finally:
            table[name].append((time.perf_counter() - wall, time.process_time() - cpu))

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cache", default=str(Path(tempfile.gettempdir()) / "order_timing"))
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    from bot.config import Settings
    from bot.retrieval.embeddings import USEEmbeddings
    from bot.suggestion import rank_training
    from bot.suggestion import service as service_module
    from bot.suggestion.service import PartnerService
    from bot.threads import use_threads
    from bot.understanding.service_models import DomainModel
    from bot.understanding.service_rows import load_services
    from bot.understanding.training import KnowledgePaths, build_understander

    use_threads(None)
    knowledge = ROOT / "knowledge"
    embeddings = USEEmbeddings()
    understander = build_understander(KnowledgePaths.under(knowledge), embeddings, cache_dir=Path(args.cache))
    embeddings.encode(["warm"])
    runs: dict[str, list[tuple[float, float]]] = defaultdict(list)
    rows = load_services(knowledge / "diensten", understander.taxonomy, set(understander.safety.kinds))
    labelled = [r for r in rows if r.domains]
    settings = understander.safety.learned.domain_settings if understander.safety.learned else None
    rank_training._read = timed(runs, "order: read keyed situations", rank_training._read)  # noqa: SLF001
    rank_training.fit_orders = timed(runs, "order: features + fits", rank_training.fit_orders)
    for _ in range(args.runs):
        timed(runs, "service domains (DomainModel fit)", DomainModel)(
            labelled, understander.taxonomy.ids, settings
        )
        service_module._ORDERS.clear()  # noqa: SLF001 - fitted orders are kept per understander in memory
        with tempfile.TemporaryDirectory() as tmp:
            service = PartnerService(settings=Settings(WIJKBOT_DATA_DIR=Path(tmp)), embeddings=embeddings,
                                     understander=understander)  # fmt: skip
            timed(runs, "order: whole fit (incl. kaarten prepared)", service.order_models)()
    whole = runs["order: whole fit (incl. kaarten prepared)"]
    per = args.runs
    reads = runs["order: read keyed situations"]
    step = len(reads) // per  # one call per keyed kaart and run
    read = [sum(x[0] for x in reads[i * step : (i + 1) * step]) for i in range(per)]
    print(f"{len(labelled)} labelled service rows; keyed kaarten: "
          f"{len(rank_training.keyed_kaarten(knowledge / rank_training.RANK_DIR))}; medians of {per} runs")  # fmt: skip
    print("| part | wall s | CPU s |\n|---|---|---|")
    for name, values in runs.items():
        step = len(values) // per
        groups = [values[i * step : (i + 1) * step] for i in range(per)]
        wall = statistics.median(sum(v[0] for v in g) for g in groups)
        cpu = statistics.median(sum(v[1] for v in g) for g in groups)
        print(f"| {name} | {wall:.2f} | {cpu:.2f} |")
    prepared = [w[0] - r - f[0] for w, r, f in zip(whole, read, runs["order: features + fits"], strict=True)]
    print(f"| order: kaarten prepared (rest) | {statistics.median(prepared):.2f} | - |")


if __name__ == "__main__":
    main()
