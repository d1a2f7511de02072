"""Start-up of `make run` (terminal chat): time from `python -m bot start` to the prompt, and to the first answer.

Runs `python -m bot start` in a pseudo-terminal without a Telegram token, on a fresh data dir (first run) and
then again on the same dir (second run, everything cached). Prints a table and the progress lines with their times.

Run: .venv/bin/python bench/startup.py [--runs N] [--threads T]
"""

from __future__ import annotations

import argparse
import os
import pty
import re
import select
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROMPT = b"jij>"
QUESTION = "Mijn cliënt heeft schulden en durft de post niet meer open te maken. Wie kan helpen?\n"
ANSI = re.compile(rb"\x1b\[[0-9;?]*[A-Za-z]")


def _env(data_dir: Path, threads: int | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "TELEGRAM_", "CHROMA_"))}
    env["WIJKBOT_DATA_DIR"] = str(data_dir)
    env["PYTHONPATH"] = str(ROOT)
    env["COLUMNS"] = "120"
    if threads is not None:
        env["WIJKBOT_THREADS"] = str(threads)
    return env


def _read_until(
    fd: int, marker: bytes, started: float, log: list[tuple[float, str]], timeout: float
) -> float:
    """Read the terminal until `marker` appears in new output; return the time (s since start) it did."""
    buffer = b""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.05)
        if not ready:
            continue
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        now = time.perf_counter() - started
        buffer += chunk
        for line in ANSI.sub(b"", chunk).decode("utf-8", "replace").splitlines():
            if line.strip():
                log.append((now, line.strip()[:100]))
        if marker in ANSI.sub(b"", buffer):
            return now
    raise TimeoutError(f"no {marker!r} within {timeout} s")


def one_start(data_dir: Path, threads: int | None) -> tuple[float, float, float, list[tuple[float, str]]]:
    """(prompt s, first answer s after sending, total CPU s of the child) for one `bot start`."""
    master, slave = pty.openpty()
    started = time.perf_counter()
    proc = subprocess.Popen(  # noqa: S603 - our own CLI
        [sys.executable, "-m", "bot", "start"],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=_env(data_dir, threads),
        cwd=ROOT,
        close_fds=True,
    )
    os.close(slave)
    log: list[tuple[float, str]] = []
    try:
        prompt_s = _read_until(master, PROMPT, started, log, timeout=300)
        sent = time.perf_counter()
        os.write(master, QUESTION.encode())
        answered = _read_until(master, PROMPT, started, log, timeout=300)
        answer_s = answered - (sent - started)
        os.write(master, b"/stop\n")
        _, status, usage = os.wait4(proc.pid, 0)
        cpu = usage.ru_utime + usage.ru_stime
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(master)
    return prompt_s, answer_s, cpu, log


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument(
        "--runs", type=int, default=1, help="fresh data dirs to try (each followed by a rerun)"
    )
    parser.add_argument("--threads", type=int, default=None, help="WIJKBOT_THREADS for the child (default 1)")
    parser.add_argument("--log", action="store_true", help="print the timed terminal lines of the first run")
    args = parser.parse_args()
    rows: list[tuple[str, float, float, float]] = []
    first_log: list[tuple[float, str]] = []
    for run in range(args.runs):
        with tempfile.TemporaryDirectory() as tmp:
            data_dir = Path(tmp) / "data"
            for label in ("fresh data dir", "second start (cached)"):
                prompt_s, answer_s, cpu, log = one_start(data_dir, args.threads)
                rows.append((f"{label} #{run + 1}", prompt_s, answer_s, cpu))
                if not first_log:
                    first_log = log
    print(f"load average at end: {os.getloadavg()[0]:.1f} (2 cores, shared machine)")
    print("| run | prompt s | first answer s | child CPU s |")
    print("|---|---|---|---|")
    for label, prompt_s, answer_s, cpu in rows:
        print(f"| {label} | {prompt_s:.1f} | {answer_s:.2f} | {cpu:.1f} |")
    print("goal: prompt <= 10 s on a fresh data dir")
    if args.log:
        for at, line in first_log:
            print(f"{at:7.2f}s  {line}")


if __name__ == "__main__":
    main()
