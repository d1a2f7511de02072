"""Ages in a situation as features for the safety head: is a minor named, only adults, a baby, an older person?

"jongen van 19 blowt" names only an adult (kindermishandeling cannot be the danger type), "het kind heeft blauwe
plekken" names a minor. A person word that can be any age ("zoon", "meisje") without a stated age counts as a
possible minor, so `adult_only` is only set when every age signal says 18 or older.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from bot.understanding.normalize import fold

CHILD_DANGER = "kindermishandeling"  # the danger type (levensgebieden.yaml) that needs a minor
ADULT = 18
ELDER = 65
YOUNG_ADULT = 25
BABY = 2  # years
_PERSON = (
    r"(?:mw|mevr|mevrouw|dhr|meneer|man|vrouw|jongen|jongeman|meisje|zoon|zoontje|dochter|dochtertje|kind|kindje|"
    r"baby|clt|client|moeder|vader|ouder|opa|oma|broer|broertje|zus|zusje|puber|jongere|buurman|buurvrouw|heer|"
    r"dame|stiefzoon|stiefdochter|kleinzoon|kleindochter|kleinkind|neef|nicht|partner|vriend|vriendin|echtgenoot|"
    r"echtgenote|bewoner|huurder|persoon|jongvolwassene|student|tiener)"
)
_NOT_YEARS = (
    r"(?!\s*(?:mnd|maand|maanden|wk|week|weken|dag|dagen|kg|euro|uur|keer|%|x\b|jaar geleden|jaar samen))"
)
_AGE_AFTER_PERSON = re.compile(
    rf"\b{_PERSON}\b,?(?:\s+(?:van|is|was|wordt|,))?\s*\(?(\d{{1,3}})\b{_NOT_YEARS}"
)
_AGE_WITH_UNIT = re.compile(
    r"\b(\d{1,3})\s*(?:-\s*)?(?:jr|jaar|jarige|jarig|j)\b(?!\s*(?:geleden|samen|getrouwd|lang))"
)
_MONTHS = re.compile(r"\b(\d{1,2})\s*(?:mnd|maand|maanden|wk|week|weken)\s*(?:oud|oude)?\b")
_MONTHS_OLD = re.compile(
    r"\b(?:baby|kindje|kind|zoon|zoontje|dochter|dochtertje|zuigeling|jongen|meisje|broertje|zusje)\b(?:\s+van)?\s*"
    r"(\d{1,2})\s*(?:mnd|maand|maanden|wk|week|weken)\b"
)
_MINOR_WORDS = re.compile(
    r"\b(?:baby\w*|zuigeling\w*|pasgeboren\w*|peuter\w*|kleuter\w*|kind|kinderen|kindje\w*|kids|kinderopvang|"
    r"basisschool|groep [1-8]|brugklas\w*|puber\w*|tiener\w*|minderjarig\w*|ongeboren|zwanger\w*|broertje\w*|"
    r"zusje\w*|zoontje\w*|dochtertje\w*|schoolgaand\w*|jeugdige\w*|leerling\w*|klasgeno\w*|juf|meester|kleine|"
    r"kleintje\w*|koter\w*|kinders|kindjes|pleegkind\w*|stiefkind\w*|opvoed\w*)\b"
)
_BABY_WORDS = re.compile(
    r"\b(?:baby\w*|zuigeling\w*|pasgeboren\w*|kraam\w*|luier\w*|borstvoeding|flesvoeding)\b"
)
_ANY_AGE_PERSON = re.compile(
    r"\b(?:jongen|meisje|meid|zoon|zonen|dochter|dochters|broer|zus|kleinkind|kleinkinderen|neef|nicht|jongere|"
    r"jongeren|gezin|jongste|oudste|tweeling|school|scholier)\b"
)
_ELDER_WORDS = re.compile(
    r"\b(?:opa|oma|bejaard\w*|oudere|ouderen|senior\w*|aow|verpleeghuis|verzorgingshuis|dementie|dementerend\w*|"
    r"rollator|rollater|mantelzorg\w*)\b"
)
_AGE_NEXT = re.compile(r",?(?:\s+(?:van|is|was|wordt))?\s*\(?\d{1,3}\b")
_AGE_BEFORE = re.compile(r"\d{1,3}\s*-?\s*(?:jarige|jr|jaar)\s+(?:oude\s+)?$")
COLUMNS = ("age:minor", "age:baby", "age:adult_only", "age:young_adult", "age:elder")


@dataclass(frozen=True, slots=True)
class Ages:
    """What a text says about the ages of the people in it."""

    stated: tuple[int, ...]  # ages in years (months count as 0)
    minor: bool  # a stated age under 18 or a word for a child
    baby: bool
    adult_only: bool  # ages are stated, all 18+, and nothing names or may name a minor
    elder: bool

    def row(self) -> np.ndarray:
        young = any(ADULT <= a <= YOUNG_ADULT for a in self.stated)
        return np.array([self.minor, self.baby, self.adult_only, young, self.elder], dtype=np.float32)


def read_ages(text: str) -> Ages:
    folded = fold(text)
    stated = [0 for m in _MONTHS_OLD.finditer(folded) if int(m.group(1)) <= 24]
    stated += [0 for m in _MONTHS.finditer(folded) if int(m.group(1)) <= 24 and _BABY_WORDS.search(folded)]
    for pattern in (_AGE_AFTER_PERSON, _AGE_WITH_UNIT):
        stated += [int(m.group(1)) for m in pattern.finditer(folded) if int(m.group(1)) <= 110]
    minor_word = bool(_MINOR_WORDS.search(folded))
    minor = minor_word or any(a < ADULT for a in stated)
    baby = bool(_BABY_WORDS.search(folded)) or any(a < BABY for a in stated)
    unknown_age = any(not _aged(folded, m) for m in _ANY_AGE_PERSON.finditer(folded))
    adult_only = bool(stated) and not minor and not unknown_age
    elder = bool(_ELDER_WORDS.search(folded)) or any(a >= ELDER for a in stated)
    return Ages(tuple(stated), minor, baby, adult_only, elder)


def _aged(folded: str, match: re.Match[str]) -> bool:
    """Whether a person word has its own age: 'zoon van 19', 'zoon (19)', '19-jarige zoon'."""
    after = _AGE_NEXT.match(folded, match.end())
    before = _AGE_BEFORE.search(folded[max(0, match.start() - 16) : match.start()])
    return bool(after or before)


def age_rows(texts: list[str]) -> np.ndarray:
    """One row of COLUMNS per text."""
    if not texts:
        return np.zeros((0, len(COLUMNS)), dtype=np.float32)
    return np.vstack([read_ages(t).row() for t in texts])


def without_child_danger(
    levels: dict[str, float], dangers: dict[str, float]
) -> tuple[dict[str, float], dict[str, float]]:
    """Only adults named: the risk that the danger head puts on kindermishandeling is no risk. P(acuut) and
    P(zorg) keep only the share of the other danger types; that mass goes to 'geen'."""
    share = dangers.get(CHILD_DANGER, 0.0)
    rest = max(1e-9, 1.0 - share)
    kept = {level: p * rest if level != "geen" else p for level, p in levels.items()}
    kept["geen"] = kept.get("geen", 0.0) + sum(p * share for level, p in levels.items() if level != "geen")
    return kept, {d: (0.0 if d == CHILD_DANGER else p / rest) for d, p in dangers.items()}
