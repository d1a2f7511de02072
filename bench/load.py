"""Telegram load bench: every bot as its own process, against the same Bot API stand-in and load generator.

Bots, in one run: a bare python-telegram-bot echo bot (`echo`), wijkbot's channel with a scripted engine in the
engine worker (`fake`), and wijkbot itself (`wijkbot`, `python -m bot run`). With --llm, wijkbot answers through the
OpenAI stand-in (tests/openai_standin.py in its own process, instant unless --llm-delay).

Scenarios per bot:
- closed loop: 50 users x 20 updates at once, each user sends the next update as soon as the reply is complete;
- realistic mix: 50 users with about 3 s think time (exponential) for --duration seconds (default 60).
Each user follows the same plan: question, 👍, situation, "Ik verwijs door", label, reminder preset. A reply is a
message, or a notice on the pressed button (wijkbot thanks for a 👍 that way); it is complete when nothing further
arrived for --quiet seconds. Measured: update -> first reply and -> last reply
(p50/p95/max), the ratio to the echo bot, throughput, CPU time per update (bot process + engine worker: the work
per update, which a shared machine hardly changes), Bot API requests per update by method (the echo bot sends one
message per update and never gets a button press; wijkbot answers each press and may send several messages) and the
bot process's CPU per request, peak RSS of the bot process and of its engine worker.
Run: .venv/bin/python bench/load.py [--llm] [--bots echo,fake,wijkbot] [--threads N]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

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
WARM_UP_USER = 9_999
CLOSED_USERS, MIX_USERS = 10_001, 20_001
COMMANDS = {
    "echo": [sys.executable, str(ROOT / "bench" / "bots.py"), "echo"],
    "fake": [sys.executable, str(ROOT / "bench" / "bots.py"), "fake"],
    "openai": [sys.executable, str(ROOT / "bench" / "bots.py"), "openai"],
    "wijkbot": [sys.executable, "-m", "bot", "run"],
}


@dataclass
class Sample:
    first_ms: float
    last_ms: float


@dataclass
class Inbox:
    """Messages per user as the stand-in receives them, handed to the load generator's event loop."""

    loop: asyncio.AbstractEventLoop
    messages: dict[int, list[Any]] = field(default_factory=lambda: defaultdict(list))
    changed: dict[int, asyncio.Event] = field(default_factory=lambda: defaultdict(asyncio.Event))

    def listener(self, call: Any) -> None:
        """Runs on the stand-in's thread."""
        self.loop.call_soon_threadsafe(self._add, call)

    def _add(self, call: Any) -> None:
        self.messages[call.chat_id].append(call)
        self.changed[call.chat_id].set()

    async def wait_more(self, user: int, count: int, timeout: float) -> bool:
        """True when the user has more than `count` messages within timeout."""
        deadline = time.monotonic() + timeout
        while len(self.messages[user]) <= count:
            event = self.changed[user]
            event.clear()
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(event.wait(), remaining)
        return True


async def step(
    standin: Any, inbox: Inbox, user: int, action: tuple[str, str], args: Any
) -> tuple[Sample | None, list[Any]]:
    """Send one update and wait for its complete reply: its timings (None on timeout) and the new messages."""
    before = len(inbox.messages[user])
    kind, value = action
    update_id = standin.push_text(user, value) if kind == "text" else standin.push_button(user, value)
    if not await inbox.wait_more(user, before, args.timeout):
        return None, []
    while await inbox.wait_more(user, len(inbox.messages[user]), args.quiet):
        pass  # more messages of the same reply
    new = inbox.messages[user][before:]
    pushed = standin.pushed_at[update_id]
    return Sample((new[0].at - pushed) * 1000, (new[-1].at - pushed) * 1000), new


def next_action(plan_step: str, last: list[Any], seed: int) -> tuple[str, str]:
    """Text or button for this step; a question when the expected button is absent."""
    buttons = [b["callback_data"] for m in last for b in m.buttons]
    unsure = [b for b in buttons if b in ("int:q", "int:s")]
    if unsure:
        return ("button", unsure[seed % len(unsure)])
    wanted = {"feedback": "fb:", "refer": "ref:", "label": "lbl:", "remind": "rm:"}.get(plan_step)
    matches = [b for b in buttons if wanted and b.startswith(wanted) and not b.endswith(":x")]
    if matches:
        return ("button", matches[-1] if plan_step == "remind" else matches[0])
    if plan_step == "situation":
        return ("text", SITUATIONS[seed % len(SITUATIONS)])
    return ("text", QUESTIONS[seed % len(QUESTIONS)])


async def user_closed(standin: Any, inbox: Inbox, user: int, args: Any) -> list[Sample | None]:
    """One team member sending `--messages` updates back to back."""
    samples: list[Sample | None] = []
    last: list[Any] = []
    for index in range(args.messages):
        sample, last = await step(
            standin, inbox, user, next_action(PLAN[index % len(PLAN)], last, user + index), args
        )
        samples.append(sample)
    return samples


async def user_mix(standin: Any, inbox: Inbox, user: int, args: Any, deadline: float) -> list[Sample | None]:
    """One team member with think time between updates, until the deadline."""
    rng = random.Random(user)
    await asyncio.sleep(rng.uniform(0, args.think))
    samples: list[Sample | None] = []
    last: list[Any] = []
    index = 0
    while time.monotonic() < deadline:
        sample, last = await step(
            standin, inbox, user, next_action(PLAN[index % len(PLAN)], last, user + index), args
        )
        samples.append(sample)
        index += 1
        await asyncio.sleep(min(4 * args.think, rng.expovariate(1 / args.think)))
    return samples


def _children(pid: int) -> list[int]:
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, IndexError):
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                children.append(int(stat.parent.name))
    return children


def peak_rss_mb(pid: int) -> tuple[float, float]:
    """Peak resident memory (VmHWM) of a process and the sum over its child processes, in MB."""

    def hwm(p: int) -> float:
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
        return 0.0

    return hwm(pid), sum(hwm(c) for c in _children(pid))


def cpu_seconds(pid: int) -> tuple[float, float]:
    """CPU time (user + system) used so far by a process and by its child processes (the engine worker).

    Unlike latency on a shared machine, the work per update hardly depends on what else runs."""

    def used(p: int) -> float:
        with contextlib.suppress(OSError, IndexError, ValueError):
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        return 0.0

    return used(pid), sum(used(c) for c in _children(pid))


@contextlib.asynccontextmanager
async def bot_process(name: str, env: dict[str, str], log: Path) -> AsyncIterator[subprocess.Popen[bytes]]:
    """Start one bot as its own process; stop it with SIGTERM at the end."""
    with log.open("ab") as sink:
        process = subprocess.Popen(COMMANDS[name], cwd=ROOT, env=env, stdout=sink, stderr=subprocess.STDOUT)
    try:
        yield process
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            await asyncio.to_thread(process.wait, 30)
        except subprocess.TimeoutExpired:
            process.kill()


def bot_env(standin: Any, data_dir: Path, args: Any, llm_url: str | None) -> dict[str, str]:
    from tests.channels.botapi_standin import TOKEN

    users = [
        WARM_UP_USER,
        *range(CLOSED_USERS, CLOSED_USERS + args.users),
        *range(MIX_USERS, MIX_USERS + args.users),
    ]
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("OPENAI_", "WIJKBOT_", "TELEGRAM_", "CHROMA_"))
    }
    env.update(
        {
            "PYTHONPATH": str(ROOT),
            "WIJKBOT_DATA_DIR": str(data_dir),
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_API_BASE_URL": standin.base_url,
            "WIJKBOT_ALLOWED_USERS": ",".join(map(str, users)),
            "WIJKBOT_TELEGRAM_MAX_RATE": "0",
            "WIJKBOT_RATE_LIMIT": "1000",  # the per-user limit (20/min) is not what this bench measures
            "WIJKBOT_FOLLOWUP_PRESETS": "3d,7d,14d",
            "WIJKBOT_THREADS": str(args.threads),
        }
    )
    if llm_url:
        env.update({"OPENAI_BASE_URL": llm_url, "OPENAI_API_KEY": "sk-standin"})
    return env


def start_profiles(pid: int, name: str, directory: Path) -> list[tuple[subprocess.Popen[bytes], Path]]:
    """py-spy record (raw collapsed stacks; --gil: only the thread holding the GIL, so CPU and not threads that wait
    on a lock, the GIL or a pipe) of the bot process and each child (the engine worker)."""
    directory.mkdir(parents=True, exist_ok=True)
    spy = str(Path(sys.executable).with_name("py-spy"))
    targets = {"bot": pid} | {f"worker{i}": c for i, c in enumerate(_children(pid))}
    spies = []
    for label, target in targets.items():
        out = directory / f"{name}-{label}.txt"
        cmd = [
            spy,
            "record",
            "--pid",
            str(target),
            "--rate",
            "200",
            "--gil",
            "--format",
            "raw",
            "--nonblocking",
            "-o",
            str(out),
        ]
        spies.append((subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL), out))  # noqa: S603
    return spies


def stop_profiles(spies: list[tuple[subprocess.Popen[bytes], Path]]) -> None:
    """Stop the recorders and print, per process, the functions with the most samples (self and in bot/)."""
    for spy, _ in spies:
        spy.send_signal(signal.SIGINT)
    for spy, out in spies:
        spy.wait(30)
        if not out.is_file():
            continue
        own: dict[str, int] = {}
        ours: dict[str, int] = {}
        total = 0
        for line in out.read_text(errors="replace").splitlines():
            stack, _, count = line.rpartition(" ")
            if not count.isdigit() or not stack:
                continue
            n, frames = int(count), stack.split(";")
            total += n
            own[frames[-1]] = own.get(frames[-1], 0) + n
            for frame in dict.fromkeys(f for f in frames if "bot/" in f and "site-packages" not in f):
                ours[frame] = ours.get(frame, 0) + n
        print(f"\n{out.name}: {total} samples; top self / top inclusive in bot/")
        for table in (own, ours):
            for frame, n in sorted(table.items(), key=lambda kv: -kv[1])[:12]:
                print(f"  {100 * n / max(total, 1):5.1f} %  {frame[-110:]}")
            print("  --")


async def run_bot(name: str, args: Any, data_dir: Path, llm_url: str | None, log: Path) -> dict[str, Any]:
    """Start one bot, warm it up with one user, run the scenarios; returns the figures."""
    from tests.channels.botapi_standin import BotApiStandin

    inbox = Inbox(asyncio.get_running_loop())
    result: dict[str, Any] = {"bot": name + (" (LLM stand-in)" if llm_url and name == "wijkbot" else "")}
    with BotApiStandin() as standin:
        standin.listeners.append(inbox.listener)
        started = time.perf_counter()
        async with bot_process(name, bot_env(standin, data_dir, args, llm_url), log) as process:
            await standin.await_for(lambda calls: any(c.method == "getUpdates" for c in calls), timeout=300)
            result["start_s"] = time.perf_counter() - started
            await user_closed(
                standin, inbox, WARM_UP_USER, argparse.Namespace(**{**vars(args), "messages": 6})
            )
            if "closed" in args.scenarios:
                t0, cpu0, calls0 = time.perf_counter(), cpu_seconds(process.pid), len(standin.calls)
                users = range(CLOSED_USERS, CLOSED_USERS + args.users)
                spies = start_profiles(process.pid, name, args.profile) if args.profile else []
                runs = await asyncio.gather(*(user_closed(standin, inbox, u, args) for u in users))
                stop_profiles(spies)
                result["closed"] = ([s for r in runs for s in r], time.perf_counter() - t0)
                result["closed_cpu"] = [b - a for a, b in zip(cpu0, cpu_seconds(process.pid), strict=True)]
                result["closed_calls"] = api_calls(standin.calls[calls0:])
            if "mix" in args.scenarios:
                t0, cpu0, calls0 = time.perf_counter(), cpu_seconds(process.pid), len(standin.calls)
                deadline = time.monotonic() + args.duration
                users = range(MIX_USERS, MIX_USERS + args.users)
                runs = await asyncio.gather(*(user_mix(standin, inbox, u, args, deadline) for u in users))
                result["mix"] = ([s for r in runs for s in r], time.perf_counter() - t0)
                result["mix_cpu"] = [b - a for a, b in zip(cpu0, cpu_seconds(process.pid), strict=True)]
                result["mix_calls"] = api_calls(standin.calls[calls0:])
            result["rss"] = peak_rss_mb(process.pid)
    text = log.read_text(errors="replace")
    result["problems"] = sum(f" {w} " in line for line in text.splitlines() for w in ("WARNING", "ERROR"))
    result["problems"] += text.count("Traceback")
    return result


def api_calls(calls: list[Any]) -> dict[str, int]:
    """Bot API requests by method (getUpdates left out): work the bot must do per update besides the engine."""
    counts: dict[str, int] = defaultdict(int)
    for call in calls:
        if call.method != "getUpdates":
            counts[call.method] += 1
    return dict(counts)


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def report(results: list[dict[str, Any]], scenario: str, title: str) -> None:
    echo = next((r for r in results if r["bot"] == "echo" and scenario in r), None)
    base = (percentile([s.first_ms for s in echo[scenario][0] if s], 0.5),
            percentile([s.first_ms for s in echo[scenario][0] if s], 0.95)) if echo else None  # fmt: skip
    print(f"\n{title}\n")
    print(
        "| bot | answered | first reply p50 / p95 / max | last reply p95 | updates/s | ratio to echo p50 / p95 "
        "| CPU ms per update: bot + worker = total | Bot API requests per update |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for result in results:
        if scenario not in result:
            continue
        samples, wall = result[scenario]
        ok = [s for s in samples if s is not None]
        first = [s.first_ms for s in ok]
        p50, p95 = percentile(first, 0.5), percentile(first, 0.95)
        ratio = f"{p50 / base[0]:.2f} / {p95 / base[1]:.2f}" if base else "-"
        bot_ms, worker_ms = (1000 * c / max(len(samples), 1) for c in result[f"{scenario}_cpu"])
        print(
            f"| {result['bot']} | {len(ok)}/{len(samples)} | {p50:.0f} / {p95:.0f} / {max(first, default=0):.0f} ms"
            f" | {percentile([s.last_ms for s in ok], 0.95):.0f} ms | {len(ok) / wall:.0f} | {ratio} "
            f"| {bot_ms:.1f} + {worker_ms:.1f} = {bot_ms + worker_ms:.1f} | {_per_update(result, scenario)} |"
        )


def _per_update(result: dict[str, Any], scenario: str) -> str:
    """Requests per update, in total and by method (e.g. '1.67: sendMessage 1.00, answerCallbackQuery 0.67')."""
    calls, updates = result.get(f"{scenario}_calls", {}), max(len(result[scenario][0]), 1)
    parts = ", ".join(f"{m} {n / updates:.2f}" for m, n in sorted(calls.items(), key=lambda kv: -kv[1]))
    per_request = 1000 * result[f"{scenario}_cpu"][0] / max(sum(calls.values()), 1)
    return f"{sum(calls.values()) / updates:.2f}: {parts} (bot CPU {per_request:.1f} ms per request)"


async def main_async(args: Any) -> None:
    with tempfile.TemporaryDirectory() as tmp, contextlib.ExitStack() as stack:
        data_dir = args.data_dir or Path(tmp) / "data"
        log = Path(tmp) / "bots.log"
        llm_url = None
        if args.llm:
            llm = subprocess.Popen(  # noqa: S603 - our own stand-in script
                [*COMMANDS["openai"], str(args.llm_delay)], cwd=ROOT, stdout=subprocess.PIPE, text=True
            )
            stack.callback(llm.wait, 10)
            stack.callback(llm.terminate)
            assert llm.stdout is not None
            llm_url = llm.stdout.readline().strip()
        if "wijkbot" in args.bots and args.data_dir is None:  # the index is built once, before any bot runs
            env = {**os.environ, "WIJKBOT_DATA_DIR": str(data_dir), "PYTHONPATH": str(ROOT)}
            subprocess.run([sys.executable, "-m", "bot", "index"], env=env, cwd=ROOT, check=True)
        results = [await run_bot(name, args, data_dir, llm_url, log) for name in args.bots]
        problems = log.read_text(errors="replace").splitlines()
    mode = f"LLM stand-in (delay {args.llm_delay:.1f} s)" if args.llm else "extractive"
    if "closed" in args.scenarios:
        report(
            results, "closed", f"Closed loop: {args.users} users x {args.messages} updates, wijkbot {mode}"
        )
    if "mix" in args.scenarios:
        report(results, "mix", f"Realistic mix: {args.users} users, think time ~{args.think:.0f} s, "
                               f"{args.duration:.0f} s, wijkbot {mode}")  # fmt: skip
    print("\n| bot | start-up until polling | peak RSS bot / engine worker | warnings + errors in log |")
    print("|---|---|---|---|")
    for r in results:
        print(
            f"| {r['bot']} | {r['start_s']:.1f} s | {r['rss'][0]:.0f} / {r['rss'][1]:.0f} MB | {r['problems']} |"
        )
    for line in [p for p in problems if " ERROR " in p or "Traceback" in p][:5]:
        print(f"  ! {line[-300:]}", file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bots", default="echo,fake,wijkbot")
    parser.add_argument("--scenarios", default="closed,mix")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--messages", type=int, default=20, help="updates per user in the closed loop")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of the realistic mix")
    parser.add_argument("--think", type=float, default=3.0, help="mean think time in the realistic mix (s)")
    parser.add_argument(
        "--quiet", type=float, default=0.15, help="a reply is complete after this silence (s)"
    )
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds to wait for one reply")
    parser.add_argument("--llm", action="store_true", help="wijkbot in LLM mode with the OpenAI stand-in")
    parser.add_argument(
        "--llm-delay", type=float, default=0.0, help="seconds the LLM stand-in waits per answer"
    )
    parser.add_argument("--threads", type=int, default=1, help="native threads per pool (WIJKBOT_THREADS)")
    parser.add_argument(
        "--profile", type=Path, default=None, help="py-spy the closed loop; stacks into this dir"
    )
    parser.add_argument(
        "--data-dir", type=Path, default=None,
        help="a data dir with a built index (`wijkbot index`), reused as is; default: a fresh one, built first",
    )  # fmt: skip
    args = parser.parse_args()
    args.bots = [b for b in args.bots.split(",") if b]
    args.scenarios = args.scenarios.split(",")
    from bot.threads import use_threads

    print(use_threads(args.threads) + " (the same WIJKBOT_THREADS in every bot process)")
    asyncio.run(main_async(args))


if __name__ == "__main__":
    main()
