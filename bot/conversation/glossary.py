"""The glossary (knowledge/begrippen.yaml): short B1 explanations, each naming its source.

Entries from outside the publication say so and cite a public source.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.conversation import texts
from bot.conversation.lookup import fold


@dataclass(frozen=True, slots=True)
class Entry:
    term: str
    aliases: tuple[str, ...]
    text: str
    source: str
    from_publication: bool

    def reply(self) -> str:
        template = texts.GLOSSARY_SOURCE if self.from_publication else texts.GLOSSARY_OUTSIDE
        return f"{self.term}: {' '.join(self.text.split())}\n\n{template.format(source=self.source)}"


class GlossaryError(ValueError):
    """begrippen.yaml has the wrong shape."""


def load_glossary(path: Path) -> list[Entry]:
    """All entries; [] when the file is missing. Raises GlossaryError on a malformed entry."""
    if not path.is_file():
        return []
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    entries: list[Entry] = []
    for number, item in enumerate(data.get("begrippen") or [], start=1):
        if not isinstance(item, dict) or not all(item.get(k) for k in ("begrip", "uitleg", "bron")):
            raise GlossaryError(f"{path.name}: begrip {number} mist begrip, uitleg of bron")
        aliases = tuple(fold(str(a)) for a in item.get("termen") or [item["begrip"]])
        entries.append(Entry(str(item["begrip"]), aliases, str(item["uitleg"]), str(item["bron"]),
                             bool(item.get("publicatie", False))))  # fmt: skip
    return entries


def find(entries: list[Entry], text: str) -> Entry | None:
    """The entry whose longest alias occurs in the text as whole words ('wat is FACT' -> FACT-team)."""
    folded = " " + re.sub(r"[^a-z0-9-]+", " ", fold(text)) + " "
    best: tuple[int, Entry] | None = None
    for entry in entries:
        for alias in entry.aliases:
            if f" {alias} " in folded and (best is None or len(alias) > best[0]):
                best = (len(alias), entry)
    return best[1] if best else None
