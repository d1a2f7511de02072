"""One YAML reader for the knowledge files: libyaml's parser when PyYAML was built with it (about 7x faster than
the pure-Python parser on knowledge/), with PyYAML's safe constructor and resolver either way, so the objects are
those of yaml.safe_load (tests/understanding/test_yaml_loader.py compares the two on every file under knowledge/).
Files a user hands in (kaarten, scripts) keep yaml.safe_load: its error messages are the ones the CLI reports."""

from __future__ import annotations

from typing import Any

import yaml

LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str) -> Any:
    """yaml.safe_load(text), through libyaml when available. Raises yaml.YAMLError on a broken file."""
    return yaml.load(text, Loader=LOADER)  # noqa: S506 - a safe loader (SafeConstructor)
