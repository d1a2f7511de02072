"""Where a safety word stands (bot/understanding/scope.py): negated, told as past, or the danger called not acute.
These are feature columns for the safety heads (the lexicon still counts every safety word); and a forced acute
phrase no longer forces 'acuut' when it is negated. Phrasings written for this test, not copied from a dev set."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from bot.understanding.features import lexicon_columns, lexicon_row
from bot.understanding.lexicon import load_lexicon
from bot.understanding.safety import load_safety
from bot.understanding.scope import SCOPE_COLUMNS, read_scope
from bot.understanding.taxonomy import load_taxonomy

KNOWLEDGE = Path(__file__).resolve().parents[2] / "knowledge"


@pytest.fixture(scope="module")
def lexicon():  # type: ignore[no-untyped-def]
    return load_lexicon(KNOWLEDGE / "signalen.yaml")


NEGATED = [
    "dhr 52 somber sinds ontslag, geen suïcidale gedachten, slaapt slecht",
    "veel ruzie thuis over geld, maar geen geweld volgens beide",
    "vader is streng, maar hij slaat haar niet",
    "client says no suicidal thoughts, just tired of the paperwork",
    "denies any suicidal ideation, wants help with debts",
]
PAST = [
    "mw werd vroeger door haar ex geslagen, woont nu alleen met de kinderen",
    "jaren geleden mishandeld door stiefvader, wil nu praten over hoe ze daar mee omgaat",
    "vorig jaar 1x geduwd door partner, sindsdien rustig",
]
CALM = [
    "meisje 15 eet slecht en valt af, ouders ongerust, niet acuut",
    "dhr met wanen over de buren, geen direct gevaar, wel zorgen bij de zus",
    "mum worried about her son, no immediate danger",
]
PLAIN = [
    "hij slaat haar nu, ik hoor haar gillen",
    "mw 41 wil vanavond een einde aan haar leven maken, heeft pillen gespaard",
    "kind van 6 heeft striemen op de rug en durft niet naar huis",
]


@pytest.mark.parametrize("text", NEGATED)
def test_a_negated_safety_word_is_marked_negated(lexicon, text: str) -> None:  # type: ignore[no-untyped-def]
    scope = read_scope(lexicon, text)
    assert scope.hits >= 1 and scope.negated >= 1, scope


@pytest.mark.parametrize("text", PAST)
def test_danger_told_as_past_is_marked_past(lexicon, text: str) -> None:  # type: ignore[no-untyped-def]
    scope = read_scope(lexicon, text)
    assert scope.hits >= 1 and scope.past >= 1 and scope.negated == 0, scope


@pytest.mark.parametrize("text", CALM)
def test_not_acute_is_marked_calm(lexicon, text: str) -> None:  # type: ignore[no-untyped-def]
    assert read_scope(lexicon, text).calm


@pytest.mark.parametrize("text", PLAIN)
def test_danger_now_is_neither_negated_past_nor_calm(lexicon, text: str) -> None:  # type: ignore[no-untyped-def]
    scope = read_scope(lexicon, text)
    assert scope.hits >= 1 and scope.negated == 0 and scope.past == 0 and not scope.calm, scope


def test_scope_columns_only_when_asked_and_never_in_the_profile(lexicon) -> None:  # type: ignore[no-untyped-def]
    plain, scoped = lexicon_columns(lexicon), lexicon_columns(lexicon, scope=True)
    assert scoped[: len(plain)] == plain and tuple(scoped[len(plain) :]) == SCOPE_COLUMNS
    assert all(c.startswith("level:") for c in SCOPE_COLUMNS)  # ranking.profile_rows zeroes 'level:' columns
    text = NEGATED[0]
    row = lexicon_row(lexicon, text, scoped)
    np.testing.assert_array_equal(row[: len(plain)], lexicon_row(lexicon, text, plain))
    assert row[scoped.index("level:negated")] > 0


def test_a_negated_forced_phrase_does_not_force_acute(lexicon) -> None:  # type: ignore[no-untyped-def]
    safety = load_safety(KNOWLEDGE / "veiligheid.yaml", load_taxonomy(KNOWLEDGE / "levensgebieden.yaml"))
    expand = lexicon.normalizer.expand
    assert safety.forced(expand("dhr zegt dat hij wil er een eind aan maken, heeft alles geregeld"))
    assert safety.forced(expand("mw wil een einde aan haar leven maken"))
    assert safety.forced(expand("mw zegt: ik wil geen einde aan mijn leven maken, ik wil hulp")) is None
    assert safety.forced(expand("hij wil er nooit een eind aan maken zegt hij, maar is erg somber")) is None
    assert safety.forced(expand("partner slaat haar nu niet meer sinds de opname")) is None
