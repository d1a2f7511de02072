"""Ranking: per levensgebied the best partner on one kaart; safety partners first when the situation asks."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

import numpy as np

from bot.kaart.model import Kaart, Service
from bot.suggestion.advice import AdvicePicker
from bot.suggestion.audience import groups_in, groups_served
from bot.suggestion.first_rows import FirstRows, RowFacts, row_matrix
from bot.suggestion.rank_memory import KeyMemory
from bot.suggestion.rank_model import RankContext, RankModel, WordIndex, feature_rows, group_matrix, slot_rows
from bot.suggestion.result import LEVEL_NAMES, Safety, Suggestion, SuggestionResult
from bot.understanding.constants import Constants
from bot.understanding.first_kinds import kind_order
from bot.understanding.model import Understanding
from bot.understanding.safety import SafetyData
from bot.understanding.service_domains import DomainGuess
from bot.understanding.taxonomy import Taxonomy

SAFETY_DOMAIN = "veiligheid"
EVERYDAY_KINDS = frozenset(
    {"politie", "veilig_thuis"}
)  # safety partner kinds that may serve an everyday case
DANGER_LABELS = {"huiselijk_geweld": "huiselijk geweld", "kindermishandeling": "kindermishandeling of verwaarlozing",
                 "suicide": "suïcide", "psychose": "acute verwardheid of psychose",
                 "ouderenmishandeling": "ouderenmishandeling"}  # fmt: skip
GROUP_LABELS = {"baby": "baby's", "kind": "kinderen", "jongere": "jongeren", "volwassene": "volwassenen",
                "oudere": "ouderen"}  # fmt: skip


@dataclass(frozen=True, slots=True)
class PreparedKaart:
    """One kaart ready for ranking: service vectors, domain membership, age groups, safety kinds."""

    kaart: Kaart
    vectors: np.ndarray  # services x 512, L2-normalised
    membership: np.ndarray  # services x levensgebieden, 1.0 for stored domains, soft otherwise
    domain_ids: list[str]
    audiences: list[frozenset[str]]
    kinds: list[frozenset[str]]
    general: np.ndarray  # wijkteam / Wmo-loket: the general entry points
    words: Any = None  # services x char n-grams (TF-IDF, L2-normalised), for word-level similarity
    primary: np.ndarray | None = None  # services x levensgebieden, 1.0 for each service's first levensgebied
    profiles: np.ndarray | None = None  # services x lexicon groups (no level columns), L2-normalised
    word_index: WordIndex | None = None  # idf-weighted stems of name and text (the learned order's features)
    hub: np.ndarray | None = (
        None  # per service: cosine to the kaart's mean service vector (how generic it reads)
    )


def profile_rows(hits: np.ndarray, columns: list[str]) -> np.ndarray:
    """Lexicon-hit rows as unit vectors over the signal groups only (the level columns say nothing about fit)."""
    rows = np.atleast_2d(np.asarray(hits, dtype=np.float32)).copy()
    rows[:, [i for i, c in enumerate(columns) if c.startswith("level:")]] = 0.0
    return rows / np.maximum(np.linalg.norm(rows, axis=1, keepdims=True), 1e-9)


def prepare(kaart: Kaart, *, vectors: np.ndarray, guesses: list[DomainGuess], domain_ids: list[str],
            safety: SafetyData, general: list[bool], words: Any = None,
            profiles: np.ndarray | None = None) -> PreparedKaart:  # fmt: skip
    membership = np.zeros((len(kaart.services), len(domain_ids)), dtype=np.float32)
    for i, (service, guess) in enumerate(zip(kaart.services, guesses, strict=True)):
        for j, domain in enumerate(domain_ids):
            stored = domain in service.levensgebieden
            membership[i, j] = 1.0 if stored else 0.5 * guess.probabilities.get(domain, 0.0)
    kinds = [frozenset(k) for k in safety.kinds_of_services(kaart.services)]
    audiences = [groups_served(s.audiences, s.name) for s in kaart.services]
    primary = np.zeros_like(membership)
    for i, service in enumerate(kaart.services):
        if service.levensgebieden and service.levensgebieden[0] in domain_ids:
            primary[i, domain_ids.index(service.levensgebieden[0])] = 1.0
    word_index = WordIndex.build([s.name for s in kaart.services], [service_words(s) for s in kaart.services])
    return PreparedKaart(kaart, vectors, membership, list(domain_ids), audiences, kinds,
                         np.array(general, dtype=bool), words, primary, profiles, word_index,
                         hub_scores(vectors))  # fmt: skip


def hub_scores(vectors: np.ndarray) -> np.ndarray:
    """Per service the cosine to the kaart's mean service vector: a service that resembles every other one also
    resembles many situations (hubness); the learned order can weigh USE similarity against it."""
    if not len(vectors):
        return np.zeros(0, dtype=np.float32)
    centre = np.asarray(vectors, dtype=np.float32).mean(axis=0)
    centre /= float(np.linalg.norm(centre)) or 1.0
    return (np.asarray(vectors, dtype=np.float32) @ centre).astype(np.float32)


def service_words(service: Service) -> str:
    return " ".join([service.name, service.description, *service.themes])


class Ranker:
    """Stateless ranking over one PreparedKaart."""

    def __init__(self, *, prepared: PreparedKaart, taxonomy: Taxonomy, safety: SafetyData, advice: AdvicePicker,
                 constants: Constants, meldcode: str = "", columns: list[str] | None = None,
                 rank_model: RankModel | None = None, slot_model: RankModel | None = None) -> None:  # fmt: skip
        self.prepared = prepared
        self.rank_model = rank_model
        self.slot_model = slot_model
        self.memory: KeyMemory | None = (
            None  # the keyed kaarten' accepted rows (bot/suggestion/rank_memory.py)
        )
        self.slot_first = (
            True  # with a slot model: the likeliest shown levensgebied's best candidate stays first
        )
        self._columns = columns or []
        self._taxonomy = taxonomy
        self._safety = safety
        self._advice = advice
        self._c = constants
        self._meldcode = meldcode
        # Computed once per kaart, not per call (10,000 services: ~15 ms of Python per suggestion otherwise).
        self._wijk_masks: dict[str | None, tuple[np.ndarray, np.ndarray]] = {}
        self._everywhere = np.array([s.everywhere for s in self.services], dtype=bool)
        self._area_rows: dict[str, list[int]] = {}  # casefolded wijk -> services limited to (among others) it
        for i, service in enumerate(self.services):
            for area in {a.casefold() for a in service.service_areas}:
                self._area_rows.setdefault(area, []).append(i)
        self._with_kind = np.array([bool(k) for k in prepared.kinds], dtype=bool)
        self._kind_rows = np.flatnonzero(self._with_kind)  # the few services of a safety kind
        self._alarm = np.array([safety.is_alarm(s.phone) for s in self.services], dtype=bool)
        self._national = np.array([bool(s.phone) and safety.national_kind(s.phone) is not None
                                   for s in self.services], dtype=bool) & ~self._alarm  # fmt: skip
        self.first_rows: FirstRows | None = (
            None  # which row of a kind first when acute (bot/suggestion/first_rows.py)
        )
        self._words_columns = prepared.words.shape[1] if prepared.words is not None else 0
        self._groups = group_matrix(prepared.audiences)
        self._breadth = (prepared.membership >= constants.min_membership).sum(axis=1).astype(np.float32)

    @property
    def services(self) -> tuple[Service, ...]:
        return self.prepared.kaart.services

    def suggest(self, text: str, reading: Understanding, *, wijk: str | None, top: int,
                words: Any = None) -> SuggestionResult:  # fmt: skip
        """words: the situation's char n-gram TF-IDF row (same vectorizer as PreparedKaart.words), or None."""
        ctx = self.context(text, reading, wijk=wijk, words=words)
        picks = self._safety_picks(reading, ctx.allowed, ctx.in_wijk, ctx.similarity, ctx.groups)
        used = {p.service.id for p in picks}
        domains = reading.shown_domains(fill=self._c.fill_threshold)
        ranked = {d: self._rank(d, reading, ctx) for d in domains}
        groups = ctx.groups
        # everyday situations: of the safety partners only the police (wijkagent: overlast) and Veilig Thuis
        # (advice) may be picked, and only first in a chosen levensgebied
        sure = frozenset(reading.domains) if reading.level == "geen" else None
        slots = self._slots(domains, reading.probabilities, ranked, reading.domains)
        picks += self._pick(slots, ranked, used, top=top - len(picks), wijk=wijk, groups=groups, sure=sure)
        safety = self._safety_line(reading)
        if not picks:
            return SuggestionResult(safety, [], self._advice.pick(self._advice.meeting), True,
                                    self.general_entries(wijk=wijk), reading.domains)  # fmt: skip
        several = len({p.domain for p in picks}) > 1
        chapter = self._advice.several if several else self._chapter_for(picks[0].domain)
        return SuggestionResult(safety, picks[:top], self._advice.pick(chapter), False, [], reading.domains)

    def context(self, text: str, reading: Understanding, *, wijk: str | None, words: Any = None,
                learned: bool | None = None) -> RankContext:  # fmt: skip
        """Everything per service that one situation brings to the ranking (learned: with the word overlaps
        of the learned order; default when this ranker has a rank model)."""
        allowed, in_wijk = self._masks(wijk)
        n = len(allowed)
        dense = self.prepared.vectors @ reading.vector if reading.vector is not None else np.zeros(n)
        overlap = np.zeros(n)
        if words is not None and self.prepared.words is not None:
            overlap = self._word_overlap(words)
        profile = np.zeros(n)
        if self.prepared.profiles is not None and reading.hits is not None:
            profile = self.prepared.profiles @ profile_rows(reading.hits, self._columns)[0]
        names = texts = np.zeros(n)
        learned = self.rank_model is not None if learned is None else learned
        if learned and self.prepared.word_index is not None:
            names, texts = self.prepared.word_index.overlap(f"{text} {reading.expanded}")
        groups = reading.ages.groups if reading.ages is not None else groups_in(text)
        recall = self.memory.recall(reading.vector) if learned and self.memory is not None else None
        return RankContext(allowed, in_wijk, dense, overlap, dense + self._c.words_weight * overlap, profile,
                           names, texts, groups, reading.level == "geen", recall)  # fmt: skip

    def features(
        self, domain: str, reading: Understanding, ctx: RankContext
    ) -> tuple[np.ndarray, np.ndarray]:
        """The candidates of `domain` and their feature rows (bot/suggestion/rank_model.py)."""
        column = self.prepared.domain_ids.index(domain)
        membership = self.prepared.membership[:, column]
        candidates = np.flatnonzero(ctx.allowed & (membership >= self._c.min_membership))
        rows = feature_rows(candidates, column, reading.probabilities.get(domain, 0.0), ctx,
                            membership=self.prepared.membership, primary=self.prepared.primary,
                            general=self.prepared.general, with_kind=self._with_kind, groups=self._groups,
                            breadth=self._breadth, vectors=self.prepared.vectors,
                            hub=self.prepared.hub)  # fmt: skip
        return candidates, rows

    def _masks(self, wijk: str | None) -> tuple[np.ndarray, np.ndarray]:
        """Which services serve `wijk` (bool) and which are limited to it (float), remembered per wijk."""
        found = self._wijk_masks.get(wijk)
        if found is None:  # = Service.serves(wijk) and Service.in_wijk(wijk) for every service
            limited = np.zeros(len(self.services), dtype=bool)
            if wijk:
                limited[self._area_rows.get(wijk.casefold(), [])] = True
            allowed = self._everywhere | limited if wijk else np.ones(len(self.services), dtype=bool)
            in_wijk = limited.astype(np.float32)
            allowed.setflags(write=False)
            in_wijk.setflags(write=False)
            found = self._wijk_masks[wijk] = (allowed, in_wijk)
        return found

    def _word_overlap(self, words: Any) -> np.ndarray:
        """prepared.words @ words.T for one situation row: a matrix-vector product with the row made dense
        (the same sums, in the same order, as the sparse product; a sparse x sparse product took ~25 ms)."""
        row = words.tocsr()
        dense = np.zeros(self._words_columns, dtype=np.result_type(row.dtype, self.prepared.words.dtype))
        dense[row.indices] = row.data
        return np.asarray(self.prepared.words @ dense).ravel()

    def _safety_line(self, reading: Understanding) -> Safety | None:
        level = LEVEL_NAMES.get(reading.level)
        if level is None:
            return None
        return Safety(level, self._safety.message(reading.level, reading.danger), reading.danger)

    def _safety_picks(self, reading: Understanding, allowed: np.ndarray, in_wijk: np.ndarray,
                      similarity: np.ndarray, groups: frozenset[str] = frozenset()) -> list[Suggestion]:  # fmt: skip
        """The partner of the kind that fits the danger best; after the police also the kind that follows up."""
        picks: list[Suggestion] = []
        acute = (
            reading.level == "acuut"
        )  # acute: of the police rows the one with the alarm number (112) first
        for kind in self._kind_order(reading, allowed):
            candidates = self.kind_candidates(kind, allowed, {p.service.id for p in picks})
            if not candidates:
                continue
            if (
                acute and self.first_rows is not None and len(candidates) > 1
            ):  # the learned choice among the rows
                facts = self.row_facts(candidates, in_wijk, similarity)
                best = candidates[self.first_rows.best(row_matrix(facts, groups))]
            else:
                best = max(candidates, key=lambda i: (acute and self._alarm[i], in_wijk[i], similarity[i]))
            picks.append(self._safety_suggestion(int(best), reading))
            if kind != "politie":
                break
        if not picks and reading.level == "acuut":  # no partner of a fitting kind: the closest crisis service
            crisis = [i for i in np.flatnonzero(allowed) if self.services[int(i)].crisis]
            if crisis:
                picks.append(self._safety_suggestion(int(max(crisis, key=lambda i: similarity[i])), reading))
        return picks

    def kind_candidates(self, kind: str, allowed: np.ndarray, used: Collection[str] = ()) -> list[int]:
        """The allowed rows of a safety partner kind (not already picked)."""
        return [int(i) for i in self._kind_rows[allowed[self._kind_rows]] if kind in self.prepared.kinds[int(i)]
                and self.services[int(i)].id not in used]  # fmt: skip

    def row_facts(self, rows: list[int], in_wijk: np.ndarray, similarity: np.ndarray) -> list[RowFacts]:
        """What bot/suggestion/first_rows.py reads of each candidate row."""
        return [RowFacts(bool(self._alarm[i]), bool(self._national[i]), self.services[i].crisis,
                         self.services[i].schedule, float(in_wijk[i]), float(similarity[i]),
                         self.prepared.audiences[i]) for i in rows]  # fmt: skip

    def _kind_order(self, reading: Understanding, allowed: np.ndarray) -> list[str]:
        """Partner kinds on this kaart by expected fit: over the danger types (their probabilities; a forced
        phrase adds weight to the type it names), each kind counts by its place among the kinds of that danger that the kaart has.
        So a case that is psychosis or child danger gets the police (fits both) before either specialist."""
        present = {k for i in self._kind_rows[allowed[self._kind_rows]] for k in self.prepared.kinds[int(i)]}
        return kind_order(self._safety, self._c, reading.level, reading.danger, reading.danger_probabilities,
                          reading.first_kinds, present, bool(self._alarm[allowed].any()))  # fmt: skip

    def _safety_suggestion(self, index: int, reading: Understanding) -> Suggestion:
        service = self.services[index]
        label = f"veiligheid ({DANGER_LABELS.get(reading.danger or '', 'zorgsignaal')})"
        reason = f"Veiligheid eerst: {DANGER_LABELS.get(reading.danger or '', 'ernstig signaal')}."
        if service.crisis:
            reason += " Bereikbaar bij crisis."
        meldcode = self._meldcode if reading.danger in self._safety.meldcode_dangers and \
            "veilig_thuis" in self.prepared.kinds[index] else ""  # fmt: skip
        return Suggestion(service, SAFETY_DOMAIN, reason, 10.0, label, (), meldcode)

    def ranked(self, domain: str, reading: Understanding, ctx: RankContext) -> list[tuple[int, float]]:
        """The first ten candidates of `domain` in order, with their scores."""
        return self._rank(domain, reading, ctx)

    def _rank(self, domain: str, reading: Understanding, ctx: RankContext) -> list[tuple[int, float]]:
        if self.rank_model is not None:
            return self.ordered(*self.features(domain, reading, ctx))
        return self._hand_rank(domain, reading, ctx)

    def ordered(self, candidates: np.ndarray, rows: np.ndarray) -> list[tuple[int, float]]:
        """The first ten of `candidates` by the learned order's score of their feature rows."""
        assert self.rank_model is not None
        learned = self.rank_model.score(rows)
        order = np.argsort(-learned, kind="stable")[:10]
        return [(int(candidates[k]), float(learned[k])) for k in order]

    def _hand_rank(self, domain: str, reading: Understanding, ctx: RankContext) -> list[tuple[int, float]]:
        """The hand-set score sum (no learned order)."""
        c = self._c
        membership = self.prepared.membership[:, self.prepared.domain_ids.index(domain)]
        candidates = np.flatnonzero(ctx.allowed & (membership >= c.min_membership))
        score = (
            c.membership_weight * membership
            + c.similarity_weight * ctx.similarity
            + c.wijk_weight * ctx.in_wijk
        )
        if self.prepared.primary is not None:
            score = (
                score + c.primary_weight * self.prepared.primary[:, self.prepared.domain_ids.index(domain)]
            )
        score = score - c.general_penalty * self.prepared.general
        if self.prepared.profiles is not None and reading.hits is not None:
            score = score + c.profile_weight * ctx.profile
        if reading.level == "geen":  # crisis lines are not the first stop for everyday questions
            score = score - c.crisis_everyday_penalty * self._with_kind
        if ctx.groups:
            for i in candidates:
                served = self.prepared.audiences[int(i)]
                if served & ctx.groups:
                    score[i] += c.audience_weight
                elif served:
                    score[i] -= c.audience_mismatch
        order = sorted(candidates.tolist(), key=lambda i: -score[i])
        return [(int(i), float(score[i])) for i in order[:10]]

    def _slots(self, domains: tuple[str, ...], probabilities: dict[str, float],
               ranked: dict[str, list[tuple[int, float]]] | None = None,
               chosen: tuple[str, ...] = ()) -> list[tuple[int, str]]:  # fmt: skip
        """With a slot model (learned, bot/suggestion/rank_model.py): by its score of each place's candidate.
        Otherwise the order of (round, levensgebied) places: round by round (one partner per levensgebied first), or,
        with slot_decay > 0, by P(levensgebied) x slot_decay^round, so a sure levensgebied's second partner comes
        before a first partner of a barely likely one."""
        if self.slot_model is not None and ranked is not None:
            places, rows = slot_rows(ranked, domains, probabilities, frozenset(chosen))
            scores = self.slot_model.score(rows)
            if self.slot_first and len(places):  # the likeliest levensgebied's best candidate first
                scores[0] = np.inf
            order: Any = np.argsort(-scores, kind="stable") if len(places) else []
            rounds: dict[str, int] = {}
            out = []
            for k in order:
                domain = places[int(k)][1]
                out.append((rounds.get(domain, 0), domain))
                rounds[domain] = rounds.get(domain, 0) + 1
            return out
        slots = [(r, d) for r in range(3) for d in domains]
        decay = self._c.slot_decay
        if decay <= 0:
            return slots
        return sorted(slots, key=lambda s: -probabilities.get(s[1], 0.0) * decay ** s[0])  # stable on ties

    def _pick(self, slots: list[tuple[int, str]], ranked: dict[str, list[tuple[int, float]]], used: set[str], *,
              top: int, wijk: str | None, groups: frozenset[str],
              sure: frozenset[str] | None = None) -> list[Suggestion]:  # fmt: skip
        """One partner per levensgebied; when there is room, a second and third per levensgebied (in the order
        of `slots`).
        sure: for an everyday situation, the levensgebieden where the police or Veilig Thuis may be the first
        pick; crisis lines, the huisartsenpost and the opvang are no everyday partners, and no safety partner
        fills a side domain. None (a safety case): no limit."""
        picks: list[Suggestion] = []
        for round_number, domain in slots:
            if len(picks) >= top:
                return picks
            calm = sure is not None and (round_number > 0 or domain not in sure)
            choice = next(((i, s) for i, s in ranked[domain] if self.services[i].id not in used
                           and not (sure is not None and self.prepared.kinds[i]
                                    and (calm or not self.prepared.kinds[i] <= EVERYDAY_KINDS))), None)  # fmt: skip
            if choice is None:
                continue
            used.add(self.services[choice[0]].id)
            picks.append(self._suggestion(choice, domain, wijk=wijk, groups=groups,
                                          alternative=round_number > 0))  # fmt: skip
        return picks

    def _suggestion(self, choice: tuple[int, float], domain: str, *, wijk: str | None, groups: frozenset[str],
                    alternative: bool) -> Suggestion:  # fmt: skip
        service = self.services[choice[0]]
        label = self._taxonomy.label(domain)
        served = self.prepared.audiences[choice[0]] & groups
        reason = reason_text(label=label, service=service, wijk=wijk, alternative=alternative,
                             audience=sorted(served))  # fmt: skip
        return Suggestion(service, domain, reason, round(choice[1], 4), label, (), "", alternative)

    def _chapter_for(self, domain: str) -> int:
        known = self._taxonomy.domains.get(domain)
        return known.vraagstuk if known and known.vraagstuk else self._advice.several \
            if domain == SAFETY_DOMAIN else self._advice.default  # fmt: skip

    def general_entries(self, *, wijk: str | None) -> list[Service]:
        """The wijkteam and the Wmo-loket, own wijk first."""
        found = [s for i, s in enumerate(self.services) if self.prepared.general[i] and s.serves(wijk)]
        found.sort(key=lambda s: (not s.in_wijk(wijk), s.everywhere))
        return found[:4]

    def alternatives(self, service_id: str, *, wijk: str | None, limit: int,
                     domain: str | None = None) -> list[Suggestion]:  # fmt: skip
        """Next-best partners in the same levensgebied (`domain` when known, else the service's main one),
        in the wijk first."""
        position = next((i for i, s in enumerate(self.services) if s.id == service_id), None)
        if position is None:
            return []
        row = self.prepared.membership[position]
        if domain in self.prepared.domain_ids:
            column = self.prepared.domain_ids.index(domain)
        else:
            column = int(np.argmax(row))
            if row[column] <= 0:
                return []
        domain = self.prepared.domain_ids[column]
        in_wijk = np.array([1.0 if wijk and s.in_wijk(wijk) else 0.0 for s in self.services])
        score = self._c.membership_weight * self.prepared.membership[:, column]
        score = (
            score
            + self.prepared.vectors @ self.prepared.vectors[position]
            + self._c.alternative_wijk_bonus * in_wijk
        )
        out: list[Suggestion] = []
        for i in np.argsort(-score):
            service = self.services[int(i)]
            if int(i) == position or self.prepared.membership[int(i), column] < self._c.min_membership:
                continue
            if not service.serves(wijk):
                continue
            out.append(self._suggestion((int(i), float(score[i])), domain, wijk=wijk, groups=frozenset(),
                                        alternative=True))  # fmt: skip
            if len(out) >= limit:
                break
        return out


def reason_text(*, label: str, service: Service, wijk: str | None, alternative: bool,
                audience: list[str] = ()) -> str:  # type: ignore[assignment]  # fmt: skip
    """Short Dutch (B1) reason: which levensgebied, what the partner does, for whom, where."""
    parts = [f"Ook mogelijk voor {label}." if alternative else f"Levensgebied: {label}."]
    if service.themes:
        parts.append(f"Deze partner werkt aan '{service.themes[0]}'.")
    if audience:
        parts.append("Voor " + " en ".join(GROUP_LABELS[a] for a in audience) + ".")
    if service.crisis:
        parts.append("Bereikbaar bij crisis.")
    if wijk and service.in_wijk(wijk):
        parts.append(f"Werkt in wijk {wijk}.")
    return " ".join(parts)
