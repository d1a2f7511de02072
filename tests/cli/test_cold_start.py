"""Cold start (issue #12): `ask` loads neither chromadb nor langchain's prompt modules, and reuses the cached
tokenizer and weights; `start` builds a missing index itself, with progress shown."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT, copy_data_dir, offline_env

PROBE = (
    "import sys\n"
    "sys.argv = ['wijkbot', 'ask', 'Hoe werk ik samen met de huisarts?']\n"
    "import bot.cli\n"
    "try:\n    bot.cli.main()\nexcept SystemExit:\n    pass\n"
    "heavy = [m for m in ('chromadb', 'langchain_core.prompts', 'langchain_chroma', 'sklearn') if m in sys.modules]\n"
    "print('HEAVY', ','.join(heavy), file=sys.stderr)\n"
)


def test_cold_ask_needs_no_chromadb_or_prompt_modules(built_data_dir: Path, tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    copy_data_dir(built_data_dir, data_dir)
    for _ in range(2):  # the first run may write the model caches; the second must find them
        result = subprocess.run(
            [sys.executable, "-c", PROBE],
            env=offline_env(data_dir),
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=180,
        )
        assert result.returncode == 0, result.stderr[-2000:]
        assert "huisarts" in result.stdout.lower()
        heavy = result.stderr.strip().splitlines()[-1]
        assert heavy == "HEAVY", f"imported on a cold ask: {heavy}"
    assert any(data_dir.glob("use-vocab-*/*")) and any(data_dir.glob("use-weights-*/layout.json"))
    assert not any(data_dir.glob("use-tokenizer-*.pickle"))  # round 16's pickled tokenizer is replaced


def test_start_builds_a_missing_index_with_progress(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "start"],
        env=offline_env(tmp_path / "data"),
        cwd=ROOT,
        input="/stop\n",
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Index bouwen" in result.stderr and "Index klaar" in result.stderr
    assert "op de achtergrond" in result.stderr  # the models train after the prompt is shown
    assert "jij>" in result.stdout or "jij>" in result.stderr


def test_make_run_starts_once() -> None:
    run_recipe = (ROOT / "Makefile").read_text(encoding="utf-8").split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert "-m bot start" in run_recipe and "-m bot index" not in run_recipe
