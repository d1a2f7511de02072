"""Reference bots for bench/load.py, each run as its own process against the Bot API stand-in.

    python bench/bots.py echo   a bare python-telegram-bot echo bot with wijkbot's Application settings
    python bench/bots.py fake   wijkbot's Telegram channel with a scripted engine in the engine worker process
    python bench/bots.py openai [DELAY]   the OpenAI stand-in of the tests, serving until killed

Settings come from the environment, as for `python -m bot run` (TELEGRAM_BOT_TOKEN, TELEGRAM_API_BASE_URL, ...).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


async def _echo(update: Any, context: Any) -> None:
    """Text back as it came; a button press answered, then its data sent back."""
    if update.callback_query is not None:
        await update.callback_query.answer()
        await context.bot.send_message(
            update.callback_query.from_user.id, f"knop {update.callback_query.data}"
        )
    elif update.effective_message is not None:
        await context.bot.send_message(update.effective_message.chat_id, update.effective_message.text or "?")


def run_echo() -> None:
    """The bare PTB echo bot: same pool, timeouts, rate limiter and concurrency as wijkbot's Application."""
    from telegram import Update
    from telegram.ext import CallbackQueryHandler, MessageHandler, filters

    from bot.channels.telegram import application_builder
    from bot.config import Settings

    settings = Settings()
    application = application_builder(settings).build()  # the same connection settings as wijkbot
    application.add_handler(MessageHandler(filters.ALL, _echo))
    application.add_handler(CallbackQueryHandler(_echo))
    application.run_polling(allowed_updates=Update.ALL_TYPES)


def run_fake() -> None:
    """wijkbot's channel, engine worker included, with the scripted engine of the channel tests."""
    from telegram import Update

    from bot.channels.telegram import build_application
    from bot.channels.telegram_worker import EngineWorker
    from bot.config import Settings
    from tests.channels.fakes import scripted_factory

    settings = Settings()
    with EngineWorker(settings, factory=scripted_factory) as worker:
        application = build_application(None, settings=settings, engine=worker, access=worker)
        application.run_polling(allowed_updates=Update.ALL_TYPES)


def run_openai() -> None:
    """The OpenAI stand-in in its own process (so it does not share the load generator's GIL); prints its URL."""
    import threading

    from tests.openai_standin import OpenAIStandin

    delay = float(sys.argv[2]) if len(sys.argv) > 2 else 0.0
    with OpenAIStandin(delay=delay) as server:
        print(server.base_url, flush=True)
        threading.Event().wait()


if __name__ == "__main__":
    {"echo": run_echo, "fake": run_fake, "openai": run_openai}[sys.argv[1]]()
