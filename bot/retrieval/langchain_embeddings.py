"""USEEmbeddings as a langchain-core `Embeddings`, for the Chroma vector store.

A separate adapter, because importing langchain_core.embeddings costs ~0.5 s (it pulls in runnables and
callbacks): only the paths that open Chroma pay for it, not a cold `wijkbot ask` (issue #12).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from langchain_core.embeddings import Embeddings

if TYPE_CHECKING:
    from bot.retrieval.embeddings import USEEmbeddings


class LangchainEmbeddings(Embeddings):
    """Delegates to USEEmbeddings (same vectors, same query cache)."""

    def __init__(self, embeddings: USEEmbeddings) -> None:
        self._embeddings = embeddings

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._embeddings.embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        return self._embeddings.embed_query(text)
