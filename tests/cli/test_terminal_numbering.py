"""Terminal numbering: option numbers are unique across all messages of a turn; old numbers stop working."""

from __future__ import annotations

import io

from rich.console import Console

from bot.channels.terminal import TerminalChat
from bot.conversation.types import Button, Event, Outcome, Reply


class TwoMessageEngine:
    """Every turn: two messages with two buttons each, data tagged with the turn number."""

    def __init__(self) -> None:
        self.turn = 0

    def handle(self, event: Event) -> Outcome:
        self.turn += 1
        first = Reply("eerste", ((Button("a", f"t{self.turn}:a"), Button("b", f"t{self.turn}:b")),))
        second = Reply("tweede", ((Button("c", f"t{self.turn}:c"), Button("d", f"t{self.turn}:d")),))
        return Outcome(replies=[first, second])


def test_numbers_are_unique_per_turn_and_old_ones_stop() -> None:
    out = io.StringIO()
    engine = TwoMessageEngine()
    chat = TerminalChat(engine, console=Console(file=out, width=80, color_system=None))  # type: ignore[arg-type]
    chat.show(engine.handle(Event(0, "text", text="x")))
    printed = out.getvalue()
    assert [printed.count(f"[{n}]") for n in (1, 2, 3, 4)] == [1, 1, 1, 1]
    event = chat.event_for("3")
    assert event is not None and event.kind == "button" and event.data == "t1:c"
    chat.show(Outcome(replies=[Reply("zonder knoppen")]))
    event = chat.event_for("3")
    assert event is not None and event.kind == "text", "an old number is just text now"
