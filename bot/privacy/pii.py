"""Find and replace personal data in user text before it is stored or sent to an LLM."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.privacy.names import DeduceNameFinder

PLACEHOLDERS = {
    "bsn": "[BSN]",
    "telefoon": "[TELEFOON]",
    "email": "[E-MAIL]",
    "iban": "[IBAN]",
    "adres": "[ADRES]",
    "datum": "[DATUM]",
    "naam": "[NAAM]",
}
# When two findings overlap, the longer span wins (a BSN-like tail of a phone number stays a phone
# number); on equal length the kind with the higher rank wins.
_RANK = {"email": 7, "iban": 6, "bsn": 5, "telefoon": 4, "adres": 3, "datum": 2, "naam": 1}

_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}")
_SEP = r"[ \t.-]?"
# Dutch numbers: 0 or +31/0031 (optionally "(0)"), then 9 digits; service numbers 0800/090x are kept.
_PHONE = re.compile(
    r"(?<![\w+])(?:(?:\+|00)31[ \t-]?(?:\(0\)[ \t-]?)?|\(?0)(?!8\D?0\D?0|9\D?0\D?[069])"
    r"[1-9]\)?(?:" + _SEP + r"\d){8}(?![\d])"
)
_BSN = re.compile(r"(?<![\d.-])(?:\d{3}[. ]\d{3}[. ]\d{3}|\d{8,9})(?![\d]|[.-]\d)")
_IBAN = re.compile(r"\b[A-Za-z]{2}\d{2}(?: ?[A-Za-z0-9]{4}){2,7}(?: ?[A-Za-z0-9]{1,3})?\b")
_IBAN_LENGTHS = {"NL": 18, "BE": 16, "DE": 22, "FR": 27, "LU": 20, "GB": 22}
_POSTCODE = re.compile(
    r"\b[1-9]\d{3}(?: ?[A-Z]{2}|[a-z]{2})\b(?:,? ?(?:nr\.? ?)?\d{1,5}(?: ?[a-zA-Z]\b|-\d{1,4})?)?"
)
_STREET = re.compile(
    r"\b[A-Z][a-zà-ÿ]+(?:[ -][A-Z]?[a-zà-ÿ]+)?(?:straat|laan|weg|plein|gracht|kade|dijk|singel|hof|pad|"
    r"steeg|park|dreef|baan|markt|plantsoen|hoven)"
    r" ?\d{1,4}(?: ?[a-zA-Z]\b|-\d{1,4})?"
)
_MONTHS = (
    r"(?:jan(?:uari)?|feb(?:ruari)?|maart|mrt|apr(?:il)?|mei|jun[i]?|jul[i]?|aug(?:ustus)?|"
    r"sep(?:t(?:ember)?)?|okt(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_DATE = re.compile(
    r"\b(?:[0-3]?\d[-/.][01]?\d[-/.](?:19|20)\d{2}|[0-3]?\d[-/.][01]?\d[-/.]\d{2}(?![\d])"
    r"|[0-3]?\d\.? " + _MONTHS + r"\.? (?:19|20)\d{2})\b",
    re.IGNORECASE,
)
_BIRTH = re.compile(
    r"\b(?:geboren|geb\.|geboortedatum:?)(?: (?:op|in|:))? ?(?:[0-3]?\d[-/. ]" + _MONTHS + r"?\.?[-/. ]?)?"
    r"(?:[01]?\d[-/.])?(?:19|20)\d{2}\b",
    re.IGNORECASE,
)
# A title followed by a capitalised word: a name even without deduce.
_TITLED_NAME = re.compile(
    r"\b(?:[Mm]evrouw|[Mm]eneer|[Mm]evr\.|[Mm]w\.|[Dd]hr\.|[Hh]eer|[Ff]amilie|[Gg]ezin)"
    r" (?:(?:van|de|der|den|el|al|ten|ter)\s)*[A-Z][\w'-]+"
)
_LONG_NUMBER = re.compile(r"\d[\d .-]{6,}\d")


@dataclass(frozen=True, slots=True)
class PiiFinding:
    kind: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Scrubbed:
    text: str
    kinds: tuple[str, ...]  # kinds found, in order of first appearance


def elfproef(digits: str) -> bool:
    """True for a valid BSN (8 digits get an implied leading 0)."""
    if len(digits) == 8:
        digits = "0" + digits
    if len(digits) != 9 or not digits.isdigit() or digits == "000000000":
        return False
    total = sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True))
    return (total - int(digits[8])) % 11 == 0


def iban_valid(compact: str) -> bool:
    """ISO 13616 mod-97 check on an IBAN without spaces."""
    compact = compact.upper()
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{11,30}", compact):
        return False
    expected = _IBAN_LENGTHS.get(compact[:2])
    if expected is not None and len(compact) != expected:
        return False
    rearranged = compact[4:] + compact[:4]
    number = "".join(str(int(ch, 36)) for ch in rearranged)
    return int(number) % 97 == 1


def _find_ibans(text: str) -> list[PiiFinding]:
    found: list[PiiFinding] = []
    for match in _IBAN.finditer(text):
        raw = match.group(0)
        # The pattern may swallow a following short word: try the longest valid prefix.
        for end in range(len(raw), 14, -1):
            if raw[end - 1] == " ":
                continue
            if iban_valid(raw[:end].replace(" ", "")):
                found.append(PiiFinding("iban", match.start(), match.start() + end))
                break
    return found


def _find_bsns(text: str) -> list[PiiFinding]:
    return [
        PiiFinding("bsn", m.start(), m.end())
        for m in _BSN.finditer(text)
        if elfproef(re.sub(r"\D", "", m.group(0)))
    ]


def _find_simple(text: str) -> list[PiiFinding]:
    found: list[PiiFinding] = []
    for kind, pattern in (
        ("email", _EMAIL),
        ("telefoon", _PHONE),
        ("adres", _POSTCODE),
        ("adres", _STREET),
        ("datum", _DATE),
        ("datum", _BIRTH),
        ("naam", _TITLED_NAME),
    ):
        found.extend(PiiFinding(kind, m.start(), m.end()) for m in pattern.finditer(text))
    return found


def _resolve_overlaps(findings: list[PiiFinding]) -> list[PiiFinding]:
    """Keep non-overlapping findings: longer spans first, then higher rank."""
    ordered = sorted(findings, key=lambda f: (-(f.end - f.start), -_RANK[f.kind], f.start))
    kept: list[PiiFinding] = []
    for finding in ordered:
        if all(finding.end <= k.start or finding.start >= k.end for k in kept):
            kept.append(finding)
    return sorted(kept, key=lambda f: f.start)


class PiiScrubber:
    """Detects BSN, phone, e-mail, IBAN, address, date of birth and names; replaces them by placeholders."""

    def __init__(self, *, use_deduce: bool = True) -> None:
        self._names = DeduceNameFinder() if use_deduce else None

    def warm_up(self) -> None:
        """Load deduce now (once per instance) instead of on the first message."""
        if self._names is not None:
            self._names.load()

    def find(self, text: str) -> list[PiiFinding]:
        """All personal-data spans in text, sorted and non-overlapping."""
        if not text:
            return []
        findings = _find_ibans(text) + _find_bsns(text) + _find_simple(text)
        if self._names is not None:
            findings.extend(PiiFinding("naam", s.start, s.end) for s in self._names.find(text))
        return _resolve_overlaps(findings)

    def scrub(self, text: str) -> Scrubbed:
        """Replace every finding by its placeholder, e.g. [BSN] or [NAAM]."""
        findings = self.find(text)
        parts: list[str] = []
        cursor = 0
        kinds: list[str] = []
        for finding in findings:
            parts.append(text[cursor : finding.start])
            parts.append(PLACEHOLDERS[finding.kind])
            cursor = finding.end
            if finding.kind not in kinds:
                kinds.append(finding.kind)
        parts.append(text[cursor:])
        return Scrubbed(text="".join(parts), kinds=tuple(kinds))

    def looks_identifying(self, label: str) -> bool:
        """True when a case label holds a name, BSN, phone number, address, e-mail, IBAN or date.

        Stricter than find(): any run of 8+ digits counts, even when it fails the elfproef.
        """
        if not label.strip():
            return False
        if _LONG_NUMBER.search(label):
            return True
        return bool(self.find(label))
