"""Extractive answers: the best sentences of the top passages, each group with its citation."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from bot.answering.guard import supports
from bot.answering.query import looks_like_injection
from bot.answering.sentence_model import SentenceRanker
from bot.ingest.chunking import split_sentences
from bot.retrieval.lexical import dutch_tokens, tokens_of
from bot.retrieval.types import Passage, ScoredPassage

MAX_CHARS = 700
TOP_PASSAGES = 4
_MIN_SENTENCE_CHARS = 40
_MIN_SENTENCE_WORDS = 6
_RANK_PRIOR = (1.0, 0.6, 0.4, 0.3)
_FRAGMENT_START = re.compile(r"^[a-zà-ÿ,;:)\]–-]")
_LEANS_BACK = re.compile(
    r"^(Dat|Dit|Deze|Die|Daarom|Daardoor|Hierdoor|Hiermee|Daarbij|Daarnaast|Desalniettemin|Dergelijke|Zij|Ze|Hij)\b"
)
_LIST_NUMBER_END = re.compile(r"\s\d{1,2}\.$")  # "... schotten? 6." from a numbered list


def cite(passage: Passage) -> str:
    """Inline citation in brackets: '[Vraag 5 · Wat doen we met die financiële schotten? (p. 21)]'."""
    return f"[{passage.citation()}]"


@dataclass(frozen=True, slots=True)
class Candidate:
    passage_rank: int
    position: int
    sentence: str
    score: float
    overlap: int = 0


@dataclass(frozen=True, slots=True)
class Extract:
    body: str  # sentences with citations, at most MAX_CHARS
    cited: tuple[Passage, ...]  # passages quoted, in the order shown
    loose: bool = False  # no sentence shares a word with the question: the passage is only loosely related
    # With compose(first_chars=...): the best-ranked of those sentences within first_chars, cited (first message),
    # and the others (second message), cited only where their passage is not cited in `first` already.
    first: str = ""
    first_cited: tuple[Passage, ...] = ()
    rest: str = ""
    rest_cited: tuple[Passage, ...] = ()


@lru_cache(maxsize=4096)
def usable_sentence(sentence: str) -> bool:
    """Drop headings, fragments, very short bits and sentences that try to instruct the assistant. Remembered: the
    same passage sentences are checked in every answer, and the injection pattern was 5% of the engine worker's
    CPU per question (round 16)."""
    if len(sentence) < _MIN_SENTENCE_CHARS or len(sentence.split()) < _MIN_SENTENCE_WORDS:
        return False
    if _FRAGMENT_START.match(sentence) or _LIST_NUMBER_END.search(sentence) or looks_like_injection(sentence):
        return False
    # Questions from the text are not answers; a sentence must end like a statement.
    return sentence.rstrip("’'”\")").endswith((".", "!", ":", "…"))


def _candidates(query_terms: set[str], hits: Sequence[ScoredPassage]) -> list[Candidate]:
    """Usable sentences of the top passages, scored by idf-weighted overlap with the query."""
    found: list[tuple[int, int, str, set[str]]] = []
    for rank, hit in enumerate(hits[:TOP_PASSAGES]):
        for position, (_, sentence) in enumerate(split_sentences(hit.passage.text)):
            sentence = sentence.lstrip("• ").strip()
            if usable_sentence(sentence):
                found.append((rank, position, sentence, set(tokens_of(sentence)) & query_terms))
    # A query term found in every sentence ("wijkteam") says little; a rare one says a lot.
    df = {term: sum(term in matched for *_, matched in found) for term in query_terms}
    weight = {term: math.log(1 + len(found) / count) for term, count in df.items() if count}
    out: list[Candidate] = []
    for rank, position, sentence, matched in found:
        relevance = sum(weight[t] for t in matched)
        # Relevance decides; the passage rank scales it and favours the best passages.
        score = (relevance + 0.1) * _RANK_PRIOR[rank] - 0.001 * position
        out.append(Candidate(rank, position, sentence, score, len(matched)))
    return out


class _Supported:
    """supports(sentence, passage) remembered for one answer: packing the budget renders the same pairs often."""

    def __init__(self) -> None:
        self._seen: dict[tuple[str, str], bool] = {}
        self._words: dict[str, set[str]] = {}

    def __call__(self, sentence: str, passage: Passage) -> bool:
        key = (sentence, passage.id)
        if key not in self._seen:
            if passage.id not in self._words:
                self._words[passage.id] = set(dutch_tokens(passage.text))
            words = self._words[passage.id]
            self._seen[key] = supports(sentence, passage.text, passage_words=words)
        return self._seen[key]


def _render(
    chosen: Sequence[Candidate],
    hits: Sequence[ScoredPassage],
    supported: _Supported | None = None,
    *,
    uncited: frozenset[str] = frozenset(),
) -> tuple[str, tuple[Passage, ...]]:
    """Group sentences per citation (passages in rank order, sentences in text order). Groups whose citation is in
    `uncited` (cited in the message before) go without it."""
    groups: dict[str, list[Candidate]] = {}
    first_passage: dict[str, Passage] = {}
    for candidate in sorted(chosen, key=lambda c: (c.passage_rank, c.position)):
        passage = hits[candidate.passage_rank].passage
        if not (supported or _Supported())(
            candidate.sentence, passage
        ):  # cite only where the passage says it
            continue
        key = cite(passage)
        groups.setdefault(key, []).append(candidate)
        first_passage.setdefault(key, passage)
    parts = [
        " ".join(c.sentence for c in members) + ("" if key in uncited else f" {key}")
        for key, members in groups.items()
    ]
    return "\n\n".join(parts), tuple(first_passage.values())


def _with_context(
    chosen: list[Candidate], hits: Sequence[ScoredPassage], max_chars: int, supported: _Supported
) -> list[Candidate]:
    """A chosen sentence that leans on the one before it ('Dat betekent ...') gets that sentence too, if it fits."""
    out = list(chosen)
    taken = {(c.passage_rank, c.position) for c in chosen}
    for candidate in chosen:
        place = (candidate.passage_rank, candidate.position - 1)
        if place in taken or candidate.position == 0 or not _LEANS_BACK.match(candidate.sentence):
            continue
        sentences = split_sentences(hits[candidate.passage_rank].passage.text)
        before = sentences[place[1]][1].lstrip("• ").strip()
        if not before.endswith(".") or looks_like_injection(before):
            continue
        trial = [*out, Candidate(place[0], place[1], before, candidate.score)]
        if len(_render(trial, hits, supported)[0]) <= max_chars:
            out, taken = trial, taken | {place}
    return out


def _shorten(sentence: str, room: int) -> str:
    cut = sentence[: max(room - 1, 0)]
    return (cut[: cut.rfind(" ")] if " " in cut else cut).rstrip(",;: ") + "…"


def _ranked(
    query: str, hits: Sequence[ScoredPassage], ranker: SentenceRanker | None, question: str
) -> tuple[list[Candidate], bool]:
    """Candidates best first, and whether any shares a word with the query (False: only loosely related)."""
    if ranker is not None:
        scored = ranker.rank(query, question or query, hits, usable_sentence)
        learned = [Candidate(s.passage_rank, s.position, s.text, score, s.overlap) for s, score in scored]
        return sorted(learned, key=lambda c: -c.score), any(c.overlap for c in learned)
    candidates = _candidates(set(dutch_tokens(query)), hits)
    # Sentences that share a term with the query; without any, the top passage speaks for itself.
    overlapping = [c for c in candidates if c.overlap]
    useful = overlapping or [c for c in candidates if c.passage_rank == 0]
    ranked = sorted(useful, key=lambda c: -c.score)
    # Anchor on the best passage: its best sentence goes first, the rest compete on score.
    anchor = next((c for c in ranked if c.passage_rank == 0), None)
    if anchor is not None:
        ranked = [anchor, *(c for c in ranked if c is not anchor)]
    return ranked, bool(overlapping)


def compose(
    query: str,
    hits: Sequence[ScoredPassage],
    *,
    max_chars: int = MAX_CHARS,
    ranker: SentenceRanker | None = None,
    question: str = "",
    first_chars: int | None = None,
) -> Extract:
    """Pick the best sentences until the budget is used; keep passage order. With a ranker the learned sentence
    scorer decides (question: the newest question of a follow-up), else word overlap with the query.
    first_chars: also split them for a phone (Extract.first / Extract.rest)."""
    if not hits:
        return Extract(body="", cited=())
    ranked, overlapping = _ranked(query, hits, ranker, question)
    supported = _Supported()
    chosen: list[Candidate] = []
    for candidate in ranked:
        trial = [*chosen, candidate]
        if len(_render(trial, hits, supported)[0]) <= max_chars:
            chosen = trial
    if not chosen:
        first = ranked[0] if ranked else None
        if first is None:
            text = hits[0].passage.text.strip()
            first = Candidate(0, 0, text, 1.0)
        citation = len(cite(hits[first.passage_rank].passage)) + 1
        chosen = [
            Candidate(
                first.passage_rank,
                first.position,
                _shorten(first.sentence, max_chars - citation),
                first.score,
            )
        ]
    final = _with_context(chosen, hits, max_chars, supported)
    body, cited = _render(final, hits, supported)
    extract = Extract(body=body, cited=cited, loose=not overlapping, first=body, first_cited=cited)
    if first_chars is None or len(body) <= first_chars:
        return extract
    opening = _first_message(final, chosen, hits, first_chars, supported)
    if not opening:  # not even the best sentence fits: one message (the channel cuts it)
        return extract
    first_body, first_cited = _render(opening, hits, supported)
    rest = [c for c in final if c not in opening]
    rest_body, rest_cited = _render(rest, hits, supported, uncited=frozenset(cite(p) for p in first_cited))
    return Extract(
        body=body, cited=cited, loose=not overlapping, first=first_body, first_cited=first_cited,
        rest=rest_body, rest_cited=rest_cited,
    )  # fmt: skip


def _first_message(
    final: Sequence[Candidate],
    chosen: Sequence[Candidate],
    hits: Sequence[ScoredPassage],
    first_chars: int,
    supported: _Supported,
) -> list[Candidate]:
    """The best-ranked of the answer's sentences that fit in first_chars, rendered with their citations. A
    sentence that leans back ('Dat betekent ...') comes with the sentence before it, when that is in the answer."""
    context = {(c.passage_rank, c.position): c for c in final if c not in chosen}
    taken: list[Candidate] = []
    for candidate in chosen:  # best first (the order they were chosen in)
        unit = [candidate]
        before = context.get((candidate.passage_rank, candidate.position - 1))
        if before is not None and before not in taken and _LEANS_BACK.match(candidate.sentence):
            unit.insert(0, before)
        trial = [*taken, *unit]
        if len(_render(trial, hits, supported)[0]) <= first_chars:
            taken = trial
    return taken
