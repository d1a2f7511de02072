"""Round-10 flows through the engine (fake kaart, scripted answers): a question the publication is not about
that names a partner of the kaart gets what the kaart says about that partner."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from tests.conversation.fakes import FakeAnswer
from tests.conversation.helpers import Chat


def _refuse(
    question: str, *, history: Sequence[str], reserve: int = 0, within: int | None = None
) -> FakeAnswer:
    return FakeAnswer(text="Daar gaat de publicatie niet over.", in_scope=False)


def test_out_of_scope_question_naming_a_partner_gets_the_partner(
    engine, services, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(services.answers, "answer", _refuse)
    chat = Chat(engine, 1)
    outcome = chat.text("movisie over de Buurtkamer Fictief?")
    assert "eenzaam-1" in outcome.partners
    assert "niet over" not in "\n".join(r.text for r in outcome.replies)
    outcome = chat.text("wat zegt de publicatie over vergaderen op dinsdag?")  # names no partner: refused
    assert "niet over" in "\n".join(r.text for r in outcome.replies)
    outcome = chat.text(
        "mag ik info over de bezoekers van de Buurtkamer Fictief delen met de school?"
    )  # long
    assert "niet over" in "\n".join(r.text for r in outcome.replies)


def test_a_clients_status_at_a_partner_is_not_known(engine) -> None:
    chat = Chat(engine, 1)
    outcome = chat.text("is mevrouw al ingeschreven bij de Buurtkamer Fictief?")
    said = "\n".join(r.text for r in outcome.replies)
    assert "geen toegang tot gegevens van cliënten" in said and "Buurtkamer Fictief" in said
    outcome = chat.text("heeft hij zich al aangemeld bij Ouderenwerk Proef?")
    assert "geen toegang tot gegevens van cliënten" in "\n".join(r.text for r in outcome.replies)
