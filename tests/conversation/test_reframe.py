"""Follow-ups on a publication answer keep the frame of the last question and swap the partner."""

from __future__ import annotations

import pytest

from bot.conversation.reframe import reframe


@pytest.mark.parametrize(
    ("previous", "text", "expected"),
    [
        ("hoe komen we op één lijn met het onderwijs?", "en met de politie?", "hoe komen we op één lijn met de politie?"),
        ("hoe werk ik samen met de wijkagent?", "en met school?", "hoe werk ik samen met school?"),
        ("ik heb geen tijd om met huisartsen te overleggen, tips?", "en met de ggz?",
         "ik heb geen tijd om met de ggz te overleggen, tips?"),
        ("hoe komen we op één lijn met het onderwijs", "en bij de huisarts?", "hoe komen we op één lijn met de huisarts?"),
        ("hoe maak ik afspraken over terugkoppeling?", "en de ggz?", "hoe maak ik afspraken over terugkoppeling met de ggz?"),
    ],
)  # fmt: skip
def test_the_new_partner_takes_the_old_ones_place(previous: str, text: str, expected: str) -> None:
    result = reframe(previous, text)
    assert result is not None and result.question == expected


@pytest.mark.parametrize("text", ["en als de huisarts niet terugbelt?", "ok", "wat is een beschikking?"])
def test_other_messages_are_no_partner_swap(text: str) -> None:
    assert reframe("hoe werk ik samen met de wijkagent?", text) is None


def test_whether_the_answer_names_the_new_partner() -> None:
    result = reframe("hoe werk ik samen met de wijkagent?", "en met school?")
    assert result is not None
    assert result.mentioned_in("Voor veel scholen vervulde het schoolmaatschappelijk werk ...")
    assert not result.mentioned_in("Zorg voor een vaste contactpersoon.")


def test_without_met_or_bij_the_kaart_partner_word_is_swapped() -> None:
    from bot.retrieval.lexical import dutch_tokens

    partners = frozenset(dutch_tokens("huisarts wijkverpleging"))
    result = reframe(
        "hoe krijg ik de huisarts mee in de samenwerking?", "en met de wijkagent?", partners=partners
    )
    assert result is not None
    assert result.question == "hoe krijg ik de wijkagent mee in de samenwerking?"
