"""An acute suggestion fits a phone (issue #8): the protocol message, then one message with three partner cards, the
meldcode line and the freshness line, at most 600 characters, and all of it at most 1,200. Every card keeps its name,
phone and access; the protocol keeps every step and number. Partners written for this test (fictional)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from bot.conversation.cards import MESSAGE_CHARS, suggestion_text
from bot.conversation.context import UserContext
from bot.kaart.model import Service
from bot.safety.protocol import load_protocols, phone_line
from bot.suggestion.advice import AdviceRef
from bot.suggestion.result import Suggestion, SuggestionResult

KNOWLEDGE = Path(__file__).resolve().parents[2] / "knowledge"
OLD = date(2024, 1, 10)
TODAY = date(2026, 12, 2)
ADVICE = AdviceRef("Spreek af wie wat doet.", 4, 12, "Afspraken")


def _service(i: int, name: str, org: str, phone: str, access: str) -> Service:
    return Service(id=f"s{i}", organization=org, name=name, description="", phone=phone,
                   application_process=access, last_verified=OLD)  # fmt: skip


SERVICES = [
    _service(1, "Noodhulp en meldkamer bij acuut gevaar voor personen", "Politie Eenheid Oost-Nederland, basisteam",
             "112 (spoed) / 0900-8844 (geen spoed)", "Bel bij direct gevaar altijd 112, dag en nacht; geen verwijzing"),
    _service(2, "Advies- en meldpunt huiselijk geweld en kindermishandeling", "Veilig Thuis regio IJssel en Vecht",
             "0800-2000", "Vrij toegankelijk voor professionals en burgers, anoniem advies mogelijk, 24/7"),
    _service(3, "Crisisopvang en ambulante hulp bij huiselijk geweld", "Stichting Vrouwenopvang Salland-Twente",
             "0570-123 456 (24 uur per dag bereikbaar)", "Aanmelden via Veilig Thuis, politie of het wijkteam; "
             "na intake een plek binnen een dag"),
]  # fmt: skip


def _result() -> SuggestionResult:
    suggestions = [
        Suggestion(service=s, domain="huiselijke_relaties", reason="", score=1.0,
                   domain_label="Huiselijke relaties en veiligheid thuis",
                   signals=("slaat haar en dreigt met een mes in de keuken",), meldcode="huiselijk geweld")
        for s in SERVICES
    ]  # fmt: skip
    return SuggestionResult(safety=None, suggestions=suggestions, advice=ADVICE, nothing_fits=False)


def test_acute_cards_fit_one_message_and_the_whole_reply_fits_1200() -> None:
    protocols = load_protocols(KNOWLEDGE)
    message = protocols.render("acuut", "huiselijk_geweld")
    first = f"{message.text}\n" + "\n".join(phone_line(line) for line in message.lines)
    ctx = UserContext(acute_danger="huiselijk_geweld")
    cards = suggestion_text(_result(), ctx, today=TODAY)
    assert len(first) <= MESSAGE_CHARS and len(cards) <= MESSAGE_CHARS, (len(first), len(cards))
    assert len(first) + len(cards) <= 1200
    for number, service in enumerate(SERVICES, start=1):  # every card: number, name start, phone, access
        assert f"{number}. {service.organization[:20]}" in cards
        assert "Toegang:" in cards.split(f"{number}. ")[1]
    assert "0800-2000" in cards and "112" in cards and "0570" in cards
    assert "ouder dan een jaar" in cards and "1, 2 en 3" in cards  # the freshness line names card numbers
    assert "Meldcode" in cards
    for step in ("112", "0800-2000", "Eigen veiligheid"):  # the protocol keeps its steps and numbers
        assert step in first


def test_short_cards_keep_their_full_text() -> None:
    short = [Suggestion(service=Service(id="k", organization="Buurtteam", name="Buurtteam Oost", description="",
                                        phone="0570-111 222", application_process="Vrij toegankelijk"),
                        domain="netwerk", reason="", score=1.0, domain_label="Sociaal netwerk",
                        signals=("eenzaam",))]  # fmt: skip
    result = SuggestionResult(safety=None, suggestions=short, advice=ADVICE, nothing_fits=False)
    text = suggestion_text(result, UserContext(), today=TODAY)
    assert "1. Buurtteam Oost — sociaal netwerk: eenzaam" in text and "Toegang: Vrij toegankelijk" in text
