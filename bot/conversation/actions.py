"""Typed button actions: what a button does, as a frozen dataclass, with ONE encode/decode.

Telegram allows at most 64 bytes of callback data. `encode` checks that limit; `decode` returns None for
anything it does not understand (an old or forged button), so handlers only ever see well-formed actions.
The wire format is short and stable ("ref:KEY", "fb:TOKEN:u", ...) so buttons survive a restart.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from bot.conversation.types import Button

BUTTON_DATA_BYTES = 64  # Telegram's limit for callback_data
KEY_ROOM = 40  # bytes of a service id that fit in button data next to a prefix

# Answers on a referral (bot/conversation/referrals.py): state moves, "contact lukte niet" and its follow-ups
# (retry tomorrow, other route, other partner, close), acute "Ik heb gebeld", share with client, relabel.
FollowupChoice = Literal[
    "done",
    "later",
    "fail",
    "contact",
    "feedback",
    "retry",
    "other",
    "next",
    "close",
    "called",
    "share",
    "relabel",
]
FOLLOWUP_CHOICES: tuple[FollowupChoice, ...] = (
    "done", "later", "fail", "contact", "feedback", "retry", "other", "next", "close", "called", "share", "relabel",
)  # fmt: skip
Attribute = Literal[
    "phone", "address", "hours", "languages", "access", "costs", "contact", "website", "script", "email"
]
ATTRIBUTES: tuple[Attribute, ...] = (
    "phone", "address", "hours", "languages", "access", "costs", "contact", "website", "script", "email",
)  # fmt: skip


class ButtonDataTooLong(ValueError):
    """Encoded action is over BUTTON_DATA_BYTES."""


@dataclass(frozen=True, slots=True)
class ChooseIntent:
    """'Vraag over samenwerken' / 'Partner zoeken' after an unclear message."""

    situation: bool


@dataclass(frozen=True, slots=True)
class Feedback:
    token: str
    up: bool


@dataclass(frozen=True, slots=True)
class ShowVraag:
    number: int


@dataclass(frozen=True, slots=True)
class ListVragen:
    pass


@dataclass(frozen=True, slots=True)
class ChooseWijk:
    """A wijk by name; name=None is the whole municipality."""

    name: str | None


@dataclass(frozen=True, slots=True)
class ChooseWijkAt:
    """A wijk by its index in the kaart's wijk list (for names too long for button data)."""

    index: int


@dataclass(frozen=True, slots=True)
class MoreOptions:
    pass


@dataclass(frozen=True, slots=True)
class ShowCard:
    key: str  # service key from UserContext.service_key


@dataclass(frozen=True, slots=True)
class SearchPage:
    page: int


@dataclass(frozen=True, slots=True)
class Refer:
    key: str


@dataclass(frozen=True, slots=True)
class NoLabel:
    referral_id: int


@dataclass(frozen=True, slots=True)
class ChooseReminder:
    """A reminder preset index, or preset=None for 'Geen herinnering'."""

    referral_id: int
    preset: int | None


@dataclass(frozen=True, slots=True)
class FollowupAnswer:
    referral_id: int
    choice: FollowupChoice


@dataclass(frozen=True, slots=True)
class ContactCheck:
    referral_id: int
    correct: bool


@dataclass(frozen=True, slots=True)
class Forget:
    confirm: bool


@dataclass(frozen=True, slots=True)
class AskAttribute:
    """A partner attribute button ('Telefoon', 'Toegang') for the partner behind `key`."""

    key: str
    attribute: Attribute


Action = (
    ChooseIntent | Feedback | ShowVraag | ListVragen | ChooseWijk | ChooseWijkAt | MoreOptions | ShowCard
    | SearchPage | Refer | NoLabel | ChooseReminder | FollowupAnswer | ContactCheck | Forget | AskAttribute
)  # fmt: skip


def _fields(action: Action) -> list[str]:  # noqa: PLR0911 - one branch per action kind
    match action:
        case ChooseIntent(situation=s):
            return ["int", "s" if s else "q"]
        case Feedback(token=t, up=u):
            return ["fb", t, "u" if u else "d"]
        case ShowVraag(number=n):
            return ["v", str(n)]
        case ListVragen():
            return ["vl"]
        case ChooseWijk(name=n):
            return ["w", "*" if n is None else n]
        case ChooseWijkAt(index=i):
            return ["wi", str(i)]
        case MoreOptions():
            return ["more"]
        case ShowCard(key=k):
            return ["card", k]
        case SearchPage(page=p):
            return ["kp", str(p)]
        case Refer(key=k):
            return ["ref", k]
        case NoLabel(referral_id=r):
            return ["lbl", str(r)]
        case ChooseReminder(referral_id=r, preset=p):
            return ["rm", str(r), "x" if p is None else str(p)]
        case FollowupAnswer(referral_id=r, choice=c):
            return ["fu", str(r), c]
        case ContactCheck(referral_id=r, correct=c):
            return ["cc", str(r), "y" if c else "n"]
        case Forget(confirm=c):
            return ["forget", "yes" if c else "no"]
        case AskAttribute(key=k, attribute=a):
            return ["at", a, k]
    raise TypeError(f"not an action: {type(action).__name__}")


def encode(action: Action) -> str:
    """Button data for an action. Raises ButtonDataTooLong over 64 bytes."""
    data = ":".join(_fields(action))
    if len(data.encode()) > BUTTON_DATA_BYTES:
        raise ButtonDataTooLong(f"button data over {BUTTON_DATA_BYTES} bytes ({type(action).__name__})")
    return data


def fits(action: Action) -> bool:
    """True when the action's data is within the 64-byte limit."""
    return len(":".join(_fields(action)).encode()) <= BUTTON_DATA_BYTES


def _int(raw: str) -> int | None:
    return int(raw) if raw.isdigit() and len(raw) < 12 else None


def _referral(args: list[str], build: Callable[[int, str], Action | None]) -> Action | None:
    if len(args) != 2 or (referral_id := _int(args[0])) is None:
        return None
    return build(referral_id, args[1])


def _reminder(referral_id: int, raw: str) -> Action | None:
    if raw == "x":
        return ChooseReminder(referral_id, None)
    preset = _int(raw)
    return ChooseReminder(referral_id, preset) if preset is not None else None


def _followup(referral_id: int, raw: str) -> Action | None:
    choice = next((c for c in FOLLOWUP_CHOICES if c == raw), None)
    return FollowupAnswer(referral_id, choice) if choice is not None else None


def _contact(referral_id: int, raw: str) -> Action | None:
    return ContactCheck(referral_id, raw == "y") if raw in ("y", "n") else None


def _yes_no(raw: str, yes: str, no: str) -> bool | None:
    return True if raw == yes else False if raw == no else None


def _attribute(args: list[str]) -> Action | None:
    if len(args) < 2 or not args[1]:
        return None
    attribute = next((a for a in ATTRIBUTES if a == args[0]), None)
    return AskAttribute(":".join(args[1:]), attribute) if attribute else None


def _decode_one(prefix: str, args: list[str]) -> Action | None:  # noqa: PLR0911, PLR0912
    single = args[0] if len(args) == 1 else None
    if prefix == "int" and (s := _yes_no(single or "", "s", "q")) is not None:
        return ChooseIntent(situation=s)
    if prefix == "fb" and len(args) == 2 and (u := _yes_no(args[1], "u", "d")) is not None:
        return Feedback(args[0], u)
    if prefix == "v" and single and (n := _int(single)) is not None:
        return ShowVraag(n)
    if prefix == "vl" and not args:
        return ListVragen()
    if prefix == "w" and args:
        name = ":".join(args)
        return ChooseWijk(None if name == "*" else name)
    if prefix == "wi" and single and (i := _int(single)) is not None:
        return ChooseWijkAt(i)
    if prefix == "more" and not args:
        return MoreOptions()
    if prefix in ("card", "ref") and args and args[0]:
        key = ":".join(args)
        return ShowCard(key) if prefix == "card" else Refer(key)
    if prefix == "kp" and single and (p := _int(single)) is not None:
        return SearchPage(p)
    if prefix == "lbl" and single and (r := _int(single)) is not None:
        return NoLabel(r)
    if prefix in ("rm", "fu", "cc"):
        builders = {"rm": _reminder, "fu": _followup, "cc": _contact}
        return _referral(args, builders[prefix])
    if prefix == "forget" and (c := _yes_no(single or "", "yes", "no")) is not None:
        return Forget(c)
    if prefix == "at":
        return _attribute(args)
    return None


def decode(data: str) -> Action | None:
    """The action behind button data, or None when the data is unknown, malformed or too long."""
    if not data or len(data.encode()) > BUTTON_DATA_BYTES:
        return None
    prefix, _, rest = data.partition(":")
    return _decode_one(prefix, rest.split(":") if rest else [])


def button(label: str, action: Action) -> Button:
    """A button that performs `action` (its data encoded and checked here, and only here)."""
    return Button(label, encode(action))
