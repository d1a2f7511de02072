"""Build the Understander at index time: load taxonomy, corpus and lexicon, train (or reuse a cached pickle)."""

from __future__ import annotations

import contextlib
import hashlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from bot.trained_cache import read_model, write_model
from bot.understanding.chat import ChatText, load_chat
from bot.understanding.classifier import Example, TrainedModel, train
from bot.understanding.constants import Constants
from bot.understanding.corpus import LabelledText, corpus_hash, load_corpus
from bot.understanding.features import Encoder, Featurizer, lexicon_columns, read_text
from bot.understanding.first_kinds import MOMENT_FILE, WRITERS_FILE, FirstExample, load_examples
from bot.understanding.first_kinds import examples_text as first_examples_text
from bot.understanding.first_kinds import load_all as load_first_examples
from bot.understanding.lexicon import Lexicon, load_lexicon
from bot.understanding.model import Understander
from bot.understanding.safety import load_safety
from bot.understanding.taxonomy import Taxonomy, load_taxonomy

MODEL_VERSION = (  # 7: danger roles take their ages from ages.stated_at; 8: first kind as a choice (FirstChoice)
    "15"  # 9: the choice with word n-grams, without the police gate; 10: the moment head (P(nu)), off by default
)  # 11: the first-row model next to the learned order (bot/suggestion/first_rows.py); first-kind writers' texts option
# 12: the medical head (P(medisch)) and example weights in the first-kind models (round 16)
# 13: the levensgebieden head fitted by one_vs_rest.OneVsRestLogistic (liblinear's problems, all labels at once)
# 14: the emergency and present heads kept beside the first-kind choice (round 18)
# 15: the violence-now rule's per-danger shares (FirstChoice.now_alarm) and the safety scope columns (round 19)
ENCODE_BATCH = 64
KEEP_CACHES = 3


@dataclass(frozen=True, slots=True)
class KnowledgePaths:
    taxonomy: Path
    corpus: Path
    lexicon: Path
    safety: Path
    dialoog: Path | None = None  # chat messages for the safety head (knowledge/dialoog/train_*.yaml)

    @classmethod
    def under(cls, knowledge_dir: Path) -> KnowledgePaths:
        return cls(knowledge_dir / "levensgebieden.yaml", knowledge_dir / "situaties",
                   knowledge_dir / "signalen.yaml", knowledge_dir / "veiligheid.yaml",
                   knowledge_dir / "dialoog")  # fmt: skip


def level_weights(corpus: list[LabelledText], constants: Constants) -> list[float]:
    """Per writer, weights so that safety cases (acuut + zorg) are `safety_prior` of that writer's weight,
    whatever share the writer was asked to write; the writer's total weight stays its number of situations.
    Acute and zorg keep their ratio. safety_prior <= 0: all 1 (the pre-round-4 balanced model)."""
    if constants.safety_prior <= 0:
        return [1.0] * len(corpus)
    count: dict[str, list[int]] = {}
    for item in corpus:
        n = count.setdefault(item.writer, [0, 0])
        n[0] += 1
        n[1] += item.level != "geen"
    out = []
    for item in corpus:
        total, risky = count[item.writer]
        if risky in (0, total):
            out.append(1.0)
        elif item.level != "geen":
            out.append(constants.safety_prior * total / risky)
        else:
            out.append((1 - constants.safety_prior) * total / (total - risky))
    return out


def examples_for(
    corpus: list[LabelledText],
    taxonomy: Taxonomy,
    lexicon: Lexicon,
    chat: list[ChatText] | None = None,
    constants: Constants | None = None,
    first_acute: list[FirstExample] | None = None,
) -> tuple[list[Example], np.ndarray]:
    """The corpus plus three kinds of extra data: each domain's own description (helps on service texts), the
    lexicon's out-of-scope questions with no domain at all (so 'nothing fits' can be learned), and chat messages
    (safety level only: chat is `geen`, an acute message `acuut`), and with constants.first_acute_weight the
    first-kind writers' acute situations (safety heads only; first_acute: their examples). Returns the examples (texts as the models see
    them) and their lexicon-hit rows."""
    constants = constants or Constants()
    weights = level_weights(corpus, constants)
    raw = [(i.text, i.domains, i.level, i.danger, w, False) for i, w in zip(corpus, weights, strict=True)]
    raw += [
        (f"{d.label}: {d.description}", (d.id,), "geen", None, 1.0, False) for d in taxonomy.domains.values()
    ]
    raw += [(text, (), "geen", None, 1.0, False) for text in lexicon.outside]
    if constants.chat_weight > 0:
        weight = {"geen": constants.chat_weight, "acuut": constants.chat_acute_weight}
        raw += [(c.text, (), c.level, None, weight[c.level], True) for c in chat or [] if weight[c.level] > 0]
    if (
        constants.first_acute_weight > 0 or constants.first_acute_danger
    ):  # first-kind writers: safety heads only
        raw += [(e.text, (), "acuut", e.danger, constants.first_acute_weight, True) for e in first_acute or []
                if e.moment in constants.first_acute_moments]  # fmt: skip
    columns = lexicon_columns(lexicon, scope=constants.safety_scope)
    read = [read_text(lexicon, text, columns) for text, *_ in raw]
    examples = [
        Example(r[0], domains, level, danger, weight, only)
        for r, (_, domains, level, danger, weight, only) in zip(read, raw, strict=True)
    ]
    return examples, np.vstack([r[1] for r in read])


def encode_calls(texts: list[str]) -> list[list[str]]:
    """The encoder calls `encode` makes for `texts`, in order."""
    return [texts[i : i + ENCODE_BATCH] for i in range(0, len(texts), ENCODE_BATCH)]


def encode(encoder: Encoder, texts: list[str]) -> np.ndarray:
    parts = [np.asarray(encoder.encode(call), dtype=np.float32) for call in encode_calls(texts)]
    return np.vstack(parts) if parts else np.zeros((0, 512), dtype=np.float32)


def examples_aside(encoder: Encoder, examples: list[Example]) -> list[object]:
    """Start the later part of the examples' forward passes in a forked helper (USEEmbeddings.aside), so that
    this process and the helper each embed about half of the texts (counted in characters, a proxy for tokens);
    `encode` then takes the helper's vectors for those calls: the same calls, the same vectors (issue #7)."""
    plan = getattr(encoder, "plan", None)
    if plan is None:
        return []
    lists = plan(encode_calls([e.text or "." for e in examples]))
    sizes = np.cumsum([sum(len(t) for t in m) for m in lists]) if lists else np.zeros(0)
    if not len(sizes) or sizes[-1] == 0:
        return []
    split = int(np.searchsorted(sizes, sizes[-1] / 2))
    return list(encoder.aside(lists[split + 1 :]))  # type: ignore[attr-defined]


def train_model(corpus: list[LabelledText], *, taxonomy: Taxonomy, lexicon: Lexicon, encoder: Encoder,
                constants: Constants, chat: list[ChatText] | None = None,
                first_acute: list[FirstExample] | None = None,
                meanwhile: Callable[[TrainedModel], Any] | None = None,
                prepared: tuple[list[Example], np.ndarray] | None = None) -> TrainedModel:  # fmt: skip
    """Pure: same corpus, chat messages, first-kind writers' examples, lexicon, encoder and constants give the same
    model. meanwhile: see classifier.train. prepared: examples_for's result for these inputs, when made already."""
    examples, hits = prepared or examples_for(corpus, taxonomy, lexicon, chat, constants, first_acute)
    columns = lexicon_columns(lexicon, scope=constants.safety_scope)
    dense = encode(encoder, [e.text or "." for e in examples])
    return train(examples, dense=dense, hits=hits, domain_ids=taxonomy.ids, dangers=list(taxonomy.dangers),
                 featurizer=Featurizer(constants, columns), constants=constants, meanwhile=meanwhile)  # fmt: skip


def build_understander(paths: KnowledgePaths, encoder: Encoder, *, cache_dir: Path | None,
                       constants: Constants | None = None,
                       meanwhile: Callable[[Understander], Any] | None = None,
                       aside: bool = False) -> Understander:  # fmt: skip
    """Load everything strictly, then train, or reuse the pickle cached under the same input hash. meanwhile: when
    it trains, called after the first-kind model while the levensgebieden head is still being fitted, with an
    understander without that head (its safety heads and lexicon): work for this thread during that fit. aside:
    half of the examples' forward passes in a forked helper (examples_aside); only where this process runs no
    other thread that could hold a lock (the training process of `wijkbot index`). Same model either way."""
    constants = constants or Constants()
    taxonomy = load_taxonomy(paths.taxonomy)
    lexicon = load_lexicon(paths.lexicon)
    safety = load_safety(paths.safety, taxonomy)
    if safety.learned is not None:  # the partner-kind model is kept next to this one (bot.trained_cache)
        safety.learned.cache_dir = cache_dir
    corpus = load_corpus(paths.corpus, taxonomy)
    chat = load_chat(paths.dialoog)
    first_text = first_examples_text(paths.safety.parent)
    key = corpus_hash(corpus, paths.lexicon.read_text(encoding="utf-8"), paths.taxonomy.read_text(encoding="utf-8"),
                      repr([(c.text, c.level) for c in chat]), first_text,
                      repr(constants), MODEL_VERSION, type(encoder).__name__)  # fmt: skip
    start = time.perf_counter()
    model = _load_cached(cache_dir, key)
    trained = model is None
    if model is None:

        def learn_first(heads: TrainedModel) -> Any:
            """The first-kind model reads its examples with the safety-level and danger heads only (no levensgebied:
            Understander.learn_first), so it is fitted while the levensgebieden head still is (issue #7)."""
            partial = Understander(model=heads, lexicon=lexicon, encoder=encoder, taxonomy=taxonomy, safety=safety,
                                   constants=constants)  # fmt: skip
            first = None
            if constants.first_kind_order:
                # round 12: the moment-labelled writers stay out unless constants.first_moment_examples (round 16:
                # the medical-labelled ones unless first_medical_examples; learn_first decides)
                first = partial.learn_first(load_first_examples(paths.safety.parent))
            if meanwhile is not None:
                meanwhile(partial)
            return first

        first_acute = writer_examples(paths.safety.parent)
        prepared, helped = None, []
        if aside:  # the texts first, then the helper (forked before this process starts its own threads)
            prepared = examples_for(corpus, taxonomy, lexicon, chat, constants, first_acute)
            helped = examples_aside(encoder, prepared[0])
        try:
            _fit_service_models_aside(safety.learned)
            model = train_model(corpus, taxonomy=taxonomy, lexicon=lexicon, encoder=encoder, constants=constants,
                                chat=chat, first_acute=first_acute, meanwhile=learn_first, prepared=prepared)  # fmt: skip
        finally:
            if helped:
                encoder.forget_expected(helped)  # type: ignore[attr-defined]
    understander = Understander(model=model, lexicon=lexicon, encoder=encoder, taxonomy=taxonomy, safety=safety,
                                constants=constants)  # fmt: skip
    if trained:  # with the first-kind model (model.first)
        _save_cached(cache_dir, key, model)
    understander.first = model.first
    understander.model_key = key
    understander.training_seconds = time.perf_counter() - start
    return understander


def writer_examples(folder: Path) -> list[FirstExample]:
    """The blind writers' acute situations of the first-kind files (not the dev kaarten' answer keys)."""
    return [*load_examples(folder / WRITERS_FILE), *load_examples(folder / MOMENT_FILE)]


def _fit_service_models_aside(learned: Any) -> None:
    """Fit the kaart-row models (service domains, partner kinds) in a thread while the heads train: they do not
    depend on them, and the learned candidate order needs them after (issue #12, perf10). Lazy properties under a
    lock: a caller before they are done waits; a failure here is met again (and reported) by that caller."""
    if learned is None:
        return

    def fit() -> None:
        with contextlib.suppress(Exception):
            _ = learned.domains, learned.kinds

    threading.Thread(target=fit, name="wijkbot-dienstmodellen", daemon=True).start()


def _cache_path(cache_dir: Path, key: str) -> Path:
    return cache_dir / f"begrip-{hashlib.sha256(key.encode()).hexdigest()[:16]}.pkl"


def _load_cached(cache_dir: Path | None, key: str) -> TrainedModel | None:
    if cache_dir is None:
        return None
    model = read_model(_cache_path(cache_dir, key), TrainedModel)
    return model if isinstance(model, TrainedModel) else None


def _save_cached(cache_dir: Path | None, key: str, model: TrainedModel) -> None:
    if cache_dir is not None:
        write_model(_cache_path(cache_dir, key), model, "begrip", keep=KEEP_CACHES)
