"""Age groups named in a situation ("baby 3 mnd", "jongen 16", "mw 81") and served by a service."""

from __future__ import annotations

import re

from bot.understanding.normalize import fold

GROUPS = ("baby", "kind", "jongere", "volwassene", "oudere")
_AGE_BOUNDS = (
    (0, 1, "baby"),
    (2, 11, "kind"),
    (12, 22, "jongere"),
    (23, 64, "volwassene"),
    (65, 120, "oudere"),
)
_MONTHS = re.compile(r"\b(\d{1,2})\s*(?:mnd|maand|maanden|wk|weken|weken oud)\b")
_PERSON = (r"(?:mw|mevr|mevrouw|dhr|meneer|man|vrouw|jongen|meisje|zoon|dochter|kind|kindje|baby|clt|client|"
           r"moeder|vader|opa|oma|broer|zus|puber|jongere|buurman|buurvrouw|heer|dame)")  # fmt: skip
_AGE_AFTER_PERSON = re.compile(
    rf"\b{_PERSON}\b\.?(?:\s+van)?[\s,]*\(?(\d{{1,3}})\b"
    r"(?!\s*(?:mnd|maand|wk|week|weken|kg|euro|uur|dagen|keer|%|kinderen|kids|zonen|dochters))"
)
_AGE_WITH_UNIT = re.compile(r"\b(\d{1,3})\s*(?:jr|jaar|jarige|j\b)")
_WORDS = {
    "baby": r"\b(?:baby|zuigeling|pasgeboren|kraam|consultatiebureau|borstvoeding|luier)",
    "kind": r"\b(?:peuter|kleuter|basisschool|kinderen|kindje|kind|groep [1-8])\b",
    "jongere": r"\b(?:puber|tiener|jongere|jongeren|middelbare school|mbo|vmbo|havo|scholier|jeugd|student)",
    "oudere": r"\b(?:oudere|ouderen|bejaard|senior|65\+|pensioen|aow|rollator|rollater|verpleeghuis|dementie)",
}


def _by_age(age: int) -> str:
    return next(group for low, high, group in _AGE_BOUNDS if low <= age <= high)


def groups_in(text: str) -> frozenset[str]:
    """Age groups a text names, from ages and from words."""
    folded = fold(text)
    found = {"baby" for m in _MONTHS.finditer(folded) if int(m.group(1)) <= 24}
    for pattern in (_AGE_AFTER_PERSON, _AGE_WITH_UNIT):
        found |= {_by_age(int(m.group(1))) for m in pattern.finditer(folded) if int(m.group(1)) <= 110}
    found |= {group for group, pattern in _WORDS.items() if re.search(pattern, folded)}
    return frozenset(found)


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
    folded = fold(" ; ".join(audiences) + " ; " + name)
    if _EVERYONE.search(folded) and not any(re.search(p, folded) for p in _SERVICE_WORDS.values()):
        return frozenset()
    found = {group for group, pattern in _SERVICE_WORDS.items() if re.search(pattern, folded)}
    for match in _RANGE.finditer(folded):
        low, high = int(match.group(1)), int(match.group(2))
        found |= {g for lo, hi, g in _AGE_BOUNDS if lo <= high and low <= hi}
    return frozenset(found)
