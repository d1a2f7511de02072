"""The signal lexicon (now a feature source for the learned models): abbreviations, inflections, compounds, word
order, false friends, signal families."""

from __future__ import annotations

import pytest

from bot.understanding.lexicon import Lexicon, load_lexicon
from bot.understanding.matcher import PhraseMatcher
from bot.understanding.normalize import Normalizer
from tests.kaart.conftest import ROOT


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return load_lexicon(ROOT / "knowledge" / "signalen.yaml")


def domains(lexicon: Lexicon, text: str) -> set[str]:
    return {h.domain for h in lexicon.detect(text)}


def test_abbreviations_are_written_out(lexicon: Lexicon) -> None:
    assert lexicon.normalizer.expand("Mw kan nt lezen, dhr zit 3 mnd thuis") == (
        "mevrouw kan niet lezen, meneer zit 3 maanden thuis"
    )
    assert "schuldhulp" in lexicon.normalizer.expand("sch.hulp aangevraagd")


def test_matcher_handles_inflection_gaps_and_order() -> None:
    normalizer = Normalizer(lemmas={"schrikken": "schrikken", "schrok": "schrikken"})
    matcher = PhraseMatcher([(0, "baan kwijt"), (1, "schrikken"), (2, "*schuld")], normalizer)

    def found(text: str) -> set[int]:
        return {h.signal for h in matcher.find(normalizer.tokens(normalizer.expand(text)))}

    assert found("hij is zijn baan bij de fabriek kwijt") == {0}  # words in between
    assert found("kwijt: zijn baan") == {0}  # two-word phrase in the other order
    assert found("het kind schrok") == {1}  # irregular past tense via the lemma table
    assert found("een flinke huurschuld") == {2}  # compound head
    assert found("de baan is er nog, sleutels kwijt") == set()  # more than three words apart
    assert found("onschuldige vraag over banen") == set()


def test_compound_heads_must_end_the_word(lexicon: Lexicon) -> None:
    assert "ouderen" not in domains(lexicon, "Een statushouder zoekt werk.")
    assert "schulden" in domains(lexicon, "De energierekening is al maanden niet betaald.")


def test_false_friends_and_neutral_phrases_are_ignored(lexicon: Lexicon) -> None:
    assert "veiligheid" not in domains(lexicon, "Het was een geweldig feest.")
    assert "verslaving" not in domains(lexicon, "Hij wil graag ergens koffie drinken met anderen.")
    assert "verslaving" in domains(lexicon, "Hij drinkt elke dag te veel.")


@pytest.mark.parametrize(("text", "domain"), [
    ("zoontje heeft brandwondjes op zijn hand", "veiligheid"),
    ("het meisje schrok toen haar vader binnenkwam", "veiligheid"),
    ("hij denkt dat de buren hem vergiftigen", "crisis"),
    ("de baby ligt in een vuile luier, moeder is onder invloed", "veiligheid"),
])  # fmt: skip
def test_signal_families_give_acute_level(lexicon: Lexicon, text: str, domain: str) -> None:
    levels = {h.level for h in lexicon.detect(text) if h.domain == domain}
    assert "acute" in levels


def test_safety_message_always_names_real_numbers() -> None:
    from bot.config import PROJECT_ROOT
    from bot.understanding.safety import load_safety
    from bot.understanding.taxonomy import load_taxonomy

    knowledge = PROJECT_ROOT / "knowledge"
    data = load_safety(knowledge / "veiligheid.yaml", load_taxonomy(knowledge / "levensgebieden.yaml"))
    message = data.message("acuut", "suicide")
    assert (
        message.startswith("Bij direct gevaar: bel 112.") and "0800-0113" in message
    )  # from landelijke_lijnen
    assert "0800-2000" in data.message("zorg", "huiselijk_geweld")
    assert "{" not in " ".join(data.lines.values())


def hits(lexicon: Lexicon, text: str, domain: str) -> list[str]:
    return [h.phrase for h in lexicon.detect(text) if h.domain == domain and h.level == "acute"]


def test_combination_needs_every_group_in_one_sentence(lexicon: Lexicon) -> None:
    assert "kind met letsel" in hits(lexicon, "De peuter heeft een bult op zijn hoofd.", "veiligheid")
    assert not hits(lexicon, "De peuter is vrolijk. Opa heeft een bult op zijn hoofd.", "veiligheid")
    assert not hits(lexicon, "De jongen zoekt een passende plek op school.", "veiligheid")


def test_one_word_does_not_count_for_two_groups(lexicon: Lexicon) -> None:
    assert not hits(lexicon, "Meneer wil een afscheidsfeest voor zijn collega's organiseren.", "crisis")
    assert hits(lexicon, "Meneer heeft zijn testament geregeld en zegt dat hij klaar is.", "crisis")


def test_everyday_explanation_defuses_injury_but_doubt_keeps_it(lexicon: Lexicon) -> None:
    assert not hits(lexicon, "Zoon (10) heeft zijn arm gebroken bij het voetballen.", "veiligheid")
    assert hits(
        lexicon, "Zoon (4) heeft zijn arm gebroken, moeder zegt dat het bij het voetballen was.", "veiligheid"
    )
    assert not hits(lexicon, "De puber slaat met deuren en luistert niet.", "veiligheid")


@pytest.mark.parametrize(("text", "domain"), [
    ("ze appte: het spijt me, ik kan dit niet meer", "crisis"),
    ("hij vraagt hoeveel slaappillen dodelijk zijn", "crisis"),
    ("stiefvader stuurt haar naaktfoto's", "veiligheid"),
    ("haar man beheert al het geld, ze krijgt zakgeld en moet bonnetjes laten zien", "veiligheid"),
    ("kleinzoon neemt oma's pinpas mee en zij durft niets te zeggen", "veiligheid"),
])  # fmt: skip
def test_professional_signal_families(lexicon: Lexicon, text: str, domain: str) -> None:
    assert hits(lexicon, text, domain)


@pytest.mark.parametrize("text", [
    "Hij wil zijn opleiding afmaken.",
    "Mevrouw is doodmoe van de nachtdiensten.",
    "Ze maakt zich zorgen over het einde van haar uitkering.",
    "Hij kan het niet meer aan met de zorg voor zijn vrouw.",
])  # fmt: skip
def test_everyday_wording_is_not_acute(lexicon: Lexicon, text: str) -> None:
    assert not hits(lexicon, text, "crisis") and not hits(lexicon, text, "veiligheid")
