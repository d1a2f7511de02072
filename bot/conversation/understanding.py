"""What the engine knows besides the services: the dialogue-act model, the glossary, language names, the
kaart's name index and the vraag vectors. Everything is built lazily, once, thread-safe; with a cache dir the act
model and the corpus vectors are kept there between starts (bot.trained_cache).
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from bot.conversation.acts.corpus import Utterance, load_split
from bot.conversation.acts.model import ActModel, ActPrediction, ModelConfig, SentenceEncoder, train
from bot.conversation.facts import load_languages
from bot.conversation.glossary import Entry, load_glossary
from bot.conversation.kinds import KindIndex
from bot.conversation.lookup import NameIndex, load_english
from bot.conversation.vraagwords import VraagWords, partner_words
from bot.ingest.vragen import Vraag
from bot.kaart.model import Service
from bot.understanding.taxonomy import load_taxonomy

EncodeFn = Callable[[list[str]], np.ndarray]


@dataclass(frozen=True, slots=True)
class VraagVectors:
    """One row per vraag title and per advice, with the vraag number and advice index (-1 for the title)."""

    vectors: np.ndarray
    rows: tuple[tuple[int, int], ...]


class Understanding:
    """Lazy holder; `knowledge_dir` is settings.knowledge_dir."""

    def __init__(
        self, knowledge_dir: Path, *, encoder: SentenceEncoder | None = None, cache_dir: Path | None = None
    ) -> None:
        """`encoder` (USE) adds sentence vectors to the act model; without it the model uses n-grams only.
        `cache_dir` keeps the corpus vectors between starts, keyed by the corpus content hash."""
        self._dir = knowledge_dir
        self._encoder = encoder
        self._cache_dir = cache_dir
        self._lock = threading.Lock()
        self._model: ActModel | None = None
        self._glossary: list[Entry] | None = None
        self._languages: dict[str, str] | None = None
        self._english: dict[str, str] | None = None
        self._names: tuple[str, NameIndex] | None = None
        self._kinds: tuple[str, KindIndex] | None = None
        self._vraag_words: tuple[int, VraagWords] | None = None
        self._partner_words: tuple[str, frozenset[str]] | None = None
        self._vraag: tuple[int, VraagVectors] | None = None

    def acts(self) -> ActModel:
        with self._lock:
            if self._model is None:
                self._model = self._trained_acts()
            return self._model

    def _trained_acts(self) -> ActModel:
        """Trained, or read from the cache dir when trained before on the same corpus and code (issue #12)."""
        from bot.trained_cache import load_or_train

        corpus = load_split(self._dir / "dialoog", "train")

        def fit() -> ActModel:  # cached without the encoder (the running USE model), attached after reading
            return replace(
                train(corpus, encoder=self._encoder, vectors=self._corpus_vectors(corpus)), encoder=None
            )

        inputs = (repr(corpus), repr(ModelConfig()), "use" if self._encoder is not None else "n-grams")
        model = load_or_train(self._cache_dir, "acts", inputs, fit, kind=ActModel,
                              modules=("bot.conversation.acts.model", "bot.conversation.acts.corpus"))  # fmt: skip
        return replace(model, encoder=self._encoder) if self._encoder is not None else model

    def _corpus_vectors(self, corpus: Sequence[Utterance]) -> np.ndarray | None:
        """Sentence vectors of the training texts, from the cache when the corpus did not change."""
        if self._encoder is None:
            return None
        texts = [u.text for u in corpus]
        digest = hashlib.sha256("\n".join(texts).encode()).hexdigest()[:16]
        path = self._cache_dir / f"dialoog-{digest}.npy" if self._cache_dir else None
        if path is not None and path.is_file():
            cached = np.load(path)
            if cached.shape[0] == len(texts):
                return cached
        vectors = np.asarray(self._encoder.encode(texts), dtype=np.float32)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            np.save(path, vectors)
        return vectors

    def read(self, text: str) -> ActPrediction:
        return self.acts().predict(text)

    def glossary(self) -> list[Entry]:
        with self._lock:
            if self._glossary is None:
                self._glossary = load_glossary(self._dir / "begrippen.yaml")
            return self._glossary

    def english(self) -> dict[str, str]:
        """English word or phrase -> Dutch words to look for (knowledge/engelse_woorden.yaml)."""
        with self._lock:
            if self._english is None:
                self._english = load_english(self._dir / "engelse_woorden.yaml")
            return self._english

    def languages(self) -> dict[str, str]:
        with self._lock:
            if self._languages is None:
                self._languages = load_languages(self._dir / "talen.yaml")
            return self._languages

    def names(self, key: str, services: Sequence[Service]) -> NameIndex:
        """The name index of the active kaart, rebuilt when its content hash changes."""
        with self._lock:
            if self._names is None or self._names[0] != key:
                self._names = (key, NameIndex.build(services))
            return self._names[1]

    def kinds(self, key: str, services: Sequence[Service]) -> KindIndex:
        """The kind index of the active kaart (themes, description, levensgebieden), per content hash."""
        with self._lock:
            if self._kinds is None or self._kinds[0] != key:
                self._kinds = (key, KindIndex.build(services, self._domain_texts()))
            return self._kinds[1]

    def _domain_texts(self) -> dict[str, str]:
        path = self._dir / "levensgebieden.yaml"
        if not path.is_file():
            return {}
        domains = load_taxonomy(path).domains
        return {key: f"{d.label} {d.description}" for key, d in domains.items()}

    def vraag_words(self, vragen: Sequence[Vraag]) -> VraagWords:
        """BM25 over the ten vragen (for the curated cards)."""
        key = hash(tuple((v.number, v.title, len(v.advice)) for v in vragen))
        with self._lock:
            if self._vraag_words is None or self._vraag_words[0] != key:
                self._vraag_words = (key, VraagWords.build(vragen))
            return self._vraag_words[1]

    def partner_words(self, key: str, services: Sequence[Service]) -> frozenset[str]:
        """Stemmed words of the active kaart's names and themes, per content hash."""
        with self._lock:
            if self._partner_words is None or self._partner_words[0] != key:
                self._partner_words = (key, partner_words(services))
            return self._partner_words[1]

    def vraag_vectors(self, vragen: Sequence[Vraag], encode: EncodeFn) -> VraagVectors:
        key = hash(tuple((v.number, v.title, len(v.advice)) for v in vragen))
        with self._lock:
            if self._vraag is None or self._vraag[0] != key:
                rows = [(v.number, -1) for v in vragen] + [
                    (v.number, i) for v in vragen for i in range(len(v.advice))
                ]
                texts_ = [v.title for v in vragen] + [a.text for v in vragen for a in v.advice]
                self._vraag = (key, VraagVectors(encode(texts_), tuple(rows)))
            return self._vraag[1]

    def warm_up(self) -> None:
        """Train and load now (start-up), so the first user does not wait."""
        self.acts()
        self.glossary()
        self.languages()
