"""Safety partners with unusual names on an unknown kaart (rows written for this test, fictional): the kind is read
from name and description; a row the kaart marks as crisis service gets its most likely kind even when the model is
not sure enough for an unmarked row."""

from __future__ import annotations

from bot.kaart.model import Service

ROWS = [
    ("vt", "Veilig Thuis Regio Drenthe", "Advies en melding bij zorgen over geweld in huis, ook anoniem.", False,
     "veilig_thuis"),
    ("pol", "Politie / wijkagent Emmen-Zuid", "De wijkagent kent de buurt; bij gevaar nu komt de politie.", False,
     "politie"),
    ("ggz", "Crisisdienst GGZ", "Spoedhulp bij een psychische crisis, dag en nacht, via huisarts of HAP.", False,
     "crisisdienst"),
    ("hap", "Huisartsenpost Assen", "Als het niet kan wachten tot de eigen huisarts: avond, nacht, weekend.", False,
     "huisartsenpost"),
    ("nacht", "Nachtpost psychische nood", "Bij psychose, ernstige verwardheid of gevaar voor zichzelf, direct hulp "
     "aan huis.", True, "crisisdienst"),
    ("doods", "Praatpaal: lijn bij doodsgedachten", "Anoniem praten als je niet meer wilt leven, dag en nacht.", True,
     "lijn_113"),
]  # fmt: skip


def _services(crisis: bool | None = None) -> list[Service]:
    return [Service(id=i, organization="Stichting " + i, name=name, description=text, phone="0591-123456",
                    crisis=flag if crisis is None else crisis) for i, name, text, flag, _ in ROWS]  # fmt: skip


def test_unusual_safety_partner_names(use_understander) -> None:  # type: ignore[no-untyped-def]
    found = use_understander.safety.kinds_of_services(_services())
    assert {s.id: k for s, k in zip(_services(), found, strict=True)} == {r[0]: {r[4]} for r in ROWS}


def test_an_unmarked_row_needs_a_sure_kind(use_understander) -> None:  # type: ignore[no-untyped-def]
    safety = use_understander.safety
    buurt = Service(id="buurt", organization="Buurtcentrum", name="Buurtcentrum De Kolk", crisis=True,
                    description="Activiteiten, koffie-ochtend en spreekuur voor iedereen.")  # fmt: skip
    assert safety.kinds_of_services([buurt]) == [set()]  # crisis flag, but no kind is likely
    assert safety.kinds_of_service(_services()[0]) == {"veilig_thuis"}
