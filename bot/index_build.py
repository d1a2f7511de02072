"""The index build on two cores (issue #12): the training questions' USE vectors are made in a second process while
this one ingests, writes Chroma and embeds the passage windows and sentences.

The build embeds the training questions in one encode call: the distinct question texts that are not already in
the embeddings' cache as a passage window or sentence (`predicted_call`). The helper process
(bot.retrieval.embed_process) makes that same call with the same model files, and the build's call takes its
vectors (`USEEmbeddings.expect`) only when its uncached texts are exactly those. So the vectors, and every model
trained on them, are the same as in a serial build; when the prediction does not hold or the helper fails, the
build embeds them itself, as before.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.retrieval.embeddings import USEEmbeddings

logger = logging.getLogger(__name__)


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


def predicted_call(settings: Settings) -> list[str]:
    """The texts of the build's encode call for the training questions (train_models' VectorBook): the distinct
    question texts, in order, without those embedded earlier in the build (passage windows, passage sentences)."""
    from bot.retrieval.index import _ingest
    from bot.retrieval.index_training import read_writers
    from bot.retrieval.sentences import passage_sentences
    from bot.retrieval.training import TRAINING_DIR, question_text
    from bot.retrieval.units import dense_units

    passages = _ingest(settings).passages
    earlier = {u.text for p in passages for u in dense_units(p)}
    earlier.update(s for p in passages for _, s in passage_sentences(p) if s)
    writers = read_writers(settings.knowledge_dir / TRAINING_DIR)
    texts = [question_text(q) for questions in writers.values() for q in questions]
    return [t for t in dict.fromkeys(texts) if t not in earlier]


def questions_aside(settings: Settings, embeddings: USEEmbeddings) -> bool:
    """Start embedding the build's training questions in a second process; True when it started."""
    from bot.retrieval.embed_process import encode_in_process

    try:
        texts = predicted_call(settings)
    except Exception as exc:  # noqa: BLE001 - the build itself reports broken knowledge files
        logger.debug("no question vectors aside (%s)", type(exc).__name__)
        return False
    if not texts:
        return False
    pending = encode_in_process(embeddings, texts, batch=len(texts))  # one call there, as here
    if pending is None:
        return False
    embeddings.expect(texts, pending)
    return True
