"""CLI: `wijkbot suggest` and `wijkbot eval situations` (partner suggestion on a kaart)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated, Any

import typer
import yaml

from bot.kaart.cli import (
    BadInput,
    JsonOption,
    KaartOption,
    WijkOption,
    _existing,
    _guard,
    _print_json,
    _resolve_wijk,
    _service,
)
from bot.suggestion.format import format_suggestions


def suggest_cmd(situation: Annotated[str, typer.Argument(help="De situatie in je eigen woorden.")],
                wijk: WijkOption = None, kaart: KaartOption = None, as_json: JsonOption = False,
                top: Annotated[int, typer.Option("--top", min=1, max=20, help="Aantal partners.")] = 3) -> None:  # fmt: skip
    """Welke partner bel ik voor deze situatie?"""
    with _guard():
        if not situation.strip():
            raise BadInput("Beschrijf de situatie in een paar woorden.")
        service = _service()
        kaart_path = _existing(kaart) if kaart else None
        chosen = _resolve_wijk(wijk, service.wijken(kaart_path=kaart_path))
        result = service.suggest(situation, wijk=chosen, top=top, kaart_path=kaart_path)
        if as_json:
            _print_json(result.to_json())
        else:
            typer.echo(format_suggestions(result))


def _read_situations(path: Path) -> list[dict[str, Any]]:
    try:
        data = yaml.safe_load(_existing(path).read_text(encoding="utf-8"))
    except yaml.YAMLError:
        raise BadInput(f"{path.name} is geen leesbaar YAML-bestand.") from None
    items = data.get("situations") if isinstance(data, dict) else None
    if not isinstance(items, list) or not all(isinstance(i, dict) and "s" in i for i in items):
        raise BadInput(f"{path.name}: verwacht 'situations: [{{s: ..., wijk: ...}}, ...]'.")
    return items


def eval_situations_cmd(file: Annotated[Path, typer.Argument(help="YAML: situations: [{s: ..., wijk: ...}]")],
                        kaart: KaartOption = None, as_json: JsonOption = False) -> None:  # fmt: skip
    """Stel partners voor bij elke situatie in het bestand, in één proces."""
    with _guard():
        items = _read_situations(file)
        service = _service()
        kaart_path = _existing(kaart) if kaart else None
        wijken = {w.casefold(): w for w in service.wijken(kaart_path=kaart_path)}
        rows = []
        for item in items:
            wijk = item.get("wijk")
            wijk = wijken.get(str(wijk).strip().casefold(), str(wijk)) if wijk else None
            start = time.perf_counter()
            result = service.suggest(str(item["s"]), wijk=wijk, kaart_path=kaart_path)
            latency = (time.perf_counter() - start) * 1000
            rows.append({"situation": str(item["s"]), "ids": [s.service.id for s in result.suggestions],
                         "safety": result.to_json()["safety"], "latency_ms": round(latency, 2)})  # fmt: skip
        if as_json:
            _print_json(rows)
            return
        for row in rows:
            level = row["safety"]["level"] if row["safety"] else "-"
            typer.echo(
                f"{row['latency_ms']:7.1f} ms  {level:<5}  {', '.join(row['ids']) or '(niets)'}  {row['situation'][:60]}"
            )
