"""wijkbot command line: ask, eval, index, chat, run, web, invite, kaart, suggest, stats."""

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
    from bot.suggestion.service import PartnerService

    embeddings = USEEmbeddings(cache_dir=settings.data_dir)
    index = build_index(settings, embeddings, progress=_progress)
    for warning in index.warnings:
        _err(warning)
    kaart = PartnerService(settings=settings, embeddings=embeddings)
    return build_answer_service(settings, index, scrubber=PiiScrubber(), embeddings=embeddings, kaart=kaart)


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
    """Beantwoord alle vragen uit een bestand, elk als nieuw gesprek (met `vorige` als eerdere vraag)."""
    from bot.answering.service import BadQuestion

    items = _load_yaml_list(file, "questions")
    service = _answer_service(_settings())
    results: list[dict[str, Any]] = []
    for item in items:
        question = str(item.get("q", ""))
        history = [str(item["vorige"])] if item.get("vorige") else []  # a follow-up: the question before it
        started = time.perf_counter()
        try:
            payload = answer_to_json(service.answer(question, history=history))
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


def _eval_engine(
    settings: Settings, kaart: Path | None, workdir: Path, users: list[int], *, ngram_acts: bool = False
) -> Any:
    """An engine on fresh state: a temporary database and kaart store; the publication index is shared.
    `ngram_acts`: the dialogue-act model as the Telegram worker runs it (n-grams, no sentence vectors)."""
    from bot.conversation.engine import Engine
    from bot.conversation.evaluation import EvalClock
    from bot.followup.store import FollowupStore
    from bot.ingest.vragen import load_vragen
    from bot.privacy.pii import PiiScrubber
    from bot.retrieval.embeddings import USEEmbeddings
    from bot.services import Services, build_answer_service, build_index, warm_up
    from bot.suggestion.service import PartnerService

    allowed = ",".join(str(u) for u in users)
    eval_settings = settings.model_copy(update={"allowed_users_raw": allowed})
    embeddings, scrubber = USEEmbeddings(), PiiScrubber()
    index = build_index(settings, embeddings, progress=_progress)
    kaart_service = PartnerService(
        settings=settings.model_copy(update={"data_dir": workdir}), embeddings=embeddings
    )
    if kaart is not None:
        report = kaart_service.import_file(kaart)
        if not report.ok:
            raise CliError(f"{kaart.name}: {report.errors[0]}")
    services = Services(
        settings=eval_settings, embeddings=embeddings, index=index,
        answers=build_answer_service(settings, index, scrubber=scrubber), kaart=kaart_service,
        store=FollowupStore(workdir / "eval.sqlite3"), scrubber=scrubber,
        vragen=load_vragen(settings.knowledge_dir / "vragen.yaml"),
    )  # fmt: skip
    clock = EvalClock()
    if ngram_acts:
        from bot.conversation.understanding import Understanding

        understanding = Understanding(settings.knowledge_dir, cache_dir=settings.data_dir / "dialoog")
    else:
        understanding = _understanding(settings, embeddings)
    engine = Engine(services, clock=clock, understanding=understanding)
    warm_up(services)
    engine.warm_up()
    return engine, clock, services


@eval_app.command("conversations")
def eval_conversations(
    file: Annotated[
        Path, typer.Argument(help="YAML: conversations: [{wijk?, turns: [{say|press|press_if|advance}]}]")
    ],
    kaart: Annotated[Path | None, typer.Option("--kaart", help="Sociale kaart voor deze run.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print een JSON-lijst.")] = False,
    acts_ngram: Annotated[
        bool, typer.Option("--acts-ngram", help="Dialoogmodel zoals de Telegram-worker: alleen n-grammen.")
    ] = False,
) -> None:
    """Speel gesprekken af, elk als nieuwe gebruiker op een verse toestand."""
    import tempfile

    import yaml

    from bot.conversation.evaluation import ScriptError, play, read_script, user_ids

    if kaart is not None and not kaart.is_file():
        raise CliError(f"Bestand niet gevonden: {kaart}")
    try:
        conversations = read_script(yaml.safe_load(file.read_text(encoding="utf-8-sig")))
    except FileNotFoundError as exc:
        raise CliError(f"Bestand niet gevonden: {file}") from exc
    except (OSError, UnicodeDecodeError, yaml.YAMLError, ScriptError) as exc:
        raise CliError(f"Kan {file} niet lezen: {exc}".splitlines()[0]) from exc
    with tempfile.TemporaryDirectory(prefix="wijkbot-eval-") as tmp:
        engine, clock, services = _eval_engine(
            _settings(), kaart, Path(tmp), user_ids(len(conversations)), ngram_acts=acts_ngram
        )
        wijken = {w.casefold(): w for w in services.kaart.wijken()}

        def set_wijk(user_id: int, wijk: str) -> None:
            services.store.ensure_user(user_id, now=clock())
            services.store.set_wijk(user_id, wijken.get(wijk.casefold(), wijk), now=clock())

        try:
            results = play(engine, clock, conversations, set_wijk=set_wijk)
        except ScriptError as exc:
            raise CliError(str(exc)) from exc
        finally:
            services.store.close()
    if as_json:
        _print_json(results)
        return
    for number, item in enumerate(results, start=1):
        for turn in item["turns"]:
            first = (
                turn["replies"][0]["text"].splitlines()[0][:70] if turn["replies"] else turn.get("error", "")
            )
            typer.echo(f"{number:>3} {turn['latency_ms']:>8.1f} ms  {turn['input'][:40]:<40} {first}")


@app.command()
def index(
    rebuild: Annotated[
        bool, typer.Option("--rebuild", help="Bouw opnieuw, ook als niets veranderde.")
    ] = False,
) -> None:
    """Bouw de zoekindex (of hergebruik hem als de kennisbestanden niet veranderden)."""
    from bot.retrieval.embeddings import USEEmbeddings
    from bot.retrieval.vector_store import storing

    started, since = time.perf_counter(), time.time()
    settings = _settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    embeddings = USEEmbeddings(cache_dir=settings.data_dir)
    # the knowledge files' USE vectors are kept per forward pass in the data dir: a rebuild reads those it
    # makes again (the same bits, so the same models) instead of embedding them (issue #7, #12)
    with storing(settings.data_dir, embeddings.threads) as store:
        _index(settings, embeddings, rebuild=rebuild, started=started)
    store.prune(used_since=since - 1)


def _index(settings: Settings, embeddings: Any, *, rebuild: bool, started: float) -> None:
    from bot.index_build import will_build
    from bot.services import build_index, engine_models_line, situation_model_aside

    shared = embeddings if will_build(settings, rebuild=rebuild) else None  # loaded once, for both processes
    situation_model = situation_model_aside(settings, shared)  # trains on the second core meanwhile
    built = build_index(settings, embeddings, rebuild=rebuild, progress=_progress)
    for warning in built.warnings:
        _err(warning)
    state = "opnieuw gebouwd" if built.rebuilt else "hergebruikt (geen wijzigingen)"
    _err(f"Index {state}: {len(built.passages)} passages in {time.perf_counter() - started:.1f} s.")
    try:
        _err(
            engine_models_line(settings, embeddings)
        )  # the engine worker's models, read at its start (issue #12)
    except Exception as exc:  # noqa: BLE001 - the worker trains them at its start instead, and says what failed
        _err(f"Gespreksmodellen niet vooraf getraind ({type(exc).__name__}); de bot doet dat bij de start.")
    try:
        _err(situation_model())
    except RuntimeError as exc:
        _err(f"Situatiemodel niet getraind: {exc}")
        raise typer.Exit(1) from exc


def _understanding(settings: Settings, embeddings: Any) -> Any:
    """The dialogue-act model with USE sentence vectors; corpus vectors cached under the data dir."""
    from bot.conversation.understanding import Understanding

    return Understanding(settings.knowledge_dir, encoder=embeddings, cache_dir=settings.data_dir / "dialoog")


def _engine(settings: Settings) -> Any:
    from bot.conversation.engine import Engine
    from bot.services import build_services

    services = build_services(settings, progress=_progress)
    understanding = _understanding(settings, services.embeddings)
    engine = Engine(services, on_reload=services.reload_knowledge, understanding=understanding)
    engine.warm_up()
    return engine


def _terminal(settings: Settings) -> Any:
    """The terminal chat, shown as soon as the index is there; the models are readied in the background."""
    from bot.channels.terminal import TerminalChat
    from bot.conversation.engine import Engine
    from bot.services import build_services, warm_in_background

    services = build_services(settings, progress=_progress, warm=False)
    understanding = _understanding(settings, services.embeddings)
    engine = Engine(services, on_reload=services.reload_knowledge, understanding=understanding)
    ready = warm_in_background(services, engine.warm_up, progress=_progress)
    return TerminalChat(engine, ready=ready)


@app.command()
def chat() -> None:
    """Chat in de terminal (zelfde gesprekken als in Telegram)."""
    _terminal(_settings()).run()


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
    _terminal(settings).run()


@app.command()
def web(
    host: Annotated[str | None, typer.Option("--host", help="Adres (standaard WIJKBOT_WEB_HOST).")] = None,
    port: Annotated[int | None, typer.Option("--port", help="Poort (standaard WIJKBOT_WEB_PORT).")] = None,
) -> None:
    """Start de web-app: chat, beheer van de sociale kaart en inzicht (standaard 127.0.0.1:8080)."""
    from bot.channels.web.server import run_web

    raise typer.Exit(run_web(_settings(), host=host, port=port))


@app.command()
def invite(
    admin: Annotated[bool, typer.Option("--admin", help="Inlogcode voor een beheerder (web).")] = False,
    by: Annotated[
        int | None, typer.Option("--by", help="Id uit WIJKBOT_ADMINS (standaard de eerste).")
    ] = None,
) -> None:
    """Maak een eenmalige uitnodigingscode (dezelfde als /uitnodigen in Telegram)."""
    from datetime import timedelta

    from bot.channels.web.logins import WebLogins
    from bot.conversation.access import AccessControl
    from bot.followup.store import FollowupStore

    settings = _settings()
    if not settings.admins:
        raise CliError("WIJKBOT_ADMINS is leeg: zet daar eerst het id van een beheerder.")
    admin_id = by if by is not None else settings.admins[0]
    if admin_id not in settings.admins:
        raise CliError(f"{admin_id} staat niet in WIJKBOT_ADMINS.")
    access = AccessControl(settings, FollowupStore(settings.database_path))
    if admin:
        ttl = timedelta(hours=settings.invite_ttl_hours)
        code = WebLogins(settings.database_path, access, ttl=ttl).create_admin_code(admin_id)
    else:
        code = access.create_invite(admin_id)
    typer.echo(code.code)
    _err(f"Eenmalig te gebruiken, geldig tot {code.expires_at:%Y-%m-%d %H:%M} UTC.")


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
    names = {"open": "open", "contact": "contact gemaakt", "hulp_loopt": "hulp loopt", "afgerond": "afgerond"}
    referrals = ", ".join(f"{names.get(k, k)}: {v}" for k, v in sorted(stats.referrals.items())) or "geen"
    typer.echo(f"Gebruikers: {stats.users}")
    typer.echo(f"Feedback: {stats.feedback_up} x duim omhoog, {stats.feedback_down} x duim omlaag")
    typer.echo(f"Verwijzingen: {referrals}")
    typer.echo(f"Herinneringen gepland: {stats.reminders_pending}")
    typer.echo(f"Correcties op contactgegevens: {stats.corrections}")
    typer.echo(f"Contact lukte niet: {stats.contact_failures} keer")


users_app = typer.Typer(help="Gebruikers beheren.", no_args_is_help=True)
app.add_typer(users_app, name="users")


@users_app.command("purge")
def users_purge() -> None:
    """Wis nu alle gegevens van gebruikers die geen toegang meer hebben."""
    from bot.conversation.access import AccessControl
    from bot.followup.retention import purge_removed_users
    from bot.followup.store import FollowupStore

    settings = _settings()
    store = FollowupStore(settings.database_path)
    try:
        count = purge_removed_users(store, AccessControl(settings, store).is_allowed, older_than_days=None)
    finally:
        store.close()
    if count == 0:
        typer.echo("Geen gegevens gewist: alle bekende gebruikers hebben nog toegang.")
    else:
        typer.echo(
            f"Gegevens gewist van {count} gebruiker(s) zonder toegang "
            "(niet in WIJKBOT_ALLOWED_USERS of WIJKBOT_ADMINS, en geen geldige uitnodiging)."
        )


def _mount_kaart() -> None:
    from bot.kaart.cli import kaart_app
    from bot.suggestion.cli import eval_situations_cmd, suggest_cmd

    @kaart_app.command("corrections")
    def corrections() -> None:
        """Toon gemelde correcties op contactgegevens, en per partner hoe vaak contact niet lukte."""
        from bot.followup.store import FollowupStore

        store = FollowupStore(_settings().database_path)
        rows, failures = store.corrections(), store.contact_failures()
        if not rows and not failures:
            typer.echo("Geen correcties gemeld.")
        for row in rows:
            typer.echo(f"{row.created_at:%Y-%m-%d}  {row.service_id}  {row.note}")
        for service_id, count in failures.most_common():
            typer.echo(f"contact lukte niet  {service_id}  {count} keer")

    app.add_typer(kaart_app, name="kaart", help="Sociale kaart: importeren, controleren, zoeken, tonen.")
    app.command("suggest")(suggest_cmd)
    eval_app.command("situations")(eval_situations_cmd)


def main() -> None:
    """Console entry point: one-line errors, exit code 2 for bad input, never a traceback."""
    if sys.argv[1:2] not in (["ask"], ["index"], ["run"], ["start"], ["chat"], ["threads"], ["stats"]):
        _mount_kaart()  # ~0.4 s of imports: only for the commands that need it, and for help (issue #12)
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
