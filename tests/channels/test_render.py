"""Pure rendering and limiting helpers."""

from __future__ import annotations

import pytest

from bot.channels.ratelimit import NoticeThrottle, SlidingWindowLimiter
from bot.channels.telegram_render import (
    escape_html,
    parse_command,
    split_text,
    truncate_input,
    utf16_len,
)


def test_split_keeps_paragraphs_and_respects_utf16_limit():
    paragraphs = [f"Alinea {n}: " + "woord " * 150 for n in range(20)]
    chunks = split_text("\n\n".join(paragraphs), limit=1000)
    assert all(utf16_len(c) <= 1000 for c in chunks)
    assert " ".join(" ".join(chunks).split()) == " ".join(" ".join(paragraphs).split())
    assert all(c.startswith("Alinea") for c in chunks), "splits fall on paragraph boundaries"


def test_split_emoji_counts_as_two_units_and_is_never_cut():
    text = "👩‍👩‍👧" * 600  # no whitespace at all
    chunks = split_text(text, limit=1000)
    assert "".join(chunks) == text
    assert all(utf16_len(c) <= 1000 for c in chunks)


@pytest.mark.parametrize("text", ["", "   ", "\n\n"])
def test_split_empty(text):
    assert split_text(text) == []


def test_escape_and_truncate():
    assert escape_html("<b>a & b</b>") == "&lt;b&gt;a &amp; b&lt;/b&gt;"
    assert truncate_input("x" * 10, limit=4) == ("xxxx", True)
    assert truncate_input("kort", limit=4) == ("kort", False)


def test_parse_command():
    parsed = parse_command("/Start@WijkBot   abc def")
    assert parsed is not None and (parsed.name, parsed.args) == ("start", "abc def")
    assert parse_command("geen commando") is None
    assert parse_command("/") is None


def test_sliding_window_and_notice_throttle():
    now = [0.0]
    limiter = SlidingWindowLimiter(limit=3, window=60, clock=lambda: now[0])
    assert [limiter.allow(1) for _ in range(4)] == [True, True, True, False]
    assert limiter.allow(2), "other users are not affected"
    now[0] = 59.9
    assert not limiter.allow(1)
    now[0] = 60.0
    assert limiter.allow(1)
    throttle = NoticeThrottle(interval=600, clock=lambda: now[0])
    assert throttle.should_notify(5) and not throttle.should_notify(5)
    now[0] += 600
    assert throttle.should_notify(5)
