"""Typed button actions: one encode/decode, the 64-byte limit, and malformed data."""

from __future__ import annotations

import pytest

from bot.conversation import actions as act

ALL = [
    act.ChooseIntent(situation=True),
    act.ChooseIntent(situation=False),
    act.Feedback("deadbeef", up=True),
    act.Feedback("deadbeef", up=False),
    act.ShowVraag(7),
    act.ListVragen(),
    act.ChooseWijk("Noord"),
    act.ChooseWijk("Wijk: met dubbele punt"),
    act.ChooseWijk(None),
    act.ChooseWijkAt(3),
    act.MoreOptions(),
    act.ShowCard("svc-12"),
    act.ShowCard("#2"),
    act.SearchPage(2),
    act.Refer("svc:with:colons"),
    act.NoLabel(41),
    act.ChooseReminder(41, 2),
    act.ChooseReminder(41, None),
    act.FollowupAnswer(41, "later"),
    act.ContactCheck(41, correct=False),
    act.Forget(confirm=True),
    act.AskAttribute("svc-12", "phone"),
]


@pytest.mark.parametrize("action", ALL, ids=lambda a: type(a).__name__)
def test_round_trip(action: act.Action) -> None:
    data = act.encode(action)
    assert len(data.encode()) <= act.BUTTON_DATA_BYTES
    assert act.decode(data) == action


def test_over_64_bytes_is_refused_on_both_sides() -> None:
    long_key = "x" * 70
    with pytest.raises(act.ButtonDataTooLong):
        act.encode(act.Refer(long_key))
    assert not act.fits(act.Refer(long_key))
    assert act.decode(f"ref:{long_key}") is None


@pytest.mark.parametrize(
    "data",
    ["", "nope", "int:x", "fb:tok", "fb:tok:z", "v:abc", "kp:-1", "rm:1", "rm:x:1", "fu:1:maybe", "cc:1:q",
     "forget:maybe", "ref:", "at:colour:svc", "lbl:", "more:extra"],
)  # fmt: skip
def test_malformed_data_decodes_to_none(data: str) -> None:
    assert act.decode(data) is None


def test_button_carries_encoded_data() -> None:
    button = act.button("Kaart", act.ShowCard("svc-1"))
    assert button.data == "card:svc-1"
