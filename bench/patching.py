"""Time functions where their callers look them up: replace `module.Owner.attr` by a wrapped version.

Shared by bench/index_phases.py and bench/training_parts.py, which differ only in how they count the time."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Iterable
from typing import Any


def install(entries: Iterable[tuple[str, str, str]], wrap: Callable[[str, Any], Any]) -> None:
    """entries: (module, dotted attribute path, label). Plain functions, methods, classmethods and properties are
    wrapped; a path that no longer exists is named on stderr and skipped (the bench still runs)."""
    for module_name, attr, label in entries:
        owner: Any = importlib.import_module(module_name)
        *owners, name = attr.split(".")
        try:
            for piece in owners:
                owner = getattr(owner, piece)
            original = owner.__dict__[name] if isinstance(owner, type) else getattr(owner, name)
        except (AttributeError, KeyError):
            print(f"not timed (not found): {module_name}.{attr}", file=sys.stderr)
            continue
        if isinstance(original, classmethod):
            setattr(owner, name, classmethod(wrap(label, original.__func__)))
        elif isinstance(original, property):
            setattr(owner, name, property(wrap(label, original.fget)))
        else:
            setattr(owner, name, wrap(label, original))
