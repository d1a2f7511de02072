"""PartnerService: the active sociale kaart, understanding a situation, and ranking partners for it.

Thread-safe; blocking (embedding, training, disk), so the engine calls it via asyncio.to_thread.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from bot.config import Settings
from bot.fast_tfidf import tfidf as fast_tfidf
from bot.kaart.hsds import write_hsds
from bot.kaart.index import KaartIndex
from bot.kaart.io import write_csv
from bot.kaart.model import Kaart, KaartError, Service, ValidationIssue, ValidationReport
from bot.kaart.search import kennismaken, search_services
from bot.kaart.store import KaartStore, content_hash
from bot.kaart.validation import ParsedKaart, parse_file
from bot.retrieval.embed_process import result_or_none, spread
from bot.suggestion.advice import AdvicePicker, load_vragen_safely
from bot.suggestion.result import Suggestion, SuggestionResult
from bot.understanding.service_domains import (
    DomainGuess,
    guess_domains,
    needs_review,
    service_text,
    with_domains,
)

if TYPE_CHECKING:  # the model modules load scikit-learn (~1.5 s): imported where a model is built or used
    from concurrent.futures import Future

    from bot.suggestion.rank_training import OrderModels
    from bot.suggestion.ranking import Ranker
    from bot.understanding.features import Encoder
    from bot.understanding.model import Understander, Understanding

Progress = Callable[[int, int], None]
MAX_EXTRA_KAARTEN = 4
RECENT_READINGS = 64  # situations read in the last turns: the router and the suggestion read the same text
VECTOR_WORDS = 12  # embedding cost grows with tokens; the first words of a description carry the topic


@dataclass(frozen=True, slots=True)
class SignalSummary:
    """What a text is about: the levensgebieden read in it, and whether it means acute danger."""

    domains: frozenset[str]
    acute: bool
    forced: bool = False  # acute because of a phrase on the short must-never-miss list


@dataclass(frozen=True, slots=True)
class _Loaded:
    index: KaartIndex
    ranker: Ranker


def vector_text(service: Service) -> str:
    description = " ".join(service.description.split()[:VECTOR_WORDS])
    return f"{service.name}. {', '.join(service.themes)}. {description}"


def order_encode_calls(knowledge_dir: Path, understander: Understander) -> Iterator[list[str]]:
    """The encode() calls the learned order's fit makes (PartnerService.order_models: fit_rank_model with its
    ranker_for), in their order: per keyed kaart its service texts as read (guess_domains), its distinct vector texts
    in chunks (_vectors), its situations as read (rank_training._read). Only needs the understander's lexicon, not
    its heads: for USEEmbeddings.rehearse while the heads are fitted (a call that differs only costs time)."""
    from bot.suggestion.rank_training import RANK_DIR, keyed_reads
    from bot.understanding.training import ENCODE_BATCH

    order, rows_only = keyed_reads(knowledge_dir / RANK_DIR)
    for path, items in [*order, *rows_only]:
        services = list(parse_file(path).services)
        yield [understander.expand(service_text(s)) or "." for s in services]
        new = list(dict.fromkeys(vector_text(s) for s in services))
        for i in range(0, len(new), ENCODE_BATCH):
            yield new[i : i + ENCODE_BATCH]
        yield [understander.expand(str(item["s"])) or "." for item in items]


# the learned order per understanding model (tests build many services on one session model: fitted once)
_ORDERS: weakref.WeakKeyDictionary[Any, dict[tuple[str, ...], Any]] = weakref.WeakKeyDictionary()


class PartnerService:
    """Holder of the active kaart and the trained understanding model."""

    def __init__(
        self,
        *,
        settings: Settings,
        embeddings: Encoder,
        understander: Understander | None = None,
        progress: Callable[[str], None] | None = None,
    ) -> None:
        self._settings = settings
        self._progress = progress  # told when a model kept in the data dir must be made again
        self._embeddings = embeddings
        self._store = KaartStore(directory=settings.kaart_dir)
        self._lock = threading.RLock()
        self._understander = understander
        self._active: _Loaded | None = None
        self._extra: dict[tuple[str, str], _Loaded] = {}
        self._advice: AdvicePicker | None = None
        self._ranking: tuple[OrderModels | None] | None = (
            None  # the learned order, once fitted (or None: none)
        )
        self._active_stamp: tuple[int, int] | None = None
        # (active, its stamp) as one attribute, so a reader without the lock never sees half an update
        self._published: tuple[_Loaded, tuple[int, int] | None] | None = None
        self._readings: dict[str, Understanding] = {}
        self._readings_lock = threading.Lock()

    # --- shared resources (lazy, once per instance) ---
    def understander(self) -> Understander:
        """The trained model; trains at first use (or loads the pickle cached for this corpus)."""
        if self._understander is not None:  # built: no lock (every turn asks for it, from many threads)
            return self._understander
        with self._lock:
            if self._understander is None:
                from bot.understanding.training import KnowledgePaths, build_understander

                paths = KnowledgePaths.under(self._settings.knowledge_dir)
                understander = build_understander(paths, self._embeddings,
                                                  cache_dir=self._settings.data_dir / "begrip")  # fmt: skip
                if self._progress is not None and understander.safety.learned is not None:
                    understander.safety.learned.progress = self._progress
                self._understander = understander
            return self._understander

    def _advice_picker(self) -> AdvicePicker:
        with self._lock:
            if self._advice is None:
                vragen = load_vragen_safely(self._settings.knowledge_dir / "vragen.yaml")
                self._advice = AdvicePicker(vragen=vragen, config=self.understander().lexicon.advice)
            return self._advice

    # --- building ---
    def _build(self, kaart: Kaart, *, progress: Progress | None = None,
               guesses: list[DomainGuess] | None = None, known: dict[str, np.ndarray] | None = None,
               pending: Future[np.ndarray] | None = None) -> _Loaded:  # fmt: skip
        """`guesses`: already predicted for these services (import); `known`: vectors by vector text to reuse;
        `pending`: the vectors of the new vector texts, being embedded in another process (import)."""
        services = list(kaart.services)
        vectors = self._store.load_vectors(kaart.content_hash, rows=len(services))
        if vectors is None:
            vectors = self._vectors([vector_text(s) for s in services], known or {}, pending)
            self._store.save_vectors(kaart.content_hash, vectors)
        if progress is not None:
            progress(len(services), len(services))
        ranker = self._ranker(kaart, vectors, guesses, rank_model=self._rank_model())
        return _Loaded(KaartIndex(kaart=kaart), ranker)

    def _ranker(self, kaart: Kaart, vectors: np.ndarray, guesses: list[DomainGuess] | None, *,
                rank_model: OrderModels | None) -> Ranker:  # fmt: skip
        from bot.suggestion.ranking import Ranker, prepare, profile_rows
        from bot.understanding.features import lexicon_row

        understander = self.understander()
        services = list(kaart.services)
        lexicon = understander.lexicon
        general_domain = lexicon.general_domain()
        general = [any(h.domain == general_domain for h in lexicon.detect(f"{s.name} {' '.join(s.themes)}", themes=True))
                   for s in services]  # fmt: skip
        if guesses is None:
            guesses = guess_domains(services, understander)
        words = fast_tfidf(understander.model.featurizer.char, [g.expanded for g in guesses])
        columns = understander.model.featurizer.columns
        rows = [
            g.hits if g.hits is not None else lexicon_row(lexicon, service_text(s), columns)
            for g, s in zip(guesses, services, strict=True)
        ]  # the rows the model read: one lexicon pass
        profiles = profile_rows(np.vstack(rows) if services else np.zeros((0, len(columns))), columns)
        prepared = prepare(kaart, vectors=vectors, guesses=guesses,
                           domain_ids=understander.taxonomy.ids, safety=understander.safety, general=general,
                           words=words, profiles=profiles)  # fmt: skip
        ranker = Ranker(prepared=prepared, taxonomy=understander.taxonomy, safety=understander.safety,
                      advice=self._advice_picker(), constants=understander.constants, meldcode=lexicon.meldcode,
                      columns=columns, rank_model=rank_model.within if rank_model else None,
                        slot_model=rank_model.slots if rank_model else None)  # fmt: skip
        ranker.slot_first = rank_model.first_fixed if rank_model else True
        ranker.memory = rank_model.memory if rank_model else None
        ranker.first_rows = rank_model.first_rows if rank_model else None
        return ranker

    def _rank_model(self) -> OrderModels | None:
        return self.order_models()

    def order_models(self) -> OrderModels | None:
        """The learned candidate order (bot/suggestion/rank_training.py), fitted once from knowledge/rangschikking
        per understanding model (kept with it in memory and in the data directory: `wijkbot index` fits it);
        None when switched off or without keyed kaarten."""
        from bot.suggestion.rank_training import RANK_DIR, OrderModels, fit_rank_model, folder_digest
        from bot.trained_cache import load_or_train

        understander = self.understander()
        if not understander.constants.learned_order:
            return None
        if self._ranking is not None:
            return self._ranking[0]
        with self._lock:
            folder = self._settings.knowledge_dir / RANK_DIR
            inputs = (folder_digest(folder), understander.model_key, repr(understander.constants))
            fitted = _ORDERS.setdefault(understander, {})
            if inputs not in fitted:

                def train() -> OrderModels | None:
                    def ranker_for(
                        kaart: Kaart,
                    ) -> Ranker:  # as a kaart imported by a user: domains predicted
                        guesses = guess_domains(list(kaart.services), understander)
                        kaart = replace(kaart, services=tuple(with_domains(list(kaart.services), guesses)))
                        texts = [vector_text(s) for s in kaart.services]
                        return self._ranker(kaart, self._vectors(texts, {}, None), guesses, rank_model=None)

                    return fit_rank_model(folder, understander, ranker_for)

                cache = self._settings.data_dir / "begrip" if understander.model_key else None
                fitted[inputs] = load_or_train(cache, "rangorde", inputs, train, kind=OrderModels,
                                               modules=("bot.suggestion.rank_model", "bot.suggestion.rank_training",
                                                        "bot.suggestion.first_rows",
                                                        "bot.suggestion.rank_memory", "bot.suggestion.ranking",
                                                        "bot.suggestion.service"))  # fmt: skip
            self._ranking = (fitted[inputs],)
            return self._ranking[0]

    def _vectors(self, texts: list[str], known: dict[str, np.ndarray],
                 pending: Future[np.ndarray] | None = None) -> np.ndarray:  # fmt: skip
        """USE vectors of vector texts; each distinct text embedded once, known ones (unchanged services) reused.
        `pending`: the new texts' vectors from `_new_texts` + `encode_in_process` (the same calls elsewhere)."""
        from bot.understanding.training import encode

        new = self._new_texts(texts, known)
        found = dict(known)
        if new:
            fresh = result_or_none(pending)
            found.update(zip(new, fresh if fresh is not None else encode(self._embeddings, new), strict=True))
        if not texts:
            return np.zeros((0, 512), dtype=np.float32)
        return np.stack([found[t] for t in texts]).astype(np.float32)

    @staticmethod
    def _new_texts(texts: list[str], known: dict[str, np.ndarray]) -> list[str]:
        return [t for t in dict.fromkeys(texts) if t not in known]

    def _known_vectors(self) -> dict[str, np.ndarray]:
        """Vectors of the active kaart by vector text (from its snapshot), so unchanged services are not embedded."""
        if self._active is None:
            return {}
        current = self._active.index.kaart
        old = self._store.load_vectors(current.content_hash, rows=len(current.services))
        return {} if old is None else {vector_text(s): old[i] for i, s in enumerate(current.services)}

    def _parse(self, path: Path) -> ParsedKaart:
        """Parse and validate; levensgebied ids in the file must exist; empty ones are predicted."""
        return self._parse_guessed(path)[0]

    def _parse_guessed(self, path: Path) -> tuple[ParsedKaart, list[DomainGuess] | None]:
        """_parse, with the domain guesses it made (the build reuses them instead of predicting twice)."""
        parsed = self._checked(path)
        return parsed, self._guessed(parsed) if parsed.report.ok else None

    def _checked(self, path: Path) -> ParsedKaart:
        """Parse and validate, levensgebied ids included (nothing predicted yet)."""
        parsed = parse_file(path)
        if not parsed.report.ok:
            return parsed
        known = set(self.understander().taxonomy.ids)
        for number, service in enumerate(parsed.services, start=2):
            unknown = [d for d in service.levensgebieden if d not in known]
            if unknown:
                parsed.report.errors.append(ValidationIssue(number, "levensgebieden",
                    f"onbekend levensgebied {', '.join(unknown)} (kies uit: {', '.join(sorted(known))})"))  # fmt: skip
        if not parsed.report.ok:
            parsed.report.count = 0
        return parsed

    def _guessed(self, parsed: ParsedKaart) -> list[DomainGuess]:
        """Predict every service's levensgebieden; empty ones are filled in (in `parsed`)."""
        guesses = guess_domains(parsed.services, self.understander())
        parsed.services = with_domains(parsed.services, guesses)
        return guesses

    def _kaart_from_file(self, path: Path, *, is_example: bool = False) -> Kaart:
        parsed = self._parse(path)
        if not parsed.report.ok:
            raise KaartError(f"{path.name}: {parsed.report.errors[0]}")
        services = tuple(parsed.services)
        return Kaart(
            services=services, source=path.name, content_hash=content_hash(services), is_example=is_example
        )

    def _load_active(self) -> _Loaded:
        published = self._published  # the common case (nothing changed) takes no lock
        if published is not None and published[1] == self._store.snapshot_stamp():
            return published[0]
        with self._lock:
            stamp = self._store.snapshot_stamp()
            if (
                self._active is None or stamp != self._active_stamp
            ):  # another process (web beheer) may have saved
                kaart = (self._store.load() if self._store.has_snapshot()
                         else self._kaart_from_file(self._settings.example_kaart_path, is_example=True))  # fmt: skip
                self._active = self._build(kaart)
                self._active_stamp = stamp
            self._published = (self._active, self._active_stamp)
            return self._active

    def _activate(self, kaart: Kaart, loaded: _Loaded) -> None:
        """Save the snapshot and make it active (caller holds the lock)."""
        self._store.save(kaart)
        self._active, self._active_stamp = loaded, self._store.snapshot_stamp()
        self._published = (loaded, self._active_stamp)

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

    # --- the directory ---
    def active(self) -> Kaart:
        return self._load_active().index.kaart

    def reload(self) -> None:
        """Re-read the snapshot (e.g. after an import by another process)."""
        with self._lock:
            self._active = self._published = None
            self._advice = None
        self._load_active()

    def validate_file(self, path: Path) -> ValidationReport:
        return self._parse(path).report

    def import_file(self, path: Path, *, progress: Progress | None = None) -> ValidationReport:
        """Validate, predict missing levensgebieden, build the indexes, then atomically activate."""
        from bot.retrieval.embed_process import encode_in_process
        from bot.understanding.training import ENCODE_BATCH

        parsed = self._checked(path)
        if not parsed.report.ok:
            return parsed.report
        with self._lock:
            known = self._known_vectors()
        # The ranker's vectors do not depend on the predictions: a long list is embedded in a second process
        # meanwhile (same model files, same calls, same vectors), so a big import uses both cores.
        new = self._new_texts([vector_text(s) for s in parsed.services], known)
        pending = encode_in_process(self._embeddings, new, batch=ENCODE_BATCH)
        with spread(self._embeddings):  # and half of the service texts the model reads, too
            guesses = self._guessed(parsed)
        services = tuple(parsed.services)
        kaart = Kaart(services=services, source=path.name, content_hash=content_hash(services))
        loaded = self._build(kaart, progress=progress, guesses=guesses, known=known, pending=pending)
        with self._lock:
            self._activate(kaart, loaded)
        return parsed.report

    def replace_services(self, services: Sequence[Service], *, source: str) -> Kaart:
        """Make already validated services the active kaart (beheer edits). Missing levensgebieden are
        predicted as on import; vectors of unchanged services are reused, so one edit embeds one service."""
        with self._lock:
            self._load_active()
            known = self._known_vectors()
            fresh = list(services)
            missing = [i for i, s in enumerate(fresh) if not s.levensgebieden]
            if missing:
                guesses = guess_domains([fresh[i] for i in missing], self.understander())
                for i, guessed in zip(
                    missing, with_domains([fresh[i] for i in missing], guesses), strict=True
                ):
                    fresh[i] = guessed
            kaart = Kaart(services=tuple(fresh), source=source, content_hash=content_hash(tuple(fresh)))
            self._activate(kaart, self._build(kaart, known=known))
        return kaart

    def export_hsds(self, path: Path) -> None:
        write_hsds(list(self.active().services), path)

    def export_csv(self, path: Path) -> None:
        write_csv(list(self.active().services), path)

    def to_review(self) -> list[Service]:
        """Services whose levensgebieden were predicted with doubt, or could not be predicted."""
        c = self.understander().constants
        return [s for s in self.active().services
                if needs_review(s, threshold=c.service_domain_threshold, margin=c.service_review_margin)]  # fmt: skip

    def confirm_domains(self, confirmed: dict[str, tuple[str, ...]]) -> Kaart:
        """Write confirmed levensgebieden back into the active kaart (source 'bevestigd')."""
        known = set(self.understander().taxonomy.ids)
        kaart = self.active()
        ids = {s.id.casefold(): s.id for s in kaart.services}
        for service_id, domains in confirmed.items():
            if service_id.casefold() not in ids:
                raise KaartError(f"Geen partner met id '{service_id}' op de actieve kaart.")
            unknown = [d for d in domains if d not in known]
            if unknown or not domains:
                raise KaartError(f"Onbekend levensgebied {', '.join(unknown) or '(leeg)'} bij '{service_id}'. "
                                 f"Kies uit: {', '.join(sorted(known))}.")  # fmt: skip
        wanted = {ids[k.casefold()]: v for k, v in confirmed.items()}
        services = tuple(replace(s, levensgebieden=wanted[s.id], domains_source="bevestigd", domains_confidence=1.0)
                         if s.id in wanted else s for s in kaart.services)  # fmt: skip
        updated = Kaart(services=services, source=kaart.source, content_hash=content_hash(services))
        loaded = self._build(updated)
        with self._lock:
            self._activate(updated, loaded)
        return updated

    def get(self, service_id: str) -> Service | None:
        index = self._load_active().index
        position = index.by_id.get(service_id)
        if position is None:
            position = next((i for i, s in enumerate(index.kaart.services)
                             if s.id.casefold() == service_id.casefold()), None)  # fmt: skip
        return None if position is None else index.kaart.services[position]

    def wijken(self, *, kaart_path: Path | None = None) -> list[str]:
        if kaart_path is None and self._active is None:  # not built yet (start-up): wijken need no model
            light = self._wijken_unbuilt()
            if light is not None:
                return light
        return self._loaded_for(kaart_path).index.kaart.wijken()

    def _wijken_unbuilt(self) -> list[str] | None:
        """The active kaart's wijken read straight from its snapshot or the example file (service areas are
        given, never predicted), so the first /start does not wait for the model; None when unreadable."""
        try:
            if self._store.has_snapshot():
                return self._store.load().wijken()
            parsed = parse_file(self._settings.example_kaart_path)
        except (KaartError, OSError):
            return None
        if not parsed.report.ok:
            return None
        return Kaart(services=tuple(parsed.services), source="", content_hash="").wijken()

    def search(self, text: str, *, wijk: str | None = None, limit: int = 5) -> list[Service]:
        return search_services(self._load_active().index, text, wijk=wijk, limit=limit)

    def kennismaken(self, *, wijk: str | None, limit: int = 8) -> list[Service]:
        loaded = self._load_active()
        general = frozenset(s.id for s in loaded.ranker.general_entries(wijk=None))
        return kennismaken(loaded.index, wijk=wijk, limit=limit, exclude=general)

    # --- understanding and ranking ---
    def suggest(self, situation: str, *, wijk: str | None = None, top: int = 3,
                kaart_path: Path | None = None) -> SuggestionResult:  # fmt: skip
        loaded = self._loaded_for(kaart_path)
        understander = self.understander()
        reading = self._reading(situation)
        # the char n-grams of understander.expand(...), as featurizer.char.transform gives them (bot.fast_tfidf)
        words = fast_tfidf(understander.model.featurizer.char, [reading.expanded])
        return loaded.ranker.suggest(situation, reading, wijk=wijk, top=max(1, top), words=words)

    def signals(self, text: str) -> SignalSummary:
        """Which levensgebieden a text is about, and whether it means acute danger (the learned model)."""
        reading = self._reading(text)
        return SignalSummary(domains=frozenset(reading.domains), acute=reading.level == "acuut",
                             forced=bool(reading.forced_by))  # fmt: skip

    def _reading(self, text: str) -> Understanding:
        """understander().understand(text), remembered for the last few texts (one turn reads a situation for
        the router's signals and again for the suggestion; the model does not change while this service lives)."""
        with self._readings_lock:
            found = self._readings.get(text)
        if found is None:
            found = self.understander().understand(text)
            with self._readings_lock:
                self._readings[text] = found
                if len(self._readings) > RECENT_READINGS:
                    del self._readings[next(iter(self._readings))]  # the oldest
        return found

    def alternatives(self, service_id: str, *, wijk: str | None = None, limit: int = 3,
                     domain: str | None = None) -> list[Suggestion]:  # fmt: skip
        """Next partners for the same levensgebied (`domain`, else the service's main one), own wijk first."""
        return self._load_active().ranker.alternatives(service_id, wijk=wijk, limit=limit, domain=domain)


def vectors_of(services: list[Service], encoder: Encoder) -> np.ndarray:
    from bot.understanding.training import encode

    return encode(encoder, [vector_text(s) for s in services])
