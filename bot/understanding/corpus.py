"""The labelled situations (knowledge/situaties/*.yaml), loaded strictly against the taxonomy."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.understanding.taxonomy import Taxonomy, TaxonomyError
from bot.yaml_loader import load_yaml

TRAIN_GLOB = "train_*.yaml"
HELDOUT_GLOB = "heldout_*.yaml"
MAX_DOMAINS = 3


@dataclass(frozen=True, slots=True)
class LabelledText:
    """One situation with its levensgebieden (most important first), safety level and danger type."""

    text: str
    domains: tuple[str, ...]
    level: str  # acuut | zorg | geen
    danger: str | None
    writer: str = ""


def load_corpus_file(path: Path, taxonomy: Taxonomy) -> list[LabelledText]:
    """One file: {schrijver, situaties: [{tekst, levensgebieden, veiligheid, gevaar?}]}. Strict."""
    try:
        data = load_yaml(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise TaxonomyError(f"{path.name} is niet leesbaar: {exc}") from None
    items = data.get("situaties") if isinstance(data, dict) else None
    if not isinstance(items, list) or not items:
        raise TaxonomyError(f"{path.name}: 'situaties' ontbreekt of is leeg.")
    writer = str(data.get("schrijver", path.stem))
    return [_item(item, taxonomy, where=f"{path.name}, situatie {n}", writer=writer)
            for n, item in enumerate(items, start=1)]  # fmt: skip


def _item(item: Any, taxonomy: Taxonomy, *, where: str, writer: str) -> LabelledText:
    if not isinstance(item, dict) or not str(item.get("tekst", "")).strip():
        raise TaxonomyError(f"{where}: 'tekst' ontbreekt.")
    domains = item.get("levensgebieden")
    if not isinstance(domains, list) or not 1 <= len(domains) <= MAX_DOMAINS:
        raise TaxonomyError(f"{where}: 'levensgebieden' moet 1 tot {MAX_DOMAINS} ids hebben.")
    checked = tuple(dict.fromkeys(taxonomy.check_domain(str(d), where=where) for d in domains))
    level = str(item.get("veiligheid", ""))
    if level not in taxonomy.levels:
        raise TaxonomyError(f"{where}: veiligheid '{level}' is onbekend.")
    danger = item.get("gevaar")
    if level == "geen":
        if danger:
            raise TaxonomyError(f"{where}: 'gevaar' hoort alleen bij zorg of acuut.")
        return LabelledText(str(item["tekst"]).strip(), checked, level, None, writer)
    if str(danger) not in taxonomy.dangers:
        raise TaxonomyError(f"{where}: gevaar '{danger}' is onbekend.")
    return LabelledText(str(item["tekst"]).strip(), checked, level, str(danger), writer)


def load_corpus(directory: Path, taxonomy: Taxonomy, *, pattern: str = TRAIN_GLOB) -> list[LabelledText]:
    """All files matching `pattern` in `directory`, in name order."""
    files = sorted(directory.glob(pattern))
    if not files:
        raise TaxonomyError(f"Geen gelabelde situaties gevonden in {directory} ({pattern}).")
    return [item for path in files for item in load_corpus_file(path, taxonomy)]


def corpus_hash(items: list[LabelledText], *extra: str) -> str:
    """Stable hash of the training data (and any extra inputs such as the lexicon text)."""
    digest = hashlib.sha256()
    for item in items:
        digest.update(repr((item.text, item.domains, item.level, item.danger)).encode("utf-8"))
    for part in extra:
        digest.update(part.encode("utf-8"))
    return digest.hexdigest()[:20]
