"""Literal prefilters for regular expressions: skip a pattern cheaply on a text it cannot match.

Python's `re` finds no literal prefix in a pattern that starts with `\\b` (most lexicon patterns do), so it tries
every position of the text. `required_literals` reads the parsed pattern and returns strings of which every match
contains at least one; when none of them occurs in the text (a fast substring test), the pattern cannot match and
the regex need not run. Purely a speed-up: a pattern with no usable literals is always tried.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

try:  # Python 3.11+: the parser lives in re._parser (sre_parse is a deprecated alias)
    from re import _parser as sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover
    import sre_parse  # type: ignore[no-redef]

GRAM = 3  # NeedleFilter indexes needles by their first three characters
MIN_LENGTH = 2  # shorter literals occur in nearly every text: no use as a filter
_C = sre_parse  # the opcode constants are re-exported by the parser module
_REPEATS = {_C.MAX_REPEAT, _C.MIN_REPEAT, getattr(_C, "POSSESSIVE_REPEAT", _C.MAX_REPEAT)}


def required_literals(pattern: re.Pattern[str]) -> tuple[str, ...]:
    """Strings of which every match of `pattern` contains one; () when none could be derived."""
    if pattern.flags & re.IGNORECASE or not isinstance(pattern.pattern, str):
        return ()
    try:
        parsed = sre_parse.parse(pattern.pattern, pattern.flags)
    except (re.error, RecursionError):  # pragma: no cover - the pattern compiled, so it parses
        return ()
    found = _sequence(list(parsed))
    if not found or min(len(s) for s in found) < MIN_LENGTH:
        return ()
    return tuple(sorted(found, key=len))


@lru_cache(maxsize=4096)
def literals_of(pattern: re.Pattern[str]) -> tuple[str, ...]:
    """required_literals, computed once per compiled pattern."""
    return required_literals(pattern)


def can_match(pattern: re.Pattern[str], text: str, literals: tuple[str, ...] | None = None) -> bool:
    """False when `pattern` surely has no match in `text` (none of its required literals occurs in it)."""
    needed = literals_of(pattern) if literals is None else literals
    return not needed or any(s in text for s in needed)


def search(pattern: re.Pattern[str], text: str) -> bool:
    """pattern.search(text) is not None, with the literal prefilter first."""
    return can_match(pattern, text) and pattern.search(text) is not None


def _sequence(items: list[tuple[Any, Any]]) -> frozenset[str] | None:
    """The best necessary set of a sequence of parsed items: each mandatory item's set is necessary."""
    best: frozenset[str] | None = None
    run = ""
    for op, arg in items:
        if op is _C.LITERAL:
            run += chr(arg)
            continue
        if run:
            best = _better(best, frozenset({run}))
            run = ""
        best = _better(best, _item(op, arg))
    return _better(best, frozenset({run}) if run else None)


def _item(op: Any, arg: Any) -> frozenset[str] | None:
    if op is _C.SUBPATTERN:
        _group, add_flags, _del_flags, body = arg
        return None if add_flags & re.IGNORECASE else _sequence(list(body))
    if op is _C.BRANCH:
        sets = [_sequence(list(alternative)) for alternative in arg[1]]
        if any(s is None for s in sets):
            return None
        return frozenset().union(*(s for s in sets if s is not None))
    if op in _REPEATS:
        low, _high, body = arg
        return _sequence(list(body)) if low >= 1 else None
    return None  # character classes, any, anchors, lookarounds, group references: nothing certain


def _better(a: frozenset[str] | None, b: frozenset[str] | None) -> frozenset[str] | None:
    """The more selective set: longest shortest string, then fewer strings."""
    if a is None or not a:
        return b if b else a
    if b is None or not b:
        return a
    key_a, key_b = (min(map(len, a)), -len(a)), (min(map(len, b)), -len(b))
    return b if key_b > key_a else a


class NeedleFilter:
    """Which of many patterns may match a text, with a substring test only for needles whose first three
    characters occur in the text (one set of the text's trigrams, one dict lookup per trigram).

    needles[i]: strings of which every match of pattern i contains one; () means pattern i is always tried."""

    def __init__(self, needles: list[tuple[str, ...]]) -> None:
        self._always = frozenset(i for i, n in enumerate(needles) if not n)
        owners: dict[str, list[int]] = {}
        for i, strings in enumerate(needles):
            for needle in strings:
                owners.setdefault(needle, []).append(i)
        self._by_gram: dict[str, list[tuple[str, list[int]]]] = {}
        self._short: list[tuple[str, list[int]]] = []
        for needle, indices in owners.items():
            if len(needle) < GRAM:
                self._short.append((needle, indices))
            else:
                self._by_gram.setdefault(needle[:GRAM], []).append((needle, indices))

    def candidates(self, text: str) -> list[int]:
        """Indices of the patterns that may match `text`, in order."""
        found = set(self._always)
        for gram in {text[i : i + GRAM] for i in range(len(text) - GRAM + 1)}:
            for needle, owners in self._by_gram.get(gram, ()):
                if needle in text:
                    found.update(owners)
        for needle, owners in self._short:
            if needle in text:
                found.update(owners)
        return sorted(found)
