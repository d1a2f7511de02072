"""Safety data (knowledge/veiligheid.yaml): the short forced-acute list, messages, and fitting partner kinds."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from bot.kaart.model import Service
from bot.safety.lines import NationalLines, load_lines
from bot.understanding.lexicon import compile_phrase
from bot.understanding.normalize import fold
from bot.understanding.service_models import ServiceModels
from bot.understanding.service_rows import DIRECTORY, NO_KIND, load_services
from bot.understanding.taxonomy import Taxonomy, TaxonomyError
from bot.yaml_loader import load_yaml

if TYPE_CHECKING:
    from bot.understanding.partner_kinds import KindWords

EMERGENCY = "Bij direct gevaar: bel 112."
CRISIS_KIND_FLOOR = (
    0.2  # a crisis row's most likely kind counts from here (below: the closest crisis service)
)


@dataclass(frozen=True, slots=True)
class AcuteMatch:
    danger: str
    phrase: str


@dataclass(frozen=True, slots=True)
class SafetyData:
    """Forced-acute phrases per danger type, message texts, and partner kinds per danger and level."""

    phrases: tuple[tuple[str, str, re.Pattern[str]], ...]
    texts: dict[str, str]
    lines: dict[str, str]
    partners: dict[str, dict[str, tuple[str, ...]]]
    kinds: dict[str, tuple[str, ...]]
    meldcode_dangers: frozenset[str] = field(default_factory=frozenset)
    kind_patterns: dict[str, tuple[re.Pattern[str], ...]] = field(default_factory=dict)
    described: dict[str, tuple[re.Pattern[str], ...]] = field(default_factory=dict)
    phone_kinds: dict[str, str] = field(default_factory=dict)  # national line key -> partner kind
    national: NationalLines | None = None
    learned: ServiceModels | None = None  # classifiers trained on knowledge/diensten (lazily, once)

    def forced(self, expanded: str) -> AcuteMatch | None:
        """The first unambiguous acute phrase in an (abbreviation-expanded, folded) text that is not negated: 'wil
        geen eind aan zijn leven maken' matches 'wil .. eind aan .. leven' with 'geen' in between (round 19)."""
        for danger, phrase, pattern in self.phrases:
            if any(not _negated_phrase(expanded, m) for m in pattern.finditer(expanded)):
                return AcuteMatch(danger, phrase)
        return None

    def message(self, level: str, danger: str | None) -> str:
        """The safety line: always 112, plus the national line that fits the danger type."""
        text = self.texts.get(level, "").strip() or EMERGENCY
        if "112" not in text:
            text = f"{EMERGENCY} {text}"
        line = self.lines.get(danger or "", "")
        return f"{text} {line}".strip() if line and line not in text else text

    def partner_kinds(self, level: str, danger: str | None) -> tuple[str, ...]:
        return self.partners.get(danger or "", {}).get(level, ())

    def kind_of(self, text: str) -> set[str]:
        """Partner kinds whose words occur in a text (a service's name, organisation and themes)."""
        folded = fold(text)
        return {
            kind for kind, patterns in self.kind_patterns.items() if any(p.search(folded) for p in patterns)
        }

    def national_kind(self, phone: str) -> str | None:
        """The partner kind of a national number in a phone field ('112 (spoed) / 0900-8844'), else None."""
        line = self.national.matching(phone) if self.national and phone else None
        return self.phone_kinds.get(line.key) if line is not None else None

    def is_alarm(self, phone: str) -> bool:
        """Whether a kaart phone field carries the national alarm number (112)."""
        line = self.national.matching(phone) if self.national and phone else None
        return line is not None and line.key == "alarm"

    def kinds_of_service(self, service: Service) -> set[str]:
        """The safety partner kinds one kaart row is: learned from labelled kaart rows (knowledge/diensten) with
        a calibrated threshold; a national number in its phone field always counts (that is data, not tuning).
        Without labelled rows: the word lists (kinds_by_words)."""
        return self.kinds_of_services([service])[0]

    def kinds_of_services(self, services: Sequence[Service]) -> list[set[str]]:
        """kinds_of_service for a whole kaart in one batch. A row the kaart itself marks as crisis service that
        reaches no kind at the threshold gets its most likely kind (from CRISIS_KIND_FLOOR): the kaart says it is a
        safety partner, the model only has to say which ('Nachtpost psychische nood' -> crisisdienst)."""
        model = self.learned.kinds if self.learned is not None else None
        if model is None:
            return [self.kinds_by_words(s) for s in services]
        probabilities = model.probabilities(services)
        found = model.kinds_from(probabilities)
        for kinds, service, probs in zip(found, services, probabilities, strict=True):
            national = self.national_kind(service.phone)
            if national:
                kinds.add(national)
            likely = max((k for k in probs if k != NO_KIND), key=lambda k: probs[k], default=None)
            if not kinds and service.crisis and likely and probs[likely] >= CRISIS_KIND_FLOOR:
                kinds.add(likely)
        return found

    def kind_words(self) -> KindWords:
        from bot.understanding.partner_kinds import KindWords  # scikit-learn: loaded where a model is built

        return KindWords(self.kind_patterns, self.described, self.national_kind)

    def kinds_by_words(self, service: Service) -> set[str]:
        """The word-list way (before learning): by name, organisation and themes, by a national number in the
        phone field, and - only for a row marked crisis without a kind from those - by its description."""
        kinds = self.kind_of(" ; ".join([service.name, service.organization, *service.themes]))
        national = self.national_kind(service.phone)
        if national:
            kinds.add(national)
        if kinds:
            return kinds
        folded = fold(service.description)
        counts = {k: sum(1 for p in ps if p.search(folded)) for k, ps in self.described.items()}
        best = max(counts.values(), default=0)
        if best and service.crisis:
            return {k for k, n in counts.items() if n == best}
        return set()


NEGATION_WORD = re.compile(r"\b(?:geen|niet|nooit|no|not|never)\b")
NEGATION_BEFORE = re.compile(r"\b(?:geen|niet|nooit|no|not|never)\s+(?:\w+\s+)?$")


def _negated_phrase(text: str, match: re.Match[str]) -> bool:
    """A forced phrase with a negation inside it, or just before it in the same clause ('niet wil ... springen')."""
    before = re.split(r"[.,;:!?\n]", text[max(0, match.start() - 30) : match.start()])[-1]
    return bool(NEGATION_WORD.search(match.group(0)) or NEGATION_BEFORE.search(before))


def load_safety(path: Path, taxonomy: Taxonomy) -> SafetyData:
    try:
        data = load_yaml(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise TaxonomyError(f"{path.name} is niet leesbaar: {exc}") from None
    phrases: list[tuple[str, str, re.Pattern[str]]] = []
    for danger, items in (data.get("acute_zinnen") or {}).items():
        _check_danger(str(danger), taxonomy, path.name)
        for phrase in items or []:
            try:
                phrases.append((str(danger), str(phrase), compile_phrase(str(phrase))))
            except re.error as exc:
                raise TaxonomyError(f"{path.name}: zin '{phrase}' is ongeldig ({exc}).") from None
    partners = {str(d): {str(lv): tuple(str(k) for k in kinds) for lv, kinds in (levels or {}).items()}
                for d, levels in (data.get("partners") or {}).items()}  # fmt: skip
    kinds = {str(k): tuple(str(w) for w in v or []) for k, v in (data.get("soorten_partner") or {}).items()}
    unknown = {k for levels in partners.values() for ks in levels.values() for k in ks} - set(kinds)
    if unknown:
        raise TaxonomyError(f"{path.name}: onbekende soort partner {', '.join(sorted(unknown))}.")
    for danger in [*partners, *(data.get("lijnen") or {})]:
        _check_danger(str(danger), taxonomy, path.name)
    national = load_lines(path.parent / "landelijke_lijnen.yaml")
    described = {
        str(k): tuple(str(w) for w in v or []) for k, v in (data.get("soorten_in_beschrijving") or {}).items()
    }
    phone_kinds = {str(k): str(v) for k, v in (data.get("soorten_per_landelijke_lijn") or {}).items()}
    unknown = (set(described) | set(phone_kinds.values())) - set(kinds)
    unknown |= {f"lijn {k}" for k in phone_kinds if k not in national.lines}
    if unknown:
        raise TaxonomyError(f"{path.name}: onbekende soort partner of lijn {', '.join(sorted(unknown))}.")
    safety = SafetyData(phrases=tuple(phrases), texts=_strings(data.get("teksten")),
                      lines=_numbered(_strings(data.get("lijnen")), national), partners=partners, kinds=kinds,
                      meldcode_dangers=frozenset(str(d) for d in data.get("meldcode_bij") or []),
                      kind_patterns=_patterns(kinds, path.name), described=_patterns(described, path.name),
                      phone_kinds=phone_kinds, national=national)  # fmt: skip
    rows = load_services(path.parent / DIRECTORY, taxonomy, set(kinds))
    learned = ServiceModels(rows, safety.kind_words, kinds=list(kinds), domain_ids=taxonomy.ids)
    return replace(safety, learned=learned)


def _patterns(words: dict[str, tuple[str, ...]], source: str) -> dict[str, tuple[re.Pattern[str], ...]]:
    try:
        return {kind: tuple(compile_phrase(w) for w in ws) for kind, ws in words.items()}
    except re.error as exc:
        raise TaxonomyError(f"{source}: ongeldige zin bij soorten partner ({exc}).") from None


def _numbered(lines: dict[str, str], national: NationalLines) -> dict[str, str]:
    """Fill {alarm}, {veilig_thuis}, ... with the numbers from landelijke_lijnen.yaml (defined once)."""
    numbers = {key: line.number for key, line in national.lines.items()}
    try:
        return {danger: text.format(**numbers) for danger, text in lines.items()}
    except (KeyError, IndexError, ValueError) as exc:
        raise TaxonomyError(f"veiligheid.yaml: onbekende lijn {exc} (zie landelijke_lijnen.yaml).") from None


def _strings(value: Any) -> dict[str, str]:
    return {str(k): str(v) for k, v in (value or {}).items()}


def _check_danger(danger: str, taxonomy: Taxonomy, source: str) -> None:
    if danger not in taxonomy.dangers:
        raise TaxonomyError(f"{source}: onbekend soort gevaar '{danger}'.")
