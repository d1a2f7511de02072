"""Fitting the learned candidate order (bot/suggestion/rank_model.py) from keyed kaarten in knowledge/.

knowledge/rangschikking/ holds kaarten with an answer key: <name>.csv (a sociale kaart, fictional) next to
<name>.yaml (`situations:` with s, wijk, accept: the service ids a professional would accept). At index time every
situation is read with the trained understanding model, each kaart is prepared as for a user (predicted
levensgebieden), and the candidate rows of every shown levensgebied become training rows. The fitted model is
cached in the data directory (bot/trained_cache.py), keyed by these files and the understanding model.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from bot.fast_tfidf import tfidf as fast_tfidf
from bot.kaart.model import Kaart
from bot.kaart.validation import parse_file
from bot.suggestion.first_rows import FirstRows, row_matrix
from bot.suggestion.rank_memory import NEIGHBOURS, KeyMemory
from bot.suggestion.rank_model import RankModel, slot_rows
from bot.understanding.model import Understander
from bot.yaml_loader import load_yaml

RANK_DIR = "rangschikking"
# keyed kaarten (under RANK_DIR) whose acute `first` keys train the first-row model only (not the candidate order)
FIRST_ROWS_DIR = "eerste_rij"


@dataclass(frozen=True, slots=True)
class RankSettings:
    """Chosen by leave one kaart out over the keyed dev kaarten (bench/rank_loko.py)."""

    c: float = 0.1
    mode: str = "pair"
    slots: bool = True
    slot_c: float = 1.0
    # the first place fixed: LOKO top-3 0.915 vs 0.911 free (top-1 0.715 vs 0.768); training corpus on the example
    # kaart (bench/rank_corpus.py, gold_levensgebieden key) 0.959 vs 0.949 (hand-set sum 0.985)
    first_fixed: bool = True
    # the `recall` feature (bot/suggestion/rank_memory.py) from the keys of the kaarten; round 10, LOKO over the
    # eight keyed dev kaarten (bench/dev_kaarten.py --grid memory=0,1): top-3 / top-1 0.920 / 0.720 -> 0.926 / 0.739,
    # but with the number of neighbours chosen inside the leave-one-out only 0.920 / 0.735 (no top-3 gain), and it
    # dropped the schuldhulp from the top 3 for "rekeningen stapelen zich op, incasso's en aanmaningen" on
    # tests/kaart/vierde_gemeente.csv (own_conversations4/6). Off until it gains in nested CV and keeps that guard.
    # Round 11, truly nested (bench/order_nested.py --grid memory=0,1, eight keyed dev kaarten: each inner figure
    # from an order fitted without both the outer and the inner kaart): plain LOKO 0.922 / 0.725 without, 0.926 /
    # 0.745 with; nested choice 0.918 / 0.740 (below the 0.922 without); and with the order fitted on all eight the
    # guard case again lost x-schuldhulp (top 3 voedselbank, juridisch loket, thuisadmin). Stays off.
    memory: bool = False
    neighbours: int = NEIGHBOURS
    # features of rank_model.FEATURES the order does not use. `hub` (round 11: cosine of a service to its kaart's
    # mean service vector, against "order within" misses, 26 of 64 on the nine dev kaarten): bench/dev_kaarten.py
    # --grid dropped=hub,- over the nine keyed dev kaarten, mean top-3 / top-1 0.916 / 0.728 without, 0.913 / 0.733
    # with; leave one kaart out chose "without" for every kaart. Left out.
    dropped: tuple[str, ...] = ("hub",)
    # round 13: which row of a safety kind first in an acute case (bot/suggestion/first_rows.py), learned from the
    # `first` keys of the acute situations of these kaarten and of FIRST_ROWS_DIR; off: the fixed rule (112, wijk,
    # similarity). Leave one kaart out over the 11 keyed dev kaarten (bench/first_row_cv.py, 170 contested choices:
    # a kind with 2+ rows, some accepted first, some not): fixed rule 148; all features c 0.3 / 1 / 3: 159 / 157 /
    # 155; without `national` 159 / 159 / 155; without national and similarity_gap 161 / 161 / 157; without national
    # and the age columns 158 / 158 / 151. `national` is left out because on the older kaarten it only told the
    # police desk (0900-8844) from 112 (weight -1.7 there: Veilig Thuis's 0800 number would count against it).
    first_rows: bool = True
    first_rows_c: float = 1.0
    first_rows_dropped: tuple[str, ...] = ("national", "similarity_gap")


def keyed_kaarten(folder: Path) -> list[tuple[Path, list[dict[str, Any]]]]:
    """(kaart csv, situations with a key) for every <name>.csv with a <name>.yaml next to it."""
    out = []
    for path in sorted(folder.glob("*.csv")) if folder.is_dir() else []:
        key = path.with_suffix(".yaml")
        if key.is_file():
            items = load_yaml(key.read_text(encoding="utf-8"))["situations"]
            out.append((path, [i for i in items if i.get("accept")]))
    return out


@dataclass(frozen=True, slots=True)
class OrderModels:
    """The learned order: of the candidates within a levensgebied, and of the places over levensgebieden."""

    within: RankModel
    slots: RankModel | None
    first_fixed: bool = True  # the first place stays the likeliest levensgebied's best candidate
    memory: KeyMemory | None = None  # the keyed situations and their accepted rows (the `recall` feature)
    first_rows: FirstRows | None = None  # which row of a safety kind first (acute)


@dataclass
class Keyed:
    """One keyed kaart's ranker, its situations and their readings (and char n-gram rows)."""

    ranker: Any
    items: list[dict[str, Any]]
    readings: list[Any]
    words: Any
    # per situation its RankContext and per shown levensgebied (candidates, feature rows), kept from within_groups
    # for place_groups
    contexts: list[Any] | None = None
    rows: list[dict[str, Any]] | None = None


def _read(ranker: Any, items: list[dict[str, Any]], understander: Understander) -> Keyed:
    readings = understander.understand_many([str(i["s"]) for i in items])
    words = fast_tfidf(understander.model.featurizer.char, [r.expanded for r in readings])
    return Keyed(ranker, items, readings, words)


def within_groups(keyed: Keyed, fill: float) -> list[tuple[np.ndarray, np.ndarray]]:
    """Per situation and shown levensgebied: the candidates' feature rows and whether the key accepts them."""
    groups = []
    ranker = keyed.ranker
    keyed.contexts, keyed.rows = [], []
    for n, (item, reading) in enumerate(zip(keyed.items, keyed.readings, strict=True)):
        ctx = ranker.context(
            str(item["s"]), reading, wijk=item.get("wijk"), words=keyed.words[n], learned=True
        )
        keyed.contexts.append(ctx)
        keyed.rows.append({})
        accept = set(item.get("accept") or [])
        for domain in reading.shown_domains(fill=fill):
            candidates, rows = keyed.rows[n][domain] = ranker.features(domain, reading, ctx)
            labels = np.array([ranker.services[int(i)].id in accept for i in candidates], dtype=np.int8)
            if labels.any():  # a levensgebied without an accepted row says nothing about the order in it
                groups.append((rows, labels))
    return groups


def place_groups(keyed: Keyed, fill: float) -> list[tuple[np.ndarray, np.ndarray]]:
    """Per situation: the places (round, levensgebied) as the ranker orders the candidates now, their rows
    (rank_model.slot_rows) and whether the key accepts the candidate in that place. The contexts of within_groups
    are reused (the same: learned overlaps and the same key memory), else computed."""
    groups = []
    ranker = keyed.ranker
    for n, (item, reading) in enumerate(zip(keyed.items, keyed.readings, strict=True)):
        ctx = keyed.contexts[n] if keyed.contexts is not None else \
            ranker.context(str(item["s"]), reading, wijk=item.get("wijk"), words=keyed.words[n])  # fmt: skip
        domains = reading.shown_domains(fill=fill)
        if keyed.rows is not None:  # the feature rows of within_groups, scored by the order just fitted
            ranked = {d: ranker.ordered(*keyed.rows[n][d]) for d in domains}
        else:
            ranked = {d: ranker.ranked(d, reading, ctx) for d in domains}
        places, rows = slot_rows(ranked, domains, reading.probabilities, frozenset(reading.domains))
        accept = set(item.get("accept") or [])
        labels = np.array([ranker.services[ranked[d][r][0]].id in accept for r, d in places], dtype=np.int8)
        if labels.any() and not labels.all():
            groups.append((rows, labels))
    return groups


def fit_rank_model(folder: Path, understander: Understander, ranker_for: Callable[[Kaart], Any],
                   settings: RankSettings | None = None) -> OrderModels | None:  # fmt: skip
    """The learned order from the keyed kaarten in `folder`; None without any."""

    def read(path: Path, items: list[dict[str, Any]]) -> Keyed:
        kaart = Kaart(services=tuple(parse_file(path).services), source=path.name)
        return _read(ranker_for(kaart), items, understander)

    order, rows_only = keyed_reads(folder)
    keyed = [read(path, items) for path, items in order]
    extra = [read(path, items) for path, items in rows_only]
    return fit_orders(keyed, understander.constants.fill_threshold, settings, extra)


def keyed_reads(
    folder: Path,
) -> tuple[list[tuple[Path, list[dict[str, Any]]]], list[tuple[Path, list[dict[str, Any]]]]]:
    """The keyed kaarten fit_rank_model reads, in its order: those of `folder` with their keyed situations, and
    those of FIRST_ROWS_DIR with only their acute situations with a `first` key (for the first-row model)."""
    rows_only = [(path, [i for i in items if i.get("safety") == "acuut" and i.get("first")])
                 for path, items in keyed_kaarten(folder / FIRST_ROWS_DIR)]  # fmt: skip
    return keyed_kaarten(folder), rows_only


def fit_orders(keyed: list[Keyed], fill: float, settings: RankSettings | None = None,
               extra: Sequence[Keyed] = ()) -> OrderModels | None:  # fmt: skip
    """Fit the order within levensgebieden, then (with it in the rankers) the order of the places; extra: keyed
    kaarten for the first-row model only."""
    settings = settings or RankSettings()
    memory = key_memory(keyed, settings.neighbours) if settings.memory else None
    before = [(k.ranker.rank_model, k.ranker.memory) for k in keyed]
    for n, k in enumerate(keyed):  # a kaart's rows get the recall of the OTHER kaarten' keys only
        k.ranker.memory = memory.without(n) if memory is not None else None
    groups = [g for k in keyed for g in within_groups(k, fill)]
    dropped = settings.dropped  # benches pass "a+b" ("-": none)
    if isinstance(dropped, str):
        dropped = () if dropped == "-" else tuple(dropped.split("+"))
    within = RankModel.fit(groups, c=settings.c, mode=settings.mode, dropped=dropped) if groups else None
    slots = None
    if within is not None and settings.slots:
        for k in keyed:
            k.ranker.rank_model = within
        places = [g for k in keyed for g in place_groups(k, fill)]
        slots = RankModel.fit(places, c=settings.slot_c, mode="pair") if places else None
    rows = None
    if settings.first_rows:
        found = [g for k in keyed for g in first_row_groups(k)]
        found += [g for k in extra for g in first_row_groups(k)]
        rows = (
            FirstRows(c=settings.first_rows_c, dropped=settings.first_rows_dropped).fit(found)
            if found
            else None
        )
    for k, (model, own) in zip(keyed, before, strict=True):
        k.ranker.rank_model, k.ranker.memory, k.contexts, k.rows = model, own, None, None
    return OrderModels(within, slots, settings.first_fixed, memory, rows) if within is not None else None


def first_row_groups(keyed: Keyed) -> list[tuple[np.ndarray, np.ndarray]]:
    """Per acute keyed situation and per kind of its `first` rows with two or more rows on the kaart: the rows'
    features (bot/suggestion/first_rows.py) and which of them the key accepts first."""
    ranker, out = keyed.ranker, []
    for n, (item, reading) in enumerate(zip(keyed.items, keyed.readings, strict=True)):
        first = set(item.get("first") or [])
        if item.get("safety") != "acuut" or not first:
            continue
        ctx = ranker.context(str(item["s"]), reading, wijk=item.get("wijk"), words=keyed.words[n])
        kinds = {k for i, s in enumerate(ranker.services) if s.id in first for k in ranker.prepared.kinds[i]}
        for kind in sorted(kinds):
            rows = ranker.kind_candidates(kind, ctx.allowed)
            if len(rows) > 1:
                x = row_matrix(ranker.row_facts(rows, ctx.in_wijk, ctx.similarity), ctx.groups)
                out.append((x, np.array([ranker.services[i].id in first for i in rows])))
    return out


def key_memory(keyed: list[Keyed], neighbours: int = NEIGHBOURS) -> KeyMemory:
    """The keyed situations' USE vectors and the vectors of the rows their keys accept, per kaart."""
    entries = []
    for n, k in enumerate(keyed):
        index = {s.id: i for i, s in enumerate(k.ranker.services)}
        for item, reading in zip(k.items, k.readings, strict=True):
            rows = [index[a] for a in item.get("accept") or [] if a in index]
            if reading.vector is not None:
                entries.append((n, reading.vector, k.ranker.prepared.vectors[rows]))
    return KeyMemory.build(entries, neighbours)


def folder_digest(folder: Path) -> str:
    """Hash of the keyed kaarten' files (part of the cache key)."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")) if folder.is_dir() else []:
        if path.suffix in (".csv", ".yaml"):
            digest.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()
