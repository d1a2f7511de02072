"""Dense retrieval: Chroma (embedded or server) through langchain-chroma, with our offline USE embeddings."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from bot.retrieval.embeddings import EMBEDDING_DIM

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.retrieval.embeddings import USEEmbeddings
    from bot.retrieval.units import DenseUnit

COLLECTION_PREFIX = "wijkbot_kennis"
COSINE = {"hnsw:space": "cosine"}


@dataclass(frozen=True, slots=True)
class UnitMatrix:
    """All unit vectors of a collection (rows L2-normalised) and the passage id of each row."""

    vectors: np.ndarray
    passage_ids: tuple[str, ...]


def unit_mean(vectors: np.ndarray) -> np.ndarray:
    """Unit-length mean direction of row vectors (empty in, empty out)."""
    if not vectors.size:
        return np.zeros(0, dtype=np.float32)
    mean = vectors.mean(axis=0)
    norm = float(np.linalg.norm(mean))
    return mean / norm if norm > 0 else mean


@dataclass(frozen=True, slots=True)
class DenseHit:
    """A passage id and its cosine similarity to the query (1 = same direction)."""

    id: str
    similarity: float


def make_client(settings: Settings) -> Any:
    """An embedded PersistentClient under settings.chroma_dir, or an HttpClient when CHROMA_HOST is set."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if settings.chroma_host:
        return chromadb.HttpClient(
            host=settings.chroma_host, port=settings.chroma_port, settings=chroma_settings
        )
    settings.chroma_dir.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(settings.chroma_dir), settings=chroma_settings)


def collection_name(content_hash: str) -> str:
    """One collection per index version, so a new build never overwrites the one in use."""
    return f"{COLLECTION_PREFIX}_{content_hash[:16]}"


def save_snapshot(matrix: UnitMatrix, path: Path) -> None:
    """The unit matrix as an .npz file next to the index (read back without chromadb)."""
    with path.open("wb") as handle:
        np.savez(handle, vectors=matrix.vectors, passage_ids=np.asarray(matrix.passage_ids, dtype=str))


def load_snapshot(path: Path) -> UnitMatrix:
    with np.load(path, allow_pickle=False) as data:
        vectors = np.asarray(data["vectors"], dtype=np.float32).reshape(-1, EMBEDDING_DIM)
        return UnitMatrix(vectors, tuple(str(i) for i in data["passage_ids"]))


class DenseIndex:
    """A langchain-chroma vector store over passages; documents are searched by precomputed query vectors.

    The hybrid retriever only needs every unit vector once (unit_matrix). With a snapshot of that matrix in the
    index folder, the Chroma collection is opened only when search() or count() without snapshot needs it, so a
    cold `wijkbot ask` never imports chromadb (issue #12).
    """

    def __init__(
        self,
        store: Any,
        *,
        embeddings: USEEmbeddings,
        opener: Callable[[], Any] | None = None,
        snapshot: Path | None = None,
    ) -> None:
        self._store_value = store
        self._opener = opener
        self._embeddings = embeddings
        self._size: int | None = None
        self._centroid: np.ndarray | None = None
        self._matrix: UnitMatrix | None = None
        if snapshot is not None and snapshot.is_file():
            self._matrix = load_snapshot(snapshot)
            self._size = len(self._matrix.passage_ids)

    @property
    def _store(self) -> Any:
        if self._store_value is None:
            assert self._opener is not None
            self._store_value = self._opener()
        return self._store_value

    @classmethod
    def open(
        cls,
        client: Any | Callable[[], Any],
        name: str,
        *,
        embeddings: USEEmbeddings,
        snapshot: Path | None = None,
    ) -> DenseIndex:
        """Open an existing collection (raises on first use when it does not exist). `client` may be a factory:
        then the client is made only when the collection is needed."""

        def opener() -> Any:
            from langchain_chroma import Chroma

            from bot.retrieval.langchain_embeddings import LangchainEmbeddings

            return Chroma(
                client=client() if callable(client) else client,
                collection_name=name,
                embedding_function=LangchainEmbeddings(embeddings),
                create_collection_if_not_exists=False,
            )

        return cls(None, embeddings=embeddings, opener=opener, snapshot=snapshot)

    @classmethod
    def build(
        cls, client: Any, name: str, *, embeddings: USEEmbeddings, units: list[DenseUnit]
    ) -> DenseIndex:
        """Create (or replace) a cosine-space collection holding every unit, tagged with its passage id."""
        from langchain_chroma import Chroma
        from langchain_core.documents import Document

        from bot.retrieval.langchain_embeddings import LangchainEmbeddings

        drop_collection(client, name)
        store = Chroma(
            client=client,
            collection_name=name,
            embedding_function=LangchainEmbeddings(embeddings),
            collection_metadata=dict(COSINE),
        )
        batch = 512
        for start in range(0, len(units), batch):
            part = units[start : start + batch]
            docs = [
                Document(page_content=u.text, metadata={"passage_id": u.passage_id}, id=u.id) for u in part
            ]
            store.add_documents(docs, ids=[u.id for u in part])
        return cls(store, embeddings=embeddings)

    def count(self) -> int:
        """Number of stored units (asked once; the collection of an index version never changes)."""
        if self._size is None:
            self._size = int(self._store._collection.count())
        return self._size

    def unit_matrix(self) -> UnitMatrix:
        """Every stored unit vector with its passage id, read from the collection once per index version."""
        if self._matrix is None:
            got = self._store._collection.get(include=["embeddings", "metadatas"])
            vectors = np.asarray(got["embeddings"], dtype=np.float32).reshape(-1, EMBEDDING_DIM)
            pairs = zip(got["metadatas"], got["ids"], strict=True)
            ids = tuple(str((meta or {}).get("passage_id", uid)) for meta, uid in pairs)
            self._matrix = UnitMatrix(vectors, ids)
        return self._matrix

    def centroid(self) -> np.ndarray:
        """Unit-length mean of all stored unit embeddings (computed once)."""
        if self._centroid is None:
            self._centroid = unit_mean(self.unit_matrix().vectors)
        return self._centroid

    def query_vector(self, query: str) -> np.ndarray:
        return self._embeddings.encode_query(query)

    def query_vectors(self, queries: list[str]) -> np.ndarray:
        """Several texts in one forward pass (same vectors as query_vector one by one)."""
        return self._embeddings.encode(queries)

    def search(self, query: str, *, k: int, fanout: int = 4) -> list[DenseHit]:
        """Top-k passages by their best unit's cosine similarity, best first."""
        if k <= 0:
            return []
        vector = self._embeddings.encode_query(query).tolist()
        n_units = min(k * fanout, self.count())
        results = self._store.similarity_search_by_vector_with_relevance_scores(vector, k=n_units)
        best: dict[str, float] = {}
        for doc, distance in results:
            passage_id = str(doc.metadata.get("passage_id", doc.id))
            best.setdefault(passage_id, 1.0 - float(distance))  # results come best first
        return [DenseHit(pid, sim) for pid, sim in list(best.items())[:k]]


def drop_collection(client: Any, name: str) -> None:
    """Delete a collection if it exists."""
    try:
        client.delete_collection(name)
    except Exception:  # noqa: BLE001 - chromadb raises different types for "not found" per backend
        return


def drop_stale_collections(client: Any, *, keep: str) -> None:
    """Delete old wijkbot collections left by earlier builds or a crash mid-build."""
    for col in client.list_collections():
        name = col if isinstance(col, str) else col.name
        if name.startswith(COLLECTION_PREFIX) and name != keep:
            drop_collection(client, name)
