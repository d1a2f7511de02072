"""The ten vragen by topic words: the partner a question names is not its topic."""

from __future__ import annotations

from bot.config import PROJECT_ROOT
from bot.conversation.vraagwords import VraagWords, partner_words
from bot.ingest.vragen import load_vragen
from bot.kaart.validation import parse_file


def test_getting_to_know_the_huisartsen_is_about_meeting() -> None:
    vragen = load_vragen(PROJECT_ROOT / "knowledge" / "vragen.yaml")
    kaart = parse_file(PROJECT_ROOT / "knowledge" / "sociale_kaart" / "voorbeeld.csv").services
    words = VraagWords.build(vragen)
    leave_out = partner_words(kaart)
    assert "huisarts" in leave_out
    assert words.best("hoe leer ik de huisartsen in mijn wijk kennen", leave_out=leave_out) == 2
    scores = words.scores("hoe leer ik de huisartsen in mijn wijk kennen")
    assert scores[1] > 0  # the partner word alone points to vraag 1 (huisarts)
    assert words.best("hoe maak ik kennis met de huisartsen bij ons in de wijk?", leave_out=leave_out) == 2
    assert words.scores("hoe maak ik ruimte in mijn agenda?")[1] > 0, "'maak' without 'kennis' stays vraag 1"


def test_no_topic_words_no_vraag() -> None:
    words = VraagWords.build(load_vragen(PROJECT_ROOT / "knowledge" / "vragen.yaml"))
    assert words.best("goedemorgen") is None
