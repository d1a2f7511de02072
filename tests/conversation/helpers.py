"""Small driver for engine tests: send text/commands, press buttons by label."""

from __future__ import annotations

from bot.conversation.engine import Engine
from bot.conversation.types import Button, Event, Outcome


class Chat:
    """One user talking to the engine; remembers the last outcome's buttons."""

    def __init__(self, engine: Engine, user_id: int) -> None:
        self.engine = engine
        self.user_id = user_id
        self.last = Outcome()

    def text(self, text: str) -> Outcome:
        return self._run(Event(user_id=self.user_id, kind="text", text=text))

    def cmd(self, command: str, text: str = "") -> Outcome:
        return self._run(Event(user_id=self.user_id, kind="command", command=command, text=text))

    def data(self, data: str) -> Outcome:
        return self._run(Event(user_id=self.user_id, kind="button", data=data))

    def press(self, label_start: str) -> Outcome:
        return self.data(self.button(label_start).data)

    def button(self, label_start: str) -> Button:
        for reply in self.last.replies:
            for row in reply.buttons:
                for button in row:
                    if button.label.startswith(label_start):
                        return button
        raise AssertionError(f"no button '{label_start}' in {self.labels()}")

    def labels(self) -> list[str]:
        return [b.label for r in self.last.replies for row in r.buttons for b in row]

    def said(self) -> str:
        return "\n---\n".join(r.text for r in self.last.replies)

    def _run(self, event: Event) -> Outcome:
        self.last = self.engine.handle(event)
        for reply in self.last.replies:
            assert reply.text.strip()
            assert len(reply.text) <= 900, len(reply.text)
            for row in reply.buttons:
                for button in row:
                    assert len(button.data.encode()) <= 64
        return self.last
