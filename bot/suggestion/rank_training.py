"""Fitting the learned candidate order (bot/suggestion/rank_model.py) from keyed kaarten in knowledge/.

knowledge/rangschikking/ holds kaarten with an answer key: <name>.csv (a sociale kaart, fictional) next to
<name>.yaml (`situations:` with s, wijk, accept: the service ids a professional would accept). At index time every
situation is read with the trained understanding model, each kaart is prepared as for a user (predicted
levensgebieden), and the candidate rows of every shown levensgebied become training rows. The fitted model is
cached in the data directory (bot/trained_cache.py), keyed by these files and the understanding model.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from bot.kaart.model import Kaart
from bot.kaart.validation import parse_file
from bot.suggestion.rank_model import RankModel
from bot.understanding.model import Understander

RANK_DIR = "rangschikking"


@dataclass(frozen=True, slots=True)
class RankSettings:
    """Chosen by leave one kaart out over the keyed dev kaarten (bench/rank_loko.py)."""

    c: float = 1.0
    mode: str = "point"


def keyed_kaarten(folder: Path) -> list[tuple[Path, list[dict[str, Any]]]]:
    """(kaart csv, situations with a key) for every <name>.csv with a <name>.yaml next to it."""
    out = []
    for path in sorted(folder.glob("*.csv")) if folder.is_dir() else []:
        key = path.with_suffix(".yaml")
        if key.is_file():
            items = yaml.safe_load(key.read_text(encoding="utf-8"))["situations"]
            out.append((path, [i for i in items if i.get("accept")]))
    return out


def training_groups(ranker: Any, items: list[dict[str, Any]],
                    understander: Understander) -> list[tuple[np.ndarray, np.ndarray]]:  # fmt: skip
    """Per situation and shown levensgebied: the candidates' feature rows and whether the key accepts them."""
    texts = [str(i["s"]) for i in items]
    readings = understander.understand_many(texts)
    words = understander.model.featurizer.char.transform([r.expanded for r in readings]).tocsr()
    fill = understander.constants.fill_threshold
    groups = []
    for n, (item, reading) in enumerate(zip(items, readings, strict=True)):
        ctx = ranker.context(texts[n], reading, wijk=item.get("wijk"), words=words[n], learned=True)
        accept = set(item.get("accept") or [])
        for domain in reading.shown_domains(fill=fill):
            candidates, rows = ranker.features(domain, reading, ctx)
            labels = np.array([ranker.services[int(i)].id in accept for i in candidates], dtype=np.int8)
            if labels.any():  # a levensgebied without an accepted row says nothing about the order in it
                groups.append((rows, labels))
    return groups


def fit_rank_model(folder: Path, understander: Understander, ranker_for: Callable[[Kaart], Any],
                   settings: RankSettings | None = None) -> RankModel | None:  # fmt: skip
    """The learned order from the keyed kaarten in `folder`; None without any."""
    settings = settings or RankSettings()
    groups = []
    for path, items in keyed_kaarten(folder):
        kaart = parse_file(path)
        groups += training_groups(ranker_for(kaart), items, understander)
    if not groups or not any(g[1].any() for g in groups):
        return None
    return RankModel.fit(groups, c=settings.c, mode=settings.mode)


def folder_digest(folder: Path) -> str:
    """Hash of the keyed kaarten' files (part of the cache key)."""
    digest = hashlib.sha256()
    for path in sorted(folder.glob("*")) if folder.is_dir() else []:
        if path.suffix in (".csv", ".yaml"):
            digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()
