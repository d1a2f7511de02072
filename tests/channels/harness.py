"""Run a real wijkbot Application in-process against the Bot API stand-in."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any

from bot.channels.telegram import on_startup


@contextlib.asynccontextmanager
async def running(application: Any) -> AsyncIterator[Any]:
    """initialize -> post_init -> start -> long polling; the reverse on exit."""
    await application.initialize()
    await on_startup(application)
    await application.start()
    await application.updater.start_polling(poll_interval=0.0, timeout=1)
    try:
        yield application
    finally:
        await application.updater.stop()
        await application.stop()
        await application.shutdown()
