"""Start-up and import shortcuts give the same results as the long way (issue #12, round 2)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import yaml

from bot.config import Settings
from bot.suggestion.service import PartnerService
from bot.understanding.lexicon import load_lexicon

ROOT = Path(__file__).resolve().parents[2]


def _dev_texts() -> list[str]:
    """Situations from the kaart test files and the training corpus (dev data only)."""
    texts = [
        str(i["s"])
        for i in yaml.safe_load((ROOT / "tests/kaart/situations.yaml").read_text("utf-8"))["situations"]
    ]
    for path in sorted((ROOT / "knowledge/situaties").glob("train*.yaml")):
        texts += [str(i["tekst"]) for i in yaml.safe_load(path.read_text("utf-8"))["situaties"]]
    return texts


def test_combination_prefilter_changes_no_hit() -> None:
    lexicon = load_lexicon(ROOT / "knowledge/signalen.yaml")
    assert any(rule.local for rule in lexicon.combinations)
    slow = dataclasses.replace(
        lexicon, combinations=tuple(dataclasses.replace(r, local=False) for r in lexicon.combinations)
    )
    texts = _dev_texts()
    assert len(texts) > 100
    differ = [t for t in texts if lexicon._read(t, themes=False).hits != slow._read(t, themes=False).hits]
    assert not differ
    combined = sum(any(" + " in h.matched for h in lexicon._read(t, themes=False).hits) for t in texts)
    assert combined > 0  # the rules still fire where they should


def test_wijken_need_no_model(tmp_path: Path, fast_understander) -> None:  # type: ignore[no-untyped-def]
    settings = Settings(
        WIJKBOT_DATA_DIR=tmp_path / "data", OPENAI_API_KEY="", OPENAI_BASE_URL="", CHROMA_HOST=""
    )
    light = PartnerService(settings=settings, embeddings=None)  # type: ignore[arg-type]
    wijken = light.wijken()
    assert wijken
    assert light._understander is None and light._active is None  # nothing trained or built for /start
    from tests.kaart.conftest import HashingEmbeddings

    full = PartnerService(settings=settings, embeddings=HashingEmbeddings(), understander=fast_understander)  # type: ignore[arg-type]
    full.active()  # the built kaart, as after the warm-up
    assert full.wijken() == wijken
