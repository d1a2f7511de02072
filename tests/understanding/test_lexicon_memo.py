"""The lexicon's memo of situations read: larger within reads_kept (the situation training reads the learned
order's texts twice), the same detections, and back to its usual size after (perf18)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.understanding import lexicon as lexicon_module
from bot.understanding.lexicon import RECENT_READS, Lexicon, load_lexicon, reads_kept

ROOT = Path(__file__).resolve().parents[2]


def test_reads_kept_reads_each_text_once_with_the_same_result(monkeypatch: pytest.MonkeyPatch) -> None:
    lexicon = load_lexicon(ROOT / "knowledge" / "signalen.yaml")
    texts = [f"mw {i} heeft schulden en een zoon van {i % 17} die niet naar school gaat" for i in range(300)]
    fresh = [lexicon._read(t, themes=False) for t in texts]
    calls: list[str] = []
    plain = Lexicon._read

    def counted(self: Lexicon, text: str, *, themes: bool) -> object:
        calls.append(text)
        return plain(self, text, themes=themes)

    monkeypatch.setattr(Lexicon, "_read", counted)
    with reads_kept(len(texts) + 10):
        first = [lexicon.read(t) for t in texts]
        again = [lexicon.read(t) for t in texts]
    assert len(calls) == len(texts), "the second pass comes from the memo"
    assert first == again == fresh
    assert len(lexicon._recent) == len(texts) > RECENT_READS
    lexicon.read("clt heeft een huurachterstand")  # after: the memo shrinks back at the next read
    assert len(lexicon._recent) <= RECENT_READS
    assert lexicon_module._HELD == []
    calls.clear()
    _ = [lexicon.read(t) for t in texts]  # 300 texts through a memo of 256: each read again
    assert len(calls) == len(texts)
