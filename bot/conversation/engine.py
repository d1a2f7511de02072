"""The channel-agnostic conversation engine: an Event in, an Outcome (replies + reminder jobs) out.

Both channels (Telegram, terminal) drive this. It is sync and thread-safe: channels call it through
asyncio.to_thread. Events of one user are handled one at a time; different users in parallel.
Message text is never logged and never stored; only scrubbed recent questions live in memory for
context_ttl_hours.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable, Collection
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.conversation import account, followups, knowledge, partners, referrals, texts
from bot.conversation import actions as act
from bot.conversation.access import AccessControl
from bot.conversation.context import AwaitIntent, AwaitLabel, AwaitReminder, AwaitSituation, ContextStore
from bot.conversation.ports import EngineServices
from bot.conversation.router import route
from bot.conversation.turn import Deps, Turn
from bot.conversation.types import Event, Outcome, PendingReminder, Reply
from bot.conversation.understanding import Understanding
from bot.followup.retention import purge_removed_users

logger = logging.getLogger(__name__)

TextCommand = Callable[[Turn, str], None]


class Engine:
    """Decides what to say. See handle(); reminders via reminder_due()/reminder_sent()."""

    def __init__(
        self,
        services: EngineServices,
        *,
        access: AccessControl | None = None,
        on_reload: Callable[[], None] | None = None,
        clock: Callable[[], datetime] | None = None,
        gate: bool = False,
        understanding: Understanding | None = None,
    ) -> None:
        """gate=True refuses users that AccessControl does not allow (channels normally gate before this).

        With gate=True or an explicit access (the Telegram channel), users who lost access get no reminders
        and their data is purged after the retention period. The terminal chat has neither: all its own.
        """
        self._restricted = gate or access is not None
        clock = clock or (lambda: datetime.now(UTC))
        access = access or AccessControl(services.settings, services.store, clock=clock)
        # n-grams only unless the caller passes an Understanding with an encoder (see bot.cli._understanding)
        understanding = understanding or Understanding(services.settings.knowledge_dir)
        self._deps = Deps(
            services=services, access=access, clock=clock, understanding=understanding, on_reload=on_reload
        )
        self._contexts = ContextStore(ttl=timedelta(hours=services.settings.context_ttl_hours), clock=clock)
        self._gate = gate
        self._commands: dict[str, TextCommand] = self._command_table()

    # -- public API ------------------------------------------------------------------------------------
    def warm_up(self) -> None:
        """Train the dialogue-act model and load the glossary now, so the first user does not wait."""
        self._deps.understanding.warm_up()
        services = self._deps.services
        if services.vragen and services.embeddings is not None:
            self._deps.understanding.vraag_vectors(services.vragen, services.embeddings.encode)

    def handle(self, event: Event) -> Outcome:
        """Handle one user event. Never raises for bad input; unexpected errors give a short apology."""
        if self._gate and not self._may_enter(event):
            return Outcome(replies=[Reply(text=texts.NO_ACCESS)])
        with self._contexts.session(event.user_id) as ctx:
            turn = Turn(
                deps=self._deps,
                user_id=event.user_id,
                ctx=ctx,
                unlocked=lambda: self._contexts.released(event.user_id),
            )
            try:
                if ctx.updated_at is None:  # first event of a conversation: count the user once
                    self._count_user(event.user_id)
                self._dispatch(turn, event)
            except Exception as exc:  # noqa: BLE001 - one bad turn must not break the bot
                # Type and code location only: exception messages and tracebacks may quote user text.
                frame = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
                where = f"{Path(frame.filename).name}:{frame.lineno}" if frame else "?"
                logger.error("engine error kind=%s type=%s at=%s", event.kind, type(exc).__name__, where)
                return Outcome(replies=[Reply(text=texts.SOMETHING_WENT_WRONG)])
            return turn.finish()

    def reminder_due(self, reminder_id: int) -> Reply | None:
        """The reminder message, or None when it was sent, answered, or its referral is afgerond."""
        due = self._deps.services.followup.due_reminder(reminder_id)
        if due is None or not self._may_message(due[0].user_id):  # removed from the team: no messages
            return None
        return followups.reminder_reply(due[1])

    def reminder_sent(self, reminder_id: int) -> None:
        """Call after the channel delivered the reminder; it is then never pending again."""
        self._deps.services.followup.reminder_sent(reminder_id)

    def pending_reminders(self, ids: Collection[int] | None = None) -> list[PendingReminder]:
        """Unsent, unanswered reminders to (re)schedule at start-up; overdue ones should fire at once. ids: only
        these (the reminders an outcome schedules), looked up by key."""
        return [
            PendingReminder(id=r.id, user_id=r.user_id, due_at=r.due_at)
            for r in self._deps.services.followup.pending(ids)
            if self._may_message(r.user_id)  # users no longer allowed get no reminders
        ]

    def _may_message(self, user_id: int) -> bool:
        return not self._restricted or self._deps.access.is_allowed(user_id)

    def purge(self) -> int:
        """Retention: closed referrals older than settings.retention_days, and all data of users who lost
        access and were inactive that long. Returns the number of referrals plus users removed."""
        settings, now = self._deps.services.settings, self._deps.clock()
        removed = 0
        if self._restricted:
            removed = purge_removed_users(
                self._deps.services.store,
                self._deps.access.is_allowed,
                older_than_days=settings.retention_days,
                now=now,
            )
        return self._deps.services.followup.purge(settings.retention_days, now=now) + removed

    # -- dispatch ----------------------------------------------------------------------------------------
    def _count_user(self, user_id: int) -> None:
        """A users row for allowed users only: unknown users leave no trace."""
        if self._deps.access.is_allowed(user_id):
            self._deps.services.store.ensure_user(user_id, now=self._deps.clock())

    def _may_enter(self, event: Event) -> bool:
        if self._deps.access.is_allowed(event.user_id):
            return True
        return event.kind == "command" and event.command == "start" and bool(event.text.strip())

    def _dispatch(self, turn: Turn, event: Event) -> None:
        if event.kind == "command":
            handler = self._commands.get(event.command.lower().split("@")[0])
            if handler is None:
                turn.say(texts.UNKNOWN_COMMAND)
            else:
                if event.command != "start":
                    turn.ctx.clear_pending()
                handler(turn, event.text)
        elif event.kind == "button":
            self._on_button(turn, event.data)
        elif event.kind == "voice_unavailable":
            turn.say(texts.VOICE_UNAVAILABLE)
        else:
            self._on_text(turn, event.text)

    def _on_text(self, turn: Turn, text: str) -> None:
        if not text.strip():
            turn.say(texts.EMPTY_TEXT)
            return
        ctx = turn.ctx
        pending = ctx.pending
        if isinstance(pending, AwaitLabel) and referrals.label_text(turn, pending, text):
            return
        if isinstance(pending, AwaitReminder) and referrals.reminder_text(turn, pending, text):
            return
        if isinstance(pending, AwaitSituation):
            ctx.clear_pending()
            partners.suggest(turn, text)
            return
        ctx.clear_pending()
        route(turn, text)

    def _on_button(self, turn: Turn, data: str) -> None:  # noqa: PLR0912 - one branch per action kind
        action = act.decode(data)
        match action:
            case act.ChooseIntent():
                self._resolve_unsure(turn, action)
            case act.Feedback():
                knowledge.feedback(turn, action)
            case act.ShowVraag():
                knowledge.show_vraag(turn, action)
            case act.ListVragen():
                knowledge.list_vragen(turn)
            case act.ChooseWijk() | act.ChooseWijkAt():
                account.choose_wijk(turn, action)
            case act.MoreOptions():
                partners.more_options(turn)
            case act.ShowCard():
                partners.show_card(turn, action)
            case act.SearchPage():
                partners.search_page(turn, action)
            case act.Refer():
                referrals.refer(turn, action)
            case act.NoLabel():
                referrals.no_label(turn, action)
            case act.ChooseReminder():
                referrals.choose_reminder(turn, action)
            case act.FollowupAnswer():
                followups.followup_answer(turn, action)
            case act.ContactCheck():
                followups.contact_check(turn, action)
            case act.Forget():
                self._forget(turn, action)
            case _:
                turn.say(texts.STALE_BUTTON)

    def _resolve_unsure(self, turn: Turn, action: act.ChooseIntent) -> None:
        ctx = turn.ctx
        pending = ctx.pending
        if not isinstance(pending, AwaitIntent) or not pending.text:
            turn.say(texts.STALE_BUTTON)
            return
        ctx.clear_pending()
        if action.situation:
            partners.suggest(turn, pending.text)
        else:
            knowledge.answer_question(turn, pending.text)

    def _forget(self, turn: Turn, action: act.Forget) -> None:
        if account.forget(turn, action):
            self._contexts.forget(turn.user_id)
            turn.ctx.questions.clear()

    def _command_table(self) -> dict[str, TextCommand]:
        return {
            "start": account.start,
            "help": lambda t, _: account.help_text(t),
            "hulp": lambda t, _: account.help_text(t),
            "vragen": lambda t, _: knowledge.list_vragen(t),
            "kaart": partners.search,
            "partner": lambda t, _: partners.ask_situation(t),
            "wijk": account.wijk,
            "kennismaken": lambda t, _: partners.kennismaken(t),
            "open": lambda t, _: followups.list_open(t),
            "privacy": lambda t, _: account.privacy(t),
            "vergeet": lambda t, _: account.ask_forget(t),
            "uitnodigen": lambda t, _: account.invite(t),
            "herlaad": lambda t, _: account.reload(t),
        }
