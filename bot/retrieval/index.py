"""The knowledge index: ingest, build BM25 + Chroma, reuse while the knowledge files are unchanged.

Layout under settings.index_dir:
  manifest.json     the commit point: content hash, version folder, Chroma collection, unit count
  v-<hash>-<nonce>/ passages.json (passages + chapters), bm25/ (words) and bm25_ngram/ (character 4-grams),
                    scope_model.npz (the learned near-miss judge, fit on the training questions at build),
                    sentences.npz (every passage sentence's vector: a retrieval signal and extractive answer selection),
                    memory/ (the training questions' vectors, 4-gram BM25 and the passages they are attached to),
                    fusion_model.npz (the learned ranking model over the signals, bot.retrieval.fusion)
A build writes a new folder and a new collection, then replaces manifest.json atomically; only then are
old folders and collections removed. A crash mid-build therefore never leaves a half index in use.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import shutil
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import yaml

from bot.retrieval.dense import (
    DenseIndex,
    collection_name,
    drop_stale_collections,
    make_client,
    save_snapshot,
)
from bot.retrieval.facts import FACTS_FILE, FactCues
from bot.retrieval.fusion import FUSION_MODEL, FusionModel
from bot.retrieval.hybrid import HybridRetriever
from bot.retrieval.index_training import read_writers, train_models
from bot.retrieval.lexical import LexicalIndex, char_ngrams
from bot.retrieval.memory import MEMORY_SNAPSHOT, QuestionMemory
from bot.retrieval.scope import ScopeJudge
from bot.retrieval.scope_model import ScopeModel
from bot.retrieval.sentences import SENTENCES_SNAPSHOT, SentenceVectors
from bot.retrieval.training import TRAINING_DIR, training_files
from bot.retrieval.types import Passage
from bot.retrieval.units import dense_units, lexical_text

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.ingest.publication import Chapter
    from bot.retrieval.embeddings import USEEmbeddings

INDEX_VERSION = "11"  # 7: word features in the scope judge and the chapter prior; 8: k nearest in the judge; 9: English-share
# columns in the learned fusion; 10: the near-miss judge's USE block at half weight; 11: word neighbours in the judge
MANIFEST = "manifest.json"
UNITS_SNAPSHOT = "units.npz"  # every unit vector, so loading the index needs no chromadb
SCOPE_MODEL = "scope_model.npz"  # weights of the learned near-miss judge
SYNONYMS_FILE = "synoniemen.yaml"
ENGLISH_WORDS_FILE = "synoniemen_engels.yaml"  # one way: English word -> Dutch search words
GENERAL_WORDS_FILE = "algemene_woorden.txt"
DOCUMENT_SUFFIXES = (".md", ".txt", ".pdf")

Progress = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class Manifest:
    version: str
    content_hash: str
    folder: str
    collection: str
    units: int
    warnings: list[str] = field(default_factory=list)
    built_seconds: float = 0.0


@dataclass(frozen=True, slots=True)
class _Ingested:
    passages: list[Passage]
    chapters: list[Chapter]
    warnings: list[str]


def knowledge_files(settings: Settings) -> list[Path]:
    """The files an index is built from: the publication and every supported file in documents_dir."""
    files = [settings.publication_path]
    if settings.documents_dir.is_dir():
        files += sorted(
            p
            for p in settings.documents_dir.rglob("*")
            if p.is_file() and not p.name.startswith(".") and p.suffix.lower() in DOCUMENT_SUFFIXES
        )
    return files


def content_hash(settings: Settings) -> str:
    """sha256 over INDEX_VERSION and each knowledge file's relative path and bytes."""
    digest = hashlib.sha256(f"wijkbot-index-{INDEX_VERSION}\n".encode())
    for path in [*knowledge_files(settings), *training_files(settings.knowledge_dir / TRAINING_DIR)]:
        try:
            rel = path.relative_to(settings.knowledge_dir).as_posix()
        except ValueError:
            rel = path.as_posix()
        digest.update(rel.encode("utf-8") + b"\0")
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"<unreadable>")
        digest.update(b"\0")
    return digest.hexdigest()


def load_synonyms(settings: Settings) -> dict[str, list[str]]:
    """Query-expansion synonyms from knowledge/synoniemen.yaml (word -> related words) and the one-way English
    word list knowledge/synoniemen_engels.yaml (bench/memory_cv.py --english --glossary); empty if absent."""
    path = settings.knowledge_dir / SYNONYMS_FILE
    if not path.is_file():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    out: dict[str, list[str]] = {}
    for group in data.get("groepen", []):
        words = [str(w).strip().lower() for w in group if str(w).strip()]
        for word in words:
            out.setdefault(word, []).extend(w for w in words if w != word)
    english = settings.knowledge_dir / ENGLISH_WORDS_FILE
    if english.is_file():
        english_words: dict[str, list[str]] = (yaml.safe_load(english.read_text(encoding="utf-8")) or {}).get(
            "woorden"
        ) or {}
        for word, targets in english_words.items():
            out.setdefault(str(word).strip().lower(), []).extend(str(t).strip().lower() for t in targets)
    return out


def load_topics(settings: Settings) -> dict[int, list[str]]:
    """Per chapter of the publication: title, summary and advice from knowledge/vragen.yaml (chapter prior)."""
    from bot.ingest.vragen import load_vragen

    path = settings.knowledge_dir / "vragen.yaml"
    if not path.is_file():
        return {}
    try:
        vragen = load_vragen(path)
    except ValueError:
        return {}
    return {v.number: [v.title, v.summary, *(a.text for a in v.advice)] for v in vragen}


def load_general_words(settings: Settings) -> list[str]:
    """General Dutch words for the scope check from knowledge/algemene_woorden.txt (# = comment)."""
    path = settings.knowledge_dir / GENERAL_WORDS_FILE
    if not path.is_file():
        return []
    lines = (line.strip() for line in path.read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def _load_scope_model(path: Path) -> ScopeModel | None:
    return ScopeModel.load(path) if path.is_file() else None


def _ingest(settings: Settings) -> _Ingested:
    from bot.ingest.publication import load_publication

    publication = load_publication(settings.publication_path)
    passages = list(publication.passages)
    warnings = list(publication.warnings)
    try:
        from bot.ingest.documents import load_documents
    except ImportError:  # documents ingestion not installed in this build
        return _Ingested(passages, list(publication.chapters), warnings)
    if settings.documents_dir.is_dir():
        loaded = load_documents(settings.documents_dir)
        passages += list(loaded.passages)
        warnings += list(loaded.warnings)
    return _Ingested(passages, list(publication.chapters), warnings)


def _read_manifest(index_dir: Path) -> Manifest | None:
    try:
        data = json.loads((index_dir / MANIFEST).read_text(encoding="utf-8"))
        return Manifest(**data)
    except (OSError, ValueError, TypeError):
        return None


def _write_json_atomic(path: Path, payload: Any) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(payload, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, path)


def _say(progress: Progress | None, message: str) -> None:
    if progress is not None:
        progress(message)


class KnowledgeIndex:
    """Passages, chapters and a ready HybridRetriever for the current knowledge files."""

    def __init__(
        self,
        *,
        retriever: HybridRetriever,
        chapters: list[Chapter],
        warnings: list[str],
        rebuilt: bool,
        manifest: Manifest,
        general_words: list[str] | None = None,
        fact_cues: FactCues | None = None,
        scope_model: ScopeModel | None = None,
        sentences: SentenceVectors | None = None,
    ) -> None:
        self.retriever = retriever
        self.sentences = sentences or SentenceVectors([], np.zeros((0, 0), dtype=np.float32))
        self.scope = ScopeJudge(
            retriever, general_words=general_words or (), fact_cues=fact_cues, model=scope_model
        )
        self.passages: list[Passage] = retriever.passages
        self.chapters = chapters
        self.warnings = warnings
        self.rebuilt = rebuilt
        self.manifest = manifest

    @property
    def content_hash(self) -> str:
        return self.manifest.content_hash

    @classmethod
    def load_or_build(
        cls,
        settings: Settings,
        embeddings: USEEmbeddings,
        *,
        rebuild: bool = False,
        progress: Progress | None = None,
    ) -> KnowledgeIndex:
        """Reuse the stored index when the knowledge files are unchanged; otherwise build a new one."""
        current = content_hash(settings)
        manifest = _read_manifest(settings.index_dir)
        if not rebuild and manifest and manifest.content_hash == current:
            try:
                return cls._load(settings, embeddings, manifest)
            except Exception:  # noqa: BLE001 - any damaged piece means: build again
                _say(progress, "Index beschadigd of onvolledig: opnieuw bouwen.")
        return cls._build(settings, embeddings, current, progress=progress)

    def is_current(self, settings: Settings) -> bool:
        """True when no knowledge file changed since this index was built."""
        return content_hash(settings) == self.manifest.content_hash

    def reload(
        self, settings: Settings, embeddings: USEEmbeddings, *, progress: Progress | None = None
    ) -> KnowledgeIndex:
        """A fresh index for the current files (rebuilt only if something changed)."""
        return type(self).load_or_build(settings, embeddings, progress=progress)

    @classmethod
    def _load(cls, settings: Settings, embeddings: USEEmbeddings, manifest: Manifest) -> KnowledgeIndex:
        from bot.ingest.publication import Chapter

        folder = settings.index_dir / manifest.folder
        data = json.loads((folder / "passages.json").read_text(encoding="utf-8"))
        passages = [Passage(**p) for p in data["passages"]]
        chapters = [Chapter(**c) for c in data["chapters"]]
        lexical = LexicalIndex.load(folder / "bm25")
        ngram = LexicalIndex.load(folder / "bm25_ngram")
        if lexical.size != len(passages) or ngram.size != len(passages):
            raise ValueError("bm25 index does not match the passages")
        dense = DenseIndex.open(
            lambda: make_client(settings),
            manifest.collection,
            embeddings=embeddings,
            snapshot=folder / UNITS_SNAPSHOT,
        )
        if dense.count() != manifest.units:
            raise ValueError("vector collection is incomplete")
        if not (folder / UNITS_SNAPSHOT).is_file():  # an index built before the snapshot existed
            save_snapshot(dense.unit_matrix(), folder / UNITS_SNAPSHOT)
        sentences = SentenceVectors.load(folder / SENTENCES_SNAPSHOT)
        retriever = HybridRetriever(
            passages, lexical=lexical, ngram=ngram, dense=dense, synonyms=load_synonyms(settings),
            topics=load_topics(settings), sentences=sentences, memory=QuestionMemory.load(folder / MEMORY_SNAPSHOT),
            fusion=FusionModel.load(folder / FUSION_MODEL),
        )  # fmt: skip
        return cls(
            retriever=retriever,
            chapters=chapters,
            warnings=list(manifest.warnings),
            rebuilt=False,
            manifest=manifest,
            general_words=load_general_words(settings),
            fact_cues=FactCues.load(settings.knowledge_dir / FACTS_FILE),
            scope_model=_load_scope_model(folder / SCOPE_MODEL),
            sentences=sentences,
        )

    @classmethod
    def _build(
        cls, settings: Settings, embeddings: USEEmbeddings, current: str, *, progress: Progress | None
    ) -> KnowledgeIndex:
        started = time.perf_counter()
        _say(progress, "Kennis inlezen ...")
        ingested = _ingest(settings)
        passages = ingested.passages
        if not passages:
            raise ValueError("Geen passages gevonden in de kennisbestanden.")
        _say(progress, f"Index bouwen: {len(passages)} passages ...")
        settings.index_dir.mkdir(parents=True, exist_ok=True)
        nonce = secrets.token_hex(3)
        folder_name = f"v-{current[:12]}-{nonce}"
        staging = settings.index_dir / f".build-{folder_name}"
        staging.mkdir(parents=True)
        try:
            texts = [lexical_text(p) for p in passages]
            lexical = LexicalIndex.build(texts)
            lexical.save(staging / "bm25")
            ngram = LexicalIndex.build(texts, analyzer=char_ngrams)
            ngram.save(staging / "bm25_ngram")
            payload = {
                "passages": [asdict(p) for p in passages],
                "chapters": [asdict(c) for c in ingested.chapters],
            }
            (staging / "passages.json").write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
            units = [u for p in passages for u in dense_units(p)]
            _say(progress, f"Index bouwen: {len(units)} tekstdelen insluiten ...")
            client = make_client(settings)
            name = f"{collection_name(current)[:-4]}_{nonce}"
            dense = DenseIndex.build(client, name, embeddings=embeddings, units=units)
            save_snapshot(dense.unit_matrix(), staging / UNITS_SNAPSHOT)
            sentences = SentenceVectors.build(passages, embeddings.encode)
            sentences.save(staging / SENTENCES_SNAPSHOT)
            retriever = HybridRetriever(
                passages, lexical=lexical, ngram=ngram, dense=dense, synonyms=load_synonyms(settings),
                topics=load_topics(settings), sentences=sentences,
            )  # fmt: skip
            rules = ScopeJudge(
                retriever,
                general_words=load_general_words(settings),
                fact_cues=FactCues.load(settings.knowledge_dir / FACTS_FILE),
            )
            trained = train_models(
                read_writers(settings.knowledge_dir / TRAINING_DIR), retriever, rules, embeddings.encode
            )
            scope_model, fusion, memory = trained.scope, trained.fusion, trained.memory
            if scope_model is not None:
                scope_model.save(staging / SCOPE_MODEL)
            if fusion is not None:
                fusion.save(staging / FUSION_MODEL)
            memory.save(staging / MEMORY_SNAPSHOT)
            retriever.attach_memory(memory)
            retriever.attach_fusion(fusion)
            os.replace(staging, settings.index_dir / folder_name)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        manifest = Manifest(
            version=INDEX_VERSION,
            content_hash=current,
            folder=folder_name,
            collection=name,
            units=len(units),
            warnings=list(ingested.warnings),
            built_seconds=round(time.perf_counter() - started, 2),
        )
        _write_json_atomic(settings.index_dir / MANIFEST, asdict(manifest))
        _cleanup(settings, client, keep_folder=folder_name, keep_collection=name)
        _say(progress, f"Index klaar: {len(passages)} passages in {manifest.built_seconds:.1f} s.")
        return cls(
            retriever=retriever,
            chapters=ingested.chapters,
            warnings=list(ingested.warnings),
            rebuilt=True,
            manifest=manifest,
            general_words=load_general_words(settings),
            fact_cues=FactCues.load(settings.knowledge_dir / FACTS_FILE),
            scope_model=scope_model,
            sentences=sentences,
        )


def _cleanup(settings: Settings, client: Any, *, keep_folder: str, keep_collection: str) -> None:
    """Remove index folders and collections of earlier builds (and leftovers of crashed builds)."""
    for child in settings.index_dir.iterdir():
        if child.is_dir() and child.name != keep_folder and child.name.startswith(("v-", ".build-")):
            shutil.rmtree(child, ignore_errors=True)
    drop_stale_collections(client, keep=keep_collection)
