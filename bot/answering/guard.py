"""Checks on a model reply before the user sees it.

1. Contact details: every phone number, e-mail address and URL must occur in the passages given to the
   model or in the sociale kaart. A sentence with any other contact detail is removed.
2. Citations: a [n] stays only on a sentence whose content words overlap passage n.
3. Prompt leaks: a reply that repeats the rules of the system prompt (verbatim, paraphrased or translated)
   is blocked. Compared by meaning: the multilingual USE embedding of each reply sentence against each
   rule sentence.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from bot.retrieval.lexical import dutch_tokens, tokens_of

Embed = Callable[[list[str]], np.ndarray]

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}")
_URL = re.compile(
    r"(?:https?://|www\.)[^\s<>()\[\]]+|(?<![@\w.-])[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:nl|com|org|net|eu|be|info|"
    r"example)(?:/[^\s<>()\[\]]*)?(?![\w@])",
    re.IGNORECASE,
)
_PHONE = re.compile(
    r"(?<![\w+])(?:(?:\+|00)[ \t]?31[ \t.-]?(?:\(0\)[ \t.-]?)?|\(?0)[1-9](?:\)?[ \t]?[-./]?[ \t]?\d){6,9}(?!\d)"
)
_SENTENCE = re.compile(r"(?<=[.!?])[ \t]+(?!\[)")
_CITATION = re.compile(r"\s*\[(\s*\d+(?:\s*[,;]\s*\d+)*\s*)\]")
_RULE_LINE = re.compile(r"^\s*\d+\.\s+(.*\S)")
# Support: share at least this share of the sentence's content words (stems), or this many words.
SUPPORT_SHARE = 0.3
SUPPORT_WORDS = 3


# -- contact details ----------------------------------------------------------------------------------
def _norm_phone(raw: str) -> str:
    digits = re.sub(r"\D", "", raw)
    if digits.startswith("0031"):
        digits = "0" + digits[4:]
    elif raw.lstrip().startswith("+31"):
        digits = "0" + digits[2:]
    return digits


def _norm_link(raw: str) -> str:
    link = raw.lower().rstrip(".,;:!?/")
    link = re.sub(r"^https?://", "", link)
    return link.removeprefix("www.")


def contacts_in(text: str) -> set[str]:
    """Normalised e-mail addresses, URLs and Dutch phone numbers in a text."""
    found = {m.group(0).lower() for m in _EMAIL.finditer(text)}
    masked = _EMAIL.sub(" ", text)
    found |= {_norm_link(m.group(0)) for m in _URL.finditer(masked)}
    found |= {_norm_phone(m.group(0)) for m in _PHONE.finditer(masked)}
    return found


def known_contacts(sources: Iterable[str]) -> set[str]:
    """Everything a reply may mention: contacts in the passages and kaart fields (whole sites count too)."""
    allowed: set[str] = set()
    for source in sources:
        allowed |= contacts_in(source)
        if source.strip() and re.fullmatch(r"[\d +()./-]+", source.strip()):
            allowed.add(_norm_phone(source))
    allowed |= {link.split("/")[0] for link in allowed if "/" in link}
    return allowed


def _is_known(contact: str, allowed: set[str]) -> bool:
    return contact in allowed or contact.split("/")[0] in allowed


def remove_unsourced_contacts(text: str, allowed: set[str]) -> tuple[str, int]:
    """Drop each sentence that holds a contact detail found in no source. Returns the text and the count."""
    removed = 0
    lines: list[str] = []
    for line in text.splitlines():
        kept: list[str] = []
        for sentence in _SENTENCE.split(line):
            if all(_is_known(c, allowed) for c in contacts_in(sentence)):
                kept.append(sentence)
            else:
                removed += 1
        if kept or not line.strip():
            lines.append(" ".join(kept))
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip(), removed


# -- citations -------------------------------------------------------------------------------------------
def supports(sentence: str, passage_text: str, *, passage_words: set[str] | None = None) -> bool:
    """True when the passage shares enough content words with the sentence (passage_words: its tokens, if known)."""
    words = set(tokens_of(_CITATION.sub(" ", sentence)))
    if not words:
        return False
    shared = len(words & (passage_words if passage_words is not None else set(tokens_of(passage_text))))
    return shared >= SUPPORT_WORDS or shared / len(words) >= SUPPORT_SHARE


def keep_supported_citations(text: str, passages: Sequence[str]) -> tuple[str, list[int]]:
    """Remove [n] from sentences that passage n does not support. Returns the text and numbers in use."""
    used: list[int] = []

    def check(sentence: str) -> str:
        def keep(match: re.Match[str]) -> str:
            numbers = [int(n) for n in re.findall(r"\d+", match.group(1))]
            valid = [n for n in numbers if 1 <= n <= len(passages) and supports(sentence, passages[n - 1])]
            used.extend(n for n in valid if n not in used)
            return f" [{', '.join(map(str, valid))}]" if valid else ""

        return _CITATION.sub(keep, sentence)

    lines = [" ".join(check(s) for s in _SENTENCE.split(line)) for line in text.splitlines()]
    return "\n".join(lines), used


def best_support(text: str, passages: Sequence[str]) -> int | None:
    """The 1-based number of the passage that supports the whole text best, if any supports it."""
    words = set(dutch_tokens(_CITATION.sub(" ", text)))
    scores = [len(words & set(tokens_of(p))) for p in passages]
    if not words or not scores or max(scores) == 0:
        return None
    best = int(np.argmax(scores))
    return best + 1 if supports(text, passages[best]) else None


# -- prompt leaks ----------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class LeakThresholds:
    """Cosine similarities (USE multilingual v3), set on the rules of prompts/answer_system.md.

    Ordinary answers and 1,082 sentences of the publication stay below 0.56 against any rule (p99 0.49);
    a Dutch paraphrase of the rules scores 0.44-0.52 on four different rules; an English translation
    0.48-0.85; verbatim 1.0. A leak is one sentence at `near_copy`, two rules at `strong`, or three at `weak`.
    """

    near_copy: float = 0.80
    strong: float = 0.55
    weak: float = 0.42


def _sentences(text: str) -> list[str]:
    out: list[str] = []
    for line in text.splitlines():
        line = re.sub(r"^\s*(?:\d+\.|[-•*])\s*", "", _CITATION.sub(" ", line)).strip()
        out += [s.strip() for s in re.split(r"(?<=[.!?])\s+", line) if len(s.strip()) >= 20]
    return out


def rule_sentences(system_prompt: str) -> list[str]:
    """The sentences of the numbered rules in the rendered system prompt."""
    rules = [m.group(1) for line in system_prompt.splitlines() if (m := _RULE_LINE.match(line))]
    return _sentences("\n".join(rules))


class LeakDetector:
    """Blocks replies that repeat the prompt's rules. Rule vectors are cached per rendered prompt."""

    def __init__(self, embed: Embed | None, *, thresholds: LeakThresholds = LeakThresholds()) -> None:
        self._embed = embed
        self._limits = thresholds
        self._rules: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def leaks(self, reply: str, system_prompt: str) -> bool:
        return self._verbatim(reply, system_prompt) or self._by_meaning(reply, system_prompt)

    @staticmethod
    def _verbatim(reply: str, system_prompt: str) -> bool:
        folded = " ".join(reply.lower().split())
        for line in system_prompt.splitlines():
            line = " ".join(line.lower().split())
            if len(line) >= 40 and line[:60] in folded:
                return True
        return False

    def _by_meaning(self, reply: str, system_prompt: str) -> bool:
        sentences = _sentences(reply)
        if self._embed is None or not sentences:
            return False
        rules = self._rule_vectors(system_prompt)
        if rules.shape[0] == 0:
            return False
        sims = np.asarray(self._embed(sentences), dtype=np.float32) @ rules.T
        best, which = sims.max(axis=1), sims.argmax(axis=1)
        limits = self._limits

        def rules_over(level: float) -> int:
            return len({int(r) for s, r in zip(best, which, strict=True) if s >= level})

        return bool(
            best.max() >= limits.near_copy or rules_over(limits.strong) >= 2 or rules_over(limits.weak) >= 3
        )

    def _rule_vectors(self, system_prompt: str) -> np.ndarray:
        with self._lock:
            cached = self._rules.get(system_prompt)
        if cached is not None:
            return cached
        assert self._embed is not None
        rules = rule_sentences(system_prompt)
        vectors = np.asarray(self._embed(rules), dtype=np.float32) if rules else np.zeros((0, 1), np.float32)
        with self._lock:
            self._rules[system_prompt] = vectors
            while len(self._rules) > 8:  # one entry per (passage count, language) combination
                self._rules.popitem(last=False)
        return vectors
