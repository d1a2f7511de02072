"""The index build on two cores (issue #12): the training questions' USE vectors are made in a second process while
this one ingests, writes Chroma and embeds the passage windows and sentences.

The build embeds the training questions in one encode call: the distinct question texts that are not already in
the embeddings' cache as a passage window or sentence (`predicted_call`). The helper process
(bot.retrieval.embed_process) makes that same call with the same model files, and the build's call takes its
vectors (`USEEmbeddings.expect`) only when its uncached texts are exactly those. The same for the sentence ranker's
one-text calls of bare follow-up questions. So the vectors, and every model trained on them, are the same as in a
serial build; when a prediction does not hold or the helper fails, the build embeds those texts itself.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.retrieval.embeddings import USEEmbeddings

logger = logging.getLogger(__name__)
MIN_TEXTS = 200  # fewer question texts are not worth a process start (about a second of the other core)


def will_build(settings: Settings, *, rebuild: bool) -> bool:
    """True when load_or_build is going to build (asked, no index, or a knowledge file changed)."""
    from bot.retrieval.index import MANIFEST, content_hash

    if rebuild:
        return True
    try:
        import json

        manifest = json.loads((settings.index_dir / MANIFEST).read_text(encoding="utf-8"))
        return str(manifest.get("content_hash")) != content_hash(settings)
    except (OSError, ValueError, AttributeError):
        return True


def passage_texts(settings: Settings) -> set[str]:
    """The texts the build embeds before the training questions: passage windows and passage sentences."""
    from bot.retrieval.index import _ingest
    from bot.retrieval.sentences import passage_sentences
    from bot.retrieval.units import dense_units

    passages = _ingest(settings).passages
    texts = {u.text for p in passages for u in dense_units(p)}
    texts.update(s for p in passages for _, s in passage_sentences(p) if s)
    return texts


def predicted_call(settings: Settings, earlier: set[str]) -> list[str]:
    """The texts of the build's encode call for the training questions (train_models' VectorBook): the distinct
    question texts, in order, without those embedded earlier in the build (`earlier`: passage_texts)."""
    from bot.retrieval.index_training import read_writers
    from bot.retrieval.training import TRAINING_DIR, question_text

    writers = read_writers(settings.knowledge_dir / TRAINING_DIR)
    texts = [question_text(q) for questions in writers.values() for q in questions]
    return [t for t in dict.fromkeys(texts) if t not in earlier]


def follow_up_questions(settings: Settings, earlier: set[str]) -> list[str]:
    """The bare follow-up questions the sentence ranker embeds one at a time (`question.q` next to the question
    with the one before it), without texts already embedded. A text listed here that the build finds in its cache
    after all is simply not asked for."""
    from bot.retrieval.training import TRAINING_DIR, load_training_questions, question_text

    questions = load_training_questions(settings.knowledge_dir / TRAINING_DIR)
    bare = (q.q for q in questions if q.in_scope and q.facts and question_text(q) != q.q)
    return [t for t in dict.fromkeys(bare) if t not in earlier]


def questions_aside(settings: Settings, embeddings: USEEmbeddings) -> bool:
    """Start embedding the build's training questions in a second process (one call, as the build makes it), then
    there the bare follow-up questions (one call per text, as the sentence ranker makes them); True when started."""
    from bot.retrieval.embed_process import encode_jobs_in_process

    try:
        earlier = passage_texts(settings)
        texts = predicted_call(settings, earlier)
        singles = follow_up_questions(settings, earlier | set(texts))
    except Exception as exc:  # noqa: BLE001 - the build itself reports broken knowledge files
        logger.debug("no question vectors aside (%s)", type(exc).__name__)
        return False
    if len(texts) < MIN_TEXTS:
        return False
    jobs = [(texts, len(texts)), *([(singles, 1)] if singles else [])]  # the calls as the build makes them
    futures = encode_jobs_in_process(embeddings, jobs)
    if not futures:
        return False
    embeddings.expect(texts, futures[0])
    if singles:
        embeddings.expect(singles, futures[1], batch=1)
    return True
