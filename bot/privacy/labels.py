"""Is a case label identifying? Names, addresses and dates of birth are refused, in lower case as well.

A label is typed fast on a phone: "mw jansen noorderlaan 5", "dhr de boer", "fam. el amrani", "kerkstraat 12",
"j. jansen", "geb 12-3-2015". The scrubber (pii.py) finds capitalised names and the usual identifiers; the
rules here add the lower-case forms, with deduce's own name and common-word lists (no home-made name list).
Ordinary labels pass: "gezin met 3 kinderen", "schulden oost", "huurachterstand 1".
Measured in tests/privacy/test_labels.py and bench/labels.py.
"""

from __future__ import annotations

import importlib.util
import re
import threading
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from bot.privacy.pii import PiiScrubber

_INTERFIX = r"(?:van|de|der|den|el|al|ten|ter|te|op|in|het|'t|v\.?d\.?|vd)"
_LETTERS = r"[a-zà-ÿ][a-zà-ÿ'-]+"
_STREET = re.compile(
    r"\b[a-zà-ÿ-]*(?:straat|laan|weg|plein|gracht|kade|dijk|singel|hof|pad|steeg|park|dreef|baan|markt|"
    r"plantsoen|hoven|erf|veld|wijk|kwartier|ring|allee|boulevard|burg|dam|haven|hoek|lei|oord|zijde)"
    r"\s*\d{1,4}\s*[a-z]?\b",
    re.IGNORECASE,
)
_BIRTH = re.compile(
    r"\b(?:geb(?:oren)?|gebdat|geboortedatum|dob|d\.o\.b)\b\.?:?\s*(?:op\s+)?\d", re.IGNORECASE
)
_DATE = re.compile(r"\b[0-3]?\d[-/.][01]?\d[-/.](?:\d{2}|\d{4})\b|\b[0-3]\d[01]\d(?:19|20)\d{2}\b")
# A form of address: whatever follows it is a name unless it is an ordinary word.
_TITLE = re.compile(
    rf"\b(?:mw|mevr|mevrouw|dhr|hr|heer|meneer|mr|fam|familie|juf|meester|mvr)\b\.?\s+((?:{_INTERFIX}\s+)*)"
    rf"({_LETTERS})",
    re.IGNORECASE,
)
# A wijk or buurt name after a form of address ('mw duinoord', 'dhr vissersbuurt') says where, not who.
_PLACE = re.compile(r"\w{2,}(?:buurt|wijk|kwartier|dorp|oord|centrum|polder)", re.IGNORECASE)
_HOUSEHOLD = re.compile(rf"\b(?:gezin|huishouden)\s+({_LETTERS})", re.IGNORECASE)
_INITIALS = re.compile(rf"(?<![\w.])(?:[a-z]\.\s?){{1,4}}\s*((?:{_INTERFIX}\s+)*)({_LETTERS})", re.IGNORECASE)
_BARE_INITIAL = re.compile(rf"(?<![\w.])[a-z]\s+((?:{_INTERFIX}\s+)*)({_LETTERS})", re.IGNORECASE)
_INTERFIX_NAME = re.compile(
    rf"\b(?:van|de|der|den|el|al|ten|ter|v\.?d\.?)\s+(?:{_INTERFIX}\s+)*({_LETTERS})", re.IGNORECASE
)
_TOKEN = re.compile(_LETTERS, re.IGNORECASE)
# Words a label uses that deduce's lists do not mark as common (checked on the labelled set, not names).
_LABEL_TEXT = (
    "gezin moeder vader ouder ouders kind kinderen zoon dochter baby tiener jongere jongeren oudere ouderen "
    "alleenstaand alleenstaande eenouder man vrouw stel echtpaar buurman buurvrouw mantelzorger statushouder "
    "nieuwkomer student senior weduwe weduwnaar broer zus oma opa tweeling "
    "schulden schuld huurachterstand achterstand budget armoede voedselbank uitkering toeslagen werk baan "
    "school verzuim jeugd jeugdhulp opvoeding zorg ggz dementie eenzaam eenzaamheid verslaving alcohol drugs "
    "gokken huisvesting woning ontruiming dakloos vervuiling taal inburgering geweld veiligheid casus dossier "
    "nieuw oud oost west noord zuid centrum wijk dorp stad buurt flat portiek "
    "met zonder en of uit bij van de het een in op na voor over naar via plus"
)
_LABEL_WORDS = frozenset(_LABEL_TEXT.split())


@dataclass(frozen=True, slots=True)
class LabelVerdict:
    identifying: bool
    reason: str  # "" when fine; otherwise which rule: pii, adres, geboortedatum, aanhef, initialen, naam


class NameLists:
    """deduce's person-name lists and its common-word whitelist, lower-cased, read once per instance."""

    def __init__(self, root: Path | None = None) -> None:
        self._root = root
        self._lock = threading.Lock()

    def _folder(self) -> Path:
        if self._root is None:  # found without importing deduce (its import configures root logging)
            spec = importlib.util.find_spec("deduce")
            if spec is None or spec.origin is None:
                raise ModuleNotFoundError("deduce")
            self._root = Path(spec.origin).parent / "data" / "lookup" / "src"
        return self._root

    def _read(self, name: str) -> frozenset[str]:
        folder = self._folder() / name
        words = _lines(folder / "items.txt") - _lines(folder / "exceptions.txt")
        return frozenset(words)

    @cached_property
    def surnames(self) -> frozenset[str]:
        with self._lock:
            return self._read("names/lst_surname") | self._read("names/lst_interfix_surname")

    @cached_property
    def first_names(self) -> frozenset[str]:
        with self._lock:
            return self._read("names/lst_first_name")

    @cached_property
    def function_words(self) -> frozenset[str]:
        """Words that may follow 'mw' or 'fam' in an ordinary label ('fam met schulden')."""
        with self._lock:
            return self._read("whitelist/lst_stop_word") | _LABEL_WORDS

    @cached_property
    def ordinary(self) -> frozenset[str]:
        with self._lock:
            common = self._read("whitelist/lst_common_word") | self._read("whitelist/lst_stop_word")
            return common | self._read("whitelist/lst_medical_term") | _LABEL_WORDS


def _lines(path: Path) -> set[str]:
    if not path.exists():
        return set()
    return {line.strip().casefold() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()}


class LabelChecker:
    """Decides whether a short case label could identify a person."""

    def __init__(self, scrubber: PiiScrubber, names: NameLists | None = None) -> None:
        self._scrubber = scrubber
        self._names = names or NameLists()

    def check(self, label: str) -> LabelVerdict:
        text = " ".join(label.split())
        if not text:
            return LabelVerdict(False, "")
        for reason, found in (("pii", self._scrubber.check_label(text)),
                              ("adres", _STREET.search(text)), ("geboortedatum", _BIRTH.search(text) or _DATE.search(text)),
                              ("aanhef", self._titled(text)), ("initialen", self._initials(text)),
                              ("naam", self._names_in(text))):  # fmt: skip
            if found:
                return LabelVerdict(True, reason)
        return LabelVerdict(False, "")

    def _is_name(self, word: str) -> bool:
        folded = word.casefold().strip("'-")
        known = folded in self._names.surnames or folded in self._names.first_names
        return known and folded not in self._names.ordinary

    def _titled(self, text: str) -> bool:
        """'mw jansen', 'dhr de boer', 'fam. el amrani', 'hr. kok': after a form of address, any word but a
        function word is a name; 'gezin jansen': after 'gezin', a known name."""
        for match in _TITLE.finditer(text):
            word = match.group(2).casefold()
            if _PLACE.fullmatch(word) and not self._is_name(word):  # 'dhr vissersbuurt': where, not who
                continue
            if match.group(1).strip() or word not in self._names.function_words:
                return True
        return any(self._is_name(m.group(1)) for m in _HOUSEHOLD.finditer(text))

    def _initials(self, text: str) -> bool:
        """'j. jansen', 'a.b. de vries', 'j jansen'."""
        for match in _INITIALS.finditer(text):
            if match.group(1).strip() or match.group(2).casefold() not in self._names.ordinary:
                return True
        return any(self._is_name(m.group(2)) for m in _BARE_INITIAL.finditer(text))

    def _names_in(self, text: str) -> bool:
        """'de boer', 'van dijk', 'sophie jansen': a surname after an interfix, or first name + surname."""
        if any(self._is_name(m.group(1)) for m in _INTERFIX_NAME.finditer(text)):
            return True
        words = [w.casefold() for w in _TOKEN.findall(text)]
        first, ordinary = self._names.first_names, self._names.ordinary
        return any(
            a in first and a not in ordinary and (self._is_name(b) or b not in ordinary)
            for a, b in zip(words, words[1:], strict=False)
        )


def is_identifying_label(label: str, scrubber: PiiScrubber) -> bool:
    """One-off check (builds a LabelChecker; keep one LabelChecker for repeated use)."""
    return LabelChecker(scrubber).check(label).identifying
