"""Name detection with `deduce`, loaded in a light form (names only).

The full `deduce.Deduce()` also builds street and care-institution lookup tries: that takes
about 8 s from its cache (60 s the first time, writing an 80 MB pickle into site-packages)
and about 1 GB of memory. For chat messages we only need person names from deduce; streets,
phone numbers, dates and the rest are handled by our own regular expressions in pii.py.
So we build deduce's name annotators from the name and whitelist lists only (< 1 s, ~20 MB).
"""

from __future__ import annotations

import logging
import re
import threading
from dataclasses import dataclass
from typing import Any

log = logging.getLogger(__name__)

# deduce annotators we keep: everything in the "names" group of its base config.
_NAME_GROUP = "names"
_NAME_LISTS = [
    "names/lst_first_name",
    "names/lst_initial",
    "names/lst_interfix",
    "names/lst_interfix_surname",
    "names/lst_prefix",
    "names/lst_surname",
    "whitelist/lst_common_word",
    "whitelist/lst_eponymous_disease",
    "whitelist/lst_medical_term",
    "whitelist/lst_stop_word",
]
_SKIPPED_ANNOTATORS = {"patient_name"}  # needs patient metadata we never have


@dataclass(frozen=True, slots=True)
class NameSpan:
    start: int
    end: int
    text: str


def _import_deduce_quietly() -> Any:
    """Import deduce without letting its import-time logging.basicConfig(DEBUG, stdout) take effect."""
    root = logging.getLogger()
    guard: logging.Handler | None = None
    if not root.handlers:
        guard = logging.NullHandler()
        root.addHandler(guard)  # basicConfig is a no-op when the root logger has a handler
    try:
        import deduce.deduce as deduce_module
    finally:
        if guard is not None:
            root.removeHandler(guard)
    return deduce_module


def _build_light_deduce() -> Any:
    """Build a deduce.Deduce object whose lookup structures and annotators cover names only."""
    import docdeid as dd

    dm = _import_deduce_quietly()
    from deduce import lookup_struct_loader as loaders
    from deduce.lookup_structs import load_raw_itemsets

    config = dict(dm.Deduce._initialize_config(load_base_config=True, user_config=None))
    config["annotators"] = {
        name: info
        for name, info in config["annotators"].items()
        if info.get("group") == _NAME_GROUP and name not in _SKIPPED_ANNOTATORS
    }
    path = dm._LOOKUP_LIST_PATH
    tokenizer = dm.Deduce._initialize_tokenizer(path)
    raw = load_raw_itemsets(base_path=path, subdirs=_NAME_LISTS)
    structs = dd.ds.DsCollection()
    for name in ("initial", "interfix_surname"):
        lookup = dd.ds.LookupSet()
        lookup.add_items_from_iterable(raw[name])
        structs[name] = lookup
    structs["prefix"] = loaders.load_prefix_lookup(raw)
    structs["interfix"] = loaders.load_interfix_lookup(raw)
    structs["whitelist"] = loaders.load_whitelist_lookup(raw)
    structs["first_name"] = loaders.load_first_name_lookup(raw, tokenizer)
    structs["surname"] = loaders.load_surname_lookup(raw, tokenizer)
    structs["eponymous_disease"] = loaders.load_eponymous_disease_lookup(raw, tokenizer)

    engine = dm.Deduce.__new__(dm.Deduce)
    dd.DocDeid.__init__(engine)
    engine.config = config
    engine.lookup_data_path = path
    engine.cache_path = path
    engine.tokenizers = {"default": tokenizer}
    engine.lookup_structs = structs
    extras = {"tokenizer": tokenizer, "ds": structs}
    engine.processors = dm._DeduceProcessorLoader().load(config=config, extras=extras)
    return engine


class DeduceNameFinder:
    """Finds person names with deduce. Loads once per instance, lazily and thread-safely."""

    def __init__(self) -> None:
        self._engine: Any = None
        self._failed = False
        self._lock = threading.Lock()

    def load(self) -> bool:
        """Load deduce if needed. Returns False when deduce could not be loaded (then names fall back)."""
        if self._engine is not None:
            return True
        with self._lock:
            if self._engine is None and not self._failed:
                try:
                    self._engine = _build_light_deduce()
                except Exception as exc:  # deduce internals changed or data missing
                    self._failed = True
                    log.warning(
                        "deduce kon niet laden (%s); namen alleen via aanhef-herkenning", type(exc).__name__
                    )
        return self._engine is not None

    def find(self, text: str) -> list[NameSpan]:
        """Person-name spans in text (empty list when deduce is unavailable)."""
        if not text.strip() or not self.load():
            return []
        doc = self._engine.deidentify(text)
        spans = [
            NameSpan(a.start_char, a.end_char, a.text)
            for a in doc.annotations
            if (a.tag == "persoon" or "naam" in a.tag or "voornaam" in a.tag)
            and not part_of_proper_noun(text, a.start_char, a.end_char)
        ]
        return sorted(spans, key=lambda s: s.start)


_COMPOUND_AFTER = re.compile(r"-[a-zà-ÿ]")  # "Piet Hein-tunnel", "Jan Steen-school"
_PLACE_SUFFIX = re.compile(
    r"(?:school|college|straat|laan|plein|tunnel|brug|arena|stadion|ziekenhuis|centrum|museum|plantsoen|"
    r"zwembad|fonds|stichting)$",
    re.IGNORECASE,
)
_CAPITAL_WORD_AFTER = re.compile(r"[ \t]+([A-ZÀ-Ý][a-zà-ÿ]+)")


def part_of_proper_noun(text: str, start: int, end: int) -> bool:
    """A name inside the name of a place, school or organisation: 'Piet Hein-tunnel', 'Johan Cruijff Arena'."""
    if _COMPOUND_AFTER.match(text, end) or _PLACE_SUFFIX.search(text[start:end]):
        return True
    after = _CAPITAL_WORD_AFTER.match(text, end)
    return bool(after and _PLACE_SUFFIX.search(after.group(1)))
