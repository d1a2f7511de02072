"""Issue 9's held-out conversations, played with `wijkbot eval conversations` on another municipality's kaart."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.config import Settings
from bot.conversation.engine import Engine
from bot.conversation.evaluation import EvalClock, play, read_script
from bot.followup.store import FollowupStore
from bot.ingest.vragen import load_vragen
from bot.privacy.pii import PiiScrubber
from bot.services import Services
from bot.suggestion.service import PartnerService
from tests.conftest import seed_model_cache
from tests.conversation.fakes import ScriptedAnswers

HERE = Path(__file__).parent
SCRIPT = HERE / "conversations_followup.yaml"
OTHER_KAART = HERE.parent / "kaart" / "andere_gemeente.csv"
GOAL = 0.95


def check_turn(check: dict[str, list[str]], turn: dict[str, Any]) -> list[str]:
    """The failed expectations of one turn (empty when it passes)."""
    texts = [r["text"] for r in turn["replies"]]
    joined = "\n".join(texts).casefold()
    buttons = [b.casefold() for r in turn["replies"] for b in r["buttons"]]
    failed = [
        f"first: {w}" for w in check.get("first", []) if not texts or w.casefold() not in texts[0].casefold()
    ]
    failed += [f"contains: {w}" for w in check.get("contains", []) if w.casefold() not in joined]
    failed += [f"absent: {w}" for w in check.get("absent", []) if w.casefold() in joined]
    failed += [
        f"button: {w}" for w in check.get("buttons", []) if not any(w.casefold() in b for b in buttons)
    ]
    failed += [
        f"no button: {w}" for w in check.get("no_buttons", []) if any(w.casefold() in b for b in buttons)
    ]
    return failed + ([turn["error"]] if turn.get("error") else [])


@pytest.fixture(scope="module")
def engine_and_clock(tmp_path_factory: pytest.TempPathFactory, model_cache_dir: Path, use_embeddings):
    data = tmp_path_factory.mktemp("conversations")
    seed_model_cache(model_cache_dir, data)  # the session's situation model, not trained again
    users = ",".join(str(7_000_001 + i) for i in range(10))
    settings = Settings(WIJKBOT_DATA_DIR=data, WIJKBOT_ALLOWED_USERS=users)  # type: ignore[call-arg]
    kaart = PartnerService(settings=settings, embeddings=use_embeddings)  # the session's USE model
    assert kaart.import_file(OTHER_KAART).ok
    services = Services(settings=settings, embeddings=None, index=None, answers=ScriptedAnswers(),  # type: ignore[arg-type]
                        kaart=kaart, store=FollowupStore(settings.database_path), scrubber=PiiScrubber(),
                        vragen=load_vragen(settings.knowledge_dir / "vragen.yaml"))  # fmt: skip
    clock = EvalClock()
    yield Engine(services, clock=clock), clock
    services.store.close()


def test_held_out_conversations_pass(engine_and_clock) -> None:
    engine, clock = engine_and_clock
    script = read_script(yaml.safe_load(SCRIPT.read_text(encoding="utf-8")))
    results = play(engine, clock, script, set_wijk=lambda user, wijk: None)
    checked, failures = 0, []
    for number, (conversation, result) in enumerate(zip(script, results, strict=True), start=1):
        for index, (turn, played) in enumerate(zip(conversation["turns"], result["turns"], strict=True)):
            if "check" in turn:
                checked += 1
                failures += [f"{number}.{index + 1} {f}" for f in check_turn(turn["check"], played)]
    failed_turns = len({f.split()[0] for f in failures})
    assert checked >= 10
    assert (checked - failed_turns) / checked >= GOAL, failures
