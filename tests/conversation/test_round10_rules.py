"""Round-10 rules without a trained model: 'die van X' whose only fit on the list is weak (a word in a
description) means the kaart's partner whose own themes name X; 'en dat buurthuis, ...' points back at the
partner of this conversation whose theme the word is, not at the partner in focus."""

from __future__ import annotations

from bot.config import PROJECT_ROOT
from bot.conversation import asking
from bot.kaart.model import Service
from tests.conversation.helpers import ListKaart, RuleTurn, filler

KAART = [
    Service(id="werk", name="Werkplein", organization="Gemeente", description="Bijstand en uitkering aanvragen.",
            themes=("uitkering", "bijstand")),
    Service(id="recht", name="Rechtswinkel", organization="Stichting",
            description="Gratis advies over ontslag, huur, schulden en uitkeringen.", themes=("juridisch advies",)),
    Service(id="schuld", name="Geldzaken", organization="Gemeente", description="Hulp bij geldzorgen.",
            themes=("schulden", "budgetbeheer")),
    Service(id="trefpunt", name="Het Trefpunt", organization="Welzijn", description="Koffie en samen eten.",
            themes=("buurthuis", "ontmoeting"), schedule="ma-vr 9-16, za 10-13"),
    Service(id="maatje", name="Vrienden in de Buurt", organization="Welzijn",
            description="Een vrijwilliger komt op bezoek.", themes=("maatje", "eenzaamheid"),
            schedule="aanmelden ma-do"),
]  # fmt: skip
KAART += filler(["taal", "sport", "vervoer", "dementie", "rouw", "opvoeden"], organization="Zorg")
_KAART = ListKaart(KAART, name="round10", wijken=["Oost"])


def test_die_van_x_off_the_list_when_the_lists_fit_is_weak(rules_turn: RuleTurn) -> None:
    turn = rules_turn(shown=("werk", "recht"))
    # 'schulden' is only a word in the Rechtswinkel's description; Geldzaken has it as its own theme
    assert asking.by_subject(turn, "en die van de schulden, hoe lang duurt dat?").id == "schuld"
    assert (
        asking.by_subject(turn, "die van de uitkering, wat kost dat?").id == "werk"
    )  # a strong fit on the list
    listed = rules_turn(shown=("werk", "schuld"))
    assert asking.by_subject(listed, "die van de schulden, wat kost dat?").id == "schuld"


def test_dat_buurthuis_points_back_past_the_focus(rules_turn: RuleTurn) -> None:
    turn = rules_turn(shown=("maatje",), recent=("trefpunt", "maatje"))
    turn.ctx.focus_id = "maatje"
    found = asking.resolve(turn, "en dat buurthuis, is dat in het weekend open?", any_of_kind=True)
    assert found is not None and found.id == "trefpunt"
    assert asking.resolve(turn, "is dat in het weekend open?").id == "maatje"  # no word that points elsewhere
    # 'buurthuis' shares 'buurt' with the name 'Vrienden in de Buurt', but is a theme word of the Trefpunt
    found = asking.resolve(turn, "en dat buurthuis, wat kost dat?", any_of_kind=True)
    assert found is not None and found.id == "trefpunt"


AREA_KAART = [
    Service(id="molen", name="Buurthuis De Molen", organization="Welzijn", description="Koffie en eten.",
            themes=("ontmoeting", "activiteiten"), service_areas=("West",)),
    Service(id="kogge", name="Wijkcentrum De Kogge", organization="Welzijn", description="Inloop en koffie.",
            themes=("ontmoeting", "activiteiten"), service_areas=("Oost",)),
    Service(id="bemiddel", name="Buurtbemiddeling", organization="Welzijn", description="Bij burenruzie.",
            themes=("burenruzie",), contact_name="Marco Dekker", contact_title="coördinator"),
]  # fmt: skip
_AREA = ListKaart([*AREA_KAART, *KAART[5:]], name="round10-area", wijken=["West", "Oost"])


def test_the_nearest_of_that_kind_in_the_users_wijk(rules_turn: RuleTurn) -> None:
    turn = rules_turn(kaart=_AREA)
    turn.wijk = lambda: "Oost"
    named = _AREA.get("molen")
    assert asking._nearer(turn, "waar is hier het dichtstbijzijnde buurthuis", named).id == "kogge"  # noqa: SLF001
    assert asking._nearer(turn, "waar zit buurthuis de molen", named).id == "molen"  # noqa: SLF001 - asked by name


def test_a_role_of_the_partner_in_focus(rules_turn: RuleTurn) -> None:
    turn = rules_turn(kaart=_AREA, shown=("bemiddel",))
    turn.ctx.focus_id = "bemiddel"
    assert asking._role_in_focus(turn, "wie is de coördinator").id == "bemiddel"  # noqa: SLF001
    assert asking._role_in_focus(turn, "wie is de wijkagent") is None  # noqa: SLF001


def test_a_question_about_one_clients_status() -> None:
    from bot.conversation.router import CLIENT_STATUS

    for text in (
        "is mevr K al ingeschreven bij de voedselbank?",
        "heeft hij zich al aangemeld bij de schuldhulp?",
    ):
        assert CLIENT_STATUS.search(text), text
    for text in (
        "mijn clt is al aangemeld bij de schuldhulp maar de deurwaarder komt",
        "is de voedselbank open?",
    ):
        assert not CLIENT_STATUS.search(text), text


def test_a_glossary_question_in_english_gets_the_english_explanation() -> None:
    from bot.conversation.glossary import find, in_english, load_glossary
    from bot.retrieval.language import reads_english

    entries = load_glossary(PROJECT_ROOT / "knowledge" / "begrippen.yaml")
    entry = find(entries, "and what does beschikking mean")
    assert entry is not None and reads_english("and what does beschikking mean")
    assert "decision" in in_english(entry) and "Bron:" in in_english(entry)
    assert not reads_english("wat betekent beschikking nou precies")  # Dutch stays Dutch
