"""CLI: `wijkbot kaart import|validate|search|show|export|review` (suggest/eval live in bot.suggestion.cli)."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer

from bot.kaart.format import format_card
from bot.kaart.model import KaartError, ValidationReport
from bot.understanding.taxonomy import TaxonomyError

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
    except (BadInput, KaartError, TaxonomyError) as exc:
        _fail(str(exc))
    except OSError as exc:
        _fail(f"Bestand niet te lezen of te schrijven: {exc.strerror or exc} ({exc.filename or ''}).")
    except ValueError as exc:  # SettingsError and pydantic validation errors
        _fail(f"Instelling of invoer klopt niet: {exc}".splitlines()[0])
    except Exception as exc:  # noqa: BLE001 - last resort, keep it to one line
        _fail(f"Onverwachte fout: {type(exc).__name__}: {exc}", code=1)


def _service() -> Any:
    from bot.config import Settings
    from bot.retrieval.embeddings import USEEmbeddings
    from bot.suggestion.service import PartnerService

    settings = Settings()
    settings.validate_all()
    return PartnerService(settings=settings, embeddings=USEEmbeddings(cache_dir=settings.data_dir))


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
        report = _service().validate_file(_existing(path))
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
def export_cmd(
    path: Annotated[Path, typer.Argument(help="Doelbestand: .csv, anders HSDS 3.0 JSON.")],
) -> None:
    """Schrijf de actieve kaart als CSV (met levensgebieden) of als Open Referral HSDS 3.0 JSON."""
    with _guard():
        service = _service()
        if path.suffix.casefold() == ".csv":
            service.export_csv(path)
        else:
            service.export_hsds(path)
        typer.echo(f"Geschreven: {len(service.active().services)} diensten naar {path}.")


def _parse_assignments(items: list[str]) -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    for item in items:
        service_id, sep, domains = item.partition("=")
        if not sep or not service_id.strip():
            raise BadInput(f"'{item}' klopt niet. Schrijf: --set ID=levensgebied1,levensgebied2")
        out[service_id.strip()] = tuple(d.strip().casefold() for d in domains.split(",") if d.strip())
    return out


def _review_line(service: Any) -> str:
    domains = ", ".join(service.levensgebieden) or "(geen)"
    return f"{service.id}: {service.name} -> {domains} (zekerheid {service.domains_confidence:.2f})"


@kaart_app.command("review")
def review_cmd(assign: Annotated[list[str] | None, typer.Option("--set", help="Bevestig: ID=dom1,dom2 (herhaalbaar).")] = None,
               as_json: JsonOption = False) -> None:  # fmt: skip
    """Toon partners met onzekere of ontbrekende levensgebieden, en leg bevestigde levensgebieden vast."""
    with _guard():
        service = _service()
        confirmed = _parse_assignments(assign or [])
        if not confirmed and sys.stdin.isatty() and not as_json:
            confirmed = _ask(service)
        if confirmed:
            service.confirm_domains(confirmed)
            typer.echo(f"Vastgelegd: levensgebieden van {len(confirmed)} partner(s).")
        pending = service.to_review()
        if as_json:
            _print_json([{"id": s.id, "name": s.name, "levensgebieden": list(s.levensgebieden),
                          "zekerheid": s.domains_confidence} for s in pending])  # fmt: skip
            return
        if not pending:
            typer.echo("Alle partners hebben vastgestelde levensgebieden.")
            return
        typer.echo(
            f"Nog na te kijken: {len(pending)} partner(s). Bevestig met: wijkbot kaart review --set ID=dom1,dom2"
        )
        for s in pending:
            typer.echo(_review_line(s))


def _ask(service: Any) -> dict[str, tuple[str, ...]]:
    """Interactive: per uncertain partner, Enter keeps the prediction, '-' skips, or type ids."""
    known = ", ".join(service.understander().taxonomy.ids)
    typer.echo(f"Levensgebieden: {known}")
    out: dict[str, tuple[str, ...]] = {}
    for s in service.to_review():
        answer = typer.prompt(_review_line(s) + "\nEnter = klopt, '-' = overslaan, of typ ids", default="",
                              show_default=False).strip()  # fmt: skip
        if answer == "-" or (not answer and not s.levensgebieden):
            continue
        out[s.id] = (
            tuple(d.strip().casefold() for d in answer.split(",") if d.strip())
            if answer
            else s.levensgebieden
        )
    return out


def main() -> None:  # pragma: no cover - handy for `python -m bot.kaart.cli`
    kaart_app(sys.argv[1:])
