"""wijkbot command line: ask, eval, index, chat, run, kaart, suggest, stats."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from bot.config import Settings, SettingsError

if TYPE_CHECKING:
    from bot.answering.service import Answer

app = typer.Typer(
    help="wijkbot: assistent voor sociale wijkteams (samenwerken, sociale kaart, terugkoppeling).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
eval_app = typer.Typer(help="Evalueer vragen of situaties uit een bestand.", no_args_is_help=True)
app.add_typer(eval_app, name="eval")

EXIT_BAD_INPUT = 2


class CliError(Exception):
    """A one-line problem to report on stderr with exit code 2."""


def _err(message: str) -> None:
    typer.echo(message, err=True)


def _progress(message: str) -> None:
    typer.echo(message, err=True)


def _settings() -> Settings:
    try:
        settings = Settings()
        settings.validate_all()
    except (SettingsError, ValueError) as exc:
        raise CliError(f"Instelling klopt niet: {str(exc).splitlines()[0]}") from exc
    return settings


def _answer_service(settings: Settings) -> Any:
    from bot.privacy.pii import PiiScrubber
    from bot.retrieval.embeddings import USEEmbeddings
    from bot.services import build_answer_service, build_index

    index = build_index(settings, USEEmbeddings(), progress=_progress)
    for warning in index.warnings:
        _err(warning)
    return build_answer_service(settings, index, scrubber=PiiScrubber())


def answer_to_json(answer: Answer) -> dict[str, Any]:
    """The `ask --json` contract."""
    return {
        "answer": answer.text,
        "mode": answer.mode,
        "in_scope": answer.in_scope,
        "sources": [
            {
                "chapter": hit.passage.chapter,
                "chapter_title": hit.passage.chapter_title,
                "section": hit.passage.section,
                "page": hit.passage.page,
                "text": hit.passage.text,
                "score": round(float(hit.score), 6),
            }
            for hit in answer.sources
        ],
    }


def _print_json(payload: Any) -> None:
    sys.stdout.write(json.dumps(payload, ensure_ascii=False) + "\n")


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="Je vraag over samenwerken in de wijk.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print één JSON-object.")] = False,
) -> None:
    """Beantwoord één vraag uit de publicatie (en eigen documenten)."""
    from bot.answering.service import BadQuestion

    service = _answer_service(_settings())
    try:
        answer = service.answer(question)
    except BadQuestion as exc:
        raise CliError(str(exc)) from exc
    if as_json:
        _print_json(answer_to_json(answer))
        return
    for notice in answer.notices:
        _err(notice)
    typer.echo(answer.text)


def _load_yaml_list(path: Path, key: str) -> list[dict[str, Any]]:
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError as exc:
        raise CliError(f"Bestand niet gevonden: {path}") from exc
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise CliError(f"Kan {path} niet lezen: {type(exc).__name__}") from exc
    items = data.get(key) if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise CliError(f"{path}: verwacht een lijst onder '{key}'.")
    return [item for item in items if isinstance(item, dict)]


@eval_app.command("questions")
def eval_questions(
    file: Annotated[Path, typer.Argument(help="YAML-bestand met questions: [{q: ...}]")],
    as_json: Annotated[bool, typer.Option("--json", help="Print een JSON-lijst.")] = False,
    no_answer: Annotated[bool, typer.Option("--no-answer", help="Laat de antwoordtekst weg.")] = False,
) -> None:
    """Beantwoord alle vragen uit een bestand, elk als nieuw gesprek."""
    from bot.answering.service import BadQuestion

    items = _load_yaml_list(file, "questions")
    service = _answer_service(_settings())
    results: list[dict[str, Any]] = []
    for item in items:
        question = str(item.get("q", ""))
        started = time.perf_counter()
        try:
            payload = answer_to_json(service.answer(question))
        except BadQuestion as exc:
            payload = {"answer": str(exc), "mode": "extractive", "in_scope": False, "sources": []}
        payload["latency_ms"] = round((time.perf_counter() - started) * 1000, 2)
        payload["question"] = question
        if no_answer:
            payload.pop("answer", None)
        results.append(payload)
    if as_json:
        _print_json(results)
        return
    for row in results:
        top = row["sources"][0] if row["sources"] else None
        where = f"vraag {top['chapter']} p. {top['page']}" if top else "buiten bereik"
        typer.echo(f"{row['latency_ms']:>8.1f} ms  {where:<18} {row['question']}")


@app.command()
def index(
    rebuild: Annotated[
        bool, typer.Option("--rebuild", help="Bouw opnieuw, ook als niets veranderde.")
    ] = False,
) -> None:
    """Bouw de zoekindex (of hergebruik hem als de kennisbestanden niet veranderden)."""
    from bot.retrieval.embeddings import USEEmbeddings
    from bot.services import build_index

    started = time.perf_counter()
    built = build_index(_settings(), USEEmbeddings(), rebuild=rebuild, progress=_progress)
    for warning in built.warnings:
        _err(warning)
    state = "opnieuw gebouwd" if built.rebuilt else "hergebruikt (geen wijzigingen)"
    _err(f"Index {state}: {len(built.passages)} passages in {time.perf_counter() - started:.1f} s.")
    from bot.understanding.training import KnowledgePaths, build_understander

    settings = _settings()
    started = time.perf_counter()
    model = build_understander(KnowledgePaths.under(settings.knowledge_dir), USEEmbeddings(),
                               cache_dir=settings.data_dir / "begrip")  # fmt: skip
    _err(
        f"Situatiemodel klaar ({len(model.taxonomy.ids)} levensgebieden) in {time.perf_counter() - started:.1f} s."
    )


def _engine(settings: Settings) -> Any:
    from bot.conversation.engine import Engine
    from bot.services import build_services

    services = build_services(settings, progress=_progress)
    return Engine(services, on_reload=services.reload_knowledge)


@app.command()
def chat() -> None:
    """Chat in de terminal (zelfde gesprekken als in Telegram)."""
    from bot.channels.terminal import TerminalChat

    TerminalChat(_engine(_settings())).run()


@app.command()
def run() -> None:
    """Start de Telegram-bot (TELEGRAM_BOT_TOKEN nodig)."""
    from bot.channels.telegram import run_telegram

    raise typer.Exit(run_telegram(_settings()))


@app.command()
def start() -> None:
    """Start Telegram als TELEGRAM_BOT_TOKEN is gezet, anders de terminal-chat."""
    settings = _settings()
    if settings.telegram_bot_token:
        from bot.channels.telegram import run_telegram

        raise typer.Exit(run_telegram(settings))
    _err("Geen TELEGRAM_BOT_TOKEN gezet: de terminal-chat start. Alles blijft op deze computer.")
    from bot.channels.terminal import TerminalChat

    TerminalChat(_engine(settings)).run()


@app.command()
def threads(
    as_json: Annotated[bool, typer.Option("--json", help="Als JSON.")] = False,
) -> None:
    """Toon de native thread pools (BLAS, OpenMP) en hun aantal threads (WIJKBOT_THREADS)."""
    from bot.threads import pool_summary

    pools = pool_summary()
    if as_json:
        typer.echo(json.dumps(pools))
        return
    for pool in pools:
        typer.echo(f"{pool['api']} ({pool['library']}): {pool['threads']} thread(s)")


@app.command()
def stats() -> None:
    """Tel feedback (duim omhoog/omlaag), verwijzingen en gebruikers."""
    from bot.followup.store import FollowupStore

    stats = FollowupStore(_settings().database_path).stats()
    names = {"open": "open", "closed": "afgerond", "failed": "contact lukte niet"}
    referrals = ", ".join(f"{names.get(k, k)}: {v}" for k, v in sorted(stats.referrals.items())) or "geen"
    typer.echo(f"Gebruikers: {stats.users}")
    typer.echo(f"Feedback: {stats.feedback_up} x duim omhoog, {stats.feedback_down} x duim omlaag")
    typer.echo(f"Verwijzingen: {referrals}")
    typer.echo(f"Herinneringen gepland: {stats.reminders_pending}")
    typer.echo(f"Correcties op contactgegevens: {stats.corrections}")


def _mount_kaart() -> None:
    from bot.kaart.cli import kaart_app
    from bot.suggestion.cli import eval_situations_cmd, suggest_cmd

    @kaart_app.command("corrections")
    def corrections() -> None:
        """Toon gemelde correcties op contactgegevens."""
        from bot.followup.store import FollowupStore

        rows = FollowupStore(_settings().database_path).corrections()
        if not rows:
            typer.echo("Geen correcties gemeld.")
        for row in rows:
            typer.echo(f"{row.created_at:%Y-%m-%d}  {row.service_id}  {row.note}")

    app.add_typer(kaart_app, name="kaart", help="Sociale kaart: importeren, controleren, zoeken, tonen.")
    app.command("suggest")(suggest_cmd)
    eval_app.command("situations")(eval_situations_cmd)


def main() -> None:
    """Console entry point: one-line errors, exit code 2 for bad input, never a traceback."""
    _mount_kaart()
    try:
        code = app(standalone_mode=False)
    except CliError as exc:
        _err(f"Fout: {exc}")
        sys.exit(EXIT_BAD_INPUT)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        _err("Afgebroken.")
        sys.exit(1)
    except Exception as exc:  # noqa: BLE001 - last resort: one line, no traceback
        if hasattr(exc, "show") and hasattr(exc, "exit_code"):  # typer's usage errors (vendored click)
            exc.show()
            sys.exit(exc.exit_code)
        _err(f"Onverwachte fout ({type(exc).__name__}). Probeer opnieuw of meld dit bij de beheerder.")
        sys.exit(1)
    sys.exit(code if isinstance(code, int) else 0)
