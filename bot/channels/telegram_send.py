"""Sending replies to Telegram: HTML-escaped, split safely, buttons as inline keyboards, plain-text fallback."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from telegram import (
    Bot,
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    Message,
)
from telegram.constants import ChatAction, ParseMode
from telegram.error import BadRequest, TelegramError

from bot.channels.telegram_render import (
    MESSAGE_LIMIT,
    button_label,
    callback_data_fits,
    escape_html,
    split_text,
    utf16_len,
)
from bot.channels.telegram_texts import CHOOSE
from bot.conversation.types import Button, Reply

logger = logging.getLogger(__name__)

TYPING_REFRESH_SECONDS = 4.5
TYPING_DELAY_SECONDS = 0.4
NOTICE_LIMIT = 200  # characters Telegram shows on a pressed button (answerCallbackQuery text)
_NO_PREVIEW = LinkPreviewOptions(is_disabled=True)
WARNING_SIGN = (
    "⚠️"  # how safety protocols and privacy warnings begin: such a reply is never joined with another
)


def keyboard(rows: tuple[tuple[Button, ...], ...]) -> InlineKeyboardMarkup | None:
    """Turn button rows into an inline keyboard; buttons with unusable data are left out."""
    markup_rows = []
    for row in rows:
        buttons = [
            InlineKeyboardButton(button_label(b.label), callback_data=b.data)
            for b in row
            if callback_data_fits(b.data)
        ]
        if len(buttons) < len(row):
            logger.warning("dropped %d button(s) with callback data over 64 bytes", len(row) - len(buttons))
        if buttons:
            markup_rows.append(buttons)
    return InlineKeyboardMarkup(markup_rows) if markup_rows else None


def coalesce(replies: list[Reply] | tuple[Reply, ...]) -> list[Reply]:
    """Join a reply that has only text with the reply after it (issue #12): the answer and its 'Bron:' line with
    the feedback buttons, or a warm hand-over and its tip, arrive as one message with the buttons under it. A
    reply with one button (an aside: 'Deel met cliënt') is joined with a next reply that has buttons too (the
    label question and its 'Geen label'): one message, both texts, the aside's button row first. Same texts, same
    buttons, same order; one Bot API request and one notification fewer per join. Never joined: a reply with more
    buttons or a contact card and the reply after it, a warning (safety protocol, privacy warning: it stands
    alone, before anything else), or texts that would not fit in one message."""
    joined: list[Reply] = []
    for reply in replies:
        previous = joined[-1] if joined else None
        if (
            previous is not None
            and (not previous.buttons or (_one_button(previous) and reply.buttons))
            and not _is_warning(previous)
            and not _is_warning(reply)
            and previous.contact is None
            and previous.text.strip()
            and reply.text.strip()
            and utf16_len(previous.text.strip()) + 2 + utf16_len(reply.text.strip()) <= MESSAGE_LIMIT
        ):
            joined[-1] = Reply(
                text=f"{previous.text.strip()}\n\n{reply.text.strip()}",
                buttons=previous.buttons + reply.buttons,
                contact=reply.contact,
            )
        else:
            joined.append(reply)
    return joined


def _is_warning(reply: Reply) -> bool:
    return reply.text.lstrip().startswith(WARNING_SIGN)


def _one_button(reply: Reply) -> bool:
    return len(reply.buttons) == 1 and len(reply.buttons[0]) == 1


class Press:
    """A button press, answered once (answerCallbackQuery: Telegram stops the button's spinner): with the
    engine's notice when it has one, else empty; the messages do not wait for that answer."""

    def __init__(self, query: CallbackQuery) -> None:
        self._query = query
        self._answer: asyncio.Task[bool] | None = None

    def answer_with_notice(self, replies: list[Reply]) -> list[Reply]:
        """Answer the press now, with the first notice among the replies (shown on the button); returns the
        other replies, to send as messages. A notice too long for the button is sent as a message."""
        notice = next((r for r in replies if r.notice and _fits_notice(r)), None)
        self._start(notice.text.strip() if notice is not None else None)
        return [r for r in replies if r is not notice]

    async def done(self) -> None:
        """Answer (empty) if not yet answered, and wait for the answer's request."""
        self._start(None)
        assert self._answer is not None
        await self._answer

    def _start(self, text: str | None) -> None:
        if self._answer is None:
            self._answer = asyncio.create_task(self._query.answer(text))


def _fits_notice(reply: Reply) -> bool:
    return not reply.buttons and reply.contact is None and 0 < len(reply.text.strip()) <= NOTICE_LIMIT


async def send_reply(bot: Bot, chat_id: int, reply: Reply) -> list[Message]:
    """Send one reply as one or more messages; buttons go under the last one. Raises TelegramError on failure."""
    markup = keyboard(reply.buttons)
    chunks = split_text(reply.text)
    if not chunks and markup is not None:
        chunks = [CHOOSE]
    sent = []
    for index, chunk in enumerate(chunks):
        last = index == len(chunks) - 1
        sent.append(await send_chunk(bot, chat_id, chunk, markup=markup if last else None))
    if reply.contact is not None:
        sent.append(
            await bot.send_contact(chat_id, phone_number=reply.contact.phone, first_name=reply.contact.name)
        )
    return sent


async def send_chunk(
    bot: Bot, chat_id: int, text: str, *, markup: InlineKeyboardMarkup | None = None
) -> Message:
    """Send text as HTML; when Telegram cannot parse it, resend the same text without formatting."""
    try:
        return await bot.send_message(
            chat_id,
            escape_html(text),
            parse_mode=ParseMode.HTML,
            reply_markup=markup,
            link_preview_options=_NO_PREVIEW,
        )
    except BadRequest as exc:
        if "parse" not in str(exc).lower():
            raise
        logger.warning("HTML parse error from Telegram; resending as plain text")
        return await bot.send_message(chat_id, text, reply_markup=markup, link_preview_options=_NO_PREVIEW)


async def send_plain(bot: Bot, chat_id: int, text: str) -> Message:
    """Send a short fixed channel text."""
    return await send_chunk(bot, chat_id, text)


@contextlib.asynccontextmanager
async def typing(bot: Bot, chat_id: int, *, enabled: bool = True) -> AsyncIterator[None]:
    """Show 'typing…' in the chat while the body runs (after a short delay, refreshed every few seconds).

    Only a timer until the delay has passed: a quick reply (most of them) costs no task and no request."""
    if not enabled:
        yield
        return
    stop = asyncio.Event()
    started: list[asyncio.Task[None]] = []
    timer = asyncio.get_running_loop().call_later(
        TYPING_DELAY_SECONDS, lambda: started.append(asyncio.create_task(_keep_typing(bot, chat_id, stop)))
    )
    try:
        yield
    finally:
        timer.cancel()
        stop.set()  # a typing request in flight finishes; no new one starts
        for task in started:
            await task


async def _keep_typing(bot: Bot, chat_id: int, stop: asyncio.Event) -> None:
    """Send the typing action until stopped (Telegram shows it ~5 s); failures are not worth an error."""
    while not stop.is_set():
        try:
            await bot.send_chat_action(chat_id, ChatAction.TYPING)
        except TelegramError as exc:
            logger.debug("typing action failed: %s", type(exc).__name__)
            return
        if await _stopped(stop, within=TYPING_REFRESH_SECONDS):
            return


async def _stopped(stop: asyncio.Event, *, within: float) -> bool:
    """Wait up to `within` seconds for stop; True when it was set."""
    try:
        await asyncio.wait_for(stop.wait(), timeout=within)
    except TimeoutError:
        return False
    return True
