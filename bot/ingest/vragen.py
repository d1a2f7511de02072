"""The ten questions (vraagstukken) with summaries and advice, read from knowledge/vragen.yaml."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

THEMES = (
    "tijd",
    "kennismaken",
    "visie",
    "vertrouwen en terugkoppeling",
    "financiële schotten",
    "rollen",
    "concurrentie",
    "onafhankelijkheid",
    "organisatorische belemmeringen",
    "mandaat",
)


@dataclass(frozen=True)
class Advice:
    """One concrete tip from the publication, with the page it comes from."""

    text: str
    page: int


@dataclass(frozen=True)
class Vraag:
    """One of the ten questions of the publication."""

    number: int
    title: str
    theme: str
    page: int
    summary: str
    advice: tuple[Advice, ...]
    english: str = ""  # the summary in English, for a question asked in English (round 18)


def load_vragen(path: Path) -> list[Vraag]:
    """Read vragen.yaml; sorted by number. Raises ValueError naming the problem when the file is malformed."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ValueError(f"{path.name}: kan het bestand niet lezen ({exc.strerror or exc}).") from exc
    except yaml.YAMLError as exc:
        raise ValueError(f"{path.name}: ongeldige YAML ({exc}).") from exc
    if not isinstance(data, dict) or not isinstance(data.get("vragen"), list):
        raise ValueError(f"{path.name}: verwacht een lijst onder de sleutel 'vragen'.")
    vragen = [
        _parse_vraag(entry, where=f"{path.name} vraag {i + 1}") for i, entry in enumerate(data["vragen"])
    ]
    numbers = [v.number for v in vragen]
    if len(set(numbers)) != len(numbers):
        raise ValueError(f"{path.name}: een vraagnummer komt meer dan eens voor.")
    return sorted(vragen, key=lambda v: v.number)


def _parse_vraag(entry: Any, *, where: str) -> Vraag:
    if not isinstance(entry, dict):
        raise ValueError(f"{where}: verwacht een mapping met number, title, theme, page, summary, advice.")
    theme = _text(entry, "theme", where=where)
    if theme not in THEMES:
        raise ValueError(f"{where}: onbekend thema '{theme}'.")
    advice_raw = entry.get("advice")
    if not isinstance(advice_raw, list) or not advice_raw:
        raise ValueError(f"{where}: 'advice' moet een niet-lege lijst zijn.")
    advice = tuple(_parse_advice(a, where=f"{where} tip {j + 1}") for j, a in enumerate(advice_raw))
    return Vraag(
        number=_positive_int(entry, "number", where=where),
        title=_text(entry, "title", where=where),
        theme=theme,
        page=_positive_int(entry, "page", where=where),
        summary=" ".join(_text(entry, "summary", where=where).split()),
        advice=advice,
        english=" ".join(str(entry.get("english") or "").split()),
    )


def _parse_advice(entry: Any, *, where: str) -> Advice:
    if not isinstance(entry, dict):
        raise ValueError(f"{where}: verwacht {{text: ..., page: ...}}.")
    return Advice(
        text=" ".join(_text(entry, "text", where=where).split()),
        page=_positive_int(entry, "page", where=where),
    )


def _text(entry: dict[str, Any], key: str, *, where: str) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{where}: '{key}' ontbreekt of is leeg.")
    return value.strip()


def _positive_int(entry: dict[str, Any], key: str, *, where: str) -> int:
    value = entry.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{where}: '{key}' moet een positief geheel getal zijn.")
    return value
