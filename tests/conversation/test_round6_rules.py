"""Round-6 rules without a trained model: the people of a case name no partner kind (asking.resolve), a message
that first points at a partner, names with one typo, the glossary answering a question's first clause, and
the waiting time read from the field that holds it."""

from __future__ import annotations

from bot.conversation import asking
from bot.conversation.facts import fact
from bot.conversation.fields import better_attribute
from bot.conversation.glossary import Entry, asked_about
from bot.conversation.lookup import NameIndex, one_typo, same_word
from bot.conversation.references import pointed_at
from bot.kaart.model import Service
from tests.conversation.helpers import ListKaart, RuleTurn, filler

KAART = [
    Service(id="opvang", name="Vrouwenopvang De Haven", organization="Stichting Opvang",
            description="Opvang en hulp na huiselijk geweld.", themes=("vrouwenopvang", "huiselijk geweld")),
    Service(id="geld", name="Geldzaken Oost", organization="Gemeente",
            description="Schuldhulpverlening: overzicht maken en afspraken met schuldeisers.",
            themes=("schulden", "budgetbeheer"), application_process="bellen; ze bellen binnen 2 dagen terug"),
    Service(id="maatjes", name="Samen Verder", organization="Welzijn",
            description="Maatjesproject: een vrijwilliger komt op bezoek.", themes=("eenzaamheid", "vrijwilligers"),
            application_process="aanmelden met formulier; wachttijd ongeveer 4 weken"),
    Service(id="kind", name="Jeugdteam", organization="Gemeente", description="Hulp bij opvoeden.",
            themes=("jeugd", "opvoeden", "kinderen")),
]  # fmt: skip
KAART += filler(["taal", "werk", "wonen", "sport", "vervoer", "zorg", "dementie", "rouw"])


_KAART = ListKaart(KAART, name="round6", wijken=["Veld-Noord"])


def test_the_people_of_a_case_name_no_partner_kind(rules_turn: RuleTurn) -> None:
    turn = rules_turn(shown=("opvang", "geld"))
    text = "moet ik het eerst met de vrouw bespreken?"
    found = asking.resolve(turn, text, use_focus=False)
    assert found is not None and found.id == "opvang"  # 'vrouw' fits the Vrouwenopvang among the list ...
    assert asking.resolve(turn, text, use_focus=False, kinds_from_people=False) is None  # ... not as a person


def test_a_message_that_points_at_a_partner_first(rules_turn: RuleTurn) -> None:
    turn = rules_turn(shown=("opvang",), recent=("geld",))
    back = pointed_at(turn, "nog even over die schuldhulp van net, bellen ze terug?")
    assert back is not None and back.service.id == "geld" and back.rest == "bellen ze terug?"
    described = pointed_at(turn, "dat maatjesproject, hoe meld ik haar aan")
    assert described is not None and described.service.id == "maatjes"
    assert pointed_at(turn, "de moeder, 45, zegt dat de kinderen niet meer naar school gaan") is None
    assert pointed_at(turn, "hoe maak ik afspraken met de huisarts?") is None


def test_a_name_with_one_typo_still_names_the_partner() -> None:
    assert one_typo("geldhlp", "geldhulp") and one_typo("veendjik", "veendijk")
    assert not one_typo("adres", "adress") and not one_typo("schuld", "schulden")
    assert not one_typo("melden", "velden") and not one_typo("vrouwenhuis", "brouwenhuis")
    index = NameIndex.build(KAART)
    found = index.find("adres van geldzkaen?")
    assert found is not None and found.id == "geld"


def test_the_glossary_answers_the_first_clause_it_covers() -> None:
    meldcode = Entry("Meldcode", ("meldcode",), "Een stappenplan in vijf stappen. Stap 1: ...", "bron", False)
    own = Entry("Sociaal wijkteam", ("wijkteam",), "Een team in de wijk.", "publicatie", True)
    assert (
        asked_about([meldcode, own], "welke stappen heeft de meldcode ook weer, voor het overleg") is meldcode
    )
    assert asked_about([meldcode, own], "hoe werkt de meldcode in ons team") is None
    assert asked_about([meldcode, own], "welk team is het wijkteam") is None  # the publication's own term


def test_how_long_it_takes_is_read_from_the_field_that_says_so() -> None:
    maatjes = next(s for s in KAART if s.id == "maatjes")
    assert better_attribute([maatjes], "duurt dat lang?", "talen", 0.9)[0] == "wachttijd"  # round 7
    assert "4 weken" in fact(maatjes, "wachttijd", name="Samen Verder", languages={})


def test_a_plural_is_the_same_word_and_a_wijk_with_a_hyphen_is_found(rules_turn: RuleTurn) -> None:
    assert same_word("huisartsen", "huisarts") >= 0.7 and same_word("schulden", "schuld") == 0.8
    assert same_word("thuisverpleging", "thuis") < 0.5
    turn = rules_turn()
    assert asking.wijk_in(turn, "welke huisartsen zitten er in veld noord?") == "Veld-Noord"
    assert asking.wijk_in(turn, "jongerenwerk in Veld-Noord") == "Veld-Noord"
    assert asking.without_wijk("jongerenwerk in veld noord?", "Veld-Noord").split() == [
        "jongerenwerk",
        "in",
        "?",
    ]
