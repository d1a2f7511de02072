"""Find and replace personal data in user text before it is stored or sent to an LLM.

One scrubber guards everything: the LLM request, anything stored (referral labels) and the label check.
Numbers, addresses and dates come from patterns.py; names from deduce (names.py) plus name_rules.py.
deduce and the word lists load lazily, on first use or warm_up(), never at import.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.privacy.name_rules import PARTICLES, NameRules
from bot.privacy.names import DeduceNameFinder, part_of_proper_noun
from bot.privacy.patterns import (
    elfproef,
    find_emails,
    find_numbers_and_places,
    find_titled_names,
    has_long_number,
    iban_valid,
)
from bot.privacy.vocabulary import Vocabulary, words

__all__ = ["PLACEHOLDERS", "PiiFinding", "PiiScrubber", "Scrubbed", "elfproef", "iban_valid"]

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


@dataclass(frozen=True, slots=True)
class PiiFinding:
    kind: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Scrubbed:
    text: str
    kinds: tuple[str, ...]  # kinds found, in order of first appearance


def _resolve_overlaps(findings: list[PiiFinding]) -> list[PiiFinding]:
    """Keep non-overlapping findings: longer spans first, then higher rank."""
    ordered = sorted(findings, key=lambda f: (-(f.end - f.start), -_RANK[f.kind], f.start))
    kept: list[PiiFinding] = []
    for finding in ordered:
        if all(finding.end <= k.start or finding.start >= k.end for k in kept):
            kept.append(finding)
    return sorted(kept, key=lambda f: f.start)


def _absorb_names(findings: list[PiiFinding]) -> list[PiiFinding]:
    """A name inside or across a street address is part of the street: 'Laan van Kronenburg 12-b'."""
    addresses = [f for f in findings if f.kind == "adres"]
    out = [f for f in findings if f.kind != "adres"]
    for name in [f for f in out if f.kind == "naam"]:
        for i, adres in enumerate(addresses):
            if name.start < adres.end and adres.start < name.end:
                addresses[i] = PiiFinding("adres", min(name.start, adres.start), max(name.end, adres.end))
                out.remove(name)
                break
    return out + addresses


_ADDRESS_GAP = re.compile(r"[ \t]*[,/|-]?[ \t]*")


def _join_addresses(text: str, findings: list[PiiFinding]) -> list[PiiFinding]:
    """One address for street, number, postcode and city: 'Hoofdweg 12, 3035 KL Rotterdam'.

    A name right after a postcode is a city here ('1234 AB Zwolle'), so it joins the address.
    """
    out: list[PiiFinding] = []
    for finding in findings:
        last = out[-1] if out else None
        if (
            last is not None
            and last.kind == "adres"
            and finding.kind in {"adres", "naam"}
            and _ADDRESS_GAP.fullmatch(text, last.end, finding.start)
            and (finding.kind == "adres" or text[last.start : last.end][-2:].isalpha())
        ):
            out[-1] = PiiFinding("adres", last.start, finding.end)
        else:
            out.append(finding)
    return out


# Words before a place name: 'in Amsterdam', 'Hogeschool van Amsterdam' ('van' after an organisation word).
_PLACE_CUES = frozenset(
    [
        "in",
        "uit",
        "naar",
        "te",
        "bij",
        "rond",
        "nabij",
        "vanuit",
        "richting",
        "gemeente",
        "hogeschool",
        "universiteit",
    ]
)


class PiiScrubber:
    """Detects BSN, phone, e-mail, IBAN, address, date of birth and names; replaces them by placeholders.

    use_deduce=False keeps to the patterns and the title rule (no word lists): fast, for tests and fallbacks.
    """

    def __init__(self, *, use_deduce: bool = True) -> None:
        self._names = DeduceNameFinder() if use_deduce else None
        self._vocab = Vocabulary() if use_deduce else None
        self._rules = NameRules(self._vocab) if self._vocab is not None else None

    def warm_up(self) -> None:
        """Load deduce and the word lists now (once per instance) instead of on the first message."""
        if self._names is not None and self._vocab is not None:
            self._names.load()
            self._vocab.load()

    def find(self, text: str) -> list[PiiFinding]:
        """All personal-data spans in text, sorted and non-overlapping."""
        if not text or not text.strip():
            return []
        spans = find_numbers_and_places(text) + find_emails(text)
        names = find_titled_names(text) if self._rules is None else self._name_spans(text)
        findings = [PiiFinding(k, s, e) for k, s, e in spans] + [PiiFinding("naam", s, e) for s, e in names]
        return _join_addresses(text, _resolve_overlaps(_absorb_names(findings)))

    def _name_spans(self, text: str) -> list[tuple[int, int]]:
        assert self._names is not None and self._rules is not None and self._vocab is not None
        spans = [(s.start, s.end) for s in self._names.find(text)] + self._rules.find(text)
        public = self._vocab.public_name_spans(text)
        return [
            (s, e)
            for s, e in spans
            if not part_of_proper_noun(text, s, e)
            and not any(s < pe and ps < e for ps, pe in public)
            and not self._ordinary_word(text[s:e])
            and not self._place(text, s, e)
        ]

    def _place(self, text: str, start: int, end: int) -> bool:
        """A Dutch place name without a title in front: 'in Amsterdam', 'Hogeschool van Amsterdam'."""
        assert self._vocab is not None
        parts = [w for w in words(text[start:end]) if w not in PARTICLES]
        if not parts or not all(self._vocab.is_place(w) for w in parts):
            return False
        before = words(text[max(0, start - 16) : start])
        if len(before) >= 2 and before[-1] == "van":
            before = before[:-1]  # 'Hogeschool van Amsterdam'
        return bool(before) and before[-1] in _PLACE_CUES

    def _ordinary_word(self, span: str) -> bool:
        """One word that is an ordinary Dutch word and no listed name ('Buurman' at the start of a sentence)."""
        assert self._vocab is not None
        if " " in span.strip() or not span.isalpha():
            return False
        vocab = self._vocab
        return vocab.is_common(span) or (vocab.in_any_dictionary(span) and not vocab.is_name(span))

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

    def check_label(self, label: str) -> bool:
        """True when a short case label could identify someone: refuse it.

        Stricter than find(): any run of 8+ digits counts (even without a valid checksum); and as in every
        short text, a word that is not Dutch counts as a name ("Amrani").
        """
        if not label.strip():
            return False
        if has_long_number(label):
            return True
        return bool(self.find(label))
