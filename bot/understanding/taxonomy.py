"""The levensgebieden and the safety judgement (knowledge/levensgebieden.yaml), loaded strictly."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.yaml_loader import load_yaml

LEVELS: tuple[str, ...] = ("acuut", "zorg", "geen")


class TaxonomyError(ValueError):
    """A broken taxonomy or corpus file: one Dutch line for the user."""


@dataclass(frozen=True, slots=True)
class Domain:
    """One levensgebied: id, Dutch label, short description."""

    id: str
    label: str
    description: str
    vraagstuk: int | None = None


@dataclass(frozen=True, slots=True)
class Taxonomy:
    """All levensgebieden (in file order), the safety levels and the danger types."""

    domains: dict[str, Domain]
    levels: tuple[str, ...]
    dangers: dict[str, str]

    @property
    def ids(self) -> list[str]:
        return list(self.domains)

    def label(self, domain: str) -> str:
        return self.domains[domain].label

    def check_domain(self, domain: str, *, where: str) -> str:
        if domain not in self.domains:
            raise TaxonomyError(f"{where}: onbekend levensgebied '{domain}'.")
        return domain


def load_taxonomy(path: Path) -> Taxonomy:
    """Read the taxonomy; raises TaxonomyError on any missing or malformed part."""
    try:
        data = load_yaml(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise TaxonomyError(f"{path.name} is niet leesbaar: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("levensgebieden"), dict):
        raise TaxonomyError(f"{path.name}: 'levensgebieden' ontbreekt.")
    domains = {str(key): _domain(str(key), value, path.name) for key, value in data["levensgebieden"].items()}
    safety = data.get("veiligheid")
    if not isinstance(safety, dict) or not isinstance(safety.get("soorten"), dict):
        raise TaxonomyError(f"{path.name}: 'veiligheid.soorten' ontbreekt.")
    levels = tuple(str(level) for level in safety.get("niveaus", {}))
    if set(levels) != set(LEVELS):
        raise TaxonomyError(f"{path.name}: veiligheidsniveaus moeten {', '.join(LEVELS)} zijn.")
    dangers = {str(k): str(v) for k, v in safety["soorten"].items()}
    return Taxonomy(domains=domains, levels=LEVELS, dangers=dangers)


def _domain(key: str, value: Any, source: str) -> Domain:
    if not isinstance(value, dict) or not value.get("label") or not value.get("omschrijving"):
        raise TaxonomyError(f"{source}: levensgebied '{key}' heeft geen label of omschrijving.")
    vraagstuk = value.get("vraagstuk")
    return Domain(key, str(value["label"]), str(value["omschrijving"]), int(vraagstuk) if vraagstuk else None)
