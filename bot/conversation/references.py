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
from bot.conversation.lookup import without_reference
from bot.conversation.turn import Turn
from bot.kaart.model import Service

# '<pointing part>, <question>': the pointing part starts with a pointing word and ends at a comma or colon
LEADING = re.compile(
    r"^\s*(?:en\s+|oh\s+|ok\s+|ook\s+)?"
    r"(?P<ref>(?:(?:nog\s+(?:even\s+|eens\s+|ff\s+)?)?over\s+|terug\s+naar\s+)?"
    r"(?:dat|die|deze|dit|het|de)\s+[^,:?!.]{2,70}?)\s*[,:]\s*(?P<rest>\S.*)$",
    re.IGNORECASE,
)
# 'van net', 'nog even over', 'terug naar': back to a partner of earlier in the conversation
BACK = re.compile(
    r"\b(?:van\s+(?:net|daarnet|zojuist|eerder|straks|daarstraks|vanochtend|gisteren)|nog\s+(?:even\s+|eens\s+|ff\s+)?over|"
    r"terug\s+naar|die\s+je\s+(?:net|eerder)\s+(?:noemde|gaf))\b",
    re.IGNORECASE,
)
DEMONSTRATIVE = re.compile(r"\b(?:dat|die|deze|dit)\s+\w", re.IGNORECASE)  # 'dat maatjesproject'
MAX_REFERENCE_WORDS = 8


@dataclass(frozen=True, slots=True)
class Reference:
    service: Service
    rest: str  # the question without the pointing part ('hoe meld ik haar aan')


def pointed_at(turn: Turn, text: str) -> Reference | None:
    """The partner the message first points at, with the question that follows; None when it points at none."""
    match = LEADING.match(text)
    if match and len(match["ref"].split()) <= MAX_REFERENCE_WORDS:
        service = _partner(turn, match["ref"])
        if service is not None:
            return Reference(service, match["rest"])
    if BACK.search(text):  # 'en die schuldhulp van net?': the whole message points back
        service = _partner(turn, text, whole_kaart=False)
        if service is not None:
            return Reference(service, BACK.sub(" ", text))
    return None


def _partner(turn: Turn, reference: str, *, whole_kaart: bool = True) -> Service | None:
    """The partner a pointing part means. 'de tweede', 'die van school en werk': one of the list just shown.
    'dat buurthuis', 'die schuldhulp van net': a name, else the partner shown earlier in this conversation that
    is of that kind, else (after 'dat', 'die', 'deze', 'dit') the one partner of that kind on the kaart,
    else a loose fit among the list. The people of a case never point at a partner ('de moeder, 45, ...')."""
    text = asking.without_case_people(BACK.sub(" ", reference))
    if without_reference(text) != text:
        return asking.among_listed(turn, text) or asking.resolve(turn, text, use_focus=False)
    found = asking.named_in(turn, text) or asking.among_recent(turn, text)
    if found is None and whole_kaart and DEMONSTRATIVE.search(text):
        found = asking.by_kind(turn, text)
    return found or asking.resolve(turn, text, use_focus=False)
