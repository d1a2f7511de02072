"""Chat messages from the dialogue-act corpus (knowledge/dialoog/train_*.yaml) as extra data for the SAFETY head.

The situation model also reads short chat messages ('is het vandaag open?', 'zijn ze morgen open?') when they reach
the situation path, so it must have seen them: every training message whose act is not `situatie` or `acuut` is a
chat message that carries no danger (level `geen`); the `acuut` messages are acute (level `acuut`, danger type
unknown). None of them has levensgebieden, so they train the safety level only, never the domain model or the
danger-type model. Only train_* files are read: the held-out dialogue files never enter training.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.understanding.taxonomy import TaxonomyError
from bot.yaml_loader import load_yaml

CHAT_GLOB = "train_*.yaml"
CASE_ACTS = frozenset({"situatie", "acuut"})


@dataclass(frozen=True, slots=True)
class ChatText:
    """One chat message with the safety level it implies: `geen` (a chat message) or `acuut`."""

    text: str
    level: str
    writer: str
    act: str


def load_chat(directory: Path | None) -> list[ChatText]:
    """All train_* dialogue files in name order; no directory (or none there): no chat data."""
    if directory is None or not directory.is_dir():
        return []
    out: list[ChatText] = []
    for path in sorted(directory.glob(CHAT_GLOB)):
        try:
            data = load_yaml(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            raise TaxonomyError(f"{path.name} is niet leesbaar: {exc}") from None
        writer = str(data.get("schrijver", path.stem)) if isinstance(data, dict) else path.stem
        for item in (data or {}).get("berichten") or []:
            text, act = str(item.get("tekst", "")).strip(), str(item.get("act", ""))
            if not text or act == "situatie":
                continue
            out.append(ChatText(text, "acuut" if act == "acuut" else "geen", writer, act))
    return out
