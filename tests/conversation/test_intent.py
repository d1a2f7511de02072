"""Intent classification on a varied set of invented messages: both classes and unsure."""

from __future__ import annotations

import pytest

from bot.conversation.intent import classify

QUESTIONS = [
    "Hoe maak ik goede afspraken over terugkoppeling met de huisarts?",
    "Wat kan ik doen als een partner nooit terugbelt?",
    "Hoe krijg ik meer mandaat om te experimenteren?",
    "Hoe gaan we om met financiële schotten tussen organisaties?",
    "Wie is verantwoordelijk voor de regie?",
    "Hoe bouw ik een netwerk op in een nieuwe wijk?",
    "Wat zegt de publicatie over concurrentie tussen aanbieders?",
    "Hoe zorg ik dat de school mij op de hoogte houdt?",
    "Hoe komen we als wijkteam op één lijn qua visie en werkwijze?",
    "Mijn leidinggevende geeft geen ruimte voor overleg met partners, wat nu?",
    "Hoe vergroot ik mijn onafhankelijke positie?",
    "Tips om de wijkagent beter te leren kennen",
]
SITUATIONS = [
    "Moeder van 34, drie kinderen, grote huurachterstand en de deurwaarder staat voor de deur.",
    "Oudere man woont alleen, is erg eenzaam en vergeet steeds zijn medicijnen",
    "Waar kan ik heen met een gezin met schulden?",
    "Jongen van 16 spijbelt veel, ouders zijn ten einde raad",
    "Vrouw wordt door haar partner geslagen en durft niet naar huis",
    "Ik zoek hulp voor een vader die zijn post niet meer opent",
    "Meneer is 80, slecht ter been en krijgt geen hulp in huis",
    "Een statushouder snapt de brieven van de gemeente niet",
    "Welke organisatie kan helpen bij laaggeletterdheid?",
    "Alleenstaande vader met depressie, het huis is erg vervuild",
]
UNSURE = ["schulden", "hallo", "ok", "🙂", "dank je"]


@pytest.mark.parametrize("text", QUESTIONS)
def test_questions(text: str) -> None:
    assert classify(text).kind == "question", classify(text)


@pytest.mark.parametrize("text", SITUATIONS)
def test_situations(text: str) -> None:
    assert classify(text).kind == "situation", classify(text)


@pytest.mark.parametrize("text", UNSURE)
def test_unsure(text: str) -> None:
    assert classify(text).kind == "unsure", classify(text)


def test_accents_and_case_do_not_matter() -> None:
    assert (
        classify("CLIËNT VAN 50 MET SCHULDEN").kind
        == classify("client van 50 met schulden").kind
        == "situation"
    )
