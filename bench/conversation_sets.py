"""All conversation sets in one process: the models load once, each set gets a fresh engine on its own kaart.

Does what `wijkbot eval conversations FILE --kaart CSV --json` does per set (same engine, same fresh state per
set), without loading the sentence encoder, the index and the act model again for every set. Writes each set's
JSON to OUT/NAME.json and prints the scorer's summary line per set (/work/shared/tools/score_conversations.py).
Held-out sets (tests/data/heldout/): only the summary line is printed and their JSON is removed afterwards;
their misses are never shown.

Run: PYTHONPATH=. .venv/bin/python bench/conversation_sets.py OUT [--dev] [--heldout] [--only NAME ...]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SCORER = Path("/work/shared/tools/score_conversations.py")
DATA = ROOT / "tests" / "data"
DEV = [
    "lindenwaard",
    "haverdam",
    "veendijk",
    "zandhoven",
    "duinhaven",
    "wierdeburen",
    "dinkelhoven",
    "zaanwerf",
    "vliedorp",
    "amstelrade",
    "ketelwaard",
    "sterkenburg",
    "lommerveen",
    "zijpendam",
    "oldenhove",
]
HELDOUT = [
    "kruisbergen",
    "bosweide",
    "marrebeek",
    "brakelveen",
    "meerwold",
    "esveld",
    "rijnstede",
    "lekstede",
    "hunzewold",
    "vechtmond",
    "kempenhorst",
    "weverhoek",
    "dijkmonde",
    "oostermeer",
    "rozendijk",
    "grevenmeer",
]


def sets(dev: bool, heldout: bool) -> list[tuple[str, Path, Path | None, bool]]:
    """(name, conversations, kaart, held out)."""
    found: list[tuple[str, Path, Path | None, bool]] = []
    if dev:
        found.append(("dev", DATA / "dev_conversations.yaml", None, False))
        found += [
            (n, DATA / f"dev_{n}" / "conversations.yaml", DATA / f"dev_{n}" / f"{n}.csv", False) for n in DEV
        ]
    if heldout:
        base = DATA / "heldout"
        found.append(("waterveen", base / "heldout_conversations.yaml", base / "waterveen.csv", True))
        found += [(n, base / n / "conversations.yaml", base / n / f"{n}.csv", True) for n in HELDOUT]
    return found


class Shared:
    """The parts every set shares: settings, encoder, index, answers, act model."""

    def __init__(self) -> None:
        from bot.cli import _settings, _understanding
        from bot.privacy.pii import PiiScrubber
        from bot.retrieval.embeddings import USEEmbeddings
        from bot.services import build_answer_service, build_index

        self.settings = _settings()
        self.embeddings, self.scrubber = USEEmbeddings(), PiiScrubber()
        self.index = build_index(self.settings, self.embeddings)
        self.answers = build_answer_service(self.settings, self.index, scrubber=self.scrubber)
        self.understanding = _understanding(self.settings, self.embeddings)

    def play(self, script: Path, kaart: Path | None) -> list[dict[str, Any]]:
        from bot.conversation.engine import Engine
        from bot.conversation.evaluation import EvalClock, play, read_script, user_ids
        from bot.followup.store import FollowupStore
        from bot.ingest.vragen import load_vragen
        from bot.services import Services, warm_up
        from bot.suggestion.service import PartnerService

        conversations = read_script(yaml.safe_load(script.read_text(encoding="utf-8-sig")))
        users = user_ids(len(conversations))
        with tempfile.TemporaryDirectory(prefix="wijkbot-sets-") as tmp:
            workdir = Path(tmp)
            kaart_service = PartnerService(
                settings=self.settings.model_copy(update={"data_dir": workdir}), embeddings=self.embeddings
            )
            if kaart is not None and not kaart_service.import_file(kaart).ok:
                raise SystemExit(f"{kaart.name}: import refused")
            allowed = ",".join(str(u) for u in users)
            services = Services(
                settings=self.settings.model_copy(update={"allowed_users_raw": allowed}),
                embeddings=self.embeddings, index=self.index, answers=self.answers, kaart=kaart_service,
                store=FollowupStore(workdir / "eval.sqlite3"), scrubber=self.scrubber,
                vragen=load_vragen(self.settings.knowledge_dir / "vragen.yaml"),
            )  # fmt: skip
            clock = EvalClock()
            engine = Engine(services, clock=clock, understanding=self.understanding)
            warm_up(services)
            engine.warm_up()
            wijken = {w.casefold(): w for w in services.kaart.wijken()}

            def set_wijk(user_id: int, wijk: str) -> None:
                services.store.ensure_user(user_id, now=clock())
                services.store.set_wijk(user_id, wijken.get(wijk.casefold(), wijk), now=clock())

            try:
                return play(engine, clock, conversations, set_wijk=set_wijk)
            finally:
                services.store.close()


def score(out: Path, script: Path, *, held_out: bool) -> str:
    run = subprocess.run(
        [sys.executable, str(SCORER), str(out), str(script)], capture_output=True, text=True, check=False
    )
    lines = run.stdout.strip().splitlines()
    if held_out:
        return lines[-1] if lines else "no summary"
    return run.stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--dev", action="store_true")
    parser.add_argument("--heldout", action="store_true")
    parser.add_argument("--only", action="append", default=[])
    args = parser.parse_args()
    import json

    args.out.mkdir(parents=True, exist_ok=True)
    chosen = sets(args.dev or not args.heldout, args.heldout)
    if args.only:
        chosen = [s for s in chosen if s[0] in args.only]
    shared = Shared()
    for name, script, kaart, held_out in chosen:
        path = args.out / f"{name}.json"
        path.write_text(json.dumps(shared.play(script, kaart), ensure_ascii=False), encoding="utf-8")
        summary = score(path, script, held_out=held_out)
        if held_out:
            path.unlink()
            print(f"HELD-OUT {name}: {summary}", flush=True)
        else:
            (args.out / f"{name}.score").write_text(summary + "\n", encoding="utf-8")
            print(f"{name}: {summary.splitlines()[-1]}", flush=True)


if __name__ == "__main__":
    main()
