"""Near-miss questions: they ask for a precise fact (a term in weeks, the steps of a procedure, a legal ground)
that the publication does not hold. The words that mark such a question are data in
knowledge/precieze_feiten.yaml; a question asking for one is in scope only when the best passages hold it too.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.retrieval.lexical import dutch_tokens, raw_terms
from bot.retrieval.types import ScoredPassage

FACTS_FILE = "precieze_feiten.yaml"
TOP_PASSAGES = 3


@dataclass(frozen=True, slots=True)
class FactCues:
    """Question words that ask for a precise fact, each with the stem the passages must hold."""

    words: Mapping[str, str]  # folded question word or phrase -> stem that must be in a passage
    counters: tuple[str, ...] = ()  # "hoeveel": the word after it is the asked fact

    @classmethod
    def load(cls, path: Path) -> FactCues:
        """Read the YAML file; an absent file gives no cues."""
        if not path.is_file():
            return cls({})
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        words = {}
        for word, needed in (data.get("woorden") or {}).items():
            stems = dutch_tokens(str(needed))
            if stems:
                words[" ".join(raw_terms(str(word))) or str(word).lower()] = stems[0]
        counters = tuple(str(c).lower() for c in data.get("telwoorden") or [])
        return cls(words, counters)

    def asked(self, question: str) -> tuple[str, ...]:
        """Stems of the precise facts the question asks for."""
        folded = " " + " ".join(raw_terms(question)) + " "
        lowered = " ".join(re.findall(r"[^\W\d_]+", question.lower()))
        out = [stem for word, stem in self.words.items() if f" {word} " in folded]
        for counter in sorted(self.counters, key=len, reverse=True):
            match = re.search(rf"\b{re.escape(counter)}\s+([^\W\d_]+)", lowered)
            if match:
                out.extend(dutch_tokens(match.group(1))[:1])
                break
        return tuple(dict.fromkeys(out))

    def missing(self, question: str, hits: Sequence[ScoredPassage]) -> tuple[str, ...]:
        """Asked facts that none of the best passages mentions (empty: nothing precise asked, or found)."""
        asked = self.asked(question)
        if not asked:
            return ()
        present = {t for h in hits[:TOP_PASSAGES] for t in dutch_tokens(h.passage.text)}
        text = " ".join(h.passage.text.lower() for h in hits[:TOP_PASSAGES])
        return tuple(s for s in asked if s not in present and not _in_compound(s, text))


def _in_compound(stem: str, text: str) -> bool:
    """'termijn' in 'langetermijneffecten' counts; very short stems must match as words."""
    return len(stem) >= 5 and stem in text
