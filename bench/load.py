"""Load test of the Telegram channel against the Bot API stand-in: 50 users x 20 updates, extractive mode.

Every simulated user runs at the same time. Each sends an update, waits for the bot's answer, then sends the
next (closed loop), following a realistic mix: question, 👍, situation, "Ik verwijs door", "Geen label",
reminder preset (these write to SQLite). With --burst all 1,000 updates are pushed at once instead.

Measured: answered (n/1000), time from update to first reply and to the last reply message (p50/p95/max),
"database is locked" and other errors in the logs, peak RSS. Run: .venv/bin/python bench/load.py
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import re
import resource
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

QUESTIONS = (
    "Hoe maak ik goede afspraken over terugkoppeling met een school?",
    "Wat kan ik doen als een partner nooit terugbelt?",
    "Hoe leer ik de huisartsen in mijn wijk kennen?",
    "Wanneer deel ik informatie met een partner en wanneer niet?",
    "Hoe zorg ik voor een vaste contactpersoon bij de schuldhulp?",
)
SITUATIONS = (
    "Een moeder met schulden en een zoon die niet meer naar school gaat.",
    "Een oudere man die vereenzaamt en zijn medicijnen vergeet.",
    "Een jong stel met een baby en veel ruzie in huis.",
    "Een vader die zijn baan kwijt is en de huur niet kan betalen.",
    "Een tiener die veel blowt en 's nachts op straat hangt.",
)
PLAN = ("question", "feedback", "situation", "refer", "label", "remind")
_UPDATE_LINE = re.compile(r"^update (\d+) kind=")


class Recorder(logging.Handler):
    """Collects completion times per update id and any warnings/errors (the channel logs no text)."""

    def __init__(self) -> None:
        super().__init__(level=logging.INFO)
        self.done: dict[int, float] = {}
        self.problems: list[str] = []
        self.waiters: dict[int, asyncio.Future[float]] = {}

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if record.levelno >= logging.WARNING:
            self.problems.append(f"{record.name}: {message} {record.exc_text or ''}"
                                 f"{logging.Formatter().formatException(record.exc_info) if record.exc_info else ''}")
        match = _UPDATE_LINE.match(message) if record.name == "bot.channels.telegram" else None
        if match:
            update_id = int(match.group(1))
            self.done[update_id] = time.monotonic()
            waiter = self.waiters.pop(update_id, None)
            if waiter is not None and not waiter.done():
                waiter.set_result(self.done[update_id])


@dataclass
class Sample:
    first_reply_ms: float
    last_reply_ms: float


async def _user(standin: Any, recorder: Recorder, user_id: int, count: int, timeout: float) -> list[Sample | None]:
    """One simulated team member working through the plan, waiting for each answer."""
    samples: list[Sample | None] = []
    last: list[Any] = []
    for step in range(count):
        action = _next_action(PLAN[step % len(PLAN)], last, user_id + step)
        before = len(standin.messages_to(user_id))
        loop = asyncio.get_running_loop()
        future: asyncio.Future[float] = loop.create_future()
        if action[0] == "text":
            update_id = standin.push_text(user_id, action[1])
        else:
            update_id = standin.push_button(user_id, action[1])
        recorder.waiters[update_id] = future
        if update_id in recorder.done:  # finished before we registered
            future.set_result(recorder.done[update_id])
        try:
            finished = await asyncio.wait_for(future, timeout)
        except TimeoutError:
            samples.append(None)
            continue
        last = standin.messages_to(user_id)[before:]
        pushed = standin.pushed_at[update_id]
        first = last[0].at if last else finished
        samples.append(Sample((first - pushed) * 1000, (finished - pushed) * 1000) if last else None)
    return samples


def _next_action(step: str, last: list[Any], seed: int) -> tuple[str, str]:
    """Text or button for this step; falls back to a question when the expected button is absent."""
    buttons = [b["callback_data"] for m in last for b in m.buttons]
    unsure = [b for b in buttons if b in ("int:q", "int:s")]
    if unsure:
        return ("button", unsure[seed % len(unsure)])
    wanted = {"feedback": "fb:", "refer": "ref:", "label": "lbl:", "remind": "rm:"}.get(step)
    if wanted:
        matches = [b for b in buttons if b.startswith(wanted) and not b.endswith(":x")]
        if matches:
            return ("button", matches[-1] if step == "remind" else matches[0])
    if step == "situation":
        return ("text", SITUATIONS[seed % len(SITUATIONS)])
    return ("text", QUESTIONS[seed % len(QUESTIONS)])


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def _run(args: argparse.Namespace) -> int:
    from bot.channels.telegram import build_application
    from bot.config import Settings
    from bot.services import build_services
    from tests.channels.botapi_standin import TOKEN, BotApiStandin
    from tests.channels.harness import running

    users = list(range(10_001, 10_001 + args.users))
    recorder = Recorder()
    logging.getLogger().addHandler(recorder)
    logging.getLogger().setLevel(logging.INFO)
    with tempfile.TemporaryDirectory() as tmp, BotApiStandin() as standin:
        started = time.perf_counter()
        settings = Settings(_env_file=None, WIJKBOT_DATA_DIR=Path(tmp) / "data", TELEGRAM_BOT_TOKEN=TOKEN,
                            TELEGRAM_API_BASE_URL=standin.base_url, WIJKBOT_ALLOWED_USERS=",".join(map(str, users)),
                            WIJKBOT_TELEGRAM_MAX_RATE=0, WIJKBOT_FOLLOWUP_PRESETS="3d,7d,14d",
                            OPENAI_API_KEY="", OPENAI_BASE_URL="")  # type: ignore[call-arg]
        services = build_services(settings)
        setup_s = time.perf_counter() - started
        rss_before = _peak_rss_mb()
        async with running(build_application(services, settings=settings)):
            started = time.perf_counter()
            if args.burst:
                results = await _burst(standin, recorder, users, args.messages, args.timeout)
            else:
                results = await asyncio.gather(*(_user(standin, recorder, u, args.messages, args.timeout)
                                                 for u in users))
            wall = time.perf_counter() - started
        services.store.close()
    _report(args, [s for r in results for s in r], wall=wall, setup_s=setup_s, rss_before=rss_before,
            problems=recorder.problems)
    return 0


async def _burst(standin: Any, recorder: Recorder, users: list[int], count: int,
                 timeout: float) -> list[list[Sample | None]]:
    """Push every update at once (text only), then wait for all of them."""
    pushed = [standin.push_text(u, QUESTIONS[(u + i) % len(QUESTIONS)] if i % 2 else SITUATIONS[(u + i) % 5])
              for i in range(count) for u in users]
    deadline = time.monotonic() + timeout * 5
    while len([p for p in pushed if p in recorder.done]) < len(pushed) and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    return [[Sample((recorder.done[p] - standin.pushed_at[p]) * 1000,
                    (recorder.done[p] - standin.pushed_at[p]) * 1000) if p in recorder.done else None
             for p in pushed]]


def _report(args: argparse.Namespace, samples: list[Sample | None], *, wall: float, setup_s: float,
            rss_before: float, problems: list[str]) -> None:
    ok = [s for s in samples if s is not None]
    first = [s.first_reply_ms for s in ok]
    last = [s.last_reply_ms for s in ok]
    locked = sum("database is locked" in p for p in problems)
    rows = [
        ("mode", "burst (all at once)" if args.burst else "closed loop (each user waits for the reply)"),
        ("users x updates", f"{args.users} x {args.messages}"),
        ("answered", f"{len(ok)}/{len(samples)}"),
        ("update -> first reply p50 / p95 / max", f"{_percentile(first, .5):.0f} / {_percentile(first, .95):.0f} / "
                                                   f"{max(first, default=float('nan')):.0f} ms"),
        ("update -> last reply p50 / p95 / max", f"{_percentile(last, .5):.0f} / {_percentile(last, .95):.0f} / "
                                                  f"{max(last, default=float('nan')):.0f} ms"),
        ("mean", f"{statistics.fmean(last) if last else float('nan'):.0f} ms"),
        ("throughput", f"{len(ok) / wall:.0f} updates/s over {wall:.1f} s"),
        ('"database is locked"', str(locked)),
        ("other warnings/errors", str(len(problems) - locked)),
        ("peak RSS (after start-up / end)", f"{rss_before:.0f} / {_peak_rss_mb():.0f} MB"),
        ("start-up (services + index build)", f"{setup_s:.1f} s"),
    ]
    width = max(len(k) for k, _ in rows)
    print(f"| {'metric'.ljust(width)} | value |\n|{'-' * (width + 2)}|-------|")
    for key, value in rows:
        print(f"| {key.ljust(width)} | {value} |")
    for problem in problems[:5]:
        print(f"  ! {problem[-1200:]}", file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--messages", type=int, default=20)
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds to wait for one answer")
    parser.add_argument("--burst", action="store_true", help="push all updates at once instead of closed loop")
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # for the stand-in in tests/channels
    raise SystemExit(asyncio.run(_run(args)))


if __name__ == "__main__":
    main()
