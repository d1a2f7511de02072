"""CLI: `wijkbot kaart import|validate|search|show|export`, plus `suggest` and `eval situations` commands."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
import yaml

from bot.kaart.format import format_card, format_suggestions
from bot.kaart.model import KaartError, ValidationReport

kaart_app = typer.Typer(
    help="De sociale kaart: importeren, controleren, zoeken en tonen.", no_args_is_help=True
)

WijkOption = Annotated[str | None, typer.Option("--wijk", help="Alleen partners voor deze wijk.")]
JsonOption = Annotated[bool, typer.Option("--json", help="Uitvoer als JSON.")]
KaartOption = Annotated[
    Path | None, typer.Option("--kaart", help="Gebruik dit bestand, alleen voor deze opdracht.")
]


class BadInput(Exception):
    """Bad input from the user: one Dutch line on stderr, exit code 2."""


def _fail(message: str, code: int = 2) -> None:
    typer.echo(message.replace("\n", " "), err=True)
    raise typer.Exit(code)


@contextmanager
def _guard() -> Iterator[None]:
    """Turn every expected problem into one line on stderr and exit 2; never show a traceback."""
    try:
        yield
    except typer.Exit:
        raise
    except (BadInput, KaartError) as exc:
        _fail(str(exc))
    except OSError as exc:
        _fail(f"Bestand niet te lezen of te schrijven: {exc.strerror or exc} ({exc.filename or ''}).")
    except ValueError as exc:  # SettingsError and pydantic validation errors
        _fail(f"Instelling of invoer klopt niet: {exc}".splitlines()[0])
    except Exception as exc:  # noqa: BLE001 - last resort, keep it to one line
        _fail(f"Onverwachte fout: {type(exc).__name__}: {exc}", code=1)


def _service() -> Any:
    from bot.config import Settings
    from bot.kaart.service import KaartService
    from bot.retrieval.embeddings import USEEmbeddings

    settings = Settings()
    settings.validate_all()
    return KaartService(settings=settings, embeddings=USEEmbeddings(cache_dir=settings.data_dir))


def _print_json(payload: Any) -> None:
    typer.echo(json.dumps(payload, ensure_ascii=False, indent=1))


def _existing(path: Path) -> Path:
    if not path.is_file():
        raise BadInput(f"Bestand niet gevonden: {path}")
    return path


def _report(report: ValidationReport) -> None:
    for warning in report.warnings[:50]:
        typer.echo(f"Waarschuwing: {warning}", err=True)
    for error in report.errors:
        typer.echo(f"Fout: {error}", err=True)


def _resolve_wijk(wijk: str | None, wijken: list[str]) -> str | None:
    if not wijk:
        return None
    for name in wijken:
        if name.casefold() == wijk.strip().casefold():
            return name
    known = ", ".join(wijken) if wijken else "geen (alle partners werken in de hele gemeente)"
    raise BadInput(f"Onbekende wijk '{wijk}'. Wijken op deze kaart: {known}.")


@kaart_app.command("validate")
def validate_cmd(path: Annotated[Path, typer.Argument(help="CSV-, YAML- of JSON-bestand.")]) -> None:
    """Controleer een kaartbestand zonder iets te veranderen."""
    with _guard():
        from bot.kaart.validation import parse_file

        report = parse_file(_existing(path)).report
        _report(report)
        if not report.ok:
            raise typer.Exit(2)
        typer.echo(f"In orde: {report.count} diensten, {len(report.warnings)} waarschuwingen.")


def _progress() -> tuple[Callable[[int, int], None], Callable[[], None]]:
    from rich.console import Console
    from rich.progress import Progress

    progress = Progress(console=Console(stderr=True), transient=True)
    task = progress.add_task("Diensten verwerken", total=None)
    progress.start()

    def update(done: int, total: int) -> None:
        progress.update(task, completed=done, total=total)

    return update, progress.stop


@kaart_app.command("import")
def import_cmd(path: Annotated[Path, typer.Argument(help="CSV-, YAML-, JSON- of HSDS-bestand.")]) -> None:
    """Maak dit bestand de actieve sociale kaart (in één keer, of helemaal niet)."""
    with _guard():
        service = _service()
        update, stop = _progress()
        try:
            report = service.import_file(_existing(path), progress=update)
        finally:
            stop()
        _report(report)
        if not report.ok:
            typer.echo("Niet geïmporteerd. De vorige kaart blijft actief.", err=True)
            raise typer.Exit(2)
        typer.echo(f"Geïmporteerd: {report.count} diensten uit {path.name}. Dit is nu de actieve kaart.")


@kaart_app.command("search")
def search_cmd(text: Annotated[str, typer.Argument(help="Zoekwoorden, typefouten mogen.")],
               wijk: WijkOption = None, as_json: JsonOption = False,
               limit: Annotated[int, typer.Option("--limit", min=1, max=50)] = 5) -> None:  # fmt: skip
    """Zoek partners op naam, organisatie, thema of beschrijving."""
    with _guard():
        service = _service()
        found = service.search(text, wijk=_resolve_wijk(wijk, service.wijken()), limit=limit)
        if as_json:
            _print_json([s.to_row() for s in found])
            return
        if not found:
            typer.echo("Niets gevonden. Probeer een ander woord.")
        for s in found:
            typer.echo(f"{s.id}: {s.name} ({s.organization}) {s.phone}".rstrip())


@kaart_app.command("show")
def show_cmd(service_id: Annotated[str, typer.Argument(help="Id van de dienst.")]) -> None:
    """Toon de kaart van één partner."""
    with _guard():
        found = _service().get(service_id)
        if found is None:
            raise BadInput(f"Geen partner met id '{service_id}'. Zoek eerst met: wijkbot kaart search.")
        typer.echo(format_card(found))


@kaart_app.command("export")
def export_cmd(path: Annotated[Path, typer.Argument(help="Doelbestand (HSDS 3.0 JSON).")]) -> None:
    """Schrijf de actieve kaart als Open Referral HSDS 3.0 JSON."""
    with _guard():
        service = _service()
        service.export_hsds(path)
        typer.echo(f"Geschreven: {len(service.active().services)} diensten naar {path}.")


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


def main() -> None:  # pragma: no cover - handy for `python -m bot.kaart.cli`
    kaart_app(sys.argv[1:])
