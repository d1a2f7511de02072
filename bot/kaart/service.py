"""KaartService: the active sociale kaart, import/validate/export, search and partner suggestion."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bot.config import Settings
from bot.kaart.advice import AdvicePicker, load_vragen_safely
from bot.kaart.hsds import write_hsds
from bot.kaart.index import KaartIndex, embed_in_batches, service_text, unique_themes
from bot.kaart.model import Kaart, KaartError, Service, ValidationReport
from bot.kaart.search import alternatives, kennismaken, search_services
from bot.kaart.signals import Lexicon, load_lexicon
from bot.kaart.store import KaartStore, content_hash
from bot.kaart.suggest import Suggester, Suggestion, SuggestionResult
from bot.kaart.validation import parse_file
from bot.retrieval.embeddings import USEEmbeddings
from bot.safety.lines import NationalLines, load_lines

Progress = Callable[[int, int], None]
MAX_EXTRA_KAARTEN = 4


@dataclass(frozen=True, slots=True)
class _DomainVectors:
    vectors: np.ndarray
    rows: np.ndarray  # domain column per vector
    kinds: np.ndarray  # 0 label/example, 1 prototype, 2 acute prototype


@dataclass(frozen=True, slots=True)
class _Loaded:
    index: KaartIndex
    suggester: Suggester


@dataclass(frozen=True, slots=True)
class SignalSummary:
    """Signal words found in a text: the domains they point to, and whether any means acute danger."""

    domains: frozenset[str]
    acute: bool


class KaartService:
    """Thread-safe holder of the active kaart. Blocking (embedding, disk); call via asyncio.to_thread."""

    def __init__(self, *, settings: Settings, embeddings: USEEmbeddings) -> None:
        self._settings = settings
        self._embeddings = embeddings
        self._store = KaartStore(directory=settings.kaart_dir)
        self._lock = threading.RLock()
        self._active: _Loaded | None = None
        self._extra: dict[tuple[str, str], _Loaded] = {}
        self._lexicon: Lexicon | None = None
        self._domain_vectors: _DomainVectors | None = None
        self._advice: AdvicePicker | None = None
        self._active_stamp: tuple[int, int] | None = None

    # --- shared resources (lazy, once per instance) ---
    def lexicon(self) -> Lexicon:
        with self._lock:
            if self._lexicon is None:
                self._lexicon = load_lexicon(self._settings.knowledge_dir / "signalen.yaml")
            return self._lexicon

    def _domains(self) -> _DomainVectors:
        """Vectors of every domain's label, examples and prototype sentences (built once per instance)."""
        with self._lock:
            if self._domain_vectors is None:
                lexicon = self.lexicon()
                texts: list[str] = []
                rows: list[int] = []
                kinds: list[int] = []
                for column, domain in enumerate(lexicon.domains.values()):
                    groups = ((0, (domain.label, *domain.examples)), (1, lexicon.prototypes.get(domain.id, ())),
                              (2, lexicon.acute_prototypes.get(domain.id, ())))  # fmt: skip
                    for kind, sentences in groups:
                        texts += sentences
                        rows += [column] * len(sentences)
                        kinds += [kind] * len(sentences)
                vectors = embed_in_batches(self._embeddings, texts)
                self._domain_vectors = _DomainVectors(vectors, np.array(rows), np.array(kinds))
            return self._domain_vectors

    def _advice_picker(self) -> AdvicePicker:
        with self._lock:
            if self._advice is None:
                vragen = load_vragen_safely(self._settings.knowledge_dir / "vragen.yaml")
                self._advice = AdvicePicker(vragen=vragen, config=self.lexicon().advice)
            return self._advice

    # --- building indexes ---
    def _build(self, kaart: Kaart, *, progress: Progress | None = None) -> _Loaded:
        lexicon = self.lexicon()
        domains = self._domains()
        vectors = self._store.load_vectors(kaart.content_hash, rows=len(kaart.services))
        if vectors is None:
            texts = [service_text(s) for s in kaart.services]
            vectors = embed_in_batches(self._embeddings, texts, progress=progress)
            self._store.save_vectors(kaart.content_hash, vectors)
        themes = unique_themes(kaart)
        theme_vectors = dict(zip(themes, embed_in_batches(self._embeddings, themes), strict=True))
        labels = domains.kinds == 0
        label_vectors = _label_vectors(domains.vectors[labels], domains.rows[labels].tolist())
        index = KaartIndex(kaart=kaart, lexicon=lexicon, vectors=vectors, domain_vectors=label_vectors,
                           theme_vectors=theme_vectors)  # fmt: skip
        suggester = Suggester(index=index, encoder=self._embeddings, domain_vectors=domains.vectors,
                              domain_rows=domains.rows.tolist(), kinds=domains.kinds,
                              advice=self._advice_picker(), lines=self._lines())  # fmt: skip
        return _Loaded(index, suggester)

    def _lines(self) -> NationalLines:
        return load_lines(self._settings.knowledge_dir / "landelijke_lijnen.yaml")

    def _load_active(self) -> _Loaded:
        with self._lock:
            stamp = self._store.snapshot_stamp()
            if self._active is None or stamp != self._active_stamp:  # another process may have saved
                self._active = self._build(self._read_active())
                self._active_stamp = stamp
            return self._active

    def _read_active(self) -> Kaart:
        if self._store.has_snapshot():
            return self._store.load()
        return self._kaart_from_file(self._settings.example_kaart_path, is_example=True)

    def _kaart_from_file(self, path: Path, *, is_example: bool = False) -> Kaart:
        parsed = parse_file(path)
        if not parsed.report.ok:
            first = parsed.report.errors[0]
            raise KaartError(f"{path.name}: {first}")
        services = tuple(parsed.services)
        return Kaart(services=services, source=path.name, content_hash=content_hash(services),
                     is_example=is_example)  # fmt: skip

    def _loaded_for(self, kaart_path: Path | None) -> _Loaded:
        if kaart_path is None:
            return self._load_active()
        stat = kaart_path.stat() if kaart_path.is_file() else None
        key = (str(kaart_path.resolve()), f"{stat.st_mtime_ns}-{stat.st_size}" if stat else "")
        with self._lock:
            if key not in self._extra:
                if len(self._extra) >= MAX_EXTRA_KAARTEN:
                    self._extra.pop(next(iter(self._extra)))
                self._extra[key] = self._build(self._kaart_from_file(kaart_path))
            return self._extra[key]

    # --- public API ---
    def active(self) -> Kaart:
        return self._load_active().index.kaart

    def reload(self) -> None:
        """Re-read the snapshot (e.g. after an import by another process)."""
        with self._lock:
            self._active = None
            self._advice = None
        self._load_active()

    def validate_file(self, path: Path) -> ValidationReport:
        return parse_file(path).report

    def import_file(self, path: Path, *, progress: Progress | None = None) -> ValidationReport:
        """Validate, build all indexes, then atomically make the file the active kaart."""
        parsed = parse_file(path)
        if not parsed.report.ok:
            return parsed.report
        services = tuple(parsed.services)
        kaart = Kaart(services=services, source=path.name, content_hash=content_hash(services))
        loaded = self._build(kaart, progress=progress)
        with self._lock:
            self._store.save(kaart)
            self._active, self._active_stamp = loaded, self._store.snapshot_stamp()
        return parsed.report

    def replace_services(self, services: Sequence[Service], *, source: str) -> Kaart:
        """Make already validated services the active kaart (beheer edits). Vectors of unchanged services
        are reused, so one edit embeds one service. Atomic like import_file."""
        services = tuple(services)
        kaart = Kaart(services=services, source=source, content_hash=content_hash(services))
        with self._lock:
            current = self._load_active().index
            known = {service_text(s): current.vectors[i] for i, s in enumerate(current.kaart.services)}
            texts = [service_text(s) for s in services]
            missing = [t for t in dict.fromkeys(texts) if t not in known]
            known.update(zip(missing, embed_in_batches(self._embeddings, missing), strict=True))
            vectors = np.stack([known[t] for t in texts]) if texts else current.vectors[:0]
            self._store.save_vectors(kaart.content_hash, vectors.astype(np.float32))
            loaded = self._build(kaart)
            self._store.save(kaart)
            self._active, self._active_stamp = loaded, self._store.snapshot_stamp()
        return kaart

    def export_hsds(self, path: Path) -> None:
        write_hsds(list(self.active().services), path)

    def get(self, service_id: str) -> Service | None:
        index = self._load_active().index
        position = index.by_id.get(service_id)
        if position is None:
            position = next((i for i, s in enumerate(index.kaart.services)
                             if s.id.casefold() == service_id.casefold()), None)  # fmt: skip
        return None if position is None else index.kaart.services[position]

    def wijken(self, *, kaart_path: Path | None = None) -> list[str]:
        return self._loaded_for(kaart_path).index.kaart.wijken()

    def search(self, text: str, *, wijk: str | None = None, limit: int = 5) -> list[Service]:
        return search_services(self._load_active().index, text, wijk=wijk, limit=limit)

    def suggest(self, situation: str, *, wijk: str | None = None, top: int = 3,
                kaart_path: Path | None = None) -> SuggestionResult:  # fmt: skip
        return self._loaded_for(kaart_path).suggester.suggest(situation, wijk=wijk, top=max(1, top))

    def signals(self, text: str) -> SignalSummary:
        """Which levensgebieden a text names, and whether it names acute danger (lexicon only, no model)."""
        hits = [h for h in self.lexicon().read(text).hits if not h.person]
        return SignalSummary(
            domains=frozenset(h.domain for h in hits), acute=any(h.level == "acute" for h in hits)
        )

    def alternatives(self, service_id: str, *, wijk: str | None = None, limit: int = 3,
                     domain: str | None = None) -> list[Suggestion]:  # fmt: skip
        """Next partners for the same levensgebied (`domain`, else the service's main one), own wijk first."""
        return alternatives(self._load_active().index, service_id, wijk=wijk, limit=limit, domain=domain)

    def kennismaken(self, *, wijk: str | None, limit: int = 8) -> list[Service]:
        return kennismaken(self._load_active().index, wijk=wijk, limit=limit)


def _label_vectors(vectors: np.ndarray, rows: list[int]) -> np.ndarray:
    """Mean example vector per domain, normalised (for mapping unseen theme words)."""
    columns = max(rows) + 1 if rows else 0
    out = np.zeros((columns, vectors.shape[1]), dtype=np.float32)
    for column in range(columns):
        mean = vectors[[i for i, r in enumerate(rows) if r == column]].mean(axis=0)
        out[column] = mean / max(float(np.linalg.norm(mean)), 1e-6)
    return out
