"""General weaknesses found blind: person words, negation, nothing fits, missing signal groups, over-escalation.

Wording here is invented and deliberately different from the lexicon and the labelled situation files.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.suggestion.service import PartnerService
from bot.understanding.lexicon import Lexicon, load_lexicon
from tests.kaart.conftest import ROOT, THIRD


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return load_lexicon(ROOT / "knowledge" / "signalen.yaml")


def domains(lexicon: Lexicon, text: str) -> set[str]:
    return {h.domain for h in lexicon.detect(text)}


# The lexicon keeps its own (old) domain names as feature columns; suggestions use knowledge/levensgebieden.yaml.
NEW = {"jeugd": "opvoeden_jeugd", "schulden": "financien", "verslaving": "middelengebruik",
       "meedoen": "maatschappelijke_participatie"}  # fmt: skip


def suggested(service: PartnerService, text: str, kaart: Path = THIRD) -> list[str]:
    """The levensgebieden of the suggestions, with the lexicon's names where one maps onto them."""
    found = [s.domain for s in service.suggest(text, kaart_path=kaart).suggestions]
    return found + [old for old, new in NEW.items() if new in found]


# 1. person words --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "Zijn ouders wonen in Turkije.",
    "De ouders van mevrouw komen op bezoek.",
    "Grootouders en ouders helpen mee.",
])  # fmt: skip
def test_parents_are_not_the_elderly(lexicon: Lexicon, text: str) -> None:
    assert "ouderen" not in domains(lexicon, text)


def test_elderly_words_still_work(lexicon: Lexicon) -> None:
    assert "ouderen" in domains(lexicon, "Een oudere dame zoekt hulp.")
    assert "ouderen" in domains(lexicon, "Er zijn weinig activiteiten voor ouderen in de wijk.")


@pytest.mark.parametrize(("text", "absent"), [
    ("Meneer zoekt werk; zijn ouders wonen nog in Marokko.", {"jeugd", "ouderen"}),
    ("Hij wil zijn vrouw en dochter laten overkomen via gezinshereniging.", {"jeugd"}),
    pytest.param("Haar kinderen wonen allemaal in het buitenland en ze heeft weinig aanspraak.", {"jeugd"},
                 marks=pytest.mark.xfail(reason="learned model: adult children still read as opvoeden", strict=False)),
    pytest.param("Mevrouw heeft twee volwassen kinderen en wil graag vrijwilligerswerk doen.", {"jeugd"},
                 marks=pytest.mark.xfail(reason="round 5, writer k in training: adult children read as opvoeden "
                                         "(levensgebieden model, not the safety head)", strict=False)),
    pytest.param("Zijn zoon van 40 doet de boodschappen; meneer wil een taalcursus volgen.", {"jeugd"},
                 marks=pytest.mark.xfail(reason="round 6, writers m and n in training: P(opvoeden_jeugd) 0.07-0.09 "
                                         "for an adult son, above fill_threshold 0.05 (at domain C 10 as at C 4)",
                                         strict=False)),
])  # fmt: skip
def test_person_words_alone_do_not_create_a_domain(real_service: PartnerService, text: str,
                                                    absent: set[str]) -> None:  # fmt: skip
    assert not absent & set(suggested(real_service, text))


def test_person_word_with_a_real_signal_still_counts(real_service: PartnerService) -> None:
    assert "jeugd" in suggested(
        real_service, "Dochter van 15 luistert niet meer en de ouders hebben geen grip."
    )


# 2. negation ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "domain"), [
    ("Geld is geen probleem, maar ze is erg somber.", "schulden"),
    ("Er zijn geen schulden en geen geldzorgen; hij voelt zich eenzaam.", "schulden"),
    ("Financieel gaat het goed. Hij is wel erg eenzaam.", "schulden"),
    ("Hij drinkt niet en gebruikt geen drugs, maar slaapt slecht door stress.", "verslaving"),
])  # fmt: skip
def test_negated_problem_does_not_trigger(lexicon: Lexicon, real_service: PartnerService, text: str,
                                          domain: str) -> None:  # fmt: skip
    assert domain not in domains(lexicon, text)
    assert domain not in suggested(real_service, text)


def test_negation_is_local(lexicon: Lexicon, real_service: PartnerService) -> None:
    assert "verslaving" in domains(lexicon, "Hij drinkt niet meer, maar zijn vrouw drinkt elke avond wijn.")
    assert "schulden" in domains(lexicon, "Geen werk, wel een deurwaarder aan de deur.")
    assert real_service.suggest("Er zijn geen schulden.", kaart_path=THIRD).nothing_fits


def test_missing_help_is_still_a_need(lexicon: Lexicon) -> None:
    assert "gezondheid" in domains(lexicon, "Meneer heeft geen huisarts.")
    assert "werk_inkomen" in domains(lexicon, "Ze heeft geen uitkering en geen werk.")
    assert "verslaving" in domains(lexicon, "Hij drinkt elke avond een fles wijn.")


# 3. nothing fits --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "Waar kan ik een oude bank en andere grofvuil kwijt?",
    # Open point: the learned model has only 18 out-of-scope examples (signalen.yaml: buiten_bereik) to learn
    # 'nothing fits' from; these three still get a partner.
    pytest.param("Ze zoekt een goede orthodontist voor haar dochter van 13, geld is geen probleem.",
                 marks=pytest.mark.xfail(reason="too few out-of-scope examples", strict=False)),
    pytest.param("Hoe lang duurt het om een parkeervergunning te krijgen?",
                 marks=pytest.mark.xfail(reason="too few out-of-scope examples", strict=False)),
    pytest.param("Welke bus gaat er naar het station?",
                 marks=pytest.mark.xfail(reason="too few out-of-scope examples", strict=False)),
])  # fmt: skip
def test_unrelated_questions_fit_nothing(real_service: PartnerService, text: str) -> None:
    result = real_service.suggest(text, kaart_path=THIRD)
    assert result.nothing_fits and not result.suggestions, [s.service.id for s in result.suggestions]
    assert result.general


# 4. missing signal groups -----------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "Hij is op staande voet ontslagen.",
    "Haar baas heeft het salaris van twee maanden niet uitbetaald.",
    "Ze heeft onenigheid met haar werkgever over haar contract.",
    "Meneer wil in beroep gaan tegen de beslissing.",
    "Er ligt een dagvaarding van de woningcorporatie.",
    "De rechter heeft de ontruiming van de woning toegestaan.",
])  # fmt: skip
def test_legal_trouble_points_to_juridisch(lexicon: Lexicon, text: str) -> None:
    assert "juridisch" in domains(lexicon, text)


@pytest.mark.parametrize("text", [
    "Moeder leeft van de bijstand en haar zoontje kan niet mee op zwemles.",
    "De kinderen kunnen niet op voetbal omdat er geen geld is.",
    "Er is geen geld voor een laptop en schoolspullen voor de kinderen.",
    "Het meisje kan niet mee op schoolkamp, de ouders kunnen het niet betalen.",
])  # fmt: skip
def test_children_missing_out_for_money(lexicon: Lexicon, text: str) -> None:
    assert "schulden" in domains(lexicon, text)


@pytest.mark.parametrize("theme", ["minimaregeling", "kindregeling", "Stichting Leergeld", "meedoenpas",
                                   "kindpakket", "Jeugdfonds Sport & Cultuur"])  # fmt: skip
def test_child_poverty_services_are_recognised(lexicon: Lexicon, theme: str) -> None:
    assert {"schulden", "meedoen"} & domains_of_theme(lexicon, theme)


def domains_of_theme(lexicon: Lexicon, theme: str) -> set[str]:
    return {h.domain for h in lexicon.detect(theme, themes=True)}


@pytest.mark.parametrize("text", [
    "Vader spreekt amper NL.",
    "Moeder praat nauwelijks Nederlands en heeft bij gesprekken een tolk nodig.",
    "Hij kan niet lezen of schrijven.",
    "Ze snapt de brieven van de gemeente niet.",
])  # fmt: skip
def test_language_signals(lexicon: Lexicon, text: str) -> None:
    assert "taal" in domains(lexicon, text)


@pytest.mark.xfail(
    reason="learned model: a filled third levensgebied (geestelijke gezondheid) brings the memory "
    "service; open point",
    strict=False,
)
def test_lonely_older_person_after_a_fall(real_service: PartnerService) -> None:
    text = "Meneer van 81 gaat sinds zijn val niet meer de deur uit en zit de hele dag alleen."
    result = real_service.suggest(text, kaart_path=THIRD)
    picked = {s.domain: s.service.id for s in result.suggestions}
    assert {"sociaal_netwerk", "maatschappelijke_participatie"} & set(picked)
    assert "vh-geheugen" not in picked.values()  # no memory problems named: not the dementia casemanager


# 5. over-escalation -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "Meneer heeft schizofrenie, slaat soms zijn medicatie over, het huis is rommelig en hij eet slecht.",
    "Mevrouw met een bipolaire stoornis neemt haar medicijnen niet altijd en verwaarloost zichzelf.",
    "Hij heeft een psychiatrische achtergrond, vergeet af en toe zijn pillen en de woning is vervuild.",
])  # fmt: skip
def test_chronic_psychiatric_self_neglect_is_not_acute(real_service: PartnerService, text: str) -> None:
    result = real_service.suggest(text, kaart_path=THIRD)
    assert result.safety is None or result.safety.level != "acute"
    assert result.suggestions and result.suggestions[0].service.id != "vh-113"


@pytest.mark.parametrize("text", [
    "Hij is gestopt met zijn medicatie en dreigt de buren met een mes.",
    "Ze slikt haar pillen niet meer, hoort stemmen die zeggen dat ze zich iets moet aandoen.",
    "Sinds hij zijn medicatie niet meer neemt eet en drinkt hij helemaal niets meer.",
])  # fmt: skip
def test_medication_stop_with_danger_stays_acute(real_service: PartnerService, text: str) -> None:
    """The learned model reads these as 'zorg' (psychose) more often than 'acuut'; either way the safety line
    comes first with the crisis service, which is what must never be missed."""
    result = real_service.suggest(text, kaart_path=THIRD)
    assert result.safety is not None and "112" in result.safety.message
    assert result.suggestions[0].service.crisis
