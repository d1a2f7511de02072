"""A deliberately simple paragraph splitter, used only as a fallback when bot.ingest is not available."""

from __future__ import annotations

import re
from pathlib import Path

from bot.retrieval.types import Passage

_CHAPTER = re.compile(r"^ ?(\d{1,2}) (Introductie|Conclusie|Hoe|Wat|Wie)\b")


def naive_passages(path: Path) -> list[Passage]:
    """Split the publication into paragraphs; chapter from heading lines, no sections, page 0."""
    chapter, title = -1, ""
    blocks: list[tuple[int, str, list[str]]] = []
    current: list[str] = []
    for line in path.read_text(encoding="utf-8").split("\n"):
        match = _CHAPTER.match(line)
        if match:
            blocks.append((chapter, title, current))
            number, word = int(match.group(1)), match.group(2)
            chapter = 0 if word == "Introductie" else 11 if word == "Conclusie" else number
            title, current = line.strip(), []
        elif not line.strip():
            blocks.append((chapter, title, current))
            current = []
        else:
            current.append(line.strip())
    blocks.append((chapter, title, current))
    out: list[Passage] = []
    for chapter, title, block in blocks:
        flat = re.sub(r"(\w)- (?=[a-zà-ÿ])", r"\1", " ".join(block))
        if chapter >= 0 and len(flat) >= 80:
            out.append(Passage(f"n{len(out)}", flat, chapter, title, "", 0))
    return out
