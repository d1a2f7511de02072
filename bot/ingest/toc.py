"""Parse the table of contents of the publication: chapter numbers, titles and start pages."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.retrieval.types import CHAPTER_CONCLUSION, CHAPTER_INTRO

_PAGE = re.compile(r"^\s*p\.?\s*(\d{1,3})\s*$")
_NUMBER = re.compile(r"^\s*(\d{1,2})\s*$")


@dataclass(frozen=True)
class TocEntry:
    """One entry: vraagstuk number (or 0/11 for Introductie/Conclusie), title and start page."""

    number: int
    title: str
    page: int
    numbered: bool


def parse_toc(lines: Sequence[str]) -> tuple[TocEntry, ...]:
    """Find entries ending in a "p N" line. Numbered blocks are vraagstukken; the unnumbered entry
    before them is the introduction (0), the one after them the conclusion (11). Sorted by page."""
    raw: list[tuple[int | None, str, int]] = []
    block: list[str] = []
    for line in lines:
        page_line = _PAGE.match(line)
        if not page_line:
            if line.strip():
                block.append(line.strip())
            continue
        raw.append(_entry(block, int(page_line.group(1))))
        block = []
    numbered = [r for r in raw if r[0] is not None]
    if not numbered:
        raise ValueError("Inhoudsopgave zonder genummerde hoofdstukken.")
    first = min(r[2] for r in numbered)
    last = max(r[2] for r in numbered)
    entries = [TocEntry(n, t, p, True) for n, t, p in numbered if n is not None]
    for number, title, page in raw:
        if number is None and title:
            if page < first:
                entries.append(TocEntry(CHAPTER_INTRO, title, page, False))
            elif page > last:
                entries.append(TocEntry(CHAPTER_CONCLUSION, title, page, False))
    entries.sort(key=lambda e: (e.page, e.number))
    if len({e.number for e in entries}) != len(entries):
        raise ValueError("Inhoudsopgave bevat een hoofdstuk dubbel.")
    return tuple(entries)


def _entry(block: list[str], page: int) -> tuple[int | None, str, int]:
    starts = [i for i, line in enumerate(block) if _NUMBER.match(line)]
    if starts:
        start = starts[-1]
        title = " ".join(" ".join(block[start + 1 :]).split())
        return int(block[start].strip()), title, page
    return None, (" ".join(block[0].split()) if block else ""), page
