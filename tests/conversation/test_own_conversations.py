"""Round-3 conversations written for tests (own_conversations3*.yaml), on three kaarten, through the real engine:
real kaart import, USE vectors, the real dialogue-act model (with sentence vectors, as the bot runs); publication answers are scripted, so
conversations marked `publicatie: true` are left to `wijkbot eval conversations` (they need the index).

The checks are those of ../shared/tools/score_conversations.py (contains, none, max_chars, partners_any,
first_partner, safety), plus the phone-size limits for every reply.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.conversation.engine import Engine
from bot.conversation.evaluation import EvalClock, play, read_script, user_ids
from tests.conftest import seed_model_cache

HERE = Path(__file__).resolve().parent
KAARTEN = {
    "own_conversations3.yaml": None,  # the active (example) kaart
    "own_conversations3_vierde.yaml": HERE.parent / "kaart" / "vierde_gemeente.csv",
    "own_conversations3_bergwoude.yaml": HERE.parent / "kaart" / "andere_gemeente.csv",
    "own_conversations4.yaml": HERE.parent / "kaart" / "vierde_gemeente.csv",
    "own_conversations5.yaml": HERE.parent / "kaart" / "vierde_gemeente.csv",
    "own_conversations6.yaml": HERE.parent / "kaart" / "vierde_gemeente.csv",
    "own_conversations7.yaml": HERE.parent / "kaart" / "vierde_gemeente.csv",
    "own_conversations8.yaml": HERE.parent / "kaart" / "vierde_gemeente.csv",
    "own_conversations9.yaml": HERE.parent / "kaart" / "vierde_gemeente.csv",
    "own_conversations10.yaml": HERE.parent / "kaart" / "vierde_gemeente.csv",
    "own_conversations15.yaml": HERE.parent / "kaart" / "vierde_gemeente.csv",
}


@pytest.fixture(scope="module")
def embeddings(use_embeddings: Any) -> Any:
    return use_embeddings  # perf11: the session's USE model, not a second one


@pytest.fixture(scope="module")
def understanding_use(embeddings: Any, built_data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The dialogue-act model as the bot runs it: n-grams plus USE sentence vectors. perf11: read, as the worker
    reads it, from the copy of what `wijkbot index` kept for the session (same corpus, code and encoder kind: the
    cache key), instead of embedding the corpus and training it a second time."""
    import shutil

    from bot.config import PROJECT_ROOT
    from bot.conversation.understanding import Understanding

    cache = tmp_path_factory.mktemp("acts-use") / "dialoog"
    shutil.copytree(built_data_dir / "dialoog", cache)
    return Understanding(PROJECT_ROOT / "knowledge", encoder=embeddings, cache_dir=cache)


def _services(tmp: Path, embeddings: Any, kaart: Path | None, users: list[int]) -> Any:
    from bot.config import Settings
    from bot.followup.store import FollowupStore
    from bot.ingest.vragen import load_vragen
    from bot.privacy.pii import PiiScrubber
    from bot.services import Services
    from bot.suggestion.service import PartnerService
    from tests.conversation.fakes import ScriptedAnswers

    settings = Settings(WIJKBOT_DATA_DIR=tmp, WIJKBOT_ALLOWED_USERS=",".join(map(str, users)))  # type: ignore[call-arg]
    partners = PartnerService(settings=settings, embeddings=embeddings)
    if kaart is not None:
        assert partners.import_file(kaart).ok
    return Services(
        settings=settings, embeddings=embeddings, index=None, answers=ScriptedAnswers(), kaart=partners,  # type: ignore[arg-type]
        store=FollowupStore(tmp / "own.sqlite3"), scrubber=PiiScrubber(use_deduce=False),
        vragen=load_vragen(settings.knowledge_dir / "vragen.yaml"),
    )  # fmt: skip


def _failures(expect: dict[str, Any], turn: dict[str, Any]) -> list[str]:
    """The scorer's checks for one turn."""
    if turn.get("error"):
        return [turn["error"]]
    replies = turn["replies"]
    body = "\n".join(r["text"] for r in replies)
    low = "\n".join(r["text"] + "\n" + " ".join(r["buttons"]) for r in replies).lower()
    bad = [f"none of {g}" for g in expect.get("contains", []) if not any(s.lower() in low for s in g)]
    bad += [f"'{s}' in reply" for s in expect.get("none", []) if s.lower() in low]
    if "max_chars" in expect and len(body) > expect["max_chars"]:
        bad.append(f"{len(body)} > {expect['max_chars']} chars")
    if "partners_any" in expect and not set(turn["partners"]) & set(expect["partners_any"]):
        bad.append(f"partners {turn['partners']}")
    if set(turn["partners"]) & set(expect.get("not_partners", [])):
        bad.append(f"unwanted partners {turn['partners']}")
    if "first_partner" in expect and turn["partners"][:1] != expect["first_partner"][:1]:
        bad.append(f"first partner {turn['partners'][:1]}")
    want, got = expect.get("safety"), turn["safety"]
    if (
        (want == "not_acute" and got == "acute")
        or (want == "none" and got)
        or (want in ("acute", "zorg") and got != want)
    ):
        bad.append(f"safety {got}, want {want}")
    return bad


@pytest.mark.parametrize("name", sorted(KAARTEN))
def test_own_conversations(
    name: str, tmp_path: Path, embeddings: Any, understanding_use: Any, model_cache_dir: Path
) -> None:
    seed_model_cache(model_cache_dir, tmp_path)  # the session's situation model, not trained again per kaart
    script = yaml.safe_load((HERE / name).read_text(encoding="utf-8"))
    script["conversations"] = [c for c in script["conversations"] if not c.get("publicatie")]
    conversations = read_script(script)
    users = user_ids(len(conversations))
    services = _services(tmp_path, embeddings, KAARTEN[name], users)
    clock = EvalClock()
    engine = Engine(services, clock=clock, understanding=understanding_use)

    def set_wijk(user_id: int, wijk: str) -> None:
        services.store.ensure_user(user_id, now=clock())
        services.store.set_wijk(user_id, wijk, now=clock())

    out = play(engine, clock, conversations, set_wijk=set_wijk)
    problems = []
    for conversation, result in zip(script["conversations"], out, strict=True):
        for turn, got in zip(conversation["turns"], result["turns"], strict=True):
            texts = [r["text"] for r in got["replies"]]
            if texts and len(texts[0]) > 600:
                problems.append(f"{got['input']!r}: first message {len(texts[0])} chars")
            if got["partners"] and sum(map(len, texts)) > 1200:
                problems.append(f"{got['input']!r}: suggestion {sum(map(len, texts))} chars")
            if "expect" in turn:
                problems += [f"{got['input']!r}: {p}" for p in _failures(turn["expect"], got)]
    services.store.close()
    assert not problems, "\n".join(problems)
