"""Turn.safe_text: a text is checked for personal data once per turn, however many flows ask (perf18)."""

from __future__ import annotations

from types import SimpleNamespace

from bot.conversation.context import UserContext
from bot.conversation.turn import Turn
from bot.privacy.pii import PiiScrubber


class CountingScrubber(PiiScrubber):
    def __init__(self) -> None:
        super().__init__(use_deduce=False)
        self.calls: list[str] = []

    def scrub(self, text: str):  # type: ignore[no-untyped-def]
        self.calls.append(text)
        return super().scrub(text)


def _turn(scrubber: PiiScrubber) -> Turn:
    return Turn(
        deps=SimpleNamespace(services=SimpleNamespace(scrubber=scrubber)), user_id=1, ctx=UserContext()
    )  # type: ignore[arg-type]


def test_the_same_text_is_scrubbed_once_per_turn_with_the_same_result() -> None:
    scrubber = CountingScrubber()
    turn = _turn(scrubber)
    plain = "Hoe maak ik afspraken met de school?"
    assert turn.safe_text(plain) == plain and turn.safe_text(plain) == plain
    assert not turn.privacy_hit
    phone = "bel haar op 0612345678 over de huur"
    first = turn.safe_text(phone)
    assert first != phone and "0612345678" not in first and turn.privacy_hit
    assert turn.safe_text(phone) == first == str(PiiScrubber(use_deduce=False).scrub(phone).text)
    assert scrubber.calls == [plain, phone], "each distinct text once"
    again = _turn(scrubber)  # a new turn checks again (no memory across turns)
    assert again.safe_text(phone) == first and again.privacy_hit
    assert scrubber.calls == [plain, phone, phone]
