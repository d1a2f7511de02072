"""Round-5 rules without a trained model: 'eerste keer' is no list position, everyday words name no partner,
and 'wat is X' finds the glossary entry when more follows the term or the question points back at it."""

from __future__ import annotations

from bot.conversation.glossary import Entry, defined
from bot.conversation.lookup import NameIndex, ordinal
from bot.kaart.model import Service


def _service(id_: str, name: str, organization: str) -> Service:
    return Service(id=id_, name=name, organization=organization, description="")


def test_first_time_is_no_position() -> None:
    assert ordinal("wat zeg ik als ik ze bel? eerste x dat ik dit doe", 3) is None
    assert ordinal("is de eerste keer voor mij", 3) is None
    assert ordinal("en de eerste, wat kost die?", 3) == 0
    assert ordinal("de tweede", 3) == 1


def test_everyday_words_name_no_partner() -> None:
    others = [
        _service(f"s{i}", f"Dienst {word}", "Welzijn")
        for i, word in enumerate(["taal", "geld", "werk", "zorg"])
    ]
    index = NameIndex.build([_service("eh", "Huurconsulent", "Eigen Haard Wonen"), *others])
    assert index.find("en kost het iets, eigen risico?") is None
    assert index.find("nummer van eigen haard?") is not None


ENTRIES = [
    Entry("Beschikking", ("beschikking",), "Een besluit van de gemeente.", "bron", False),
    Entry("Meldcode", ("meldcode",), "Een stappenplan.", "bron", False),
]


def test_what_is_with_more_after_the_term() -> None:
    found = defined(ENTRIES, "Wat is een beschikking eigenlijk, wie geeft die af?")
    assert found is not None and found.term == "Beschikking"


def test_what_is_that_points_back_at_one_term() -> None:
    found = defined(ENTRIES, "iedereen heeft het over de meldcode. wat is dat precies?")
    assert found is not None and found.term == "Meldcode"
    assert defined(ENTRIES, "de meldcode en de beschikking, wat is dat?") is None
    assert defined(ENTRIES, "wat is het wijkteam in zuid") is None


def test_first_as_adverb_is_no_position() -> None:
    assert ordinal("moet ik het eerst met haar bespreken voor ik bel?", 3) is None
    assert ordinal("de eerst, wat kost die", 3) == 0


def test_what_is_with_the_verb_at_the_end() -> None:
    entries = [*ENTRIES, Entry("Sociaal wijkteam", ("wijkteam",), "Een team.", "bron", True)]
    found = defined(entries, "stagiair vraagt me wat een wijkteam nou eigenlijk is. hoe leg ik dat uit?")
    assert found is not None and found.term == "Sociaal wijkteam"
    assert defined(entries, "weet jij wat het wijkteam in zuid vandaag doet?") is None
