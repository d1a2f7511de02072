"""The Dutch signal lexicon (knowledge/signalen.yaml): phrases and patterns that point to a levensgebied."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml

from bot.understanding.literals import NeedleFilter, can_match, required_literals
from bot.understanding.matcher import PhraseMatcher
from bot.understanding.normalize import Negation, Normalizer, fold
from bot.understanding.taxonomy import TaxonomyError as KaartError
from bot.yaml_loader import load_yaml

RECENT_READS = 256
_HELD: list[int] = []  # sizes asked by reads_kept(), innermost last


@contextlib.contextmanager
def reads_kept(size: int) -> Iterator[None]:
    """Within: every lexicon remembers up to `size` situations it read, not RECENT_READS, so a build that reads the
    same texts in several steps reads each once (the situation training: the learned order's texts are read when
    their vectors are rehearsed and again when the order is fitted; perf18). A read is a pure function of the text,
    so the results are the same. After, the memo shrinks back at the next read."""
    _HELD.append(size)
    try:
        yield
    finally:
        _HELD.remove(size)


SafetyLevel = Literal["acute", "zorg"]


@dataclass(frozen=True, slots=True)
class Domain:
    """One levensgebied: id, Dutch label, example sentences for dense matching, linked vraagstuk."""

    id: str
    label: str
    examples: tuple[str, ...]
    vraagstuk: int | None = None
    general: bool = False
    safety: bool = False
    preferred: tuple[str, ...] = ()  # name words of the partner to put first (e.g. Veilig Thuis)


@dataclass(frozen=True, slots=True)
class Signal:
    """One compiled lexicon entry."""

    domain: str
    phrase: str
    pattern: re.Pattern[str]
    weight: float
    level: SafetyLevel | None = None
    prefer: tuple[str, ...] = ()
    anchor: str = ""  # a substring every match contains ("" = unknown, always try the pattern)
    simple: bool = True  # usable on service texts (not a situation-only phrase pattern)
    person: bool = False  # a person word (kind, ouders, oma): only counts next to a real signal
    companions: tuple[str, ...] = ()  # other domains whose signals also let this person word count
    literals: tuple[str, ...] = ()  # without an anchor: every match contains one of these (a speed-up only)


@dataclass(frozen=True, slots=True)
class Combination:
    """A rule over one sentence: every group has at least `minimum` different words present, no `unless` word.

    Used for signals that are only alarming together (a child + an injury; a message + farewell words), and,
    with `defuse`, for everyday explanations that cancel a domain's hits in that sentence.
    """

    domain: str
    name: str
    groups: tuple[tuple[tuple[re.Pattern[str], ...], int], ...]
    unless: tuple[re.Pattern[str], ...] = ()
    weight: float = 1.0
    level: SafetyLevel | None = None
    prefer: tuple[str, ...] = ()
    defuse: tuple[str, ...] = ()  # domains whose hits this rule removes (ontkrachters)
    # True when no pattern looks past its own match (no anchors or lookarounds): then a group that cannot match
    # the whole text cannot match one of its sentences either, so the rule is skipped with one search per word.
    local: bool = False

    def may_match(self, text: str) -> bool:
        """False when this rule cannot hold for any sentence of `text` (cheap test on the whole text)."""
        if not self.local:
            return True
        return all(sum(1 for p in patterns if can_match(p, text) and p.search(text)) >= minimum
                   for patterns, minimum in self.groups)  # fmt: skip


@dataclass(frozen=True, slots=True)
class SignalHit:
    """A signal found in a text: which words matched and for which domain."""

    domain: str
    phrase: str
    matched: str
    weight: float
    level: SafetyLevel | None
    start: int = 0
    prefer: tuple[str, ...] = ()
    person: bool = False
    companions: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Detection:
    """Signal hits in a situation, and the spans that say a problem is absent (for dense matching too)."""

    hits: list[SignalHit]
    quiet: list[tuple[int, int]]


def _hit(signal: Signal, matched: str, start: int) -> SignalHit:
    return SignalHit(signal.domain, signal.phrase, matched, signal.weight, signal.level, start, signal.prefer,
                     signal.person, signal.companions)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Lexicon:
    """All domains and signals, plus the advice mapping and safety texts."""

    domains: dict[str, Domain]
    signals: tuple[Signal, ...]
    theme_signals: tuple[Signal, ...]
    safety_messages: dict[str, str] = field(default_factory=dict)
    meldcode: str = ""
    advice: dict[str, Any] = field(default_factory=dict)
    normalizer: Normalizer = field(default_factory=Normalizer)
    matcher: PhraseMatcher | None = None
    prototypes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    acute_prototypes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    combinations: tuple[Combination, ...] = ()
    negation: Negation = field(default_factory=Negation)
    outside: tuple[str, ...] = ()  # example questions outside the sociaal domein (grofvuil, parkeren)
    # The last situations read: the engine (intent) and the suggester read the same text in one turn (issue #12).
    _recent: dict[str, Detection] = field(default_factory=dict, init=False, repr=False, compare=False)
    # Needle filters (bot.understanding.literals), built at first use: which patterns may match a text.
    _filters: dict[str, Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    def detect(self, text: str, *, themes: bool = False) -> list[SignalHit]:
        """All signal hits in `text`; see `read` (situations) for the negation spans as well."""
        return self.read(text, themes=themes).hits

    def read(self, text: str, *, themes: bool = False) -> Detection:
        """All signal hits in `text` (folded); a situation read moments ago comes from a small memo."""
        if themes:
            return self._read(text, themes=True)
        found = self._recent.get(text)
        if found is None:
            found = self._read(text, themes=False)
            limit = max(RECENT_READS, *_HELD) if _HELD else RECENT_READS
            with contextlib.suppress(RuntimeError):  # another thread changed the memo meanwhile
                while len(self._recent) >= limit:
                    self._recent.pop(next(iter(self._recent), ""), None)  # the oldest entry
            self._recent[text] = found
        return found

    def _read(self, text: str, *, themes: bool) -> Detection:
        """All signal hits in `text` (folded).

        themes=True is for service texts: it adds the theme words and skips situation-only patterns.
        Situations are first expanded (abbreviations) and also matched word by word with inflections and
        compounds (see bot.kaart.matcher).
        """
        expanded = fold(text) if themes else self.normalizer.expand(text)
        folded = expanded if themes else self.normalizer.mask(expanded)
        quiet = [] if themes else self.negation.calm_spans(expanded)
        hits: list[SignalHit] = []
        signals = self.service_signals() if themes else self.signals
        for index in self._signal_filter(themes, signals).candidates(folded):  # skips those that cannot match
            signal = signals[index]
            for match in signal.pattern.finditer(
                folded
            ):  # the first match that is not a false friend or negated
                hit = _hit(signal, match.group(0), match.start())
                if not self._false_friend(folded, match.start(), match.end()) and (
                    themes or not self._negated(folded, hit, quiet)
                ):
                    hits.append(hit)
                    break
        if themes:
            return Detection(hits, [])
        if self.matcher is not None:
            seen = {(h.domain, h.phrase) for h in hits} | {(h.domain, h.start) for h in hits}
            for found in self.matcher.find(self.normalizer.tokens(folded)):
                signal = self.signals[found.signal]
                hit = _hit(signal, folded[found.start : found.end], found.start)
                if not seen & {(signal.domain, signal.phrase), (signal.domain, found.start)}:
                    seen |= {(signal.domain, signal.phrase), (signal.domain, found.start)}
                    if not self._negated(folded, hit, quiet):
                        hits.append(hit)
        if self.combinations:
            hits = self._combine(expanded, hits)
        return Detection(hits, quiet)

    def _negated(self, text: str, hit: SignalHit, quiet: list[tuple[int, int]]) -> bool:
        """True for a problem word that is negated ('geen schulden') or inside a reassurance; adds its span to
        `quiet`. Safety domains are never negated: a false alarm costs less than a missed one."""
        if self.domains[hit.domain].safety:
            return False
        if any(s <= hit.start < e for s, e in quiet):
            return True
        span = self.negation.negated(text, hit.start, hit.start + len(hit.matched), hit.phrase)
        if span is not None:
            quiet.append(span)
        return span is not None

    def _combine(self, text: str, hits: list[SignalHit]) -> list[SignalHit]:
        """Sentence rules: add combination hits, then drop hits that an everyday explanation defuses."""
        added: list[SignalHit] = []
        rules = self._possible_rules(text)
        for sentence in SENTENCE.finditer(text) if rules else ():
            part, offset = sentence.group(0), sentence.start()
            for rule in rules:
                found = combination_match(rule, part)
                if found is None:
                    continue
                start, end, words = found
                start, end = start + offset, end + offset
                if rule.defuse:
                    hits = [h for h in hits if h.domain not in rule.defuse or not start <= h.start < end]
                    added = [h for h in added if h.domain not in rule.defuse or not start <= h.start < end]
                else:
                    added.append(SignalHit(rule.domain, rule.name, " + ".join(words), rule.weight, rule.level,
                                           start, rule.prefer))  # fmt: skip
        return hits + added

    def _signal_filter(self, themes: bool, signals: tuple[Signal, ...]) -> NeedleFilter:
        key = "themes" if themes else "signals"
        if key not in self._filters:  # every match contains the anchor, or one of the literals
            self._filters[key] = NeedleFilter([(s.anchor,) if s.anchor else s.literals for s in signals])
        found: NeedleFilter = self._filters[key]
        return found

    def _possible_rules(self, text: str) -> list[Combination]:
        """The combination rules that may hold in some sentence of `text` (as Combination.may_match, faster)."""
        if "rules" not in self._filters:
            patterns = [
                p for rule in self.combinations if rule.local for group, _ in rule.groups for p in group
            ]
            self._filters["rules"] = (NeedleFilter([required_literals(p) for p in patterns]), patterns)
        needles, patterns = self._filters["rules"]
        maybe = set(needles.candidates(text))
        out, k = [], 0
        for rule in self.combinations:
            if not rule.local:
                out.append(rule)
                continue
            holds = True
            for group, minimum in rule.groups:
                if holds:
                    found = sum(
                        1 for j in range(k, k + len(group)) if j in maybe and patterns[j].search(text)
                    )
                    holds = found >= minimum
                k += len(group)
            if holds:
                out.append(rule)
        return out

    def _false_friend(self, text: str, start: int, end: int) -> bool:
        """True when the match lies inside a word that only looks like a signal (geweldig, onschuldig)."""
        if not self.normalizer.false_friends:
            return False
        while start > 0 and text[start - 1].isalnum():
            start -= 1
        while end < len(text) and text[end].isalnum():
            end += 1
        return any(w in self.normalizer.false_friends for w in re.findall(r"\w+", text[start:end]))

    def service_signals(self) -> tuple[Signal, ...]:
        return tuple(s for s in self.signals if s.simple) + self.theme_signals

    def general_domain(self) -> str | None:
        return next((d.id for d in self.domains.values() if d.general), None)


SENTENCE = re.compile(r"[^.!?;\n]+")
NONLOCAL = re.compile(r"\^|\$|\\[AZzG]|\(\?<?[=!]")  # anchors and lookarounds see past a sentence


def combination_match(rule: Combination, sentence: str) -> tuple[int, int, list[str]] | None:
    """(0, len(sentence), matched words) when the rule holds for this sentence, else None."""
    if any(p.search(sentence) for p in rule.unless):
        return None
    words: list[str] = []
    used: list[tuple[int, int]] = []  # one word cannot count for two groups ('afscheidsfeest')
    for patterns, minimum in rule.groups:
        found: dict[str, tuple[int, int]] = {}
        for pattern in patterns:
            match = next((m for m in pattern.finditer(sentence)
                          if not any(m.start() < e and s < m.end() for s, e in used)), None)  # fmt: skip
            if match is not None:
                found.setdefault(match.group(0).strip(), match.span())
        if len(found) < minimum:
            return None
        used += list(found.values())
        words.append(next(iter(found)))
    return 0, len(sentence), words


def compile_phrase(phrase: str) -> re.Pattern[str]:
    """Compile a lexicon phrase.

    'word' matches words starting with it (deurwaarder -> deurwaarders); '*word' also inside a compound
    (*schuld -> huurschuld); 're:...' is a raw regular expression over folded text; words in a phrase may
    have up to two words between them when joined with ' .. '.
    """
    if phrase.startswith("re:"):
        return re.compile(phrase[3:])
    parts = []
    for chunk in fold(phrase).split(" .. "):
        words = []
        for word in chunk.split():
            if word.startswith("*"):
                words.append(r"\w*" + re.escape(word[1:]) + r"\w*")
            else:
                words.append(r"\b" + re.escape(word) + r"\w*")
        parts.append(r"\W+".join(words))
    return re.compile(r"(?:\W+\w+){0,2}?\W+".join(parts))


def _anchor(phrase: str) -> str:
    if phrase.startswith("re:"):
        return ""
    first = fold(phrase).split()[0] if phrase.split() else ""
    return first.lstrip("*")


def _simple(phrase: str) -> bool:
    """Plain phrases and one-word patterns like 're:\\bww\\b' also work on service descriptions."""
    return not phrase.startswith("re:") or (" " not in phrase and ".{" not in phrase)


def _signals(entries: list[dict[str, Any]], *, source: str) -> list[Signal]:
    out: list[Signal] = []
    for entry in entries:
        domain = entry["domein"]
        weight = float(entry.get("gewicht", 1.0))
        level = entry.get("veiligheid")
        prefer = tuple(fold(str(p)) for p in entry.get("voorkeur", []))
        for phrase in entry.get("woorden", []):
            try:
                pattern = compile_phrase(str(phrase))
            except re.error as exc:
                raise KaartError(f"{source}: patroon '{phrase}' is ongeldig ({exc}).") from None
            anchor, simple = _anchor(str(phrase)), _simple(str(phrase))
            person = bool(entry.get("persoon", False))
            companions = tuple(str(d) for d in entry.get("samen_met", []))
            literals = () if anchor else required_literals(pattern)
            out.append(Signal(domain, str(phrase), pattern, weight, level, prefer, anchor, simple, person,
                              companions, literals))  # fmt: skip
            out.extend(Signal(str(also), str(phrase), pattern, 1.0, None, (), anchor, simple, person, companions,
                              literals) for also in entry.get("ook", []))  # fmt: skip
    return out


def load_lexicon(path: Path) -> Lexicon:
    """Load and compile the lexicon. Raises KaartError with a Dutch message on a broken file."""
    try:
        data = load_yaml(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise KaartError(f"Het signalenbestand {path.name} is niet leesbaar: {exc}") from None
    domains = {
        key: Domain(
            id=key,
            label=value["label"],
            examples=tuple(value.get("voorbeelden", [])),
            vraagstuk=value.get("vraagstuk"),
            general=bool(value.get("algemeen", False)),
            safety=bool(value.get("veiligheid", False)),
            preferred=tuple(fold(str(v)) for v in value.get("voorkeur", [])),
        )
        for key, value in data["levensgebieden"].items()
    }
    signals = _signals(data.get("signalen", []), source=path.name)
    theme_signals = _signals(data.get("themawoorden", []), source=path.name)
    unknown = {s.domain for s in signals + theme_signals} - set(domains)
    unknown |= set(data.get("prototypen") or {}) | set(data.get("acute_prototypen") or {})
    combinations = _combinations(data.get("combinaties") or [], source=path.name)
    combinations += _combinations(data.get("ontkrachters") or [], source=path.name, defuse=True)
    unknown |= {c.domain for c in combinations} | {d for c in combinations for d in c.defuse}
    unknown |= {d for s in signals for d in s.companions} - {"alle"}
    unknown -= set(domains)
    if unknown:
        raise KaartError(f"{path.name}: onbekend levensgebied {', '.join(sorted(unknown))}.")
    normalizer = Normalizer(abbreviations={str(k): str(v) for k, v in (data.get("afkortingen") or {}).items()},
                            lemmas=_lemmas(data.get("woordvormen") or {}),
                            false_friends=frozenset(str(w) for w in data.get("valse_vrienden") or []),
                            neutral=tuple(str(w) for w in data.get("neutrale_zinnen") or []))  # fmt: skip
    plain = [(i, s.phrase) for i, s in enumerate(signals) if not s.phrase.startswith("re:")]
    return Lexicon(
        domains=domains,
        signals=tuple(signals),
        theme_signals=tuple(theme_signals),
        safety_messages=dict(data.get("veiligheidsteksten", {})),
        meldcode=str(data.get("meldcode", "")),
        advice=dict(data.get("advies", {})),
        normalizer=normalizer,
        matcher=PhraseMatcher(plain, normalizer),
        prototypes={k: tuple(str(s) for s in v or []) for k, v in (data.get("prototypen") or {}).items()},
        acute_prototypes={
            k: tuple(str(s) for s in v or []) for k, v in (data.get("acute_prototypen") or {}).items()
        },
        combinations=tuple(sorted(combinations, key=lambda c: bool(c.defuse))),
        negation=Negation.from_data(data.get("ontkenning") or {}),
        outside=tuple(str(s) for s in data.get("buiten_bereik") or []),
    )


def _combinations(entries: list[dict[str, Any]], *, source: str, defuse: bool = False) -> list[Combination]:
    """combinaties / ontkrachters: {domein, naam, alle: [[woord, ...] | {min: n, woorden: [...]}], behalve}."""
    out: list[Combination] = []
    try:
        for entry in entries:
            groups = []
            for group in entry["alle"]:
                words, minimum = (
                    (group["woorden"], int(group.get("min", 1))) if isinstance(group, dict) else (group, 1)
                )
                groups.append((tuple(compile_phrase(str(w)) for w in words), minimum))
            domains = tuple(entry.get("domeinen", [])) if defuse else ()
            local = not any(NONLOCAL.search(p.pattern) for g, _ in groups for p in g)
            out.append(Combination(
                domain=str(entry.get("domein", domains[0] if domains else "")), name=str(entry.get("naam", "")),
                groups=tuple(groups), unless=tuple(compile_phrase(str(w)) for w in entry.get("behalve", [])),
                weight=float(entry.get("gewicht", 3.0)), level=entry.get("veiligheid"),
                prefer=tuple(fold(str(p)) for p in entry.get("voorkeur", [])), defuse=domains, local=local,
            ))  # fmt: skip
    except (KeyError, TypeError, re.error) as exc:
        raise KaartError(f"{source}: combinatie is ongeldig ({exc}).") from None
    return out


def _lemmas(table: dict[str, Any]) -> dict[str, str]:
    """woordvormen: {lemma: [vorm, vorm, ...]} -> {vorm: lemma}."""
    out: dict[str, str] = {}
    for lemma, forms in table.items():
        for form in forms or []:
            out[str(form)] = str(lemma)
    return out
