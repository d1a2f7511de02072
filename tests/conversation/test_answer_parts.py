"""A publication answer in two phone messages (Answer.parts): the cited best sentences first, the 👍/👎 under the
last message."""

from __future__ import annotations


def test_the_conversation_sends_the_parts_as_two_messages(engine, services, monkeypatch) -> None:
    from tests.conversation.fakes import FakeAnswer
    from tests.conversation.helpers import Chat

    first = "Maak bij elke verwijzing een afspraak over terugkoppeling. [Vraag 4 · X (p. 17)]\n\nBron: Y"
    second = "Leg in het dossier vast welke terugkoppeling de melder krijgt."

    def _answer(question: str, *, history: object, reserve: int = 0, within: int | None = None) -> FakeAnswer:
        return FakeAnswer(text=f"{first}\n\n{second}", parts=(first, second))

    monkeypatch.setattr(services.answers, "answer", _answer)
    outcome = Chat(engine, 1).text("hoe regel ik terugkoppeling na een verwijzing?")
    texts = [r.text for r in outcome.replies]
    assert texts[0] == first and texts[1].startswith(second)
    assert not outcome.replies[0].buttons and outcome.replies[-1].buttons  # 👍/👎 under the last message
