"""The one reader of stated ages: who is in a situation, how old, and which age groups that makes.

Used by the safety head ("jongen van 19 blowt" names only an adult, so kindermishandeling cannot be the danger type;
"het kind heeft blauwe plekken" names a minor), by the injury columns and by the ranking (age groups baby, kind,
jongere, volwassene, oudere: a service for that group fits better). Phone shorthand counts: "mw. 81", "dhr 67",
"jongen 16", "baby 3 mnd", "zoon van 19", "kindje (4)", "45-jarige man", "mevrouw, 45". A person word that can be any
age ("zoon", "meisje") without a stated age counts as a possible minor, so `adult_only` is only set when every age
signal says 18 or older. A text is read once: the last readings are kept in a small memo. `stated_at` also says where
each age stands in the text, so the danger head can give a person word the role of its age ("zoon van 19").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from bot.understanding.normalize import fold

CHILD_DANGER = "kindermishandeling"  # the danger type (levensgebieden.yaml) that needs a minor
ADULT = 18
ELDER = 65
YOUNG_ADULT = 25
BABY = 2  # years
GROUPS = ("baby", "kind", "jongere", "volwassene", "oudere")
AGE_BOUNDS = (
    (0, 1, "baby"),
    (2, 11, "kind"),
    (12, 22, "jongere"),
    (23, 64, "volwassene"),
    (65, 120, "oudere"),
)
RECENT_READS = 256
_PARENT = r"(?:moeder|vader|ouder|ouders|opa|oma|mama|papa|stiefvader|stiefmoeder|stiefpa|stiefma|heit|mem|mum|dad|mother|father)"
# words for a person that a stated age may follow ("zoon van 19", "mw 81", "ex (35)")
_PERSON_TEXT = (
    "mw mevr mevrouw dhr meneer mijnheer heer dame man vrouw persoon clt client cliente bewoner huurder "
    "jongen jongetje jongeman meisje meid zoon zoontje zonen dochter dochtertje dochters kind kindje kindjes kinderen "
    "kinders kids kid child children baby babys zuigeling pasgeborene peuter peuters kleuter kleuters kleintje "
    "kleintjes pleegkind stiefkind leerling scholier puber tiener minderjarige jongere jongeren jongvolwassene student "
    "broer broertje zus zusje stiefzoon stiefdochter kleinzoon kleindochter kleinkind kleinkinderen neef nicht "
    "moeder vader ouder ouders mama papa stiefvader stiefmoeder stiefpa stiefma heit mem mum dad mother father "
    "opa oma oudere ouderen bejaarde grootmoeder grootvader schoonmoeder schoonvader schoonzoon "
    "partner vriend vriendin vriendje echtgenoot echtgenote ex exman expartner exvrouw husband wife boyfriend "
    "girlfriend buurman buurvrouw"
)
PERSON_WORDS = frozenset(_PERSON_TEXT.split())
_PERSON = rf"(?:{'|'.join(sorted(PERSON_WORDS, key=len, reverse=True))})"
_NOT_YEARS = (
    r"(?!\s*(?:mnd|maand|maanden|wk|week|weken|dag|dagen|kg|euro|uur|keer|%|x\b|kinderen|kids|zonen|dochters|"
    r"jaar geleden|jaar samen|jaar getrouwd))"
)
_AGE_AFTER_PERSON = re.compile(
    rf"\b({_PERSON})\b\.?,?(?:\s+(van|is|was|wordt))?[\s,]*\(?(\d{{1,3}})\b{_NOT_YEARS}"
)
_AGE_WITH_UNIT = re.compile(
    r"\b(\d{1,3})\s*(?:-\s*)?(?:jr|jaar|jarige|jarig|j)\b(?!\s*(?:geleden|samen|getrouwd|lang))"
)
_UNIT_NEXT = re.compile(r"\s*-?\s*(?:jr|jaar|jarige|jarig|j)\b")
_MONTH_UNIT = r"(?:mnd|maand|maanden|wk|week|weken)"
_MONTHS = re.compile(rf"\b(\d{{1,2}})\s*{_MONTH_UNIT}\s*(oud|oude)?\b")
_MONTHS_OLD = re.compile(
    r"\b(?:baby|kindje|kind|zoon|zoontje|dochter|dochtertje|zuigeling|jongen|jongetje|meisje|broertje|zusje)\b"
    rf"\.?(?:\s+van)?[\s,]*\(?(\d{{1,2}})\s*{_MONTH_UNIT}\b"
)
# words that name an age group (the tags say what they tell the safety head: m = a minor, b = a baby, e = elderly)
_WORDS = (
    ("baby", "mb", r"baby\w*|zuigeling\w*|pasgeboren\w*|kraam\w*|luier\w*|borstvoeding|flesvoeding"),
    ("baby", "", r"consultatiebureau"),
    (
        "kind",
        "m",
        r"peuter\w*|kleuter\w*|kind|kinderen|kindje\w*|kids|kinderopvang|basisschool|groep [1-8]|"
        r"broertje\w*|zusje\w*|zoontje\w*|dochtertje\w*|kleintje\w*|koter\w*|kinders|kindjes|"
        r"pleegkind\w*|stiefkind\w*",
    ),
    (
        "jongere",
        "m",
        r"brugklas\w*|puber\w*|tiener\w*|minderjarig\w*|middelbare school|vmbo|havo|scholier\w*",
    ),
    ("jongere", "", r"jongere\w*|mbo|jeugd\w*|student\w*"),
    (
        "",
        "m",
        r"ongeboren|zwanger\w*|schoolgaand\w*|jeugdige\w*|leerling\w*|klasgeno\w*|juf|meester|kleine|"
        r"opvoed\w*",
    ),
    (
        "oudere",
        "e",
        r"oudere\w*|bejaard\w*|senior\w*|65\+|pensioen\w*|aow|rollator|rollater|verpleeghuis|"
        r"verzorgingshuis|dementie\w*|dementerend\w*",
    ),
    ("", "e", r"opa|oma|mantelzorg\w*"),
)
_WORD_PATTERNS = tuple((group, tags, re.compile(rf"\b(?:{words})(?!\w)")) for group, tags, words in _WORDS)
_ANY_AGE_PERSON = re.compile(
    r"\b(?:jongen|meisje|meid|zoon|zonen|dochter|dochters|broer|zus|kleinkind|kleinkinderen|neef|nicht|jongere|"
    r"jongeren|gezin|jongste|oudste|tweeling|school|scholier)\b"
)
_AGE_NEXT = re.compile(r"\.?,?(?:\s+(?:van|is|was|wordt))?[\s,]*\(?\d{1,3}\b")
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
    groups: frozenset[str] = frozenset()  # age groups (GROUPS) named by a stated age or a word

    def row(self) -> np.ndarray:
        young = any(ADULT <= a <= YOUNG_ADULT for a in self.stated)
        return np.array([self.minor, self.baby, self.adult_only, young, self.elder], dtype=np.float32)


@dataclass(frozen=True, slots=True)
class StatedAge:
    """One stated age and where it stands in the folded text."""

    years: int  # months count as 0
    start: int
    end: int  # after the age (and its unit: "zoon van 19 jaar")
    person_first: bool  # the span starts with its person word ("zoon van 19", "baby 4 mnd"); else "19-jarige"


@lru_cache(maxsize=RECENT_READS)
def read_ages(text: str) -> Ages:
    """The ages in `text`; a text read moments ago comes from the memo (the safety head, the injury columns and the
    ranking all ask)."""
    return _read(text)


def stated_ages(folded: str) -> list[int]:
    """Ages in years stated in a folded text (months of a baby or child count as 0)."""
    return [s.years for s in stated_at(folded)]


def stated_at(folded: str) -> list[StatedAge]:
    """Every stated age in a folded text with its place; "moeder van 3" is her number of children, no age."""
    found = [
        StatedAge(0, m.start(), m.end(), True) for m in _MONTHS_OLD.finditer(folded) if int(m.group(1)) <= 24
    ]
    baby_word = bool(_WORD_PATTERNS[0][2].search(folded))
    found += [StatedAge(0, m.start(), m.end(), False) for m in _MONTHS.finditer(folded)
              if int(m.group(1)) <= 24 and (m.group(2) or baby_word)]  # fmt: skip
    for m in _AGE_AFTER_PERSON.finditer(folded):
        age = int(m.group(3))
        if age <= 110 and not (m.group(2) == "van" and age < 10 and re.fullmatch(_PARENT, m.group(1))):
            unit = _UNIT_NEXT.match(folded, m.end(3))
            found.append(StatedAge(age, m.start(1), unit.end() if unit else m.end(3), True))
    found += [StatedAge(int(m.group(1)), m.start(), m.end(), False) for m in _AGE_WITH_UNIT.finditer(folded)
              if int(m.group(1)) <= 110]  # fmt: skip
    return found


def _read(text: str) -> Ages:
    folded = fold(text)
    stated = stated_ages(folded)
    found = [(group, tags) for group, tags, pattern in _WORD_PATTERNS if pattern.search(folded)]
    tags = "".join(t for _, t in found)
    groups = {group for group, _ in found if group} | {age_group(a) for a in stated}
    minor = "m" in tags or any(a < ADULT for a in stated)
    baby = "b" in tags or any(a < BABY for a in stated)
    unknown_age = any(not _aged(folded, m) for m in _ANY_AGE_PERSON.finditer(folded))
    adult_only = bool(stated) and not minor and not unknown_age
    elder = "e" in tags or any(a >= ELDER for a in stated)
    return Ages(tuple(stated), minor, baby, adult_only, elder, frozenset(groups))


def age_group(age: int) -> str:
    """The age group (GROUPS) of an age in years."""
    return next(group for low, high, group in AGE_BOUNDS if low <= age <= high)


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
