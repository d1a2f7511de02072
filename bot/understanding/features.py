"""Features of a text: character and word TF-IDF, USE sentence embedding, and signal-lexicon hits."""

from __future__ import annotations

import re
from typing import Protocol

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer, TfidfVectorizer

from bot.fast_tfidf import tfidf as fast_tfidf
from bot.understanding.ages import age_rows
from bot.understanding.constants import Constants
from bot.understanding.injuries import injury_rows
from bot.understanding.lexicon import Lexicon
from bot.understanding.scope import SCOPE_COLUMNS, read_scope

HIT_CAP = 3.0


class Encoder(Protocol):
    def encode(self, texts: list[str]) -> np.ndarray: ...

    def encode_query(self, text: str) -> np.ndarray: ...


class CachingEncoder:
    """A sentence encoder with an unbounded cache: every text is embedded once, in one batch position, so the
    same text always gets the same vector (USE vectors vary in the last bit with the batch a text is embedded
    in). For cross-validation benches and tests, not for the bot (its memory would grow without bound)."""

    def __init__(self, inner: Encoder) -> None:
        self._inner = inner
        self._seen: dict[str, np.ndarray] = {}

    def encode(self, texts: list[str]) -> np.ndarray:
        new = [t for t in dict.fromkeys(texts) if t not in self._seen]
        for i in range(0, len(new), 256):
            self._seen.update(zip(new[i : i + 256], self._inner.encode(new[i : i + 256]), strict=True))
        return np.stack([self._seen[t] for t in texts]) if texts else self._inner.encode([])

    def encode_query(self, text: str) -> np.ndarray:
        return self.encode([text])[0]


def lexicon_columns(lexicon: Lexicon, *, scope: bool = False) -> list[str]:
    """One column per old lexicon domain, plus 'acute' and 'zorg' level columns; with scope also where the safety
    hits stand (negated, past, called not acute: bot/understanding/scope.py)."""
    return [*lexicon.domains, "level:acute", "level:zorg", *(SCOPE_COLUMNS if scope else ())]


def read_text(lexicon: Lexicon, text: str, columns: list[str]) -> tuple[str, np.ndarray]:
    """The text as the models see it (abbreviations written out, negated or reassured problems blanked:
    'geen schulden' says nothing about money trouble) and its signal-word hits as numbers."""
    detection = lexicon.read(text)
    expanded = lexicon.normalizer.expand(text)
    chars = list(expanded)
    for start, end in detection.quiet:
        chars[start:end] = " " * (end - start)
    left = re.sub(r"\s{2,}", " ", "".join(chars)).strip()
    if detection.quiet and len(re.findall(r"[^\W\d_]{4,}", left)) < 2:
        left = ""  # everything said was negated: no meaning left
    return left, lexicon_row(lexicon, text, columns)


def lexicon_row(lexicon: Lexicon, text: str, columns: list[str]) -> np.ndarray:
    """Signal-word hits of one text as numbers: no single word decides anything, the models weigh them."""
    row = _row(lexicon.read(text).hits, columns)
    if columns[-len(SCOPE_COLUMNS) :] == list(SCOPE_COLUMNS):
        row[-len(SCOPE_COLUMNS) :] = read_scope(lexicon, text).row()
    return row


def _row(hits: list, columns: list[str]) -> np.ndarray:  # type: ignore[type-arg]
    row = np.zeros(len(columns), dtype=np.float32)
    position = {c: i for i, c in enumerate(columns)}
    for hit in hits:
        weight = 0.5 if hit.person else 1.0
        row[position[hit.domain]] = min(HIT_CAP, row[position[hit.domain]] + weight)
        if hit.level:
            row[position[f"level:{hit.level}"]] = 1.0
    return row / HIT_CAP


class Featurizer:
    """Fitted on the training texts; turns (expanded) texts + their vectors into one sparse matrix."""

    def __init__(self, constants: Constants, columns: list[str]) -> None:
        self._c = constants
        self.columns = columns
        self.char = TfidfVectorizer(analyzer="char_wb", ngram_range=constants.char_ngrams, sublinear_tf=True,
                                    min_df=2, dtype=np.float32)  # fmt: skip
        self.word = TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True, min_df=1,
                                    token_pattern=r"(?u)\b\w\w+\b", dtype=np.float32)  # fmt: skip

    def fit(self, texts: list[str]) -> Featurizer:
        self.char.fit(texts)
        self.word.fit(texts)
        return self

    def fit_transform(self, texts: list[str], dense: np.ndarray, hits: np.ndarray) -> sparse.csr_matrix:
        """fit(texts).transform(texts, dense, hits) with every text's n-grams read once, not twice: the same
        fitted vectorizers and the same matrix, bit for bit (tests/understanding/test_models.py)."""
        tfidf = (_fit_tfidf(self.char, texts), _fit_tfidf(self.word, texts))
        return sparse.hstack(self.blocks(texts, dense, hits, tfidf=tfidf), format="csr")

    def transform(self, texts: list[str], dense: np.ndarray, hits: np.ndarray) -> sparse.csr_matrix:
        return sparse.hstack(self.blocks(texts, dense, hits), format="csr")

    def blocks(self, texts: list[str], dense: np.ndarray, hits: np.ndarray,
               tfidf: tuple[sparse.csr_matrix, sparse.csr_matrix] | None = None) -> list[sparse.csr_matrix]:  # fmt: skip
        """The weighted feature blocks, in column order. tfidf: the char and word rows of `texts`, if known."""
        c = self._c
        # the rows of self.char.transform(texts), ... without scikit-learn's input checks (bot.fast_tfidf)
        if tfidf is None:
            tfidf = (fast_tfidf(self.char, texts), fast_tfidf(self.word, texts))
        char, word = tfidf
        blocks = [
            char * c.char_weight,
            word * c.word_weight,
            sparse.csr_matrix(dense.astype(np.float32) * c.dense_weight),
            sparse.csr_matrix(hits.astype(np.float32) * c.lexicon_weight),
        ]
        if c.age_weight > 0:  # ages named in the text (bot/understanding/ages.py)
            blocks.append(sparse.csr_matrix(age_rows(texts) * c.age_weight))
        if (
            c.injury_weight > 0
        ):  # an injury named with or without an explanation (bot/understanding/injuries.py)
            blocks.append(sparse.csr_matrix(injury_rows(texts) * c.injury_weight))
        return blocks


def _fit_tfidf(vectorizer: TfidfVectorizer, texts: list[str]) -> sparse.csr_matrix:
    """vectorizer.fit(texts), returning what vectorizer.transform(texts) returns then, from the counts the fit made
    (scikit-learn's TfidfVectorizer.fit, whose counts it drops). Those counts come out of the vocabulary sort with
    unsorted column indices, where transform's are sorted; the L2 norm of a row sums in stored order, so they are
    sorted first: the same matrix as transform's, not only up to rounding."""
    vectorizer._check_params()
    vectorizer._tfidf = TfidfTransformer(norm=vectorizer.norm, use_idf=vectorizer.use_idf,
                                         smooth_idf=vectorizer.smooth_idf, sublinear_tf=vectorizer.sublinear_tf)  # fmt: skip
    counts = CountVectorizer.fit_transform(vectorizer, texts)
    vectorizer._tfidf.fit(counts)
    counts.sort_indices()
    return vectorizer._tfidf.transform(counts, copy=False)
