"""Age groups named in a situation ("baby 3 mnd", "jongen 16", "mw 81") and served by a service."""

from __future__ import annotations

import re

from bot.understanding.ages import AGE_BOUNDS, GROUPS, read_ages
from bot.understanding.normalize import fold

__all__ = ["GROUPS", "groups_in", "groups_served"]


def groups_in(text: str) -> frozenset[str]:
    """Age groups a text names, from stated ages and from words (the one reader: bot/understanding/ages.py)."""
    return read_ages(text).groups


_RANGE = re.compile(r"\b(\d{1,2})\s*(?:-|tot|t/m)\s*(\d{1,3})\b")
_SERVICE_WORDS = {
    "baby": r"\b(?:baby|zuigeling|consultatiebureau|jonge ouders|kraam)",
    "kind": r"\b(?:kinderen|kind|ouders|gezin|gezinnen|jeugd|basisschool)",
    "jongere": r"\b(?:jongeren|jongere|jeugd|tieners|scholieren|studenten|jongvolwassenen)",
    "volwassene": r"\b(?:volwassenen|volwassene)",
    "oudere": r"\b(?:ouderen|oudere|senioren|65\+|55\+|dementie)",
}
_EVERYONE = re.compile(r"\b(?:inwoners|iedereen|alle leeftijden|bewoners|huishoudens)\b")


def groups_served(audiences: tuple[str, ...], name: str) -> frozenset[str]:
    """Age groups a service explicitly serves (from its audiences and name); empty = everyone."""
    if _EVERYONE.search(fold(" ; ".join(audiences))):
        # "inwoners; gezinnen; ouderen": a service for all residents serves every age group, whatever else its
        # audience list names (round 7: 'gezinnen' next to 'inwoners' made sociaal teams kids-only; leave-one-kaart-
        # out over the round-7 dev kaarten chose this in 2 of 3 folds, see Constants.audience_mismatch)
        return frozenset()
    folded = fold(" ; ".join(audiences) + " ; " + name)
    found = {group for group, pattern in _SERVICE_WORDS.items() if re.search(pattern, folded)}
    for match in _RANGE.finditer(folded):
        low, high = int(match.group(1)), int(match.group(2))
        found |= {g for lo, hi, g in AGE_BOUNDS if lo <= high and low <= hi}
    return frozenset(found)
