"""Round-3 small rules: free-text referrals, the new-colleague welcome, two glossary entries side by side."""

from __future__ import annotations

import pytest

from bot.config import PROJECT_ROOT
from bot.conversation.glossary import find_all, load_glossary, replies
from bot.conversation.referrals import QUESTION_START, REFER_TEXT
from bot.conversation.router import NEW_HERE, SAFETY_WORDS


@pytest.mark.parametrize(
    ("text", "target"),
    [
        ("ik verwijs door naar de tweede", "de tweede"),
        ("ik verwijs haar door naar schuldhulp", "schuldhulp"),
        ("Verwijs naar die van de schulden", "die van de schulden"),
    ],
)
def test_referral_in_words_names_its_target(text: str, target: str) -> None:
    match = REFER_TEXT.search(text)
    assert match is not None and match["target"] == target


def test_a_question_about_referring_is_no_referral() -> None:
    assert QUESTION_START.match("hoe verwijs ik door naar de ggz")
    assert REFER_TEXT.search("wie heeft de regie?") is None


@pytest.mark.parametrize(
    ("text", "new"),
    [
        ("hoi, ik ben nieuw in het team, waar kan ik beginnen?", True),
        ("eerste week hier, waar moet ik beginnen", True),
        ("nieuwe collega hier, tips?", True),
        ("cliënt is nieuw in de wijk en kent niemand", False),
        ("ik ben net thuis, moeder belt", False),
    ],
)
def test_a_new_colleague_is_recognised(text: str, new: bool) -> None:
    assert bool(NEW_HERE.search(text)) is new


def test_two_terms_fit_in_one_phone_message() -> None:
    glossary = load_glossary(PROJECT_ROOT / "knowledge" / "begrippen.yaml")
    entries = find_all(glossary, "wat is het verschil tussen de wmo en de wlz?")
    assert [e.term for e in entries][:2] in (["Wmo-melding", "Wlz"], ["Wlz", "Wmo-melding"])
    text = replies(entries, 600)
    assert len(text) <= 600 and "Wlz" in text and "Wmo" in text and text.count("Bron:") == 2


def test_meldcode_has_five_numbered_steps_from_outside_the_publication() -> None:
    glossary = load_glossary(PROJECT_ROOT / "knowledge" / "begrippen.yaml")
    (entry,) = find_all(glossary, "wat zijn de stappen van de meldcode?")
    reply = entry.reply()
    assert all(f"Stap {n}" in reply for n in range(1, 6))
    assert "(Niet uit de publicatie.)" in reply and "rijksoverheid.nl" in reply


def test_safety_words() -> None:
    assert SAFETY_WORDS.search("moet ik dit melden?")
    assert SAFETY_WORDS.search("en als ze niet wil dat ik de politie bel")
    assert not SAFETY_WORDS.search("wat kost het?")
