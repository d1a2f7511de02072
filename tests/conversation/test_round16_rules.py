"""Round 16 rules without a trained model. A role that a partner holds inside its entry ('POH-GGZ' in the themes
or contact title of a huisartsenpraktijk) is what a question about that role is about: it beats a partner whose
name only shares a part of the role ('Basis-ggz') and the partner merely in focus. Phrasings are our own (not
from the development conversation sets)."""

from __future__ import annotations

from bot.conversation.asking import resolve
from bot.kaart.model import Service
from tests.conversation.helpers import ListKaart, RuleTurn, filler

_KAART = ListKaart(
    [
        Service(
            id="basis",
            organization="Praktijk De Brug",
            name="Basis-ggz Praktijk De Brug",
            description="Kortdurende behandeling bij lichte psychische klachten.",
            themes=("ggz", "basis-ggz", "angst"),
            service_areas=("Oostpolder", "Kade"),
        ),
        Service(
            id="post",
            organization="Huisartsenpost Kust",
            name="Huisartsenpost Kust",
            description="Spoedzorg van de huisarts buiten kantoortijd.",
            themes=("huisarts", "spoed"),
        ),
        Service(
            id="gc",
            organization="Gezondheidscentrum De Kade",
            name="Gezondheidscentrum De Kade",
            description="Drie huisartsen en een praktijkondersteuner.",
            themes=("huisarts", "POH-GGZ"),
            contact_name="Ilse Vos",
            contact_title="POH-GGZ",
            service_areas=("Kade",),
        ),
        Service(
            id="oost",
            organization="Huisartsen Oostpolder",
            name="Huisartsen Oostpolder",
            description="Praktijk in de nieuwbouw.",
            themes=("huisarts", "POH-jeugd"),
            contact_name="Bram Dekker",
            contact_title="POH-jeugd en volwassenen",
            service_areas=("Oostpolder",),
        ),
        Service(
            id="crisis",
            organization="GGZ Kust",
            name="GGZ Kust (crisisdienst)",
            description="Crisisdienst ggz, dag en nacht.",
            themes=("ggz", "crisis"),
            crisis=True,
        ),
        *filler(["schulden", "wonen", "werk", "taal", "opvoeding", "eenzaamheid"]),
    ],
    name="rollen",
    wijken=["Oostpolder", "Kade"],
)


def test_a_role_of_a_partner_just_shown_beats_a_partial_name(rules_turn: RuleTurn) -> None:
    turn = rules_turn(shown=("post", "gc", "crisis"))
    found = resolve(turn, "hebben ze daar ook een poh-ggz?", any_of_kind=True)
    assert found is not None and found.id == "gc"
    found = resolve(turn, "werkt er een poh ggz?", any_of_kind=True)
    assert found is not None and found.id == "gc"


def test_the_abbreviation_alone_names_the_role_of_a_partner_in_the_wijk(rules_turn: RuleTurn) -> None:
    turn = rules_turn(shown=("basis",))
    turn.ctx.focus_id = "basis"
    turn.wijk = lambda: "Oostpolder"
    found = resolve(turn, "kan hij zolang bij de poh terecht?", any_of_kind=True)
    assert found is not None and found.id == "oost"


def test_a_partner_that_holds_the_role_itself_stays(rules_turn: RuleTurn) -> None:
    turn = rules_turn(shown=("gc", "oost"))
    turn.ctx.focus_id = "gc"
    found = resolve(turn, "heeft het gezondheidscentrum een poh-ggz?", any_of_kind=True)
    assert found is not None and found.id == "gc"


def test_a_partner_named_outside_the_role_stays(rules_turn: RuleTurn) -> None:
    turn = rules_turn(shown=("post", "gc"))
    found = resolve(turn, "kan de crisisdienst ggz ook met een poh-ggz overleggen?", any_of_kind=True)
    assert found is not None and found.id == "crisis"


def test_without_the_role_nothing_changes(rules_turn: RuleTurn) -> None:
    turn = rules_turn(shown=("post", "gc", "crisis"))
    found = resolve(turn, "en de ggz, is die gratis?", any_of_kind=True)
    assert found is not None and found.id != "gc"


def test_the_role_held_by_the_contact_is_answered_with_that_person() -> None:
    from bot.conversation.asking import contact_holds_role

    practice = _KAART.get("gc")
    assert practice is not None
    assert contact_holds_role(practice, "hebben ze daar ook een poh-ggz?")
    assert contact_holds_role(practice, "kan hij bij de poh terecht?")
    assert not contact_holds_role(practice, "zijn ze morgen open?")
    basis = _KAART.get("basis")
    assert basis is not None and not contact_holds_role(basis, "hebben ze een poh-ggz?")


def test_a_longer_follow_up_on_a_term_gets_the_sentence_about_it() -> None:
    from bot.config import PROJECT_ROOT
    from bot.conversation.glossary import entry_sentence_near, load_glossary

    entry = next(
        e for e in load_glossary(PROJECT_ROOT / "knowledge" / "begrippen.yaml") if e.term == "Beschikking"
    )
    said = entry_sentence_near(entry, "en als meneer het daar echt niet mee eens is, wat dan?")
    assert said is not None and "bezwaar" in said and "Bron:" in said
    assert "schriftelijk besluit" not in said  # only the sentence asked about
    assert entry_sentence_near(entry, "en hoe lang duurt het voordat die binnen is?") is None
    assert entry_sentence_near(entry, "en dan?") is None
