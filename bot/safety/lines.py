"""The national lines (112, 113, Veilig Thuis, politie...), defined once in knowledge/landelijke_lijnen.yaml."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

FIELDS = {"naam", "nummer", "bellen", "anoniem", "wanneer"}


class LinesError(ValueError):
    """landelijke_lijnen.yaml is not usable; the message names the line and the field."""


@dataclass(frozen=True, slots=True)
class NationalLine:
    key: str
    name: str
    number: str  # as people read it: '113 of 0800-0113'
    dial: str  # the number to dial: '0800-0113'
    anonymous: bool  # gives no terugkoppeling to the professional
    when: str

    @property
    def tappable(self) -> str:
        return tappable(self.dial)


def digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def tappable(number: str) -> str:
    """A phone number a phone can dial from a tap: Dutch numbers in +31 form, short numbers (112) as they are."""
    only = digits(number)
    if number.strip().startswith("+"):
        return "+" + only
    if only.startswith("0") and len(only) >= 8:
        return "+31" + only[1:]
    return only


@dataclass(frozen=True, slots=True)
class NationalLines:
    lines: dict[str, NationalLine]

    def __getitem__(self, key: str) -> NationalLine:
        return self.lines[key]

    def matching(self, phone: str) -> NationalLine | None:
        """The national line whose number occurs in a kaart phone field ('113 / 0800-0113'), else None."""
        numbers = {digits(part) for part in re.split(r"[/,;]| of ", phone) if digits(part)}
        for line in self.lines.values():
            own = {digits(part) for part in re.split(r"[/,;]| of ", line.number) if digits(part)}
            if numbers & own:
                return line
        return None

    @property
    def anonymous(self) -> list[NationalLine]:
        return [line for line in self.lines.values() if line.anonymous]


def load_lines(path: Path) -> NationalLines:
    """Read and check the file: every line has exactly the known fields, and a dialable number."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    if set(data) != {"lijnen"} or not isinstance(data["lijnen"], dict) or not data["lijnen"]:
        raise LinesError(f"{path.name}: verwacht precies één sleutel 'lijnen' met de lijnen.")
    lines = {key: _line(key, raw, path.name) for key, raw in data["lijnen"].items()}
    if "alarm" not in lines or digits(lines["alarm"].dial) != "112":
        raise LinesError(f"{path.name}: de lijn 'alarm' met nummer 112 ontbreekt.")
    return NationalLines(lines)


def _line(key: str, raw: object, name: str) -> NationalLine:
    if not isinstance(raw, dict) or set(raw) != FIELDS:
        raise LinesError(
            f"{name}: lijn '{key}' moet precies deze velden hebben: {', '.join(sorted(FIELDS))}."
        )
    if not isinstance(raw["anoniem"], bool):
        raise LinesError(f"{name}: lijn '{key}': 'anoniem' moet true of false zijn.")
    texts = {field: str(raw[field]).strip() for field in ("naam", "nummer", "bellen", "wanneer")}
    if not all(texts.values()):
        raise LinesError(f"{name}: lijn '{key}' heeft een leeg veld.")
    if not re.fullmatch(r"\+?[\d -]{3,15}", texts["bellen"]) or digits(texts["bellen"]) not in digits(
        texts["nummer"]
    ):
        raise LinesError(f"{name}: lijn '{key}': 'bellen' moet een nummer uit 'nummer' zijn.")
    return NationalLine(
        key, texts["naam"], texts["nummer"], texts["bellen"], raw["anoniem"], texts["wanneer"]
    )
