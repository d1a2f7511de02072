"""Labelled kaart rows (knowledge/diensten/train_*.yaml): which safety partner kind a service is, and its
levensgebieden. Loaded strictly: an unknown kind or levensgebied fails with one Dutch line."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.kaart.model import Service
from bot.understanding.taxonomy import Taxonomy, TaxonomyError

DIRECTORY = "diensten"  # under knowledge/
TRAIN_GLOB = "train_*.yaml"
HELDOUT_GLOB = "heldout_*.yaml"
NO_KIND = "geen"
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C loader reads the 440 rows 6x faster
LIST_KEYS = ("diensten", "rijen", "services")


@dataclass(frozen=True, slots=True)
class LabelledService:
    """One kaart row with its labels: partner kind (or 'geen') and levensgebieden (may be empty)."""

    service: Service
    kind: str
    domains: tuple[str, ...]
    writer: str


def load_service_file(path: Path, taxonomy: Taxonomy, kinds: set[str]) -> list[LabelledService]:
    """One file: a list of rows, or {schrijver?, diensten: [...]}. Strict on kind and levensgebieden."""
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=LOADER)  # noqa: S506 - a safe loader
    except (OSError, yaml.YAMLError) as exc:
        raise TaxonomyError(f"{path.name} is niet leesbaar: {exc}") from None
    writer = path.stem
    items: Any = data
    if isinstance(data, dict):
        writer = str(data.get("schrijver", writer))
        items = next((data[k] for k in LIST_KEYS if k in data), None)
    if not isinstance(items, list) or not items:
        raise TaxonomyError(f"{path.name}: geen diensten gevonden.")
    return [_row(item, taxonomy, kinds, where=f"{path.name}, dienst {n}", writer=writer, n=n)
            for n, item in enumerate(items, start=1)]  # fmt: skip


def load_services(directory: Path, taxonomy: Taxonomy, kinds: set[str], *,
                  pattern: str = TRAIN_GLOB) -> list[LabelledService]:  # fmt: skip
    """All files matching `pattern` in `directory` (name order); none at all gives an empty list."""
    return [
        row for path in sorted(directory.glob(pattern)) for row in load_service_file(path, taxonomy, kinds)
    ]


def _row(
    item: Any, taxonomy: Taxonomy, kinds: set[str], *, where: str, writer: str, n: int
) -> LabelledService:
    if not isinstance(item, dict) or not _text(item.get("naam")):
        raise TaxonomyError(f"{where}: 'naam' ontbreekt.")
    kind = _text(item.get("soort")) or NO_KIND
    if kind != NO_KIND and kind not in kinds:
        raise TaxonomyError(f"{where}: soort '{kind}' is onbekend.")
    domains = tuple(
        dict.fromkeys(taxonomy.check_domain(d, where=where) for d in _list(item.get("levensgebieden")))
    )
    crisis = _text(item.get("crisis")).lower() in ("ja", "true", "yes", "1")
    service = Service(id=f"{writer}-{n}", organization=_text(item.get("organisatie")), name=_text(item["naam"]),
                      description=_text(item.get("omschrijving")), themes=_list(item.get("themas")),
                      audiences=_list(item.get("doelgroep")), phone=_text(item.get("telefoon")),
                      crisis=crisis)  # fmt: skip
    return LabelledService(service, kind, domains, writer)


def _text(value: Any) -> str:
    if value is True:
        return "ja"
    if value is False:
        return "nee"
    return "" if value is None else str(value).strip()


def _list(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    parts = value if isinstance(value, list) else str(value).replace(",", ";").split(";")
    return tuple(p for p in (_text(x) for x in parts) if p)
