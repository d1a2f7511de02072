"""Round 15: follow-ups on the last topic. A glossary question that names a second term keeps the term asked as
its topic, and a short follow-up on that term ('en voor jongeren?') is answered from what the entry says about it.
Phrasings are our own (not from the development conversation sets)."""

from __future__ import annotations

import pytest

from bot.config import PROJECT_ROOT
from bot.conversation.glossary import entry_sentences, find_all, load_glossary
from tests.conversation.helpers import Chat

GLOSSARY = load_glossary(PROJECT_ROOT / "knowledge" / "begrippen.yaml")


def _entry(term: str):  # noqa: ANN202
    return next(e for e in GLOSSARY if e.term == term)


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("wat is de jeugdwet, moet een wijkteam die kennen?", "Jeugdwet"),
        ("het wijkteam en de jeugdwet, hoe zit dat", "Sociaal wijkteam"),
        ("wat is een pgb en valt dat onder de wlz?", "Persoonsgebonden budget (pgb)"),
    ],
)
def test_of_two_equally_long_terms_the_one_named_first_leads(text: str, first: str) -> None:
    assert find_all(GLOSSARY, text)[0].term == first


@pytest.mark.parametrize(
    ("term", "text", "holds"),
    [
        ("Meldcode huiselijk geweld en kindermishandeling", "en voor ouderen?", "ouderenmishandeling"),
        ("Leerplicht en RMC", "en boven de 18?", None),  # '18' is too short a word to ask about
        ("Leerplicht en RMC", "en jongeren zonder diploma?", None),  # 'diploma' is not in the entry
        ("Eigen risico", "en de wijkverpleging dan?", "Huisarts, wijkverpleging en zorg voor kinderen"),
        ("Persoonsgebonden budget (pgb)", "ook via de jeugdwet?", "Kan via de Wmo, de Jeugdwet"),
        ("Eigen risico", "en dan?", None),  # asks nothing of its own
    ],
)
def test_a_short_follow_up_is_answered_from_the_entry(term: str, text: str, holds: str | None) -> None:
    said = entry_sentences(_entry(term), text)
    if holds is None:
        assert said is None
    else:
        assert said is not None and holds in said and "Bron:" in said
        assert len(said) < len(_entry(term).reply())  # only the sentences about it


def test_the_term_asked_is_the_topic_of_its_follow_up(engine) -> None:
    chat = Chat(engine, 1)
    first = chat.text("wat is eigenlijk een pgb, moet het wijkteam daar iets mee?")
    assert first.replies[0].text.startswith("Persoonsgebonden budget")
    follow = chat.text("en de administratie dan?")
    said = "\n".join(r.text for r in follow.replies)
    assert "De budgethouder moet zelf de administratie doen." in said and "Persoonsgebonden budget" in said
    assert "Sociaal wijkteam" not in said
