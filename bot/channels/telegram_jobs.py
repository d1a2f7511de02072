"""Reminder and retention jobs on PTB's JobQueue.

Delivery contract for terugkoppeling reminders:
- PTB's JobQueue keeps jobs in memory only. The database is the source of truth: at start-up every pending
  (unsent) reminder is scheduled again; overdue ones are sent at once.
- Jobs are named "reminder:<id>". Scheduling removes any job with that name first, so it is idempotent.
- A reminder is marked sent only after Telegram accepted the message (engine.reminder_sent after send).
  So delivery is at-least-once: when the process dies between Telegram's acceptance and the database write,
  the reminder is sent once more after the restart (at most one duplicate). In normal operation and after a
  clean restart (SIGTERM) a reminder never fires twice, because a sent reminder is never pending again.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from telegram.error import Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.ext import Application, CallbackContext, ContextTypes, JobQueue

from bot.channels.telegram_send import send_reply
from bot.channels.telegram_state import state_of

logger = logging.getLogger(__name__)

JOB_PREFIX = "reminder:"
PURGE_JOB = "retention-purge"
RETRY_SECONDS = 60.0
PURGE_INTERVAL_SECONDS = 24 * 3600.0


def pending_fields(item: Any) -> tuple[int, int, datetime]:
    """(reminder_id, user_id, due_at) from a pending reminder record or tuple."""
    if hasattr(item, "user_id"):
        reminder_id = getattr(item, "reminder_id", None) or item.id
        return int(reminder_id), int(item.user_id), item.due_at
    reminder_id, user_id, due_at = item
    return int(reminder_id), int(user_id), due_at


def seconds_until(due_at: datetime, *, now: datetime | None = None) -> float:
    """Seconds from now until due_at (naive datetimes are UTC); 0 when overdue."""
    if due_at.tzinfo is None:
        due_at = due_at.replace(tzinfo=UTC)
    now = now or datetime.now(UTC)
    return max(0.0, (due_at - now).total_seconds())


def schedule_reminder(job_queue: JobQueue[Any], *, reminder_id: int, user_id: int, delay: float) -> None:
    """(Re)schedule one reminder job, replacing a job with the same name."""
    cancel_reminder(job_queue, reminder_id)
    job_queue.run_once(
        reminder_job,
        when=delay,
        data=reminder_id,
        name=f"{JOB_PREFIX}{reminder_id}",
        chat_id=user_id,
        user_id=user_id,
    )


def cancel_reminder(job_queue: JobQueue[Any], reminder_id: int) -> None:
    """Remove the job of a reminder, if any."""
    for job in job_queue.get_jobs_by_name(f"{JOB_PREFIX}{reminder_id}"):
        job.schedule_removal()


async def schedule_pending(
    application: Application[Any, Any, Any, Any, Any, Any], *, only: Iterable[int] | None = None
) -> int:
    """Schedule pending reminders from the store (all, or only the given ids). Returns how many."""
    engine = state_of(application.bot_data).engine
    wanted = set(only) if only is not None else None
    sent_along = getattr(engine, "pending_of", None)  # the engine worker: they came with the outcome
    known = sent_along(wanted) if sent_along is not None and wanted is not None else None
    pending = known if known is not None else await asyncio.to_thread(engine.pending_reminders)
    count = 0
    for item in pending:
        reminder_id, user_id, due_at = pending_fields(item)
        if wanted is not None and reminder_id not in wanted:
            continue
        if user_id < 0:  # a web member (bot/channels/web): the web page shows it, Telegram cannot reach them
            continue
        assert application.job_queue is not None
        schedule_reminder(
            application.job_queue, reminder_id=reminder_id, user_id=user_id, delay=seconds_until(due_at)
        )
        count += 1
    return count


async def reminder_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Send one due reminder; mark it sent only after Telegram accepted it."""
    job = context.job
    assert job is not None and job.chat_id is not None
    reminder_id = int(job.data)  # type: ignore[call-overload]
    state = state_of(context.bot_data)
    if reminder_id in state.delivering:  # a replaced job of the same reminder is already running
        return
    state.delivering.add(reminder_id)
    try:
        await _deliver(context, reminder_id=reminder_id, chat_id=job.chat_id)
    finally:
        state.delivering.discard(reminder_id)


async def _deliver(context: ContextTypes.DEFAULT_TYPE, *, reminder_id: int, chat_id: int) -> None:
    """Ask the engine for the reminder text, send it, then mark it sent."""
    engine = state_of(context.bot_data).engine
    reply = await asyncio.to_thread(engine.reminder_due, reminder_id)
    if reply is None:
        return
    try:
        await send_reply(context.bot, chat_id, reply)
    except Forbidden:
        logger.warning("reminder %d not delivered: user blocked the bot", reminder_id)
        return
    except (NetworkError, RetryAfter) as exc:
        logger.warning("reminder %d not delivered (%s); retrying", reminder_id, type(exc).__name__)
        _retry_later(context, reminder_id=reminder_id, user_id=chat_id)
        return
    except TelegramError as exc:
        logger.error("reminder %d rejected by Telegram (%s)", reminder_id, type(exc).__name__)
        return
    await asyncio.to_thread(engine.reminder_sent, reminder_id)
    logger.info("reminder %d sent", reminder_id)


def _retry_later(context: CallbackContext[Any, Any, Any, Any], *, reminder_id: int, user_id: int) -> None:
    """Try a failed reminder again in a minute."""
    if context.job_queue is not None:
        schedule_reminder(context.job_queue, reminder_id=reminder_id, user_id=user_id, delay=RETRY_SECONDS)


def schedule_purge(job_queue: JobQueue[Any], *, first: float = 60.0) -> None:
    """Run the retention purge daily (closed referrals older than WIJKBOT_RETENTION_DAYS)."""
    for job in job_queue.get_jobs_by_name(PURGE_JOB):
        job.schedule_removal()
    job_queue.run_repeating(purge_job, interval=PURGE_INTERVAL_SECONDS, first=first, name=PURGE_JOB)


async def purge_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Delete closed referrals past the retention period."""
    engine = state_of(context.bot_data).engine
    removed = await asyncio.to_thread(engine.purge)
    logger.info("retention purge removed %s record(s)", removed)
