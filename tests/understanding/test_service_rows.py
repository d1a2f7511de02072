"""Labelled kaart rows (knowledge/diensten): strict loading, and the classifiers learned from them."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from bot.kaart.model import Service
from bot.understanding.safety import load_safety
from bot.understanding.service_rows import TRAIN_GLOB, load_service_file, load_services
from bot.understanding.taxonomy import TaxonomyError, load_taxonomy
from tests.kaart.conftest import fast_understander  # noqa: F401 - shared session fixture

KNOWLEDGE = Path(__file__).resolve().parents[2] / "knowledge"
DIENSTEN = KNOWLEDGE / "diensten"
TAXONOMY = load_taxonomy(KNOWLEDGE / "levensgebieden.yaml")
SAFETY = load_safety(KNOWLEDGE / "veiligheid.yaml", TAXONOMY)
KINDS = set(SAFETY.kinds)


def test_every_labelled_file_loads_strictly() -> None:
    files = sorted(DIENSTEN.glob("*.yaml"))
    assert len(files) >= 3  # two train files and the held-out one
    for path in files:
        rows = load_service_file(path, TAXONOMY, KINDS)
        assert rows and all(r.kind in KINDS | {"geen"} for r in rows)
    train = load_services(DIENSTEN, TAXONOMY, KINDS, pattern=TRAIN_GLOB)
    assert {r.kind for r in train} == KINDS | {"geen"}  # every kind has examples to learn from
    assert not any(r.writer.startswith("heldout") for r in train)


@pytest.mark.parametrize(("field", "value", "message"), [
    ("soort", "brandweer", "soort 'brandweer' is onbekend"),
    ("levensgebieden", ["financien", "ruimtevaart"], "onbekend levensgebied 'ruimtevaart'"),
    ("naam", "", "'naam' ontbreekt"),
])  # fmt: skip
def test_unknown_kind_or_domain_fails(tmp_path: Path, field: str, value: object, message: str) -> None:
    import yaml

    row = {"naam": "Loket", "organisatie": "Gemeente", "omschrijving": "Hulp.", "soort": "geen",
           "levensgebieden": ["financien"], field: value}  # fmt: skip
    path = tmp_path / "train_x.yaml"
    path.write_text(yaml.safe_dump({"diensten": [row]}, allow_unicode=True), encoding="utf-8")
    with pytest.raises(TaxonomyError, match=message):
        load_service_file(path, TAXONOMY, KINDS)


def _row(
    name: str, description: str, *, phone: str = "", crisis: bool = False, org: str = "Stichting"
) -> Service:
    return Service(id=name, organization=org, name=name, description=description, phone=phone, crisis=crisis)


def test_learned_kinds_on_rows_written_here() -> None:
    """Rows written for this test (not in the training files): safety partners and their look-alikes."""
    found = SAFETY.kinds_of_services([
        _row("Huisartsenpraktijk De Linde", "Gewone huisarts overdag, spreekuur op afspraak."),
        _row("Spoedpost huisartsen 's avonds en in het weekend", "Buiten kantoortijd voor dringende zorg."),
        _row("Schuldhulp", "Crisisinterventie bij beslag of afsluiting van energie.", org="Gemeente"),
        _row("Meldpunt huiselijk geweld en kindermishandeling", "Advies en melding bij geweld thuis.",
             phone="0800-2000"),
        _row("Slachtofferhulp", "Steun na een misdrijf of verkeersongeval."),
    ])  # fmt: skip
    assert found[0] == set() and found[2] == set() and found[4] == set()
    assert found[1] == {"huisartsenpost"}
    assert found[3] == {"veilig_thuis"}


def test_national_number_is_a_hard_rule_and_model_is_deterministic() -> None:
    plain = _row("Loket", "Vragen over geld.", org="Gemeente")
    assert "lijn_113" in SAFETY.kinds_of_service(replace(plain, phone="0800-0113"))
    other = load_safety(KNOWLEDGE / "veiligheid.yaml", TAXONOMY)
    services = [r.service for r in load_services(DIENSTEN, TAXONOMY, KINDS)[:40]]
    assert other.learned is not None and SAFETY.learned is not None
    a = other.learned.kinds.probabilities(services)  # type: ignore[union-attr]
    b = SAFETY.learned.kinds.probabilities(services)  # type: ignore[union-attr]
    assert a == b


def test_service_domains_model_reads_a_plain_row() -> None:
    assert SAFETY.learned is not None and SAFETY.learned.domains is not None
    model = SAFETY.learned.domains
    p = model.probabilities([_row("Voedselbank", "Voedselpakket voor gezinnen met een laag inkomen.")])[0]
    assert model.domain_ids[int(p.argmax())] == "financien"


def test_import_stores_learned_domains_and_keeps_the_kaart_column(fast_understander, monkeypatch) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """Rows written here: with a blend set, the stored levensgebieden come from the model learned on kaart rows,
    blended with the situation model; a row with its own column keeps it; confidence is the blend's, the soft
    profile the situation model's."""
    from bot.understanding import service_domains
    from bot.understanding.service_domains import guess_domains, with_domains
    from bot.understanding.service_models import DomainSettings

    settings = DomainSettings(blend=0.85, threshold=0.3, rank_with_blend=False)
    monkeypatch.setattr(service_domains, "DomainSettings", lambda: settings)
    monkeypatch.setattr(fast_understander.safety.learned, "domain_settings", None)
    monkeypatch.setattr(fast_understander.safety.learned.domains, "settings", settings)

    rows = [
        _row("Voedselbank De Schakel", "Voedselpakket voor gezinnen met een laag inkomen, op verwijzing."),
        _row("Taalcafé", "Oefenen met Nederlands praten voor nieuwkomers, elke woensdag."),
        replace(_row("Buurthuis", "Activiteiten in de wijk."), levensgebieden=("tijdsbesteding",)),
    ]
    guesses = guess_domains(rows, fast_understander)
    stored = with_domains(rows, guesses)
    assert stored[0].levensgebieden[0] == "financien" and stored[0].domains_source == "voorspeld"
    assert stored[1].levensgebieden[0] == "taal_nieuwkomers"
    assert stored[2].levensgebieden == ("tijdsbesteding",)
    assert guesses[0].chosen_by is not None
    assert 0.0 < stored[0].domains_confidence == round(guesses[0].confidence, 3)


def test_default_ranks_with_the_blend(fast_understander) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """The default (chosen by bench/rank_cv.py): stored domains and soft membership both come from the blend of
    the kaart-row model and the situation model, so the probabilities are not the situation model's own."""
    from bot.understanding.service_domains import guess_domains, service_text
    from bot.understanding.service_models import DomainSettings

    settings = DomainSettings()
    rows = [
        _row("Voedselbank De Schakel", "Voedselpakket voor gezinnen met een laag inkomen, op verwijzing.")
    ]
    guess = guess_domains(rows, fast_understander)[0]
    reading = fast_understander.understand_many([service_text(rows[0])])[0]
    learned = fast_understander.safety.learned.domains.probabilities(rows)[0]
    ids = fast_understander.safety.learned.domains.domain_ids
    expected = {
        d: settings.blend * learned[j] + (1 - settings.blend) * reading.probabilities[d]
        for j, d in enumerate(ids)
    }
    assert guess.chosen_by is None
    assert guess.probabilities == pytest.approx(expected)
    assert guess.domains and guess.domains[0] == "financien"
    assert all(guess.probabilities[d] >= settings.threshold for d in guess.domains)
