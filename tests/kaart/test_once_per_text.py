"""Issue #12: the signal lexicon and the sentence encoder do their work once per text, however many parts of the
engine ask (intent, suggestion, answer)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from bot.retrieval.embeddings import USEEmbeddings
from bot.understanding.lexicon import Lexicon, load_lexicon

ROOT = Path(__file__).resolve().parents[2]
SITUATION = "Moeder van drie, de post blijft liggen en de deurwaarder staat aan de deur."


def test_lexicon_reads_a_situation_once(monkeypatch: pytest.MonkeyPatch) -> None:
    lexicon = load_lexicon(ROOT / "knowledge" / "signalen.yaml")
    calls: list[str] = []
    original = Lexicon._read

    def counting(self: Lexicon, text: str, *, themes: bool) -> Any:
        calls.append(text)
        return original(self, text, themes=themes)

    monkeypatch.setattr(Lexicon, "_read", counting)
    first = lexicon.read(SITUATION)
    again = lexicon.read(SITUATION)
    assert first is again and calls == [SITUATION]
    assert {h.domain for h in first.hits}, "the situation names at least one levensgebied"
    lexicon.read(SITUATION, themes=True)  # service texts are not memoised
    assert len(calls) == 2


def test_encoder_embeds_a_text_once(monkeypatch: pytest.MonkeyPatch) -> None:
    embeddings = USEEmbeddings()
    seen: list[list[str]] = []
    monkeypatch.setattr(
        embeddings,
        "_encode_uncached",
        lambda texts: seen.append(list(texts)) or np.ones((len(texts), 512), dtype=np.float32),
    )
    embeddings.encode_query(SITUATION)
    vectors = embeddings.encode([SITUATION, "iets anders", SITUATION])
    embeddings.encode_query("iets anders")
    assert seen == [[SITUATION], ["iets anders"]]
    assert vectors.shape == (3, 512)
    returned = embeddings.encode_query(SITUATION)
    returned[0] = 0.0  # a caller changing its copy does not change the cache
    assert embeddings.encode_query(SITUATION)[0] == 1.0
