"""Which of the ten vragen a question is about, by its topic words (BM25 over each vraag's title, theme,
summary and advice).

The partner a question names ('huisartsen', 'de ggz', 'school') is the argument of a collaboration question,
not its topic: 'hoe leer ik de huisartsen kennen' is about meeting (vraag 2), even though vraag 1 talks about
huisartsen too. So the words of the kaart's names and themes are left out of the query.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.ingest.vragen import Vraag
from bot.kaart.model import Service
from bot.retrieval.lexical import dutch_tokens

K1, B = 1.2, 0.75  # the usual BM25 constants
# Chosen on the labelled development questions (tests/retrieval/labelled_questions.yaml and the shared dev
# questions, 93 in all): with these, 10 extra correct cards against 1 wrong (0 wrong cards added).
MIN_SCORE = 2.0
MARGIN = 1.5  # the best vraag must beat the second by this factor


def partner_words(services: Iterable[Service]) -> frozenset[str]:
    """Stemmed words of the kaart's names, organisations and themes."""
    return frozenset(t for s in services for t in dutch_tokens(" ".join((s.name, s.organization, *s.themes))))


# 'kennis maken' and 'leren kennen' are about meeting people, not about 'kennis' (knowledge, vraag 1)
_MEETING = re.compile(
    r"\bkennis\s*(?:te\s+)?ma(?:ken|ak|akt)\b|\bma(?:ak|ken|akt)\s+(?:\w+\s+){0,2}kennis\b"
    r"|\bleren?\s+(?:\w+\s+){0,6}kennen\b"
)


# Words every question of this domain may use ('in mijn wijk'): no topic of one vraag.
DOMAIN_WORDS = frozenset(dutch_tokens("wijk wijken"))


MEETING_WORDS = frozenset(dutch_tokens("kennismaken ontmoeten"))


@dataclass(frozen=True, slots=True)
class VraagWords:
    docs: tuple[tuple[int, Counter[str], int], ...]  # vraag number, term counts, length
    idf: dict[str, float]
    average: float

    @classmethod
    def build(cls, vragen: Sequence[Vraag]) -> VraagWords:
        docs = []
        for v in vragen:
            tokens = dutch_tokens(" ".join([v.title, v.theme, v.summary, *(a.text for a in v.advice)]))
            docs.append((v.number, Counter(tokens), len(tokens)))
        n = max(len(docs), 1)
        df = Counter(t for _, counts, _ in docs for t in counts)
        idf = {t: math.log(1 + (n - c + 0.5) / (c + 0.5)) for t, c in df.items()}
        average = sum(length for *_, length in docs) / n if docs else 1.0
        return cls(tuple(docs), idf, average)

    def scores(self, question: str, *, leave_out: frozenset[str] = frozenset()) -> dict[int, float]:
        meeting = _MEETING.search(question.casefold()) is not None
        terms = set(dutch_tokens(_MEETING.sub(" ", question.casefold()))) - leave_out - DOMAIN_WORDS
        terms |= MEETING_WORDS if meeting else frozenset()  # a topic even where the kaart has 'ontmoeting
        out: dict[int, float] = {}
        for number, counts, length in self.docs:
            norm = K1 * (1 - B + B * length / self.average)
            out[number] = sum(
                self.idf[t] * counts[t] * (K1 + 1) / (counts[t] + norm) for t in terms if t in counts
            )
        return out

    def best(self, question: str, *, leave_out: frozenset[str] = frozenset()) -> int | None:
        """The vraag the topic words clearly point to, or None."""
        ranked = sorted(self.scores(question, leave_out=leave_out).items(), key=lambda x: -x[1])
        if not ranked or ranked[0][1] < MIN_SCORE:
            return None
        if len(ranked) > 1 and ranked[0][1] < MARGIN * ranked[1][1]:
            return None
        return ranked[0][0]
