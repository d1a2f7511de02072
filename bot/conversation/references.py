"""A message that first points at a partner and then asks about it.

'die van school en werk, hoe bereik ik die?', 'dat maatjesproject, hoe meld ik haar aan', 'en dat buurthuis, is
dat in het weekend open?', 'nog even over die schuldhulp van net, bellen die ook terug?': the pointing part names
a partner by its kind (among the partners shown in this conversation, else the one of that kind on the kaart),
and what follows is the question. The act model reads such messages unsurely (a publication question, a
follow-up), so the reference decides.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.conversation import asking
from bot.conversation.acts.model import ActPrediction
from bot.conversation.fields import SIGN_UP
from bot.conversation.lookup import only_names, ordinal, without_reference, words
from bot.conversation.turn import Turn
from bot.kaart.model import Service

# '<pointing part>, <question>': the pointing part starts with a pointing word and ends at a comma or colon
LEADING = re.compile(
    r"^\s*(?:en\s+|oh\s+|ok\s+|ook\s+)?"
    r"(?P<ref>(?:(?:nog\s+(?:even\s+|eens\s+|ff\s+)?)?over\s+|terug\s+naar\s+)?"
    r"(?:dat|die|deze|dit|het|de|'?t)\s+[^,:?!.]{2,70}?)\s*[,:]\s*(?P<rest>\S.*)$",
    re.IGNORECASE,
)
# '<name>, <question>': 'voedselbank, kunnen ze daar zelf heen?', 'en sport en beweegn, hebben die iets voor ..'
NAME_FIRST = re.compile(
    r"^\s*(?:en\s+|oh\s+|ok\s+|ook\s+)?(?P<ref>[^,:?!.]{3,60}?)\s*[,:]\s*(?P<rest>\S.*)$", re.IGNORECASE
)
# 'van net', 'nog even over', 'terug naar': back to a partner of earlier in the conversation
BACK = re.compile(
    r"\b(?:van\s+(?:net|daarnet|zojuist|eerder|straks|daarstraks|vanochtend|gisteren)|nog\s+(?:even\s+|eens\s+|ff\s+)?over|"
    r"terug\s+naar|die\s+je\s+(?:net|eerder)\s+(?:noemde|gaf))\b",
    re.IGNORECASE,
)
DEMONSTRATIVE = re.compile(r"\b(?:dat|die|deze|dit)\s+\w", re.IGNORECASE)  # 'dat maatjesproject'
MAX_REFERENCE_WORDS = 8
PUBLICATION_SURE = (
    0.7  # what follows the pointing part reads this surely as a question about the way of working
)
PARTNER_SHARE = 0.15  # the act model gives a question about a named partner's sign-up at least this much
DESCRIBE = re.compile(r"\bwat\s+(?:doet|doen|is|zijn)\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Reference:
    service: Service
    rest: str  # the question without the pointing part ('hoe meld ik haar aan')
    part: str = ""  # the pointing part itself ('dat maatjesproject')


def pointed_at(turn: Turn, text: str) -> Reference | None:
    """The partner the message first points at, with the question that follows; None when it points at none."""
    match = LEADING.match(text)
    if match and len(match["ref"].split()) <= MAX_REFERENCE_WORDS:
        service = _partner(turn, match["ref"])
        if service is not None:
            return Reference(service, match["rest"], match["ref"])
    match = NAME_FIRST.match(text)
    if match and len(match["ref"].split()) <= MAX_REFERENCE_WORDS:
        service = _partner(turn, match["ref"])  # only when the part says nothing but the partner's name
        if service is not None and words(match["ref"]) and only_names(match["ref"], service):
            return Reference(service, match["rest"], match["ref"])
    if BACK.search(text):  # 'en die schuldhulp van net?': the whole message points back
        service = _partner(turn, text, whole_kaart=False)
        if service is not None:
            return Reference(service, BACK.sub(" ", text), text)
    return None


def _partner(turn: Turn, reference: str, *, whole_kaart: bool = True) -> Service | None:
    """The partner a pointing part means. 'de tweede', 'die van school en werk': one of the list just shown.
    'dat buurthuis', 'die schuldhulp van net': a name, else the partner shown earlier in this conversation that
    is of that kind, else (after 'dat', 'die', 'deze', 'dit') the one partner of that kind on the kaart,
    else a loose fit among the list. The people of a case never point at a partner ('de moeder, 45, ...')."""
    text = asking.without_case_people(BACK.sub(" ", reference))
    position = ordinal(text, len(turn.ctx.shown_ids))
    if position is not None:  # 'die eerste': the position, never a kind word ('eerste aanspreekpunt')
        return turn.services.kaart.get(turn.ctx.shown_ids[position])
    if without_reference(text) != text:
        return (
            asking.by_subject(turn, text)
            or asking.among_listed(turn, text)
            or asking.resolve(turn, text, use_focus=False)
        )
    named = asking.named_in(turn, text)
    found = asking.better_pointed(turn, text, named) if named is not None else asking.among_recent(turn, text)
    if found is None and whole_kaart and DEMONSTRATIVE.search(text):
        found = asking.by_kind(turn, text)
    return found or asking.resolve(turn, text, use_focus=False)


def answered_about(turn: Turn, text: str, *, known_only: bool = False) -> bool:
    """A message that first points at a partner: the question that follows, about that partner (what it does,
    a fact of it, or the partner at a glance when nothing more is asked). False when it points at none, or when
    what follows reads as a question about the way of working ('nog even over de huisarts van net, hoe plan ik
    overleg?')."""
    reference = pointed_at(turn, text)
    if reference is None or (known_only and not _known(turn, reference)):
        return False
    service, rest = reference.service, reference.rest
    if not words(rest) or only_names(rest, service):
        asking.show_one(turn, service)
        return True
    reading = turn.deps.understanding.read(rest)
    if reading.act == "vraag_publicatie" and reading.confidence >= PUBLICATION_SURE:
        return False
    if DESCRIBE.search(rest):
        asking.describe(turn, service)
        return True
    detail = reading.detail_of("partner_vraag") or "telefoon"
    certainty = reading.details.get(f"partner_vraag:{detail}", 0.0)
    asking.answer_attribute(turn, rest, detail, certainty=certainty, service=service)
    return True


def _known(turn: Turn, reference: Reference) -> bool:
    """The pointing part names the partner ('die zorgboerderij'), or points at one shown in this conversation."""
    return reference.service.id in turn.ctx.recent_ids or only_names(reference.part, reference.service)


AT_PARTNER = re.compile(r"\b(?:bij|via|naar)\s+(?:de|het|een)\s+\w", re.IGNORECASE)


def route_at_named(turn: Turn, text: str, prediction: ActPrediction) -> Service | None:
    """A question about how signing up goes at a partner it names ('hoe gaat dat bij het zorgloket, krijgen ze
    een beschikking?'), that the act model also gives some share as a partner question: that partner."""
    if prediction.probabilities.get("partner_vraag", 0.0) < PARTNER_SHARE or not SIGN_UP.search(text):
        return None
    return asking.named_in(turn, text) if AT_PARTNER.search(text) else None
