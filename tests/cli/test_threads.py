"""Native thread pools are limited in every CLI process (issue #12)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from bot.threads import configured_threads


def _pools(env_extra: dict[str, str]) -> list[dict[str, object]]:
    env = {k: v for k, v in os.environ.items() if not k.endswith("_NUM_THREADS") and k != "WIJKBOT_THREADS"}
    env.update(env_extra)
    out = subprocess.run(
        [sys.executable, "-m", "bot", "threads", "--json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(out.stdout)


def test_cli_limits_blas_to_one_thread_by_default() -> None:
    pools = _pools({})
    blas = [p for p in pools if p["api"] == "blas"]
    assert blas, pools
    assert all(p["threads"] == 1 for p in blas)


def test_setting_chooses_the_pool_size() -> None:
    pools = _pools({"WIJKBOT_THREADS": "2"})
    assert {p["threads"] for p in pools if p["api"] == "blas"} == {2}


def test_invalid_setting_falls_back_to_one() -> None:
    assert configured_threads({"WIJKBOT_THREADS": "veel"}) == 1
    assert configured_threads({"WIJKBOT_THREADS": "0"}) == 1
    assert configured_threads({"WIJKBOT_THREADS": "3"}) == 3
