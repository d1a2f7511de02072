"""Pick one piece of advice from the publication to close a suggestion (vraagstuk 4, 6, ...)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.understanding.normalize import fold

SOURCE = "Samenwerken in de wijk (Movisie/IWW, 2016)"


@dataclass(frozen=True, slots=True)
class AdviceRef:
    """One advice with where it comes from."""

    text: str
    chapter: int
    page: int
    title: str

    def citation(self) -> str:
        return f"Vraag {self.chapter} · {self.title} (p. {self.page}) — {SOURCE}"

    def to_json(self) -> dict[str, Any]:
        return {"text": self.text, "chapter": self.chapter, "page": self.page}


def load_vragen_safely(path: Path) -> list[Any]:
    """Vragen from knowledge/vragen.yaml via bot.ingest.vragen; empty when not (yet) available."""
    if not path.is_file():
        return []
    try:
        from bot.ingest.vragen import load_vragen
    except ImportError:
        return []
    try:
        return list(load_vragen(path))
    except Exception:  # a broken vragen file must not break partner suggestions
        return []


class AdvicePicker:
    """Chooses advice by vraagstuk number, preferring advice that mentions the configured keywords."""

    def __init__(self, *, vragen: list[Any], config: dict[str, Any]) -> None:
        self._vragen = {int(v.number): v for v in vragen}
        self._config = config
        self.default = int(config.get("standaard", 4))
        self.several = int(config.get("meerdere_partners", 6))
        self.meeting = int(config.get("kennismaken", 2))

    def pick(self, chapter: int) -> AdviceRef:
        keywords = [fold(k) for k in self._config.get("zoekwoorden", {}).get(chapter, [])]
        vraag = self._vragen.get(chapter)
        if vraag is not None and getattr(vraag, "advice", None):
            advice = next(
                (a for a in vraag.advice if any(k in fold(a.text) for k in keywords)), vraag.advice[0]
            )
            return AdviceRef(text=advice.text, chapter=chapter, page=int(advice.page or vraag.page),
                             title=vraag.title)  # fmt: skip
        reserve = self._config.get("reserve", {})
        entry = reserve.get(chapter) or reserve.get(self.default) or {}
        return AdviceRef(
            text=str(entry.get("tekst", "Spreek bij het doorverwijzen af wie wanneer terugkoppelt.")),
            chapter=chapter if chapter in reserve else self.default,
            page=int(entry.get("pagina", 18)),
            title=str(entry.get("titel", "Hoe weet ik zeker dat de ander mij en de bewoner verder helpt?")),
        )
