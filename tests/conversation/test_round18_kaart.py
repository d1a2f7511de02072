"""Round 18: look-ups on the kaart inside a conversation. The town is no wijk, a wijk is also named by the one
distinctive word of its name; 'welke buurtteams zijn er allemaal' lists every partner of that kind (with the
village's team of the same organisation); 'wie is de coördinator van <wijk>' is the contact whose title holds the
role; a need inside a talk about a partner ('is daar iets voor?') looks for another partner; 'hoe komt hij daar'
quotes the partner's own transport, else the transport service. Phrasings and the kaart are our own (not from the
development conversation sets)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from bot.conversation import router
from bot.conversation.asking import answer_attribute, list_all, look_up, wijk_in
from bot.conversation.context import Topic
from bot.kaart.model import Service
from tests.conversation.helpers import ListKaart, RuleTurn, filler

_ORG = "Stichting Samen Zeedorp"
_TEAM_THEMES = ("algemene ondersteuning", "maatschappelijk werk", "opvoeden", "geldzaken")


def _team(id_: str, name: str, area: str, contact: str, title: str, *, city: str = "Zeedorp",
          themes: tuple[str, ...] = _TEAM_THEMES) -> Service:  # fmt: skip
    return Service(id=id_, organization=_ORG, name=name, description=f"Het team voor {area}.", themes=themes,
                   service_areas=(area,), city=city, contact_name=contact, contact_title=title,
                   phone="0123-400000")  # fmt: skip


_KAART = ListKaart(
    [
        _team("bt-haven", "Buurtteam Havenwijk-Noord", "Havenwijk-Noord", "Anna Smit", "teamcoördinator"),
        _team("bt-kogge", "Buurtteam De Kogge-Zuid", "De Kogge-Zuid", "Bram Bos", "teamleider"),
        _team("bt-duin", "Buurtteam Duinrand", "Duinrand", "Cor Dekker", "teamcoördinator"),
        # a village's own team: the village is its area and its city (no 'buurtteam' in the name)
        _team(
            "dt-bosdorp",
            "Dorpsteam Bosdorp",
            "Bosdorp",
            "Dirk Hoekman",
            "dorpsteamcoach",
            city="Bosdorp",
            themes=("algemene ondersteuning", "maatschappelijk werk", "ouderen", "opvoeden"),
        ),
        Service(
            id="huisarts-haven",
            organization="Huisartsenpraktijk Havenwijk",
            name="Huisartsenpraktijk Havenwijk",
            description="Huisartsen voor Havenwijk-Noord.",
            themes=("huisarts",),
            city="Zeedorp",
            service_areas=("Havenwijk-Noord",),
            contact_name="Eva Lam",
            contact_title="huisarts",
            phone="0123-400100",
        ),
        Service(
            id="huisarts-bos",
            organization="Dorpspraktijk Bosdorp",
            name="Huisarts Bosdorp",
            description="De huisarts van het dorp.",
            themes=("huisarts",),
            city="Bosdorp",
            service_areas=("Bosdorp",),
            phone="0123-400200",
        ),
        Service(
            id="schoolmw",
            organization=_ORG,
            name="Schoolmaatschappelijk werk Zeedorp",
            description="Op alle basisscholen.",
            themes=("onderwijs", "jeugd"),
            city="Zeedorp",
            service_areas=("Zeedorp",),
            contact_name="Fien Kuiper",
            contact_title="schoolmaatschappelijk werker",
        ),
        Service(
            id="schuldhulp",
            organization="Gemeente Zeedorp",
            name="Geldzaken (schuldhulp)",
            description="Hulp bij schulden.",
            themes=("schulden",),
            city="Zeedorp",
            fees_description="Gratis",
            schedule="ma-vr 9-17 uur",
        ),
        Service(
            id="kindfonds",
            organization="Stichting Kindfonds Zeedorp",
            name="Kindfonds",
            description="Voor kinderen uit gezinnen met een laag inkomen: fiets, laptop, schoolspullen.",
            themes=("armoede", "kinderen", "sport"),
            city="Zeedorp",
        ),
        Service(
            id="dagbesteding",
            organization="Zorgboerderij De Hoeve",
            name="Dagbesteding De Hoeve",
            description="Dagbesteding op de boerderij voor ouderen. Vervoer van huis mogelijk.",
            themes=("dagbesteding", "ouderen"),
            city="Elders",
            service_areas=("Zeedorp",),
        ),
        Service(
            id="buurtvervoer",
            organization="De Zeedorper",
            name="De Zeedorper (vrijwillig vervoer)",
            description="Vrijwilligers rijden ouderen naar de huisarts en het ziekenhuis.",
            themes=("vervoer", "ouderen", "mobiliteit"),
            city="Zeedorp",
            phone="0123-400300",
        ),
        Service(
            id="crisis",
            organization="GGZ Zee",
            name="Acute GGZ (crisisdienst)",
            description="Bij een psychische crisis, dag en nacht, ook overdag.",
            themes=("crisis",),
            city="Zeedorp",
            crisis=True,
        ),
        *filler(["wonen", "werk", "taal", "eenzaamheid", "opvoeding", "rouw"]),
    ],
    name="zeedorp18",
    # 'Zeedorp' is on the list because the dagbesteding, from elsewhere, gives the town as its area
    wijken=["Bosdorp", "De Kogge-Zuid", "Duinrand", "Havenwijk-Noord", "Zeedorp"],
)


def _turn(
    rules_turn: RuleTurn, *, wijk: str | None = None, focus: str | None = None
) -> tuple[Any, list[str]]:
    turn = rules_turn(recent=(focus,) if focus else ())
    said: list[str] = []
    turn.say = lambda text, buttons=None: said.append(text)
    turn.shown = lambda ids: None
    turn.wijk = lambda: wijk
    turn.now = lambda: datetime(2026, 12, 2, 10, 0, tzinfo=UTC)
    turn.safe_text = lambda text: text
    if focus:
        turn.ctx.focus_id = focus
        turn.ctx.topic = Topic(kind="partners")
    return turn, said


def test_the_town_is_no_wijk_and_a_wijk_has_a_distinctive_word(rules_turn: RuleTurn) -> None:
    turn, _ = _turn(rules_turn)
    assert wijk_in(turn, "welke buurtteams heeft Zeedorp eigenlijk allemaal?") is None
    assert wijk_in(turn, "wie is de huisarts in havenwijk die ik kan bellen?") == "Havenwijk-Noord"
    assert wijk_in(turn, "en in de kogge?") == "De Kogge-Zuid"
    assert wijk_in(turn, "iets in het noorden of zuid?") is None  # compass points name no wijk alone


def test_every_buurtteam_with_the_village_team_of_the_same_organisation(rules_turn: RuleTurn) -> None:
    turn, said = _turn(rules_turn, wijk="Duinrand")  # not only the user's own team
    look_up(turn, "welke buurtteams heeft Zeedorp eigenlijk allemaal?")
    assert turn.ctx.shown_ids == ["bt-haven", "bt-kogge", "bt-duin", "dt-bosdorp"]
    assert "Dorpsteam Bosdorp" in said[0] and len(said[0].splitlines()) == 5  # a head and one line each
    turn, said = _turn(rules_turn)
    assert not list_all(turn, "welke buurtteam helpt bij schulden?")  # asks for one, not for all


def test_all_of_a_kind_by_theme_and_in_a_named_wijk(rules_turn: RuleTurn) -> None:
    turn, said = _turn(rules_turn)
    assert list_all(turn, "en huisartsen, welke zijn er allemaal")
    assert set(turn.ctx.shown_ids) == {"huisarts-haven", "huisarts-bos"}
    turn, said = _turn(rules_turn)
    assert list_all(turn, "welke huisartsen zijn er in bosdorp")
    assert turn.ctx.focus_id == "huisarts-bos"  # the one there, at a glance


def test_the_role_holder_of_a_named_wijk(rules_turn: RuleTurn) -> None:
    turn, said = _turn(rules_turn)
    look_up(turn, "wie is de coördinator van havenwijk-noord?")
    assert turn.ctx.focus_id == "bt-haven" and "Anna Smit" in said[-1]
    turn, said = _turn(rules_turn)
    answer_attribute(turn, "Who is the contact person of our team in Bosdorp?", "contactpersoon")
    assert turn.ctx.focus_id == "dt-bosdorp" and "Dirk Hoekman" in said[-1]


def test_a_town_wide_partner_asked_for_here_is_not_swapped_for_the_local_team(rules_turn: RuleTurn) -> None:
    turn, said = _turn(rules_turn, wijk="Bosdorp")
    look_up(turn, "wie is hier de schoolmaatschappelijk werker?")
    assert turn.ctx.focus_id == "schoolmw" and "Fien Kuiper" in said[-1]


def test_a_need_after_a_partner_looks_for_another_partner(rules_turn: RuleTurn) -> None:
    turn, said = _turn(rules_turn, focus="schuldhulp")
    assert router._new_need(turn, "de oudste heeft een laptop nodig voor school, kan dat ergens")  # noqa: SLF001
    router._find_for_need(turn, "de oudste heeft een laptop nodig voor school, kan dat ergens")  # noqa: SLF001
    assert turn.ctx.focus_id == "kindfonds"
    turn, _ = _turn(rules_turn, focus="schuldhulp")
    assert not router._new_need(turn, "is daar iets voor?")  # noqa: SLF001 - no need of its own
    assert not router._new_need(turn, "kost dat iets?")  # noqa: SLF001 - a fact of the focus
    assert not router._new_need(turn, "is er iets met schulden?")  # noqa: SLF001 - the focus holds it
    assert not router._new_need(turn, "hebben ze iets voor kinderen zonder laptop?")  # noqa: SLF001 - its offer
    turn, _ = _turn(rules_turn)  # nothing before it: no talk about partners to continue
    assert not router._new_need(turn, "is er iets voor kinderen zonder laptop?")  # noqa: SLF001


def test_a_need_never_finds_a_crisis_service_by_a_loose_word(rules_turn: RuleTurn) -> None:
    turn, _ = _turn(rules_turn, focus="schuldhulp")
    suggested: list[str] = []
    original = router.partners.suggest
    router.partners.suggest = lambda turn, text, **kw: suggested.append(text)  # the ranking's own job
    try:
        router._find_for_need(turn, "hij zit de hele dag alleen. iets voor overdag?")  # noqa: SLF001
    finally:
        router.partners.suggest = original
    assert suggested and turn.ctx.focus_id == "schuldhulp"


def test_how_they_get_there(rules_turn: RuleTurn) -> None:
    turn, said = _turn(rules_turn, focus="dagbesteding")
    assert router.TRAVEL.search("hoe komt ie daar?")
    assert router._travel(turn, "hoe komt ie daar?")  # noqa: SLF001
    assert "Vervoer van huis mogelijk" in said[-1]
    turn, said = _turn(rules_turn, focus="huisarts-haven")
    assert router.TRAVEL.search("hoe komt hij bij de huisarts, hij rijdt niet meer")
    assert router._travel(turn, "hoe komt hij bij de huisarts, hij rijdt niet meer")  # noqa: SLF001
    assert turn.ctx.focus_id == "buurtvervoer"
    assert not router.TRAVEL.search("hoe kom ik in contact met de huisarts?")
