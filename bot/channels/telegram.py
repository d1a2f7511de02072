"""Telegram channel: turns updates into engine events and engine replies into messages.

Flow: gate (group -1: access, private chats, rate limit) -> one flat handler per update type -> engine call off the
event loop (per-user lock; the engine worker's `handle_async`, else asyncio.to_thread) -> replies rendered by
telegram_send. `run_telegram` puts the engine in its own process (telegram_worker), so this event loop only talks to
Telegram. Logs carry update ids, kinds and timings only, never message text; one line per update only at DEBUG, or at
INFO when an update was slow.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import time
import traceback
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from telegram import BotCommand, Update
from telegram.constants import ChatType
from telegram.error import NetworkError, RetryAfter, TelegramError, TimedOut
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.channels import telegram_texts as texts
from bot.channels.telegram_jobs import cancel_reminder, schedule_pending, schedule_purge
from bot.channels.telegram_render import parse_command, truncate_input
from bot.channels.telegram_send import Press, coalesce, send_plain, send_reply, typing
from bot.channels.telegram_startup import startup_problem, webhook_options
from bot.channels.telegram_state import STATE_KEY, AccessLike, ChannelState, EngineLike, state_of
from bot.channels.transcribe import Transcriber
from bot.config import Settings
from bot.conversation.types import Event, Outcome, Reply

if TYPE_CHECKING:
    from bot.services import Services

logger = logging.getLogger(__name__)

MAX_INPUT_CHARS = 4000
MAX_VOICE_SECONDS = 300
WORKER_THREADS = (
    64  # threads that wait on the engine worker: more than the users who may wait on an LLM at once
)
# 16 requests in flight at ~100 ms each is far above Telegram's ~30 messages/s per bot.
TELEGRAM_CONNECTIONS = 16
SLOW_UPDATE_MS = 2000.0  # an update slower than this is logged at INFO; the others only at DEBUG
MAX_VOICE_BYTES = 20 * 1024 * 1024
KNOWN_COMMANDS = tuple(name for name, _ in texts.COMMAND_MENU) + texts.ADMIN_COMMANDS
_MESSAGE = filters.UpdateType.MESSAGE


# ---- gate ---------------------------------------------------------------------------------------------------------


async def gate(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Let allowed users in private chats through, within the rate limit; refuse everyone else."""
    if not isinstance(update, Update) or update.effective_user is None:
        raise ApplicationHandlerStop
    chat = update.effective_chat
    if chat is not None and chat.type != ChatType.PRIVATE:
        raise ApplicationHandlerStop
    state = state_of(context.bot_data)
    user_id = update.effective_user.id
    if _listed(state.access, user_id) or await asyncio.to_thread(state.access.is_allowed, user_id):
        if (update.message or update.callback_query) and not state.limiter.allow(user_id):
            await _notify(update, context, texts.RATE_LIMITED, show=state.rate_notices.should_notify(user_id))
            logger.debug("update %s rate limited", update.update_id)
            raise ApplicationHandlerStop
        return
    if await _redeemed(update, state):
        logger.debug("update %s invite redeemed", update.update_id)
        await _process(update, context, Event(user_id=user_id, kind="command", command="start"))
        raise ApplicationHandlerStop
    await _notify(update, context, texts.REFUSAL, show=state.refusals.should_notify(user_id))
    logger.debug("update %s refused", update.update_id)
    raise ApplicationHandlerStop


def _listed(access: AccessLike, user_id: int) -> bool:
    """True when access knows from memory that the user is listed in the settings (the engine worker does):
    then the gate needs no worker thread for this update."""
    check = getattr(access, "is_listed", None)
    return bool(check is not None and check(user_id))


async def _redeemed(update: Update, state: ChannelState) -> bool:
    """True when an unknown user sent '/start CODE' with a valid invite code."""
    message = update.message
    parsed = parse_command(message.text or "") if message is not None else None
    if parsed is None or parsed.name != "start" or not parsed.args:
        return False
    user_id = update.effective_user.id if update.effective_user else 0
    if not state.redeem_attempts.allow(user_id):
        return False
    code = parsed.args.split()[0][:128]
    return bool(await asyncio.to_thread(state.access.redeem, user_id, code))


async def _notify(update: Update, context: ContextTypes.DEFAULT_TYPE, text: str, *, show: bool) -> None:
    """Answer a refused/limited update: a toast for buttons, a message for messages (when `show`)."""
    if update.callback_query is not None:
        await update.callback_query.answer(text if show else None)
    elif update.message is not None and show:
        await send_plain(context.bot, update.message.chat_id, text)


# ---- handlers -----------------------------------------------------------------------------------------------------


async def on_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Pass a /command, known or unknown, to the engine."""
    message = update.effective_message
    parsed = parse_command(message.text or "") if message else None
    if parsed is None or update.effective_user is None:
        return
    args, truncated = truncate_input(parsed.args, limit=MAX_INPUT_CHARS)
    event = Event(user_id=update.effective_user.id, kind="command", command=parsed.name, text=args)
    await _process(update, context, event, truncated=truncated)


async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Pass free text to the engine (cut at 4,000 characters with a notice)."""
    message = update.effective_message
    if message is None or update.effective_user is None:
        return
    text, truncated = truncate_input(message.text or "", limit=MAX_INPUT_CHARS)
    if not text.strip():
        await send_plain(context.bot, message.chat_id, texts.EMPTY)
        return
    event = Event(user_id=update.effective_user.id, kind="text", text=text)
    await _process(update, context, event, truncated=truncated)


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Pass a button press to the engine. The press is answered (Telegram stops the button's spinner) as soon as
    the engine has decided, with its notice ('Dank je!') shown on the button instead of as a message."""
    query = update.callback_query
    if query is None:
        return
    press = Press(query)
    try:
        if query.data and update.effective_user is not None:
            event = Event(user_id=update.effective_user.id, kind="button", data=query.data)
            await _process(update, context, event, press=press)
    finally:
        await press.done()  # its failure reaches on_error, as before


async def on_voice(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Transcribe a voice note and handle it as text, or say that voice is not available."""
    message = update.effective_message
    if message is None or update.effective_user is None:
        return
    user_id = update.effective_user.id
    state = state_of(context.bot_data)
    if state.transcriber is None:
        await _process(update, context, Event(user_id=user_id, kind="voice_unavailable"))
        return
    voice = message.voice or message.audio
    if voice is None:
        return
    duration = voice.duration
    seconds = duration.total_seconds() if isinstance(duration, timedelta) else float(duration or 0)
    if seconds > MAX_VOICE_SECONDS or (voice.file_size or 0) > MAX_VOICE_BYTES:
        await send_plain(
            context.bot, message.chat_id, texts.VOICE_TOO_LONG.format(minutes=MAX_VOICE_SECONDS // 60)
        )
        return
    text = await _transcribe(context, state.transcriber, voice.file_id, chat_id=message.chat_id)
    if not text:
        await send_plain(context.bot, message.chat_id, texts.VOICE_FAILED)
        return
    text, truncated = truncate_input(text, limit=MAX_INPUT_CHARS)
    await _process(update, context, Event(user_id=user_id, kind="text", text=text), truncated=truncated)


async def _transcribe(
    context: ContextTypes.DEFAULT_TYPE, transcriber: Transcriber, file_id: str, *, chat_id: int
) -> str:
    """Download a voice file and transcribe it; empty string on failure."""
    started = time.perf_counter()
    try:
        async with typing(context.bot, chat_id):
            telegram_file = await context.bot.get_file(file_id)
            audio = bytes(await telegram_file.download_as_bytearray())
            transcript = await asyncio.to_thread(transcriber.transcribe, audio)
    except Exception as exc:  # the endpoint is optional and external: never crash on it
        logger.warning("voice transcription failed: %s", type(exc).__name__)
        return ""
    logger.info("voice transcribed in %.0f ms", (time.perf_counter() - started) * 1000)
    return transcript.text


async def on_other(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Photos, stickers, files and the like: ask for text."""
    message = update.effective_message
    if message is not None:
        await send_plain(context.bot, message.chat_id, texts.NOT_TEXT)


async def _process(
    update: Update, context: ContextTypes.DEFAULT_TYPE, event: Event, *, truncated: bool = False,
    press: Press | None = None,
) -> None:  # fmt: skip
    """Run one event through the engine (in a worker thread, one at a time per user) and send the replies."""
    state = state_of(context.bot_data)
    chat = update.effective_chat
    chat_id = chat.id if chat is not None else event.user_id
    started = time.perf_counter()
    async with state.lock_for(event.user_id):
        if truncated:
            await send_plain(
                context.bot, chat_id, texts.TRUNCATED.format(limit=f"{MAX_INPUT_CHARS:,}".replace(",", "."))
            )
        async with typing(context.bot, chat_id, enabled=event.kind == "text"):
            outcome = await _handle(state.engine, event, update_id=update.update_id)
        replies = press.answer_with_notice(outcome.replies) if press is not None else outcome.replies
        await _apply_schedule(context, outcome)
        for reply in coalesce(replies):
            await send_reply(context.bot, chat_id, reply)
    took = (time.perf_counter() - started) * 1000
    logger.log(
        logging.INFO if took >= SLOW_UPDATE_MS else logging.DEBUG,
        "update %s kind=%s replies=%d reloaded=%s took=%.0fms",
        update.update_id,
        event.kind,
        len(outcome.replies),
        outcome.reloaded,
        took,
    )


async def _handle(engine: EngineLike, event: Event, *, update_id: int) -> Outcome:
    """Call the engine off the event loop; an engine failure becomes a short apology."""
    call = getattr(engine, "handle_async", None)  # the engine worker: awaited without a thread per call
    try:
        if call is not None:
            result: Outcome = await call(event)
            return result
        return await asyncio.to_thread(engine.handle, event)
    except Exception as exc:
        logger.error("engine failed on update %s: %s at %s", update_id, type(exc).__name__, _where(exc))
        return Outcome(replies=[Reply(texts.ENGINE_ERROR)])


async def _apply_schedule(context: ContextTypes.DEFAULT_TYPE, outcome: Outcome) -> None:
    """Cancel and (re)schedule reminder jobs the engine asked for."""
    job_queue = context.application.job_queue
    if job_queue is None:
        return
    for reminder_id in outcome.cancel_reminders:
        cancel_reminder(job_queue, reminder_id)
    if outcome.schedule_reminders:
        await schedule_pending(context.application, only=outcome.schedule_reminders)


# ---- errors, start-up ---------------------------------------------------------------------------------------------


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log the exception type and update id only: never the update, never its text."""
    error = context.error
    update_id = update.update_id if isinstance(update, Update) else None
    name = type(error).__name__
    if isinstance(error, (RetryAfter, TimedOut, NetworkError)):
        logger.warning("telegram %s (update %s); the rate limiter/updater retries", name, update_id)
    elif isinstance(error, TelegramError):
        logger.error("telegram %s (update %s)", name, update_id)
    else:
        logger.error("unhandled %s (update %s) at %s", name, update_id, _where(error))


def _where(error: BaseException | None) -> str:
    """Where an exception happened (file:line function), without its message, which may hold user text."""
    if error is None or error.__traceback__ is None:
        return "?"
    frames = traceback.extract_tb(error.__traceback__)[-3:]
    return " <- ".join(f"{f.filename.rsplit('/', 1)[-1]}:{f.lineno} {f.name}" for f in reversed(frames))


async def on_startup(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """post_init: worker threads, every pending reminder (overdue ones fire at once), the purge job, the menu."""
    # Engine calls may wait on a slow LLM: enough threads so a few slow users never block the others.
    asyncio.get_running_loop().set_default_executor(
        ThreadPoolExecutor(max_workers=WORKER_THREADS, thread_name_prefix="wijkbot")
    )
    count = await schedule_pending(application)
    if application.job_queue is not None:
        schedule_purge(application.job_queue)
    logger.info("rescheduled %d pending reminder(s)", count)
    try:
        await application.bot.set_my_commands([BotCommand(n, d) for n, d in texts.COMMAND_MENU])
    except TelegramError as exc:
        logger.warning("could not set the command menu: %s", type(exc).__name__)


def protect_logs() -> None:
    """Cap library loggers that would write message text (PTB at DEBUG) or the token (httpx at INFO)."""
    for name, level in (
        ("telegram", logging.INFO),
        ("httpx", logging.WARNING),
        ("httpcore", logging.WARNING),
    ):
        logger_ = logging.getLogger(name)
        if logger_.getEffectiveLevel() < level:
            logger_.setLevel(level)


def file_base_url(base_url: str) -> str:
    """Derive PTB's base_file_url from base_url ('…/bot' -> '…/file/bot')."""
    if base_url.endswith("/bot"):
        return base_url[: -len("/bot")] + "/file/bot"
    return base_url.rstrip("/") + "/file/bot"


def application_builder(settings: Settings) -> Any:
    """The PTB builder with wijkbot's connection settings (the load bench's echo bot uses the same): Bot API
    requests through aiohttp (`telegram_http`), a pool of TELEGRAM_CONNECTIONS plus one connection for polling."""
    from bot.channels.telegram_http import AiohttpRequest

    timeouts = {"connect_timeout": 10.0, "read_timeout": 20.0, "write_timeout": 20.0, "pool_timeout": 10.0}
    return (
        ApplicationBuilder()
        .token(settings.telegram_bot_token or "")
        .base_url(settings.telegram_api_base_url)
        .base_file_url(file_base_url(settings.telegram_api_base_url))
        .request(AiohttpRequest(connections=TELEGRAM_CONNECTIONS, **timeouts))
        .get_updates_request(AiohttpRequest(connections=1, **timeouts))
        .rate_limiter(AIORateLimiter(overall_max_rate=settings.telegram_max_rate, max_retries=3))
        .concurrent_updates(True)
    )


def build_application(
    services: Services | None,
    *,
    settings: Settings,
    engine: EngineLike | None = None,
    access: AccessLike | None = None,
) -> Application[Any, Any, Any, Any, Any, Any]:
    """Wire the Application: requests, rate limiter, gate, handlers, jobs. Engine/access default to the real ones."""
    protect_logs()
    if engine is None or access is None:
        assert services is not None, "services are needed to build the real engine"
        from bot.conversation.access import AccessControl
        from bot.conversation.engine import Engine

        access = access or AccessControl(settings, services.store)
        engine = engine or Engine(
            services,
            access=access,  # type: ignore[arg-type]
            on_reload=getattr(services, "reload_knowledge", None),
        )
    application = application_builder(settings).post_init(on_startup).build()
    application.bot_data[STATE_KEY] = ChannelState(
        settings=settings, engine=engine, access=access, transcriber=Transcriber.from_settings(settings)
    )
    _add_handlers(application)
    return application


def _add_handlers(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Gate first (group -1), then one handler per kind of update."""
    application.add_handler(TypeHandler(Update, gate), group=-1)
    application.add_handler(CommandHandler(list(KNOWN_COMMANDS), on_command, filters=_MESSAGE))
    application.add_handler(MessageHandler(_MESSAGE & filters.COMMAND, on_command))
    application.add_handler(MessageHandler(_MESSAGE & filters.TEXT, on_text))
    application.add_handler(MessageHandler(_MESSAGE & (filters.VOICE | filters.AUDIO), on_voice))
    application.add_handler(CallbackQueryHandler(on_button))
    application.add_handler(MessageHandler(_MESSAGE, on_other))
    application.add_error_handler(on_error)


def run_telegram(settings: Settings) -> int:
    """Validate, build services and run until SIGINT/SIGTERM. Returns the exit code (2: unusable settings)."""
    problem = startup_problem(settings)
    if problem:
        print(f"wijkbot: {problem}", file=sys.stderr)
        return 2
    if not logging.getLogger().handlers:
        logging.basicConfig(
            level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
        )
    from bot.channels.telegram_worker import EngineWorker

    worker = EngineWorker(settings)
    try:
        worker.start()  # builds the index when it is missing, with progress on stderr
    except (EOFError, OSError):
        print("wijkbot: de assistent kon niet starten (zie de meldingen hierboven).", file=sys.stderr)
        return 1
    try:
        application = build_application(None, settings=settings, engine=worker, access=worker)
        if settings.webhook_url:
            logger.info("starting in webhook mode")
            application.run_webhook(**asdict(webhook_options(settings)), allowed_updates=Update.ALL_TYPES)
        else:
            logger.info("starting in polling mode")
            application.run_polling(allowed_updates=Update.ALL_TYPES)
    finally:
        worker.close()
    return 0


def main() -> None:
    """Entry point: settings from the environment, run the bot (`wijkbot run` does the same)."""
    try:
        settings = Settings()
    except Exception as exc:  # pydantic validation error: show it, exit 2
        print(f"wijkbot: ongeldige instelling: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
    raise SystemExit(run_telegram(settings))
