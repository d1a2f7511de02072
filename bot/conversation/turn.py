"""One turn of the conversation: the services, the user's context and the replies being built."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from bot.conversation import texts
from bot.conversation.access import AccessControl
from bot.conversation.actions import BUTTON_DATA_BYTES
from bot.conversation.context import UserContext
from bot.conversation.ports import EngineServices
from bot.conversation.types import Button, Outcome, Reply
from bot.conversation.understanding import Understanding

if TYPE_CHECKING:
    from bot.kaart.model import Service

REPLY_LIMIT = 600  # one phone screen: a first message of at most 600 characters


@dataclass
class Deps:
    """What every flow may use. Built once by the Engine."""

    services: EngineServices
    access: AccessControl
    clock: Callable[[], datetime]
    understanding: Understanding
    on_reload: Callable[[], None] | None = None


@dataclass
class Turn:
    """The state of handling one event; flows add replies with say()."""

    deps: Deps
    user_id: int
    ctx: UserContext
    outcome: Outcome = field(default_factory=Outcome)
    privacy_hit: bool = False
    # Lets go of the user's lock during a slow network call (the LLM); a no-op outside the engine.
    unlocked: Callable[[], AbstractContextManager[None]] = nullcontext
    # safe_text's results in this turn: the same text is checked by several flows (the router, the answer, a
    # follow-up), and a check (deduce's name annotators) is the dearest step of a turn's scrubbing (issue #12)
    _scrubbed: dict[str, str] = field(default_factory=dict, repr=False)

    @property
    def services(self) -> EngineServices:
        return self.deps.services

    def now(self) -> datetime:
        return self.deps.clock()

    def wijk(self) -> str | None:
        user = self.services.store.get_user(self.user_id)
        return user.wijk if user else None

    def service_from(self, key: str) -> Service | None:
        """The kaart service a button points at; says 'button no longer works' when it is gone."""
        service_id = self.ctx.service_id(key)
        service = self.services.kaart.get(service_id) if service_id else None
        if service is None:
            self.say(texts.STALE_BUTTON)
        return service

    def say(self, text: str, buttons: Sequence[Sequence[Button]] = ()) -> None:
        """Add a reply; long text is split into phone-sized parts, buttons go under the last part."""
        rows = tuple(tuple(row) for row in buttons if row)
        for row in rows:
            for button in row:
                if len(button.data.encode()) > BUTTON_DATA_BYTES:
                    raise ValueError(f"button data over {BUTTON_DATA_BYTES} bytes: {button.data[:20]}...")
        parts = split_text(text, limit=REPLY_LIMIT)
        for part in parts[:-1]:
            self.outcome.replies.append(Reply(text=part))
        self.outcome.replies.append(Reply(text=parts[-1], buttons=rows))

    def shown(self, service_ids: Sequence[str]) -> None:
        """Record partners shown in this turn (for evaluation; never stored), and in the conversation's memory
        of partners shown ('nog even over die schuldhulp van net')."""
        self.outcome.partners += [i for i in service_ids if i not in self.outcome.partners]
        self.ctx.remember_shown(service_ids)

    def safe_text(self, text: str) -> str:
        """Check user text for personal data: warn once in this reply and return a scrubbed copy. A text already
        checked in this turn is not checked again (its warning is already set)."""
        done = self._scrubbed.get(text)
        if done is not None:
            return done
        scrubbed = self.services.scrubber.scrub(text)  # one pass: find and replace together
        safe = str(scrubbed.text) if scrubbed.kinds else text
        if scrubbed.kinds:
            self.privacy_hit = True
        self._scrubbed[text] = safe
        return safe

    def finish(self) -> Outcome:
        """Put the privacy warning (once) above the replies and return the outcome."""
        if self.privacy_hit:
            replies = self.outcome.replies
            first = replies[0] if replies else None
            if first is not None and len(first.text) + len(texts.PRIVACY_WARNING) + 2 <= REPLY_LIMIT:
                replies[0] = Reply(text=f"{texts.PRIVACY_WARNING}\n\n{first.text}", buttons=first.buttons)
            else:
                replies.insert(0, Reply(text=texts.PRIVACY_WARNING))
            self.services.store.mark_privacy_warned(self.user_id)
        return self.outcome


def split_text(text: str, *, limit: int) -> list[str]:
    """Split into parts of at most `limit` characters, keeping paragraphs (blank-line blocks) whole where possible."""
    text = text.strip() or "…"
    if len(text) <= limit:
        return [text]
    parts: list[str] = []
    current = ""
    for paragraph in text.split("\n\n"):
        for piece in (
            [paragraph] if len(paragraph) <= limit else _pack(_pieces(paragraph, limit=limit), limit)
        ):
            joined = f"{current}\n\n{piece}" if current else piece
            if len(joined) <= limit:
                current = joined
            else:
                if current:
                    parts.append(current)
                current = piece
    if current:
        parts.append(current)
    return [p.strip() for p in parts if p.strip()]


def _pack(pieces: list[str], limit: int) -> list[str]:
    """Join lines back together into chunks of at most `limit` characters."""
    chunks: list[str] = []
    current = ""
    for piece in pieces:
        joined = f"{current}\n{piece}" if current else piece
        if len(joined) <= limit:
            current = joined
        else:
            chunks.append(current)
            current = piece
    if current:
        chunks.append(current)
    return chunks


def _pieces(text: str, *, limit: int) -> list[str]:
    pieces: list[str] = []
    for line in text.split("\n"):
        while len(line) > limit:
            cut = line.rfind(" ", 0, limit)
            cut = cut if cut > limit // 2 else limit
            pieces.append(line[:cut])
            line = line[cut:].lstrip()
        pieces.append(line)
    return pieces
