"""Message shapes read before the act: an opening greeting or 'new here', a bare question word, 'waarom'."""

from __future__ import annotations

import pytest

from bot.conversation.knowledge import ADVICE_ASK
from bot.conversation.safety import PROCEDURE
from bot.conversation.shapes import BARE_ASK, WHY, without_preamble, words_of


@pytest.mark.parametrize(
    ("text", "rest", "new_here"),
    [("hallo! ik zit met een vraag over de wmo", "ik zit met een vraag over de wmo", False),
     ("goedemiddag. tweede week, wat doet een wijkverpleegkundige", "tweede week, wat doet een wijkverpleegkundige", False),
     ("Hoi, nieuwe collega hier. wat is de jeugdwet", "wat is de jeugdwet", True),
     ("Good morning, I'm new here. Where do I find the ten questions?", "Where do I find the ten questions?", True),
     ("hoi", None, None), ("ik ben nieuw hier", None, None), ("man 50, slaapt in zijn auto", None, None),
     ("bedankt, fijne dag", None, None)],
)  # fmt: skip
def test_the_opening_is_taken_off(text: str, rest: str | None, new_here: bool | None) -> None:
    found = without_preamble(text)
    if rest is None:
        assert found is None
    else:
        assert found is not None and (found.text, found.new_here) == (rest, new_here)


def test_bare_question_words_and_reasons() -> None:
    assert BARE_ASK[" ".join(words_of("Wanneer?"))] == "openingstijden"
    assert BARE_ASK[" ".join(words_of("waar dan?"))] == "adres"
    assert " ".join(words_of("wanneer gaan ze open")) not in BARE_ASK
    assert WHY.search("en waarom doet de huisarts dat niet?") and WHY.search("Why do GPs refer so little?")
    assert not WHY.search("nummer van de huisarts")


@pytest.mark.parametrize(
    ("text", "advice", "procedure"),
    [("en wat kunnen we daar aan doen?", True, False), ("hoe dan?", True, False),
     ("hoe dan ook wil ik de huisarts bellen", False, False), ("moet ik dit melden?", False, True),
     ("mag ik de juf hierover vertellen?", False, True), ("moet ik daar een verwijzing voor hebben?", False, False)],
)  # fmt: skip
def test_advice_and_procedure_follow_ups(text: str, advice: bool, procedure: bool) -> None:
    assert bool(ADVICE_ASK.search(text)) is advice
    assert bool(PROCEDURE.search(text)) is procedure


def test_a_partner_is_found_by_its_acronym() -> None:
    from pathlib import Path

    from bot.conversation.lookup import NameIndex
    from bot.kaart.validation import parse_file

    services = parse_file(Path(__file__).parents[1] / "data" / "dev_duinhaven" / "duinhaven.csv").services
    names = NameIndex.build(services)
    found = [names.find(t) for t in ("nr vt", "vt nummer?", "is vt 24 uur open")]
    assert {s.id for s in found if s} == {"veilig-thuis"} and all(found)
    assert names.find("ma en di open?") is None


def test_moving_to_a_wijk_in_words() -> None:
    from bot.conversation.shapes import WIJK_MOVE

    for text in ("ik blijf toch in de velden, zet maar terug", "zet hem maar terug", "mijn wijk is centrum"):
        assert WIJK_MOVE.search(text)
    assert not WIJK_MOVE.search("wie is de huisarts in de velden")


def test_the_same_point_elsewhere() -> None:
    from bot.conversation.shapes import SAME_THERE

    assert SAME_THERE.search("en bij school speelt dat ook?") and SAME_THERE.search(
        "geldt dat ook voor de politie"
    )
    assert not SAME_THERE.search("zijn ze ook zaterdag open?")


def test_an_opening_that_names_the_subject_stays() -> None:
    assert without_preamble("ben nieuw en iedereen praat over de wlz. wat is dat precies?") is None
    assert without_preamble("hoi, ik ben nieuw in het team, waar kan ik het beste beginnen?") is None
