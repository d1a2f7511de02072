"""Warm turn latency of whole conversations, offline: the dev conversations played N times through the engine.

The first round warms everything (kaart vectors, act model, vraag vectors); the table reports the later rounds.
Run: PYTHONPATH=. .venv/bin/python bench/conversation.py [ROUNDS]   (goal: warm turn p95 <= 50 ms)
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.cli import _eval_engine  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.conversation.evaluation import play, read_script, user_ids  # noqa: E402

DEV = ROOT / "tests" / "data" / "dev_conversations.yaml"
KAART = ROOT / "knowledge" / "sociale_kaart" / "voorbeeld.csv"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    conversations = read_script(yaml.safe_load(DEV.read_text(encoding="utf-8")))
    with tempfile.TemporaryDirectory() as tmp:
        users = user_ids(len(conversations) * (rounds + 1))
        engine, clock, services = _eval_engine(Settings(), KAART, Path(tmp), users)
        kinds: dict[str, list[float]] = {}
        slow: list[tuple[float, str]] = []
        for number in range(rounds + 1):
            offset = number * len(conversations)

            def set_wijk(user_id: int, wijk: str) -> None:
                services.store.ensure_user(user_id, now=clock())
                services.store.set_wijk(user_id, wijk, now=clock())

            started = time.perf_counter()
            results = play(engine, clock, conversations, set_wijk=set_wijk, first_user=users[offset])
            if number == 0:
                print(f"cold round: {time.perf_counter() - started:.2f} s")
                continue
            for conversation, result in zip(conversations, results, strict=True):
                for turn, out in zip(conversation["turns"], result["turns"], strict=True):
                    kind = (
                        "say"
                        if "say" in turn
                        else "press"
                        if "press" in turn or "press_if" in turn
                        else "advance"
                    )
                    kinds.setdefault(kind, []).append(out["latency_ms"])
                    slow.append((out["latency_ms"], out["input"][:50]))
        services.store.close()
    every = [v for values in kinds.values() for v in values]
    print(f"{'turn kind':<10} {'n':>5} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for kind, values in sorted(kinds.items()) + [("all", every)]:
        print(
            f"{kind:<10} {len(values):>5} {percentile(values, 0.5):8.1f} {percentile(values, 0.95):8.1f} {max(values):8.1f}"
        )
    print(
        "slowest warm turns: "
        + "; ".join(f"{ms:.0f} ms {text!r}" for ms, text in sorted(slow, reverse=True)[:6])
    )


if __name__ == "__main__":
    main()
