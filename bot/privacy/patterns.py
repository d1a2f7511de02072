"""Regular-expression finders for numbers, addresses and dates, in the many ways people type them.

Each finder returns (kind, start, end) spans. Checksums (elfproef for BSN, mod-97 for IBAN) keep ordinary
numbers out; separators may be spaces, dots, dashes or slashes in any grouping.
"""

from __future__ import annotations

import re

Span = tuple[str, int, int]

# One optional separator between digits: "06 - 1122", "2374.56", "06/123", "(070) 34".
_DIGIT_SEP = r"(?:\)?(?:[ \t]?[-./][ \t]?|[ \t])?)"
_BSN = re.compile(r"(?<![\w.,/+-])(?<!\d[ .-])\d(?:[ .-]?\d){7,8}(?![ .-]?\d)(?!\w)")
_PHONE = re.compile(
    r"(?<![\w+])(?:(?:\+|00)[ \t]?31[ \t.-]?(?:\(0\)[ \t.-]?)?|\(0\)[ \t]?|\(?0)"
    r"(?!8\D{0,3}0\D{0,3}0|9\D{0,3}0\D{0,3}[069])"  # keep 0800 / 0900 / 0906 / 0909 service lines
    r"[1-9](?:" + _DIGIT_SEP + r"\d){8}(?!\d)"
)
_IBAN = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{2}[ -]?\d{2}(?:[ -]?[A-Za-z0-9]){11,30}")
# Countries whose accounts Dutch teams meet, with their IBAN length; any other prefix is no IBAN.
_IBAN_LENGTHS = {
    "NL": 18, "BE": 16, "DE": 22, "FR": 27, "LU": 20, "GB": 22, "ES": 24, "IT": 27, "PT": 25, "PL": 28,
    "TR": 26, "AT": 20, "CH": 21, "IE": 22, "DK": 18, "SE": 24, "NO": 15, "FI": 18, "RO": 24, "BG": 22,
    "HU": 28, "CZ": 24, "SK": 24, "GR": 27, "LT": 20, "LV": 21, "EE": 20, "HR": 21, "SI": 19, "CY": 28,
    "MT": 31,
}  # fmt: skip
_HOUSE = r"(?:[ \t]*,?[ \t]*(?:(?:nr|huisnr|huisnummer|no)\.?:?[ \t]*)?\d{1,5}(?:[ \t]?-?[ \t]?[a-zA-Z](?![\w])|-\d{1,4})?)"
_POSTCODE = re.compile(r"(?<![\w])([1-9]\d{3})[ \t]?([A-Za-z]{2})(?![A-Za-z])(" + _HOUSE + r"?)")
# Two-letter Dutch words: "2016 en 2017", "5 kinderen in 2019 op ..." are no postcodes when lower case.
_NOT_POSTCODE_LETTERS = {
    "en", "in", "op", "de", "om", "te", "is", "of", "al", "nu", "zo", "ze", "je", "we", "na", "ik", "ga",
    "er", "ja", "ca", "pm", "am", "uur", "nr", "mg", "ml", "kg", "km", "cm", "mm", "jr",
}  # fmt: skip
_STREET_SUFFIX = (
    r"(?:straat|laan|weg|plein|gracht|kade|dijk|singel|hof|pad|steeg|dreef|markt|plantsoen|hoven|allee|"
    r"boulevard|kwartier|haven|wal|park|veld|oord|burcht|gaarde|wetering|vaart|baan|str\.?|ln\.?)"
)
# A house number with what people add to it: "45-II", "7 bis", "114 A", "21 hs", "3-bg", "11-1", "nr 263".
_HOUSE_NUMBER = (
    r"(?:(?:nr|no|huisnummer)\.?[ \t]?)?(\d{1,4})"
    r"(?:[ \t]?-?[ \t]?(?:bis|hs|bg|hg|boven|III|II|IV|I|[a-zA-Z])(?![\w])|[ \t]?[-/][ \t]?\d{1,4}(?!\d)(?![ \t]?[A-Za-z]{2}(?![A-Za-z])))?"
    r"(?![\d,.]\d)(?![ \t]*(?:keer|jaar|jr|uur|kinderen|weken|dagen|maanden|euro|minuten|%))"
)
_STREET = re.compile(
    r"(?<![\w])[A-Za-zÀ-ÿ][\w'’-]*" + _STREET_SUFFIX + r"[ \t]?" + _HOUSE_NUMBER,
    re.IGNORECASE,
)
# "Oude Gracht 118", "Nieuwe Markt 3": the street word on its own after a capitalised word.
_STREET_WORD = re.compile(
    r"(?<![\w])(?:[A-Z][\w'’-]*[ \t]){1,3}(?:Straat|Laan|Weg|Plein|Gracht|Kade|Dijk|Singel|Hof|Steeg|Dreef|"
    r"Markt|Haven|Wal|Park|Baan)[ \t]" + _HOUSE_NUMBER
)
# "Laan van Meerdervoort 114 A", "laan van nieuw oost-indie 302", "Weg naar de Bron 16".
_STREET_OF = re.compile(
    r"(?<![\w])(?:laan|weg|plein|kade|dreef|park|hof|singel|straat|pad|dijk|gracht|markt)[ \t]"
    r"(?:(?:van|de|der|den|het|'t|ter|ten|op|aan|naar|in|tot|bij)[ \t]){1,3}(?:[^\W\d][\w'’-]*[ \t]){1,3}"
    + _HOUSE_NUMBER,
    re.IGNORECASE,
)
_STREET_LEAD = re.compile(r"(?:(?:[A-ZÀ-Ý][\w'’.-]*|\d{1,2}e|van|de|der|den|het|'t|ter|ten)[ \t]){1,3}$")
_PARTICLE_LEAD = re.compile(r"(?:(?:\d{1,2}e|van|de|der|den|het|'t|ter|ten)[ \t]){1,3}$", re.IGNORECASE)
# A city after a postcode: "3035 KL Rotterdam", "1411 bh Naarden", "2595 AA Den Haag", "'s-Hertogenbosch".
_CITY_AFTER = re.compile(
    r"[ \t,]{1,3}((?:'s-)?[A-Z][\w'’-]+(?:[ \t](?:aan|op|den|de|der|[A-Z][\w'’-]+)){0,3})"
)
_MONTHS = (
    r"(?:jan(?:uari)?|feb(?:r(?:uari)?)?|maart|mrt|apr(?:il)?|mei|jun[i]?|jul[i]?|aug(?:ustus)?|"
    r"sep(?:t(?:ember)?)?|okt(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_YEAR = r"(?:(?:19|20)\d{2}|'\d{2})"
_DATE = re.compile(
    r"(?<![\w/.-])(?:[0-3]?\d[-/.][01]?\d[-/.](?:" + _YEAR + r"|\d{2})(?![\d])"
    r"|[0-3]?\d\.?[ \t]" + _MONTHS + r"\.?[ \t]" + _YEAR + r"|(?:19|20)\d{2}-[01]\d-[0-3]\d)(?!\w)",
    re.IGNORECASE,
)
_BIRTH = re.compile(
    r"\b(?:geboren|geb\.?|geboortedatum|geb\.?datum)(?:[ \t]+(?:op|in))?:?[ \t]*(?:" + _MONTHS + r"\.?[ \t])?"
    r"(?:" + _YEAR + r")(?![\w/.-])",
    re.IGNORECASE,
)
# A birthday without a year: "jarig op 23 augustus", "verjaardag 4 juli", "geboren op 3 mei".
_BIRTHDAY = re.compile(
    r"\b(?:jarig|verjaardag|geboren|geb\.?|geboortedag)(?:[ \t]+(?:op|is))?:?[ \t]*([0-3]?\d\.?[ \t]"
    + _MONTHS
    + r")\.?(?!\w)",
    re.IGNORECASE,
)
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}")
# Without word lists: a title followed by a capitalised word is a name.
_TITLED_NAME = re.compile(
    r"\b(?:[Mm]evrouw|[Mm]eneer|[Mm]evr\.?|[Mm]w\.?|[Dd]hr\.?|[Hh]eer|[Ff]amilie|[Ff]am\.?|[Gg]ezin)"
    r" (?:(?:van|de|der|den|el|al|ten|ter)\s)*[A-Z][\w'-]+"
)
_LONG_NUMBER = re.compile(r"\d(?:[ .-]?\d){7,}")


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
    if len(compact) != _IBAN_LENGTHS.get(compact[:2], 0):
        return False
    rearranged = compact[4:] + compact[:4]
    return int("".join(str(int(ch, 36)) for ch in rearranged)) % 97 == 1


_DATE_SHAPE = re.compile(r"[0-3]?\d([-/.])[01]?\d\1(?:19|20)\d{2}")


def find_bsns(text: str) -> list[Span]:
    """9 digits (or 8, with an implied leading 0) in any grouping, passing the elfproef; dates excluded."""
    return [
        ("bsn", m.start(), m.end())
        for m in _BSN.finditer(text)
        if elfproef(re.sub(r"\D", "", m.group(0))) and not _DATE_SHAPE.fullmatch(m.group(0))
    ]


def find_ibans(text: str) -> list[Span]:
    found: list[Span] = []
    for match in _IBAN.finditer(text):
        raw = match.group(0)
        # The pattern may swallow a following short word: take the longest valid prefix.
        for end in range(len(raw), 14, -1):
            if raw[end - 1] in " -":
                continue
            if iban_valid(re.sub(r"[ -]", "", raw[:end])):
                found.append(("iban", match.start(), match.start() + end))
                break
    return found


def find_phones(text: str) -> list[Span]:
    return [("telefoon", m.start(), m.end()) for m in _PHONE.finditer(text)]


def find_postcodes(text: str) -> list[Span]:
    found: list[Span] = []
    for m in _POSTCODE.finditer(text):
        letters = m.group(2)
        before = text[max(0, m.start() - 12) : m.start()].lower()
        if letters.islower() and letters in _NOT_POSTCODE_LETTERS and "postcode" not in before:
            continue
        if letters.lower() in {"ss", "sa", "sd"}:  # never issued
            continue
        found.append(("adres", m.start(), city_after(text, m.end())))
    return found


def find_streets(text: str) -> list[Span]:
    """Street + house number, with the words in front that belong to the street name."""
    found: list[Span] = []
    for m in _STREET.finditer(text):
        start = m.start()
        before = text[max(0, start - 40) : start]
        lead = _STREET_LEAD.search(before) if m.group(0)[0].isupper() else _PARTICLE_LEAD.search(before)
        if lead is not None:
            start -= len(lead.group(0))
        found.append(("adres", start, m.end()))
    found += [("adres", m.start(), m.end()) for m in _STREET_WORD.finditer(text)]
    return found + [("adres", m.start(), m.end()) for m in _STREET_OF.finditer(text)]


def city_after(text: str, end: int) -> int:
    """End of a capitalised place name right after a postcode (or end itself)."""
    m = _CITY_AFTER.match(text, end)
    return m.end() if m else end


def find_dates(text: str) -> list[Span]:
    spans = [("datum", m.start(), m.end()) for m in _DATE.finditer(text)]
    spans += [("datum", m.start(1), m.end(1)) for m in _BIRTHDAY.finditer(text)]
    return spans + [("datum", m.start(), m.end()) for m in _BIRTH.finditer(text)]


def find_numbers_and_places(text: str) -> list[Span]:
    """Every regex-based finding: BSN, phone, IBAN, postcode, street address, date."""
    return (
        find_ibans(text)
        + find_bsns(text)
        + find_phones(text)
        + find_postcodes(text)
        + find_streets(text)
        + find_dates(text)
    )


def find_emails(text: str) -> list[Span]:
    return [("email", m.start(), m.end()) for m in _EMAIL.finditer(text)]


def find_titled_names(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _TITLED_NAME.finditer(text)]


def has_long_number(text: str) -> bool:
    """Any run of 8+ digits (with separators), checksum or not: too much for a label."""
    return bool(_LONG_NUMBER.search(text))
