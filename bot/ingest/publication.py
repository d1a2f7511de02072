"""Parse the PDF-text extraction of "Samenwerken in de wijk" into cited passages.

Layout facts this parser relies on (all taken from the text, nothing page-specific is hard-coded):
- the table of contents, before the line "Inhoud", lists each chapter with a "p N" line;
- a line starting with exactly one space marks the start of a new page;
- footnotes ("1  Gebaseerd op ...") run from their first line to the next page start;
- a section heading is a short line after a break whose next line starts a new sentence.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bot.ingest.chunking import chunk_paragraphs
from bot.ingest.pdftext import Vocabulary, build_vocabulary, join_lines
from bot.ingest.toc import TocEntry, parse_toc
from bot.retrieval.types import PUBLICATION_SOURCE, Passage

KADER_TITLES = ("Wat bedoelen we met een sociaal wijkteam?",)
PRAKTIJK_PREFIX = "Praktijkvoorbeeld:"
REFERENCE_TITLES = ("Bronnen", "Literatuur", "Referenties")  # reference lists are not passages
_TOC_END = "Inhoud"
_FOOTNOTE = re.compile(r"^[1-9]\d?\s{2,}\S")
_LIST_ITEM = re.compile(r"^ \d+\.\s")
_CHAPTER_NUMBER = re.compile(r"^(\d{1,2})\s+(\S.*)$")
_MAX_HEADING = 90


@dataclass(frozen=True)
class Chapter:
    number: int
    title: str
    start_page: int


@dataclass(frozen=True)
class Publication:
    chapters: tuple[Chapter, ...]
    passages: tuple[Passage, ...]
    warnings: tuple[str, ...] = ()


@dataclass
class _Section:
    chapter: Chapter
    title: str
    kind: str
    index: int
    paragraphs: list[list[tuple[str, int]]] = field(default_factory=list)


@dataclass
class _State:
    """Mutable walk state over the body lines."""

    entries: list[TocEntry]
    vocab: Vocabulary
    sections: list[_Section] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    page: int = 0
    footnote: bool = False
    pending_break: bool = True
    force_paragraph: bool = False
    in_kader: bool = False
    lead_in: str = ""

    @property
    def section(self) -> _Section | None:
        return self.sections[-1] if self.sections else None


def load_publication(path: Path) -> Publication:
    """Read and parse the publication text file."""
    return parse_publication(path.read_text(encoding="utf-8"))


def parse_publication(text: str) -> Publication:
    """Parse the extracted text into chapters (from the table of contents) and passages."""
    lines = text.replace("\r\n", "\n").replace("\f", "\n").split("\n")
    toc_end = next((i for i, line in enumerate(lines) if line.strip() == _TOC_END), None)
    if toc_end is None:
        raise ValueError(f"Geen inhoudsopgave gevonden (regel '{_TOC_END}' ontbreekt).")
    entries = parse_toc(lines[:toc_end])
    body = lines[toc_end + 1 :]
    state = _State(entries=list(entries), vocab=build_vocabulary(body))
    _walk(body, state)
    missing = [e.title for e in state.entries]
    if missing:
        state.warnings.append(f"Hoofdstuk niet gevonden in de tekst: {', '.join(missing)}")
    chapters = tuple(Chapter(e.number, e.title, e.page) for e in entries)
    passages = _passages(state.sections, state.vocab)
    return Publication(chapters=chapters, passages=passages, warnings=tuple(state.warnings))


def _walk(lines: Sequence[str], state: _State) -> None:
    i = 0
    while i < len(lines):
        consumed = _chapter_heading(lines, i, state)
        if consumed:
            i += consumed
            continue
        if state.section is None:
            i += 1
            continue
        i += _body_line(lines, i, state)


def _chapter_heading(lines: Sequence[str], i: int, state: _State) -> int:
    """If a chapter heading (the next expected TOC entry) starts at line i, open it; return lines used."""
    if not state.entries:
        return 0
    entry = state.entries[0]
    match = _CHAPTER_NUMBER.match(lines[i].strip())
    if match and entry.numbered and int(match.group(1)) != entry.number:
        return 0
    if not match and entry.numbered:
        return 0
    words = (match.group(2) if match else lines[i]).split()
    target = entry.title.split()
    used = 1
    while len(words) < len(target) and i + used < len(lines) and used <= 5:
        words += lines[i + used].split()
        used += 1
    if [w.casefold() for w in words] != [w.casefold() for w in target]:
        return 0
    if state.section is not None and state.page + 1 != entry.page:
        state.warnings.append(
            f"Paginatelling wijkt af bij '{entry.title}': {state.page + 1} geteld, {entry.page} volgens inhoud."
        )
    state.entries.pop(0)
    chapter = Chapter(entry.number, entry.title, entry.page)
    state.page, state.footnote, state.in_kader, state.pending_break = entry.page, False, False, True
    state.sections.append(_Section(chapter=chapter, title=entry.title, kind="tekst", index=0))
    return used


def _body_line(lines: Sequence[str], i: int, state: _State) -> int:
    """Handle one body line (page marker, footnote, heading or text); return lines used."""
    raw = lines[i]
    stripped = raw.strip()
    marker = _is_page_marker(raw, lines[i - 1] if i else "")
    if marker:
        state.page += 1
        state.footnote = False
    if not stripped:
        state.pending_break = True
        return 1
    if state.footnote or _FOOTNOTE.match(raw):
        state.footnote = True
        return 1
    if state.pending_break or marker:
        heading = _heading(lines, i)
        if heading:
            title, used = heading
            _open_section(_clean_heading(title, state.vocab), state)
            return used
    continues_bullet = raw.startswith(" ") and i > 0 and lines[i - 1].lstrip().startswith("•")
    _add_text(stripped, state, marker=marker, continues_bullet=continues_bullet)
    return 1


def _is_page_marker(raw: str, previous: str) -> bool:
    if not re.match(r"^ \S", raw) or _LIST_ITEM.match(raw):
        return False
    return not previous.lstrip().startswith("•")  # an indented bullet continuation is not a page start


def _heading(lines: Sequence[str], i: int) -> tuple[str, int] | None:
    """Return (title, lines used) when a section heading starts at line i."""
    first = " ".join(lines[i].split())
    if len(first) > _MAX_HEADING or not first[0].isupper() or first[-1] in ".,;:!":
        return None
    following = lines[i + 1].strip() if i + 1 < len(lines) else ""
    if not following or _starts_sentence(following):
        return first, 1
    after = lines[i + 2].strip() if i + 2 < len(lines) else ""
    wrapped = following[0].islower() and len(following.split()) <= 3 and following[-1] not in ".,;:"
    if wrapped and (not after or _starts_sentence(after)):
        return first + "\n" + following, 2
    return None


def _starts_sentence(line: str) -> bool:
    return line[0].isupper() or line[0].isdigit() or line[0] in "‘“'\"•"


def _open_section(title: str, state: _State) -> None:
    section = state.section
    assert section is not None
    state.pending_break, state.force_paragraph = False, True
    if state.in_kader:
        state.lead_in = title
        return
    kind = "tekst"
    if title in REFERENCE_TITLES:
        kind = "bronnen"
    elif title in KADER_TITLES:
        kind, state.in_kader = "kader", True
    elif title.startswith(PRAKTIJK_PREFIX):
        kind = "praktijkvoorbeeld"
    state.sections.append(_Section(chapter=section.chapter, title=title, kind=kind, index=section.index + 1))


def _add_text(line: str, state: _State, *, marker: bool, continues_bullet: bool) -> None:
    section = state.section
    assert section is not None
    starts_new = state.force_paragraph or not section.paragraphs
    if marker and not starts_new:  # a page break: continue the paragraph unless a sentence ended
        previous = section.paragraphs[-1][-1][0].rstrip()
        starts_new = previous.endswith((".", "?", "!", "’", "”")) and _starts_sentence(line)
    elif state.pending_break:
        starts_new = True
    if not starts_new and continues_bullet and _glue_bullet_word(line, section, state.vocab):
        return
    if starts_new:
        section.paragraphs.append([])
    if state.lead_in:
        line = f"{state.lead_in}: {line}"
        state.lead_in = ""
    section.paragraphs[-1].append((line, state.page))
    state.pending_break = state.force_paragraph = False


def _glue_bullet_word(line: str, section: _Section, vocab: Vocabulary) -> bool:
    """Re-join a word that a bullet's wrap split in two ("meer" + "waarde." -> "meerwaarde.")."""
    previous, page = section.paragraphs[-1][-1]
    head, _, last = previous.rstrip().rpartition(" ")
    first, _, rest = line.partition(" ")
    if not last or (last + first) not in vocab:
        return False
    section.paragraphs[-1][-1] = (f"{head} {last}{first} {rest}".strip(), page)
    return True


def _passages(sections: Sequence[_Section], vocab: Vocabulary) -> tuple[Passage, ...]:
    passages: list[Passage] = []
    for section in sections:
        if section.kind == "bronnen":
            continue
        paragraphs = [join_lines(p, vocab) for p in section.paragraphs]
        for number, chunk in enumerate(chunk_paragraphs([p for p in paragraphs if p.text]), start=1):
            passages.append(
                Passage(
                    id=f"pub-{section.chapter.number:02d}-{section.index:02d}-{number}",
                    text=chunk.text,
                    chapter=section.chapter.number,
                    chapter_title=section.chapter.title,
                    section=section.title,
                    page=chunk.page,
                    source=PUBLICATION_SOURCE,
                    kind=section.kind,
                )
            )
    return tuple(passages)


def _clean_heading(title: str, vocab: Vocabulary) -> str:
    return join_lines([(part, 0) for part in title.split("\n")], vocab).text
