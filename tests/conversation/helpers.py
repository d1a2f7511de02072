"""Small driver for engine tests: send text/commands, press buttons by label."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any, Protocol

from bot.conversation.context import UserContext
from bot.conversation.engine import Engine
from bot.conversation.types import Button, Event, Outcome
from bot.kaart.model import Service


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


class ListKaart:
    """A kaart over a fixed list of services, for rule tests that build a turn by hand."""

    def __init__(self, services: list[Service], *, name: str, wijken: list[str]) -> None:
        self.services = services
        self.name = name
        self._wijken = wijken

    def active(self) -> Any:
        return SimpleNamespace(content_hash=self.name, services=self.services)

    def get(self, service_id: str) -> Service | None:
        return next((s for s in self.services if s.id == service_id), None)

    def wijken(self) -> list[str]:
        return list(self._wijken)


def rule_turn(
    understanding: Any, kaart: ListKaart, *, shown: tuple[str, ...] = (), recent: tuple[str, ...] = ()
) -> Any:
    """The parts of a turn the reference and look-up rules read: understanding, kaart, context, wijk."""
    ctx = UserContext()
    ctx.shown_ids = list(shown)
    ctx.remember_shown(list(recent) + list(shown))
    return SimpleNamespace(
        deps=SimpleNamespace(understanding=understanding),
        services=SimpleNamespace(kaart=kaart),
        ctx=ctx,
        wijk=lambda: None,
    )


def filler(words: list[str], *, organization: str = "Welzijn") -> list[Service]:
    """More partners of one word each ('Dienst taal'), so that a word on one entry of a rule test's kaart is as
    rare as on a real kaart."""
    return [
        Service(id=f"ander{i}", name=f"Dienst {word}", organization=organization,
                description=f"Hulp bij {word}.", themes=(word,))
        for i, word in enumerate(words)
    ]  # fmt: skip


class RuleTurn(Protocol):
    """Builds a turn on the rule test module's kaart (its `_KAART`): see conftest.py `rules_turn`."""

    def __call__(
        self, *, kaart: ListKaart | None = None, shown: tuple[str, ...] = (), recent: tuple[str, ...] = ()
    ) -> Any: ...
