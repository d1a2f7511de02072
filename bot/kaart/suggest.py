"""Partner suggestion: situation -> levensgebieden (signal lexicon + dense) -> one partner per domain."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

import numpy as np

from bot.kaart.advice import AdvicePicker, AdviceRef
from bot.kaart.index import KaartIndex, dutch_tokens
from bot.kaart.model import Service
from bot.kaart.safety import SafetyCall, acute_closeness, classify, safety_message
from bot.kaart.signals import SignalHit, fold
from bot.safety.lines import NationalLines

MIN_MEMBERSHIP = 0.28
ALTERNATIVE_MEMBERSHIP = 0.8
DENSE_FLOOR = 0.30
DENSE_WEIGHT = 3.0
DOMAIN_THRESHOLD = 0.45
DENSE_ONLY_THRESHOLD = 0.9  # a domain without any signal word needs more when other domains have signals
POSITION_BONUS = 0.15
FALLBACK_DENSE = 0.35
VOTE_SIMILARITY = 0.45  # a clause this close to a domain's prototypes, and clearly closest to that domain,
VOTE_LEAD = 0.04  # (this much ahead of the next domain) adds VOTE_WEIGHT x similarity to that domain
VOTE_WEIGHT = 2.0
VOTE_WITH_SIGNALS = 0.3  # signal words already speak for the domain; the vote mainly finds unnamed ones
SAFETY_FLOOR = 2.5  # + prototype similarity: lexicon evidence (weight 3) usually outranks dense-only alarms
FALLBACK_DOMAIN = 0.40  # nothing named: still take the closest domain when it is at least this close
OUTSIDE_MARGIN = (
    -0.12
)  # nothing named, and about as close to an out-of-scope question as to any domain: nothing fits
WIJK_BONUS = 0.75  # services in the user's wijk come first
_CLAUSE_SPLIT = re.compile(r"[.;:!?\n]+|,\s*|\s+(?:en|maar|want|omdat|terwijl|ook)\s+")


class QueryEncoder(Protocol):
    def encode(self, texts: list[str]) -> np.ndarray: ...

    def encode_query(self, text: str) -> np.ndarray: ...


@dataclass(frozen=True, slots=True)
class Safety:
    """A safety line shown before any suggestion."""

    level: Literal["acute", "zorg"]
    message: str


@dataclass(frozen=True, slots=True)
class Suggestion:
    """One partner for one levensgebied, with a Dutch reason."""

    service: Service
    domain: str
    reason: str
    score: float
    domain_label: str = ""
    signals: tuple[str, ...] = ()
    meldcode: str = ""
    alternative: bool = False


@dataclass(slots=True)
class SuggestionResult:
    """What suggest() returns; to_json() gives the CLI's --json schema."""

    safety: Safety | None
    suggestions: list[Suggestion]
    advice: AdviceRef
    nothing_fits: bool
    general: list[Service] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "safety": None
            if self.safety is None
            else {"level": self.safety.level, "message": self.safety.message},
            "suggestions": [
                {
                    "id": s.service.id,
                    "organization": s.service.organization,
                    "name": s.service.name,
                    "domain": s.domain,
                    "reason": s.reason,
                    "contact_name": s.service.contact_name,
                    "phone": s.service.phone,
                    "email": s.service.email,
                    "application_process": s.service.application_process,
                }  # fmt: skip
                for s in self.suggestions
            ],
            "advice": self.advice.to_json(),
        }


@dataclass(slots=True)
class Analysis:
    """Which levensgebieden a situation touches, how strongly, and why."""

    scores: dict[str, float]
    hits: dict[str, list[SignalHit]]
    clause_vectors: np.ndarray
    best_clause: dict[str, int]
    level: Literal["acute", "zorg"] | None
    tokens: list[str]
    clause_texts: list[str] = field(default_factory=list)
    safety: SafetyCall | None = None
    dense: dict[str, float] = field(default_factory=dict)  # closest example/prototype per domain

    def domain_tokens(self, domain: str) -> list[str]:
        """Words that speak for this domain: its matched signals plus the clause closest to it."""
        matched = " ".join(h.matched for h in self.hits.get(domain, []))
        if matched:
            return [t for t in dutch_tokens(matched) if len(t) >= 4]
        return dutch_tokens(self.clause_texts[self.best_clause.get(domain, 0)] if self.clause_texts else "")

    def ranked(self, *, safety_domains: set[str]) -> list[str]:
        floor = DENSE_ONLY_THRESHOLD if self.hits else DOMAIN_THRESHOLD
        levels = self.safety.levels if self.safety else {}
        # a safety domain needs a safety level or a signal word: the classifier already weighed its dense evidence
        chosen = [d for d, s in self.scores.items()
                  if d in levels or (s >= (DOMAIN_THRESHOLD if d in self.hits else floor)
                                     and (d in self.hits or d not in safety_domains))]  # fmt: skip

        def key(domain: str) -> tuple[int, float]:
            level = levels.get(domain) if domain in safety_domains else None
            # a 'zorg' level from meaning alone (no signal word) is shown, but does not push its partner first
            rank = 0 if level == "acute" else 1 if level == "zorg" and domain in self.hits else 2
            return rank, -self.scores[domain]

        return sorted(chosen, key=key)


def real_signals(found: list[SignalHit], *, general: str | None) -> dict[str, list[SignalHit]]:
    """Hits per domain. Person words (kind, ouders, oma) count only next to a real signal for that domain
    (or for one of its companion domains, 'alle' = any): 'dochter 13' alone is no upbringing question."""
    real = {h.domain for h in found if not h.person}
    hits: dict[str, list[SignalHit]] = {}
    for hit in found:
        companions = real - {hit.domain} if "alle" in hit.companions else real & set(hit.companions)
        if hit.domain == general or (hit.person and hit.domain not in real and not companions):
            continue
        hits.setdefault(hit.domain, []).append(hit)
    return hits


def without(text: str, spans: list[tuple[int, int]]) -> str:
    """The text with negated or reassured spans blanked, so they add no meaning either."""
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    left = re.sub(r"\s{2,}", " ", "".join(chars)).strip()
    return left if not spans or len(re.findall(r"[^\W\d_]{4,}", left)) >= 2 else ""  # 'er zijn' says nothing


def clauses(text: str) -> list[str]:
    parts = [p.strip() for p in _CLAUSE_SPLIT.split(text) if p and len(p.strip()) > 3]
    return [text.strip(), *parts[:12]] if len(parts) > 1 else [text.strip()]


class Suggester:
    """Stateless scoring over one KaartIndex."""

    def __init__(self, *, index: KaartIndex, encoder: QueryEncoder, domain_vectors: np.ndarray,
                 domain_rows: list[int], advice: AdvicePicker, lines: NationalLines,
                 kinds: np.ndarray | None = None) -> None:  # fmt: skip
        self._ix = index
        self._lines = lines
        self._lex = index.lexicon
        self._encoder = encoder
        self._domain_vectors = domain_vectors  # one row per example or prototype sentence
        self._domain_rows = np.array(domain_rows)  # domain column of each row
        self._acute_rows = np.zeros(len(domain_rows), dtype=bool) if kinds is None else kinds == 2
        self._example_rows = np.ones(len(domain_rows), dtype=bool) if kinds is None else kinds == 0
        self._advice = advice
        self._general = self._lex.general_domain()
        self._safety_domains = {d.id for d in self._lex.domains.values() if d.safety}
        self._outside: np.ndarray | None = None  # out-of-scope example vectors, encoded on first need

    def analyze(self, situation: str) -> Analysis:
        reading = self._lex.read(situation)
        hits = real_signals(reading.hits, general=self._general)
        parts = clauses(without(self._lex.normalizer.expand(situation), reading.quiet))
        if parts == [""]:  # everything said was negated ('geen schulden'): no meaning left to match
            vectors = np.zeros((1, self._domain_vectors.shape[1]), dtype=np.float32)
        else:
            vectors = self._encode(parts)
        sims = vectors @ self._domain_vectors.T  # clauses x example rows
        scores: dict[str, float] = {}
        best_clause: dict[str, int] = {}
        votes = self._prototype_votes(sims)
        closest: dict[str, float] = {}
        for j, domain in enumerate(self._ix.domain_ids):
            if domain == self._general:
                continue
            everything = sims[:, self._domain_rows == j]
            closest[domain] = float(everything.max()) if everything.size else 0.0
            cols = sims[:, (self._domain_rows == j) & self._example_rows]
            dense = float(cols.max()) if cols.size else 0.0
            best_clause[domain] = int(np.unravel_index(int(cols.argmax()), cols.shape)[0]) if cols.size else 0
            weights = sorted((h.weight for h in hits.get(domain, [])), reverse=True)
            lexical = sum(w * 0.5**i for i, w in enumerate(weights[:4]))
            if domain in hits:  # earlier mentioned problems come first when scores are close
                first = min(h.start for h in hits[domain])
                lexical += POSITION_BONUS * (1 - first / max(len(situation), 1))
            vote = votes.get(j, 0.0) * (VOTE_WITH_SIGNALS if domain in hits else 1.0)
            scores[domain] = lexical + DENSE_WEIGHT * max(0.0, dense - DENSE_FLOOR) + vote
        closeness = acute_closeness(sims, columns=self._domain_rows, acute=self._acute_rows,
                                    safety_columns=[self._ix.column(d) for d in self._safety_domains],
                                    domain_ids=self._ix.domain_ids)  # fmt: skip
        call = classify(hits=hits, closeness=closeness, safety_domains=self._safety_domains)
        for domain, level in call.levels.items():  # a safety domain always makes the list
            floor = SAFETY_FLOOR + call.similarity.get(domain, 0.0) if level == "acute" else DOMAIN_THRESHOLD
            scores[domain] = max(scores.get(domain, 0.0), floor)
        return Analysis(scores, hits, vectors, best_clause, call.level, dutch_tokens(situation), parts, call,
                        closest)  # fmt: skip

    def _prototype_votes(self, sims: np.ndarray) -> dict[int, float]:
        """Each clause votes for the domain of its nearest prototype sentences, when that domain clearly leads."""
        prototype_sims = np.where(self._example_rows, -1.0, sims)
        per_domain = np.full((sims.shape[0], len(self._ix.domain_ids)), -1.0, dtype=np.float32)
        for j in range(len(self._ix.domain_ids)):
            rows = self._domain_rows == j
            if rows.any():
                per_domain[:, j] = prototype_sims[:, rows].max(axis=1)
        votes: dict[int, float] = {}
        for row in per_domain:
            order = np.argsort(-row)
            best, second = float(row[order[0]]), float(row[order[1]]) if len(order) > 1 else 0.0
            if best >= VOTE_SIMILARITY and best - second >= VOTE_LEAD:
                column = int(order[0])
                votes[column] = max(votes.get(column, 0.0), VOTE_WEIGHT * (best - DENSE_FLOOR))
        return votes

    def _encode(self, parts: list[str]) -> np.ndarray:
        """One batch for all clauses; a single clause goes through the encoder's query cache."""
        if len(parts) == 1:
            return self._encoder.encode_query(parts[0]).reshape(1, -1)
        return np.asarray(self._encoder.encode(parts), dtype=np.float32)

    def suggest(self, situation: str, *, wijk: str | None, top: int) -> SuggestionResult:
        analysis = self.analyze(situation)
        domains = [] if self._out_of_scope(analysis) else (
            analysis.ranked(safety_domains=self._safety_domains) or self._closest_domain(analysis))  # fmt: skip
        allowed = np.array([s.serves(wijk) for s in self._ix.kaart.services], dtype=bool)
        ranked = {d: self._rank_for_domain(d, analysis, allowed, wijk) for d in domains}
        picks = self._pick(domains, ranked, analysis, top=top, wijk=wijk)
        safety = self._safety(analysis)
        if not picks:
            return SuggestionResult(safety, [], self._advice.pick(self._advice.meeting), True,
                                    self.general_entries(wijk=wijk))  # fmt: skip
        several = len({p.domain for p in picks}) > 1
        chapter = self._advice.several if several else self._chapter_for(picks[0].domain)
        return SuggestionResult(safety, picks, self._advice.pick(chapter), False, [])

    def _out_of_scope(self, analysis: Analysis) -> bool:
        """No signal, no safety concern, and the text is closer to a question outside the sociaal domein
        (grofvuil, parkeervergunning, a dentist when money is no issue) than to any levensgebied."""
        if not self._lex.outside or analysis.hits or (analysis.safety and analysis.safety.levels):
            return False
        if self._outside is None:  # a benign race: two threads may both encode the same few sentences
            self._outside = np.asarray(self._encoder.encode(list(self._lex.outside)), dtype=np.float32)
        outside = float((analysis.clause_vectors @ self._outside.T).max())
        return outside >= max(analysis.dense.values(), default=0.0) + OUTSIDE_MARGIN

    def _closest_domain(self, analysis: Analysis) -> list[str]:
        """When no signal and no clear vote names a domain, the nearest one by meaning (if close enough)."""
        # safety domains only through the safety classifier, which already weighed this dense evidence
        candidates = {d: v for d, v in analysis.dense.items() if d not in self._safety_domains}
        if not candidates:
            return []
        domain, similarity = max(candidates.items(), key=lambda item: item[1])
        return [domain] if similarity >= FALLBACK_DOMAIN else []

    def _chapter_for(self, domain: str) -> int:
        vraagstuk = self._lex.domains[domain].vraagstuk
        return int(vraagstuk) if vraagstuk else self._advice.default

    def _rank_for_domain(self, domain: str, analysis: Analysis, allowed: np.ndarray,
                         wijk: str | None) -> list[tuple[int, float]]:  # fmt: skip
        col = self._ix.column(domain)
        membership = self._ix.profile[:, col]
        mask = allowed & (membership >= MIN_MEMBERSHIP)
        acute = analysis.safety is not None and domain in analysis.safety.levels
        if (
            acute
            and domain == "crisis"
            and "ggz" in self._ix.domain_ids
            and not (mask & self._ix.crisis).any()
        ):
            mask = mask | (allowed & self._ix.crisis & (self._ix.profile[:, self._ix.column("ggz")] > 0))
        if self._general is not None:
            general = self._ix.profile[:, self._ix.column(self._general)] >= 0.8
        else:
            general = np.zeros_like(mask)
        candidates = np.flatnonzero(mask)
        if candidates.size == 0:  # no service names this domain: best textual match, if any is close
            return self._fallback(domain, analysis, np.flatnonzero(allowed & ~general))
        query = analysis.clause_vectors[0] + analysis.clause_vectors[analysis.best_clause.get(domain, 0)]
        dense = self._ix.vectors[candidates] @ (query / max(float(np.linalg.norm(query)), 1e-6))
        bm25 = self._ix.bm25.scores(analysis.domain_tokens(domain))[candidates]
        bm25 = bm25 / bm25.max() if bm25.size and bm25.max() > 0 else bm25
        score = 1.5 * membership[candidates] + 1.0 * dense + (0.0 if acute else 0.4) * bm25
        score += 0.5 * self._ix.focus[candidates, col]
        score -= 0.6 * general[candidates]
        if acute:
            score += 1.0 * self._ix.crisis[candidates] + 0.5 * self._ix.preferred[candidates, col]
        elif domain not in self._safety_domains:  # crisis lines are not the first stop for everyday questions
            score -= 0.5 * (self._ix.crisis[candidates] & (self._crisis_membership()[candidates] >= 0.8))
        prefer = {p for h in analysis.hits.get(domain, []) for p in h.prefer}
        if prefer:
            score += 0.8 * self._ix.matches_any(candidates, prefer)
        if wijk:
            score += WIJK_BONUS * np.array([self._ix.kaart.services[i].in_wijk(wijk) for i in candidates])
        order = np.argsort(-score)
        strong = membership[candidates] >= ALTERNATIVE_MEMBERSHIP
        return [
            (int(candidates[i]), float(score[i])) for n, i in enumerate(order[:10]) if n == 0 or strong[i]
        ]

    def _crisis_membership(self) -> np.ndarray:
        safety = [self._ix.column(d) for d in self._safety_domains]
        return self._ix.profile[:, safety].max(axis=1) if safety else np.zeros(len(self._ix.kaart.services))

    def _fallback(self, domain: str, analysis: Analysis, candidates: np.ndarray) -> list[tuple[int, float]]:
        if candidates.size == 0:
            return []
        query = analysis.clause_vectors[analysis.best_clause.get(domain, 0)]
        dense = self._ix.vectors[candidates] @ query
        bm25 = self._ix.bm25.scores(analysis.domain_tokens(domain))[candidates]
        best = int(np.argmax(dense + 0.2 * np.minimum(bm25, 3.0)))
        if bm25[best] <= 0 and dense[best] < FALLBACK_DENSE:
            return []
        return [(int(candidates[best]), float(dense[best]))]

    def _pick(self, domains: list[str], ranked: dict[str, list[tuple[int, float]]], analysis: Analysis,
              *, top: int, wijk: str | None) -> list[Suggestion]:  # fmt: skip
        picks: list[Suggestion] = []
        used: set[int] = set()
        for round_number in range(3):
            for domain in domains:
                choice = next(((i, s) for i, s in ranked[domain] if i not in used), None)
                if choice is None or len(picks) >= top:
                    continue
                if round_number > 0 and len([p for p in picks if p.domain == domain]) != round_number:
                    continue
                used.add(choice[0])
                picks.append(
                    self._suggestion(choice, domain, analysis, wijk=wijk, alternative=round_number > 0)
                )
            if len(picks) >= top:
                break
        return picks

    def _suggestion(self, choice: tuple[int, float], domain: str, analysis: Analysis, *, wijk: str | None,
                    alternative: bool) -> Suggestion:  # fmt: skip
        service = self._ix.kaart.services[choice[0]]
        label = self._lex.domains[domain].label
        signals = tuple(dict.fromkeys(h.matched.strip() for h in analysis.hits.get(domain, [])))[:4]
        evidence = self._ix.memberships[choice[0]].evidence.get(domain, "")
        reason = reason_text(label=label, signals=signals, evidence=evidence, service=service, wijk=wijk,
                             alternative=alternative)  # fmt: skip
        meldcode = (
            self._lex.meldcode if domain == "veiligheid" or "veilig thuis" in fold(service.name) else ""
        )
        return Suggestion(service, domain, reason, round(choice[1], 4), label, signals, meldcode, alternative)

    def _safety(self, analysis: Analysis) -> Safety | None:
        if analysis.level is None or analysis.safety is None:
            return None
        template = self._lex.safety_messages.get(analysis.level, "")
        return Safety(
            level=analysis.level,
            message=safety_message(template, sorted(analysis.safety.levels), self._lines),
        )

    def general_entries(self, *, wijk: str | None) -> list[Service]:
        """The wijkteam and the Wmo-loket (services of the general domain), own wijk first."""
        if self._general is None:
            return []
        col = self._ix.column(self._general)
        found = [s for i, s in enumerate(self._ix.kaart.services)
                 if self._ix.profile[i, col] >= 0.8 and s.serves(wijk)]  # fmt: skip
        found.sort(key=lambda s: (not s.in_wijk(wijk), len(s.service_areas) == 0))
        return found[:4]


def reason_text(*, label: str, signals: tuple[str, ...], evidence: str, service: Service, wijk: str | None,
                alternative: bool) -> str:  # fmt: skip
    """Short Dutch (B1) reason: which signals and which levensgebied matched."""
    parts = [f"Ook mogelijk voor {label}." if alternative else f"Levensgebied: {label}."]
    if signals:
        parts.append("Signalen: " + ", ".join(f"'{s}'" for s in signals) + ".")
    elif not alternative:
        parts.append("De situatie lijkt op dit levensgebied.")
    if evidence:
        parts.append(f"Deze partner werkt aan '{evidence}'.")
    if service.crisis:
        parts.append("Bereikbaar bij crisis.")
    if wijk and service.in_wijk(wijk):
        parts.append(f"Werkt in wijk {wijk}.")
    return " ".join(parts)
