"""The labelled utterance corpus (knowledge/dialoog/*.yaml), loaded strictly: an unknown label is an error.

File names say the split: train_*.yaml is used for training, heldout_*.yaml only for reporting.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal, get_args

from bot.yaml_loader import load_yaml

Act = Literal[
    "vraag_publicatie", "situatie", "partner_vraag", "partner_zoeken", "definitie", "smalltalk", "actie",
    "vervolg", "acuut", "onduidelijk",
]  # fmt: skip
AttributeName = Literal[
    "telefoon", "email", "adres", "openingstijden", "talen", "toegang", "kosten", "contactpersoon", "website",
    "belscript",
]  # fmt: skip
SmalltalkKind = Literal["groet", "dank", "afscheid", "bevestiging"]
ActionKind = Literal["open_verwijzingen", "wijk_wijzigen", "vergeet_mij", "help"]

ACTS: tuple[str, ...] = get_args(Act)
ATTRIBUTES: tuple[str, ...] = get_args(AttributeName)
SOORTEN = {"smalltalk": get_args(SmalltalkKind), "actie": get_args(ActionKind)}
Split = Literal["train", "heldout"]


class CorpusError(ValueError):
    """A corpus file with an unknown act, attribute or soort, or the wrong shape."""


@dataclass(frozen=True, slots=True)
class Utterance:
    """One labelled message: its act, and the attribute (partner_vraag) or soort (smalltalk, actie)."""

    text: str
    act: str
    detail: str = ""  # attribuut for partner_vraag, soort for smalltalk/actie


def _utterance(item: object, where: str) -> Utterance:
    if not isinstance(item, dict) or not isinstance(item.get("tekst"), str) or not item["tekst"].strip():
        raise CorpusError(f"{where}: verwacht 'tekst' en 'act'")
    act = item.get("act")
    if act not in ACTS:
        raise CorpusError(f"{where}: onbekende act {act!r}")
    detail = ""
    if act == "partner_vraag":
        detail = str(item.get("attribuut") or "")
        if detail not in ATTRIBUTES:
            raise CorpusError(f"{where}: onbekend attribuut {detail!r}")
    elif act in SOORTEN:
        detail = str(item.get("soort") or "")
        if detail not in SOORTEN[act]:
            raise CorpusError(f"{where}: onbekende soort {detail!r} voor {act}")
    return Utterance(text=item["tekst"].strip(), act=str(act), detail=detail)


def load_file(path: Path) -> list[Utterance]:
    """All utterances of one corpus file (`berichten: [{tekst, act, attribuut?, soort?}]`)."""
    data = load_yaml(path.read_text(encoding="utf-8"))
    items = data.get("berichten") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise CorpusError(f"{path.name}: verwacht 'berichten: [...]'")
    return [_utterance(item, f"{path.name} #{i + 1}") for i, item in enumerate(items)]


def corpus_files(directory: Path, split: Split) -> list[Path]:
    return sorted(directory.glob(f"{split}_*.yaml"))


def load_split(directory: Path, split: Split) -> list[Utterance]:
    """Every utterance of one split, in file order (deterministic)."""
    return [u for path in corpus_files(directory, split) for u in load_file(path)]
