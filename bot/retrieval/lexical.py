"""BM25 over Dutch text: a reusable analyzer (lowercase, accents, stopwords, Snowball stem) and a saved index."""

from __future__ import annotations

import json
import logging
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

# Snowball's Dutch stop list plus question and chat words that carry no topic in a phone-style question.
_STOPWORD_TEXT = """
    aan al alles als altijd andere ben bij daar dan dat de der deze die dit doch doen door dus een eens en er
    ge geen geweest haar had heb hebben heeft hem het hier hij hoe hun iemand iets ik in is ja je kan kon kunnen
    maar me meer men met mij mijn moet na naar niet niets nog nu of om omdat onder ons ook op over reeds te tegen
    toch toen tot u uit uw van veel voor want waren was wat we werd wezen wie wij wil worden wordt zal ze zelf zich
    zij zijn zo zonder zou
    welke waarom wanneer waar hoeveel jullie jij jou jouw onze mag mogen moeten kun kunt zou zouden
    graag even eigenlijk gewoon soms vaak heel erg echt wel tip tips vraag vragen iemand dingen ding
    nou hallo hoi hey oke ok dank bedankt a an the is are of to in on for and or what how why who which
    do does can i we my our you your it this that with about be
"""
DUTCH_STOPWORDS: frozenset[str] = frozenset(_STOPWORD_TEXT.split())

_TOKEN = re.compile(r"[a-z0-9]+(?:[-'][a-z0-9]+)*")


def _fold(text: str) -> str:
    """Lowercase and strip diacritics (één -> een, financiële -> financiele)."""
    lowered = text.lower()
    if lowered.isascii():  # NFKD leaves ASCII as it is and no ASCII character is combining: nothing to strip
        return lowered
    decomposed = unicodedata.normalize("NFKD", lowered)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=1)
def _stemmer() -> object:
    import Stemmer

    return Stemmer.Stemmer("dutch")


def raw_terms(text: str) -> list[str]:
    """Folded surface words without stopwords; a hyphenated word yields its parts and its joined form."""
    return list(_raw_terms(text) if len(text) <= _SHORT else _terms(text))


_SHORT = 400  # questions: one query is analysed several times (words, 4-grams, synonyms, memory, scope)


@lru_cache(maxsize=8192)  # every training question of an index build, which analyses each in several passes
def _raw_terms(text: str) -> tuple[str, ...]:
    return tuple(_terms(text))


def _terms(text: str) -> list[str]:
    out: list[str] = []
    for match in _TOKEN.finditer(_fold(text)):
        word = match.group(0)
        parts = re.split(r"[-']", word)
        candidates = parts + ([word.replace("-", "").replace("'", "")] if len(parts) > 1 else [])
        for term in candidates:
            if (len(term) > 1 or term.isdigit()) and term not in DUTCH_STOPWORDS:
                out.append(term)
    return out


def dutch_tokens(text: str) -> list[str]:
    """Analyze Dutch text for BM25: lowercase, strip accents, drop stopwords, Snowball-stem."""
    terms = raw_terms(text)
    if not terms:
        return []
    return list(_stemmer().stemWords(terms))  # type: ignore[attr-defined]


@lru_cache(maxsize=4096)
def tokens_of(text: str) -> tuple[str, ...]:
    """dutch_tokens, remembered: the same passages and sentences are analysed in every extractive answer."""
    return tuple(dutch_tokens(text))


def char_ngrams(text: str, *, n: int = 4) -> list[str]:
    """Character n-grams of each folded non-stopword, padded with '_' at both ends.

    Dutch glues words into compounds (wijkverpleegkundige, samenwerkingspartners) and phone typing adds
    typos; n-grams let 'wijkverpleging' meet 'wijkverpleegkundige' and 'samenwerkn' meet 'samenwerken'.
    """
    out: list[str] = []
    for term in raw_terms(text):
        padded = f"_{term}_"
        if len(padded) <= n:
            out.append(padded)
        else:
            out.extend(padded[i : i + n] for i in range(len(padded) - n + 1))
    return out


@dataclass(frozen=True, slots=True)
class LexicalHit:
    """Index position of a document and its raw BM25 score."""

    index: int
    score: float


class LexicalIndex:
    """A bm25s index over analyzed documents; positions match the passage list it was built from."""

    def __init__(self, model: object, *, size: int) -> None:
        self._model = model
        self.size = size

    @classmethod
    def build(
        cls,
        texts: list[str],
        *,
        k1: float = 1.2,
        b: float = 0.75,
        analyzer: Callable[[str], list[str]] = dutch_tokens,
    ) -> LexicalIndex:
        """Index texts analyzed by `analyzer`; queries must be analyzed the same way."""
        import bm25s

        # bm25s says "Building index from tokens" at DEBUG; a root logger set to DEBUG on stdout (deduce does
        # that on import) would put it in front of `eval ... --json` output.
        logging.getLogger("bm25s").setLevel(logging.INFO)
        model = bm25s.BM25(k1=k1, b=b, method="lucene")
        corpus = [analyzer(t) or ["_leeg_"] for t in texts]
        model.index(corpus, show_progress=False)
        return cls(model, size=len(texts))

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self._model.save(str(directory), show_progress=False)  # type: ignore[attr-defined]
        (directory / "size.json").write_text(json.dumps({"size": self.size}), encoding="utf-8")

    @classmethod
    def load(cls, directory: Path) -> LexicalIndex:
        import bm25s

        model = bm25s.BM25.load(str(directory), show_progress=False)
        size = json.loads((directory / "size.json").read_text(encoding="utf-8"))["size"]
        return cls(model, size=int(size))

    def known_terms(self, tokens: list[str]) -> list[str]:
        """The analyzed query tokens that occur in the indexed vocabulary."""
        vocab = self._model.vocab_dict  # type: ignore[attr-defined]
        return [t for t in tokens if t in vocab]

    def document_frequency(self, token: str) -> int:
        """Number of indexed documents containing an analyzed token (0 when unknown)."""
        term = self._model.vocab_dict.get(token)  # type: ignore[attr-defined]
        if term is None:
            return 0
        indptr = self._model.scores["indptr"]  # type: ignore[attr-defined]
        return int(indptr[term + 1] - indptr[term])

    def scores(self, tokens: list[str]) -> np.ndarray:
        """BM25 score of every document for analyzed query tokens (zeros when nothing matches)."""
        known = list(dict.fromkeys(self.known_terms(tokens)))
        if not known:
            return np.zeros(self.size, dtype=np.float32)
        model: Any = self._model
        if getattr(model, "nonoccurrence_array", None) is not None or np.dtype(model.dtype) != np.float32:
            return np.asarray(model.get_scores(known), dtype=np.float32)
        # bm25s' get_scores adds each token's column with np.add.at (slow per call); a document occurs once in a
        # token's column, so a fancy-index add makes the same float32 additions in the same order
        index = model.scores
        data, indices, indptr = index["data"], index["indices"], index["indptr"]
        out = np.zeros(int(index["num_docs"]), dtype=np.float32)
        vocab = model.vocab_dict
        for token in known:
            term = vocab[token]
            start, end = indptr[term], indptr[term + 1]
            out[indices[start:end]] += data[start:end]
        return out

    def search(self, tokens: list[str], *, k: int) -> list[LexicalHit]:
        """Top-k documents with a positive score, best first."""
        scores = self.scores(tokens)
        order = np.argsort(-scores, kind="stable")[:k]
        return [LexicalHit(int(i), float(scores[i])) for i in order if scores[i] > 0]


def postings(documents: list[frozenset[str]]) -> dict[str, np.ndarray]:
    """Per token: the positions of the documents that hold it, ascending (an inverted index of `documents`)."""
    lists: dict[str, list[int]] = {}
    for i, terms in enumerate(documents):
        for term in terms:
            lists.setdefault(term, []).append(i)
    return {t: np.asarray(v, dtype=np.int64) for t, v in lists.items()}


def idf_coverage(
    lexical: LexicalIndex,
    documents: list[frozenset[str]],
    weights: dict[str, float],
    *,
    postings: dict[str, np.ndarray] | None = None,
) -> np.ndarray:
    """Per document (its analysed tokens): the weighted idf of the `weights` tokens it holds over that of all of
    them; zeros without tokens. postings: `postings(documents)`, when kept: then only the documents holding a
    token are visited, with the same additions in the same order (the same float64 sums, so the same result)."""
    out = np.zeros(len(documents), dtype=np.float32)
    if not weights:
        return out
    n = len(documents)
    idf = {t: w * float(np.log(1.0 + n / max(lexical.document_frequency(t), 1))) for t, w in weights.items()}
    total = sum(idf.values()) or 1.0
    if postings is None:
        for i, terms in enumerate(documents):
            out[i] = sum(v for t, v in idf.items() if t in terms) / total
        return out
    # sum() over Python floats adds in float64 too, from 0 in token order
    sums = np.zeros(n, dtype=np.float64)
    for t, v in idf.items():
        held = postings.get(t)
        if held is not None:
            sums[held] += v
    return (sums / total).astype(np.float32)
