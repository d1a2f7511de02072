"""Benchmark of `wijkbot web` as a real process on a kaart of 10,000 (fictional) services.

1. Chat turn latency through HTTP: 20 concurrent sessions (each logged in with its own invite code), each
   sending TURNS messages in a closed loop (questions and situations), p50/p95/max.
2. Kaart beheer page (/beheer) on 10,000 services: time to first byte for paging and server-side search,
   p50/p95 (target p95 <= 200 ms).
3. Peak RSS of the `wijkbot web` process (VmHWM).

Run: .venv/bin/python bench/web.py [--services 10000] [--sessions 20] [--turns 5] [--data-dir DIR]
A data dir with a built index is reused when given; otherwise one is built (about a minute).
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
ADMIN_ID = 900
QUESTIONS = ("Hoe maak ik goede afspraken over terugkoppeling met een school?",
             "Hoe leer ik de huisartsen in mijn wijk kennen?",
             "Wanneer deel ik informatie met een partner en wanneer niet?")  # fmt: skip
SITUATIONS = ("Een moeder met schulden en een zoon die niet meer naar school gaat.",
              "Oudere man, vereenzaamd, valt vaak, de post blijft liggen.")  # fmt: skip
SEARCHES = ("schuldhulp", "wijkteam noord", "jeugd", "0123", "huisarts 17", "taal")


def env_for(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "TELEGRAM_", "WIJKBOT_"))}
    env.update(WIJKBOT_DATA_DIR=str(data_dir), WIJKBOT_ADMINS=str(ADMIN_ID), WIJKBOT_WEB_SECRET="bench",
               WIJKBOT_RATE_LIMIT="1000", WIJKBOT_WEB_LOGIN_ATTEMPTS="1000", PYTHONPATH=str(ROOT))  # fmt: skip
    return env


def cli(data_dir: Path, *args: str) -> str:
    result = subprocess.run([sys.executable, "-m", "bot", *args], env=env_for(data_dir), cwd=ROOT,
                            capture_output=True, text=True, timeout=3600)  # fmt: skip
    if result.returncode != 0:
        raise SystemExit(f"wijkbot {' '.join(args)} failed: {result.stderr[-800:]}")
    return result.stdout.strip()


def big_kaart(path: Path, count: int) -> None:
    """`count` services made from the example kaart: new ids, numbered names; still valid for the importer."""
    with (ROOT / "knowledge" / "sociale_kaart" / "voorbeeld.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        for i in range(count):
            row = dict(rows[i % len(rows)])
            if i >= len(rows):
                row["id"], row["name"] = f"{row['id']}-{i}", f"{row['name']} {i}"
            writer.writerow(row)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def peak_rss_mb(pid: int) -> float:
    text = Path(f"/proc/{pid}/status").read_text()
    match = re.search(r"VmHWM:\s+(\d+) kB", text)
    return int(match.group(1)) / 1024 if match else float("nan")


async def logged_in(base: str, code: str) -> httpx.AsyncClient:
    client = httpx.AsyncClient(base_url=base, timeout=120)
    page = await client.get("/")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    response = await client.post("/login", data={"code": code, "csrf": csrf})
    if response.status_code != 303:
        raise SystemExit(f"log-in failed: {response.status_code}")
    page = await client.get("/")
    client.headers["x-csrf-token"] = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    client.headers["hx-request"] = "true"
    return client


async def chat_session(client: httpx.AsyncClient, turns: int, offset: int, out: list[float]) -> None:
    for turn in range(turns):
        pool = QUESTIONS if (turn + offset) % 2 == 0 else SITUATIONS
        start = time.perf_counter()
        response = await client.post("/chat", data={"text": pool[(turn + offset) % len(pool)]})
        out.append(time.perf_counter() - start)
        if response.status_code != 200:
            raise SystemExit(f"chat turn failed: {response.status_code}")


async def first_byte(client: httpx.AsyncClient, url: str) -> float:
    start = time.perf_counter()
    async with client.stream("GET", url) as response:
        async for _ in response.aiter_raw():
            elapsed = time.perf_counter() - start
            break
        else:
            elapsed = time.perf_counter() - start
        if response.status_code != 200:
            raise SystemExit(f"{url}: {response.status_code}")
    return elapsed


def row(name: str, values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return (f"| {name:<38} | {len(values):>5} | {statistics.median(values) * 1000:>8.0f} | {p95 * 1000:>8.0f} "
            f"| {max(values) * 1000:>8.0f} |")  # fmt: skip


async def measure(
    base: str, codes: list[str], admin: str, *, turns: int, pages: int
) -> dict[str, list[float]]:
    clients = await asyncio.gather(*(logged_in(base, code) for code in codes))
    latencies: list[float] = []
    await asyncio.gather(*(chat_session(c, turns, i, latencies) for i, c in enumerate(clients)))
    admin_client = await logged_in(base, admin)
    paging = [await first_byte(admin_client, f"/beheer?p={1 + (i * 37) % 200}") for i in range(pages)]
    search = [
        await first_byte(admin_client, f"/beheer?q={SEARCHES[i % len(SEARCHES)]}&p=2") for i in range(pages)
    ]
    for client in [*clients, admin_client]:
        await client.aclose()
    return {"chat": latencies, "paging": paging, "search": search}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--services", type=int, default=10_000)
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--turns", type=int, default=5)
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--data-dir", type=Path, default=None, help="a data dir with a built index (copied)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="wijkbot-bench-web-"))
    data_dir = work / "data"
    try:
        if args.data_dir:
            shutil.copytree(args.data_dir, data_dir)
        started = time.perf_counter()
        cli(data_dir, "index")
        big_kaart(work / "groot.csv", args.services)
        cli(data_dir, "kaart", "import", str(work / "groot.csv"))
        print(f"prepared index + kaart of {args.services} services in {time.perf_counter() - started:.0f} s")
        codes = [cli(data_dir, "invite") for _ in range(args.sessions)]
        admin = cli(data_dir, "invite", "--admin")
        port = free_port()
        server = subprocess.Popen([sys.executable, "-m", "bot", "web", "--port", str(port)], env=env_for(data_dir),
                                  cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        try:
            started = time.perf_counter()
            while True:
                try:
                    if httpx.get(base + "/", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if server.poll() is not None or time.perf_counter() - started > 600:
                    raise SystemExit("wijkbot web did not start: " + (server.stderr.read().decode()[-800:]
                                                                       if server.stderr else ""))  # fmt: skip
                time.sleep(0.5)
            print(f"wijkbot web ready in {time.perf_counter() - started:.1f} s")
            results = asyncio.run(measure(base, codes, admin, turns=args.turns, pages=args.pages))
            rss = peak_rss_mb(server.pid)
        finally:
            server.terminate()
            server.wait(timeout=30)
        print()
        print(f"| {'measure (' + str(args.services) + ' services)':<38} | {'n':>5} | {'p50 ms':>8} | {'p95 ms':>8} "
              f"| {'max ms':>8} |")  # fmt: skip
        print(f"|{'-' * 40}|{'-' * 7}|{'-' * 10}|{'-' * 10}|{'-' * 10}|")
        print(row(f"chat turn, {args.sessions} concurrent sessions", results["chat"]))
        print(row("/beheer paging, first byte", results["paging"]))
        print(row("/beheer search + paging, first byte", results["search"]))
        print(f"\npeak RSS of wijkbot web: {rss:.0f} MB")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
