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
import contextlib
import logging
import os
import re
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import AsyncIterator, Callable
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
WARM_UP_USER = 9_999
PLAN = ("question", "feedback", "situation", "refer", "label", "remind")
_UPDATE_LINE = re.compile(r"^update (\d+) kind=")


class Recorder(logging.Handler):
    """Collects completion times per update id and any warnings/errors (the channel logs no text)."""

    def __init__(self) -> None:
        super().__init__(level=logging.INFO)
        self.done: dict[int, float] = {}
        self.problems: list[str] = []
        self.waiters: dict[int, asyncio.Future[float]] = {}
        self.took_ms: list[float] = []  # bot-side handling time per update (engine + sending)
        self.took_by_kind: dict[str, list[float]] = {}

    def emit(self, record: logging.LogRecord) -> None:
        exc = logging.Formatter().formatException(record.exc_info) if record.exc_info else ""
        self.note(record.name, record.levelno, record.getMessage() + exc, time.monotonic())

    def note(self, name: str, level: int, message: str, at: float) -> None:
        """One log line of the bot (in-process record or a line read from the bot process)."""
        if name.startswith(("bot.", "telegram.", "root")) and level >= logging.WARNING:
            self.problems.append(f"{name}: {message}")
        match = _UPDATE_LINE.match(message) if name == "bot.channels.telegram" else None
        if match:
            update_id = int(match.group(1))
            took = float(message.rsplit("took=", 1)[1].rstrip("ms"))
            self.took_ms.append(took)
            self.took_by_kind.setdefault(message.split("kind=", 1)[1].split()[0], []).append(took)
            self.done[update_id] = at
            waiter = self.waiters.pop(update_id, None)
            if waiter is not None and not waiter.done():
                waiter.set_result(at)


@dataclass
class Sample:
    first_reply_ms: float
    last_reply_ms: float


async def _user(
    standin: Any, recorder: Recorder, user_id: int, count: int, timeout: float
) -> list[Sample | None]:
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


async def _run(args: argparse.Namespace) -> int:
    from tests.channels.botapi_standin import BotApiStandin

    users = list(range(10_001, 10_001 + args.users))
    recorder = Recorder()
    with tempfile.TemporaryDirectory() as tmp, BotApiStandin() as standin:
        started = time.perf_counter()
        data_dir = Path(tmp) / "data"
        runner = _in_process if args.fake_engine or args.in_process else _bot_process
        async with runner(args, standin, recorder, data_dir, [*users, WARM_UP_USER]) as rss:
            setup_s = time.perf_counter() - started
            warm = await _user(
                standin, recorder, WARM_UP_USER, len(PLAN), args.timeout
            )  # cold start, not counted
            rss_before = rss()
            recorder.took_ms.clear()
            recorder.took_by_kind.clear()
            started = time.perf_counter()
            if args.burst:
                results = await _burst(standin, recorder, users, args.messages, args.timeout)
            else:
                results = await asyncio.gather(
                    *(_user(standin, recorder, u, args.messages, args.timeout) for u in users)
                )
            wall = time.perf_counter() - started
            await asyncio.sleep(0.2)
            rss_after = rss()
    _report(
        args,
        [s for r in results for s in r],
        wall=wall,
        setup_s=setup_s,
        rss=(rss_before, rss_after),
        problems=recorder.problems,
        took=recorder.took_ms,
        warm=warm,
        by_kind=recorder.took_by_kind,
    )
    return 0


def _env(standin: Any, data_dir: Path, users: list[int]) -> dict[str, str]:
    from tests.channels.botapi_standin import TOKEN

    return {
        "WIJKBOT_DATA_DIR": str(data_dir),
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": standin.base_url,
        "WIJKBOT_ALLOWED_USERS": ",".join(map(str, users)),
        "WIJKBOT_TELEGRAM_MAX_RATE": "0",
        "WIJKBOT_FOLLOWUP_PRESETS": "3d,7d,14d",
        "WIJKBOT_LOG_LEVEL": "INFO",
        "OPENAI_API_KEY": "",
        "OPENAI_BASE_URL": "",
    }


@contextlib.asynccontextmanager
async def _in_process(
    args: argparse.Namespace, standin: Any, recorder: Recorder, data_dir: Path, users: list[int]
) -> AsyncIterator[Callable[[], float]]:
    """The bot in this process (the stand-in shares the CPU and the GIL with it)."""
    from bot.channels.telegram import build_application
    from bot.config import Settings
    from tests.channels.harness import running

    logging.getLogger().addHandler(recorder)
    logging.getLogger().setLevel(logging.INFO)
    settings = Settings(_env_file=None, **_env(standin, data_dir, users))  # type: ignore[arg-type]
    services = None
    if args.fake_engine:  # channel overhead only: a scripted engine that answers instantly
        from tests.channels.fakes import FakeAccess, ScriptedEngine

        application = build_application(
            None, settings=settings, engine=ScriptedEngine(), access=FakeAccess(allowed=set(users))
        )
    else:
        from bot.services import build_services

        services = build_services(settings)
        application = build_application(services, settings=settings)
    async with running(application):
        yield lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if services is not None:
        services.store.close()


@contextlib.asynccontextmanager
async def _bot_process(
    args: argparse.Namespace, standin: Any, recorder: Recorder, data_dir: Path, users: list[int]
) -> AsyncIterator[Callable[[], float]]:
    """`python -m bot run` as its own process, like production; its log lines mark each finished update."""
    from tests.channels.realstack import prepare_index

    prepare_index(data_dir)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "WIJKBOT_", "TELEGRAM_"))}
    env.update(_env(standin, data_dir, users))
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "run"],
        cwd=data_dir.parent,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    loop = asyncio.get_running_loop()
    reader = threading.Thread(target=_read_log, args=(process, recorder, loop), daemon=True)
    reader.start()
    try:
        await asyncio.to_thread(
            standin.wait_for, lambda calls: any(c.method == "getUpdates" for c in calls), timeout=120
        )
        yield lambda: _process_rss_mb(process.pid)
    finally:
        process.send_signal(signal.SIGTERM)
        await asyncio.to_thread(process.wait, 30)
        await asyncio.to_thread(reader.join, 5)
        if process.stderr is not None:
            process.stderr.close()


def _read_log(process: subprocess.Popen[str], recorder: Recorder, loop: asyncio.AbstractEventLoop) -> None:
    """Feed the bot's log lines ('date time LEVEL name: message') to the recorder on the event loop."""
    assert process.stderr is not None
    for line in process.stderr:
        parts = line.rstrip("\n").split(" ", 4)
        if len(parts) == 5 and parts[3].endswith(":"):
            level = logging.getLevelName(parts[2])
            level = level if isinstance(level, int) else logging.INFO
            loop.call_soon_threadsafe(recorder.note, parts[3][:-1], level, parts[4], time.monotonic())
        elif "Traceback" in line or "Error" in line:
            loop.call_soon_threadsafe(recorder.note, "root", logging.ERROR, line.strip(), time.monotonic())


def _process_rss_mb(pid: int) -> float:
    """Peak resident memory (VmHWM) of a process, in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def _burst(
    standin: Any, recorder: Recorder, users: list[int], count: int, timeout: float
) -> list[list[Sample | None]]:
    """Push every update at once (text only), then wait for all of them."""
    pushed = [
        standin.push_text(u, QUESTIONS[(u + i) % len(QUESTIONS)] if i % 2 else SITUATIONS[(u + i) % 5])
        for i in range(count)
        for u in users
    ]
    deadline = time.monotonic() + timeout * 5
    while len([p for p in pushed if p in recorder.done]) < len(pushed) and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    return [
        [
            Sample(
                (recorder.done[p] - standin.pushed_at[p]) * 1000,
                (recorder.done[p] - standin.pushed_at[p]) * 1000,
            )
            if p in recorder.done
            else None
            for p in pushed
        ]
    ]


def _report(
    args: argparse.Namespace,
    samples: list[Sample | None],
    *,
    wall: float,
    setup_s: float,
    rss: tuple[float, float],
    problems: list[str],
    took: list[float],
    warm: list[Sample | None],
    by_kind: dict[str, list[float]],
) -> None:
    ok = [s for s in samples if s is not None]
    first = [s.first_reply_ms for s in ok]
    last = [s.last_reply_ms for s in ok]
    locked = sum("database is locked" in p for p in problems)
    rows = [
        (
            "mode",
            ("burst (all at once)" if args.burst else "closed loop (each user waits for the reply)")
            + (", scripted engine" if args.fake_engine else ", real engine, extractive")
            + (", bot in this process" if args.fake_engine or args.in_process else ", bot as own process"),
        ),
        ("users x updates", f"{args.users} x {args.messages}"),
        ("answered", f"{len(ok)}/{len(samples)}"),
        (
            "update -> first reply p50 / p95 / max",
            f"{_percentile(first, 0.5):.0f} / {_percentile(first, 0.95):.0f} / "
            f"{max(first, default=float('nan')):.0f} ms",
        ),
        (
            "update -> last reply p50 / p95 / max",
            f"{_percentile(last, 0.5):.0f} / {_percentile(last, 0.95):.0f} / "
            f"{max(last, default=float('nan')):.0f} ms",
        ),
        ("mean", f"{statistics.fmean(last) if last else float('nan'):.0f} ms"),
        (
            "bot-side handling p50 / p95 (engine + send)",
            f"{_percentile(took, 0.5):.0f} / {_percentile(took, 0.95):.0f} ms",
        ),
        *(
            (
                f"  handling '{kind}' p50 / p95 (n)",
                f"{_percentile(v, 0.5):.0f} / {_percentile(v, 0.95):.0f} ms ({len(v)})",
            )
            for kind, v in sorted(by_kind.items())
        ),
        (
            "cold start: first run of each step (1 user)",
            " / ".join(f"{s.last_reply_ms:.0f}" if s else "-" for s in warm) + f" ms ({', '.join(PLAN)})",
        ),
        ("throughput", f"{len(ok) / wall:.0f} updates/s over {wall:.1f} s"),
        ('"database is locked"', str(locked)),
        ("other warnings/errors", str(len(problems) - locked)),
        ("bot peak RSS (after warm-up / end)", f"{rss[0]:.0f} / {rss[1]:.0f} MB"),
        ("start-up (index build + bot start)", f"{setup_s:.1f} s"),
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
    parser.add_argument(
        "--fake-engine", action="store_true", help="scripted engine: measure the channel alone"
    )
    parser.add_argument("--in-process", action="store_true", help="run the bot in the bench process")
    parser.add_argument(
        "--burst", action="store_true", help="push all updates at once instead of closed loop"
    )
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # for the stand-in in tests/channels
    raise SystemExit(asyncio.run(_run(args)))


if __name__ == "__main__":
    main()
