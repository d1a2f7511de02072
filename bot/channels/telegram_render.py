"""Pure rendering helpers for Telegram: safe splitting and HTML escaping. No I/O, no telegram import."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

# Telegram allows 4,096 UTF-16 code units per message; keep a margin.
MESSAGE_LIMIT = 4000
CALLBACK_DATA_LIMIT = 64
BUTTON_LABEL_LIMIT = 60

_COMMAND = re.compile(r"^/([A-Za-z0-9_]{1,64})(?:@[A-Za-z0-9_]+)?(?:\s+(.*))?$", re.DOTALL)


@dataclass(frozen=True, slots=True)
class ParsedCommand:
    """A '/name@bot args' message split into its parts."""

    name: str
    args: str


def utf16_len(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


def escape_html(text: str) -> str:
    """Escape text for parse_mode=HTML."""
    return html.escape(text, quote=False)


def parse_command(text: str) -> ParsedCommand | None:
    """Parse '/Start@WijkBot  abc' into ParsedCommand('start', 'abc'); None when it is no command."""
    match = _COMMAND.match(text.strip())
    if not match:
        return None
    return ParsedCommand(name=match.group(1).lower(), args=(match.group(2) or "").strip())


def split_text(text: str, *, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Split text into chunks of at most `limit` UTF-16 units, on paragraph, line or word boundaries."""
    text = text.strip()
    if not text:
        return []
    if utf16_len(text) <= limit:
        return [text]
    for separator in ("\n\n", "\n", " "):
        parts = text.split(separator)
        if len(parts) > 1:
            return _pack(parts, separator=separator, limit=limit)
    return _hard_cut(text, limit=limit)


def _pack(parts: list[str], *, separator: str, limit: int) -> list[str]:
    """Greedily join parts with separator into chunks under the limit."""
    chunks: list[str] = []
    current = ""
    for part in parts:
        pieces = split_text(part, limit=limit) if utf16_len(part) > limit else [part]
        for piece in pieces:
            candidate = f"{current}{separator}{piece}" if current else piece
            if utf16_len(candidate) <= limit:
                current = candidate
                continue
            if current.strip():
                chunks.append(current.strip())
            current = piece
    if current.strip():
        chunks.append(current.strip())
    return chunks


def _hard_cut(text: str, *, limit: int) -> list[str]:
    """Cut a text without any whitespace by code points, never inside a character."""
    chunks: list[str] = []
    current: list[str] = []
    size = 0
    for char in text:
        width = utf16_len(char)
        if size + width > limit:
            chunks.append("".join(current))
            current, size = [], 0
        current.append(char)
        size += width
    if current:
        chunks.append("".join(current))
    return chunks


def truncate_input(text: str, *, limit: int) -> tuple[str, bool]:
    """Cut user input to `limit` characters; returns (text, was_truncated)."""
    if len(text) <= limit:
        return text, False
    return text[:limit], True


def button_label(label: str) -> str:
    """Shorten a button label so it fits on a phone."""
    label = " ".join(label.split())
    if len(label) <= BUTTON_LABEL_LIMIT:
        return label or "?"
    return label[: BUTTON_LABEL_LIMIT - 1].rstrip() + "…"


def callback_data_fits(data: str) -> bool:
    """Telegram rejects callback data over 64 bytes."""
    return 0 < len(data.encode("utf-8")) <= CALLBACK_DATA_LIMIT
