"""Terminal chat: a thin rich REPL over the same conversation engine that Telegram drives."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

from rich.console import Console
from rich.panel import Panel
from rich.text import Text

from bot.conversation.engine import Engine
from bot.conversation.types import Button, Event, Outcome, Reply

TERMINAL_USER_ID = 0
EXIT_WORDS = {"/stop", "/exit", "/quit", "stop", "exit", "quit"}
THINKING = "Even denken..."
WARMING = "Even geduld: de modellen worden nog klaargezet (eenmalig)..."


class TerminalChat:
    """Reads lines, turns them into engine events and prints replies; buttons become numbered choices."""

    def __init__(
        self,
        engine: Engine,
        *,
        console: Console | None = None,
        user_id: int = TERMINAL_USER_ID,
        ready: threading.Event | None = None,
    ) -> None:
        """`ready`: set when the background warm-up is done (see bot.services.warm_in_background)."""
        self._engine = engine
        self._ready = ready
        self._console = console or Console()
        self._user_id = user_id
        self._choices: list[Button] = []

    def event_for(self, line: str) -> Event | None:
        """Translate one typed line into an engine event (a number picks a shown choice)."""
        text = line.strip()
        if text.isdigit() and self._choices and 1 <= int(text) <= len(self._choices):
            return Event(user_id=self._user_id, kind="button", data=self._choices[int(text) - 1].data)
        if text.startswith("/"):
            command, _, args = text[1:].partition(" ")
            return Event(user_id=self._user_id, kind="command", command=command.lower(), text=args.strip())
        return Event(user_id=self._user_id, kind="text", text=line)

    def show(self, outcome: Outcome) -> None:
        """Print replies; remember their buttons as numbered choices for the next line."""
        self._choices = []
        for reply in outcome.replies:
            self._print_reply(reply)

    def _print_reply(self, reply: Reply) -> None:
        body = Text(reply.text)
        if reply.contact is not None:
            body.append(f"\n📇 {reply.contact.name}: {reply.contact.phone}")
        buttons = [button for row in reply.buttons for button in row]
        for button in buttons:
            self._choices.append(button)
            body.append(f"\n  [{len(self._choices)}] {button.label}", style="bold cyan")
        self._console.print(Panel(body, border_style="green", title="wijkbot", title_align="left"))

    def deliver_due_reminders(self) -> None:
        """Show reminders that came due while the user was typing (terminal has no job queue)."""
        now = datetime.now(UTC)
        replies: list[Reply] = []
        for pending in self._engine.pending_reminders():
            if pending.user_id != self._user_id or pending.due_at > now:
                continue
            reply = self._engine.reminder_due(pending.id)
            if reply is not None:
                replies.append(reply)
            self._engine.reminder_sent(pending.id)
        if replies:  # one numbering for all reminders that fell due together
            self.show(Outcome(replies=replies))

    def run(self) -> None:
        """The REPL loop; ends on /stop, Ctrl-D or Ctrl-C."""
        self.show(self._engine.handle(Event(user_id=self._user_id, kind="command", command="start")))
        self._console.print(
            "[dim]Typ je vraag of situatie. Een nummer kiest een optie. /stop om te stoppen.[/dim]"
        )
        while True:
            self.deliver_due_reminders()
            try:
                line = self._console.input("[bold]jij> [/bold]")
            except (EOFError, KeyboardInterrupt):
                self._console.print("\nTot ziens!")
                return
            if line.strip().lower() in EXIT_WORDS:
                self._console.print("Tot ziens!")
                return
            event = self.event_for(line)
            if event is None:
                continue
            with self._console.status(WARMING if self._ready and not self._ready.is_set() else THINKING):
                outcome = self._engine.handle(event)
            self.show(outcome)
