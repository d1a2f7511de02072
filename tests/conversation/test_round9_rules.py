"""Round-9 rules without a trained model: 'een eerste gesprek' names no position in the list; waiting-time
questions in their own words, answered with the sentence that states a wait (not a length of stay); 'die van
de schulden' by its subject, also when the list just shown has no such partner; 'die opvang' points back at
the partner of this conversation whose name ends in the word; the asker's role ('als wijkteam') names no
partner; 'kan ik dat ...' stays with the partner in focus; the plural of a compound's first part."""

from __future__ import annotations

from bot.conversation import asking
from bot.conversation.fields import WAITING, better_attribute
from bot.conversation.kinds import head_of
from bot.conversation.lookup import ordinal, same_word
from bot.conversation.waiting import waiting_time
from bot.kaart.model import Service
from tests.conversation.helpers import ListKaart, RuleTurn, filler

KAART = [
    Service(id="zzp", name="Ondernemersloket", organization="Gemeente",
            description="Voor zelfstandigen met te weinig inkomen. Gesprek met een adviseur.",
            themes=("zzp", "ondernemers", "inkomen"), application_process="Eerst een oriënterend gesprek"),
    Service(id="huur", name="Huurdersconsulent", organization="Woonstichting", description="Bij huurachterstand.",
            themes=("huurachterstand", "wonen")),
    Service(id="geld", name="Geldloket", organization="Gemeente", description="Hulp bij geldzorgen.",
            themes=("schuldhulp", "budgetbeheer"),
            application_process="Zelf bellen. Eerste gesprek binnen 3 weken; bij een deurwaarder binnen 3 werkdagen."),
    Service(id="logeer", name="Logeerhuis De Linde", organization="Zorggroep",
            description="Een paar dagen of een weekend logeren, zodat de mantelzorger op adem komt.",
            themes=("respijtzorg",),
            application_process="Beschikking Wmo nodig. Eerste logeerweekend meestal binnen 2 maanden."),
    Service(id="vrouwen", name="Vrouwenopvang en crisisopvang", organization="Veilig Onderdak",
            description="Opvang bij huiselijk geweld.", themes=("huiselijk geweld",),
            application_process="Via Veilig Thuis of zelf bellen."),
    Service(id="nacht", name="Nachtopvang en maatschappelijke opvang", organization="Dak",
            description="Slaapplek voor daklozen.", themes=("dakloos",),
            application_process="Via de centrale toegang."),
    Service(id="bemoei", name="Bemoeizorg en meldpunt", organization="GGD", description="Gaat erop af.",
            themes=("bemoeizorg", "vervuiling"), application_process="Melding door iedereen."),
    Service(id="vt", name="Veilig Thuis: advies en melding", organization="Veilig Thuis",
            description="Advies en melding.", themes=("huiselijk geweld",)),
]  # fmt: skip
KAART += filler(["taal", "werk", "sport", "vervoer", "zorg", "dementie", "rouw"])
_KAART = ListKaart(KAART, name="round9", wijken=["Oost"])


def _service(service_id: str) -> Service:
    return next(s for s in KAART if s.id == service_id)


def test_a_first_talk_is_no_position_in_the_list() -> None:
    assert ordinal("hoe lang moet hij wachten op een eerste gesprek?", 3) is None
    assert ordinal("wanneer is de eerste afspraak?", 3) is None
    assert ordinal("en de eerste, wat kost die?", 3) == 0  # still a position


def test_waiting_questions_in_their_own_words() -> None:
    for text in (
        "hoe lang moet hij wachten op een eerste gesprek?",
        "hoeveel weken duurt dat",
        "hoe lang is de wachtlijst daar",
    ):
        assert WAITING.search(text), text
    assert better_attribute([_service("geld")], "hoe lang moet ze wachten?", "toegang", 0.9)[0] == "wachttijd"
    assert not WAITING.search("hoe laat gaan ze open?")


def test_the_waiting_sentence_is_a_wait_not_a_length_of_stay() -> None:
    assert "2 maanden" in waiting_time(_service("logeer"))  # not 'een paar dagen ... logeren'
    assert waiting_time(_service("geld")).startswith("Eerste gesprek binnen 3 weken")


def test_the_plural_of_a_compounds_first_part() -> None:
    assert same_word("schulden", "schuldhulp") >= 0.7
    assert same_word("zorgen", "zorgboerderij") == 0.0  # a stem this short says too little
    assert same_word("ouders", "ouderenadviseurs") < 0.5  # the people of a case, no partner


def test_die_van_x_by_its_subject_also_off_the_list(rules_turn: RuleTurn) -> None:
    turn = rules_turn(shown=("zzp", "huur", "ander0"))
    turn.ctx.focus_id = "zzp"
    text = "en die van de schulden, hoe lang moet hij wachten op een eerste gesprek?"
    assert asking.by_subject(turn, text).id == "geld"  # not on the list: the kaart's partner of that kind
    assert asking.resolve(turn, text, any_of_kind=True).id == "geld"  # not the first by 'eerste'
    assert asking.by_subject(turn, "die van de huurachterstand, wat kost dat?").id == "huur"  # on the list
    assert asking.by_subject(turn, "die van net, wat kost dat?") is None


def test_die_opvang_points_back_at_the_partner_of_this_conversation(rules_turn: RuleTurn) -> None:
    turn = rules_turn(shown=("vt",), recent=("vrouwen", "vt"))
    found = asking.resolve(turn, "die opvang, kan moeder zich daar zelf aanmelden?", any_of_kind=True)
    assert found.id == "vrouwen"  # not the Nachtopvang, whose name has the word itself
    fresh = rules_turn(shown=("vt",), recent=("vt",))
    assert asking.resolve(fresh, "de nachtopvang, wanneer open?", any_of_kind=True).id == "nacht"


def test_die_bemoeizorg_is_the_partner_of_the_kaart(rules_turn: RuleTurn) -> None:
    turn = rules_turn(shown=("vt", "huur"))
    assert asking.that_partner(turn, "wat doet die bemoeizorg precies?").id == "bemoei"
    assert asking.that_partner(turn, "wat is een beschikking?") is None


def test_the_askers_role_names_no_partner_and_dat_stays_with_the_focus(rules_turn: RuleTurn) -> None:
    turn = rules_turn(shown=("vt", "huur"), recent=("bemoei",))
    turn.ctx.focus_id = "bemoei"
    subject = " ".join(asking.AS_ROLE.sub(r"\g<who>", "kan ik dat als wijkteam zelf melden?").split())
    assert "wijkteam" not in subject and "ik dat" in subject
    assert asking.resolve(turn, subject, any_of_kind=True).id == "bemoei"  # not 'melden' ~ 'melding'


def test_a_compound_head_and_the_best_fit_for_die_van_x(rules_turn: RuleTurn) -> None:
    assert head_of("opvang", "vrouwenopvang") == 0.6
    assert head_of("zorg", "thuiszorg") == 0.0  # a head this short says too little
    assert same_word("nummer", "alarmnummer") == 0.0  # names are never found by a compound's head
    turn = rules_turn(shown=("huur", "ander0"))
    assert asking.by_subject(turn, "die van de opvang, waar zitten die?").id in ("vrouwen", "nacht")
