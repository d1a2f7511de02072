"""The safety protocol per danger type (knowledge/veiligheidsprotocol.yaml), loaded strictly and rendered.

At level `acuut` the protocol is the first message, before any partner. At level `zorg` it is one short line
without 112. Numbers come from the national lines (bot/safety/lines.py), never from the protocol text.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import yaml

from bot.safety.lines import NationalLine, NationalLines, load_lines

Level = Literal["acuut", "zorg"]
FIELDS = {"titel", "acuut", "zorg", "lijnen"}
PROTOCOL_FILE = "veiligheidsprotocol.yaml"
LINES_FILE = "landelijke_lijnen.yaml"
TAXONOMY_FILE = "levensgebieden.yaml"


class ProtocolError(ValueError):
    """veiligheidsprotocol.yaml is not usable; the message names the danger type and the problem."""


@dataclass(frozen=True, slots=True)
class Protocol:
    danger: str
    title: str
    acute: tuple[str, ...]  # steps, numbers already filled in
    zorg: str
    lines: tuple[NationalLine, ...]


@dataclass(frozen=True, slots=True)
class ProtocolMessage:
    """What the user reads first, and the lines to offer as tappable numbers (or contact cards)."""

    danger: str
    level: Level
    text: str
    lines: tuple[NationalLine, ...]


@dataclass(frozen=True, slots=True)
class SafetyProtocols:
    protocols: dict[str, Protocol]
    lines: NationalLines

    def render(self, level: Level, danger: str) -> ProtocolMessage:
        """The protocol message for this level and danger type (KeyError for an unknown type)."""
        protocol = self.protocols[danger]
        if level == "zorg":
            lines = tuple(line for line in protocol.lines if line.key != "alarm")
            return ProtocolMessage(danger, level, protocol.zorg, lines)
        steps = [f"{i}. {step}" for i, step in enumerate(protocol.acute, start=1)]
        text = "\n".join([f"⚠️ {protocol.title}. Doe dit eerst:", *steps])
        return ProtocolMessage(danger, level, text, protocol.lines)


def phone_line(line: NationalLine) -> str:
    """'📞 Veilig Thuis: 0800-2000 (+318002000)': the number as read and as a tappable number."""
    tap = line.tappable
    extra = f" ({tap})" if tap != line.number and tap != line.dial else ""
    return f"📞 {line.name}: {line.number}{extra}"


def load_protocols(knowledge_dir: Path) -> SafetyProtocols:
    """Load lines and protocols; every danger type of the taxonomy needs exactly one protocol."""
    lines = load_lines(knowledge_dir / LINES_FILE)
    data = yaml.safe_load((knowledge_dir / PROTOCOL_FILE).read_text(encoding="utf-8")) or {}
    raw = data.get("protocollen") if isinstance(data, dict) and set(data) == {"protocollen"} else None
    if not isinstance(raw, dict):
        raise ProtocolError(f"{PROTOCOL_FILE}: verwacht precies één sleutel 'protocollen'.")
    dangers = _danger_types(knowledge_dir / TAXONOMY_FILE)
    if set(raw) != dangers:
        missing, unknown = sorted(dangers - set(raw)), sorted(set(raw) - dangers)
        raise ProtocolError(f"{PROTOCOL_FILE}: ontbrekende soorten {missing}, onbekende soorten {unknown}.")
    return SafetyProtocols({d: _protocol(d, body, lines) for d, body in raw.items()}, lines)


def _danger_types(path: Path) -> set[str]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return set(((data.get("veiligheid") or {}).get("soorten") or {}).keys())


def _protocol(danger: str, body: object, lines: NationalLines) -> Protocol:
    where = f"{PROTOCOL_FILE}: {danger}"
    if not isinstance(body, dict) or set(body) != FIELDS:
        raise ProtocolError(f"{where}: verwacht precies de velden {', '.join(sorted(FIELDS))}.")
    acute, zorg = body["acuut"], body["zorg"]
    if not isinstance(acute, list) or not acute or not all(isinstance(s, str) and s.strip() for s in acute):
        raise ProtocolError(f"{where}: 'acuut' moet een lijst met stappen zijn.")
    if not any("{alarm}" in step for step in acute):
        raise ProtocolError(f"{where}: het acute protocol moet {{alarm}} (112) noemen.")
    if not isinstance(zorg, str) or not zorg.strip() or "{alarm}" in zorg:
        raise ProtocolError(f"{where}: 'zorg' is één regel zonder {{alarm}} (geen 112).")
    keys = body["lijnen"]
    if not isinstance(keys, list) or any(k not in lines.lines for k in keys):
        raise ProtocolError(f"{where}: 'lijnen' noemt een onbekende lijn (zie {LINES_FILE}).")
    return Protocol(danger, str(body["titel"]).strip(), tuple(_fill(s, lines, where) for s in acute),
                    _fill(zorg, lines, where), tuple(lines[k] for k in keys))  # fmt: skip


def _fill(text: str, lines: NationalLines, where: str) -> str:
    """Put the numbers in; a number typed in the protocol itself, or an unknown {name}, is an error."""
    if re.search(r"\d{3}", text):
        raise ProtocolError(f"{where}: zet geen nummer in de tekst, gebruik {{naam}} uit {LINES_FILE}.")
    names = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    unknown = names - set(lines.lines)
    if unknown:
        raise ProtocolError(f"{where}: onbekende lijn {sorted(unknown)}.")
    return text.strip().format(**{key: line.number for key, line in lines.lines.items()})
