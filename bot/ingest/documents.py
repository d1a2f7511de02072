"""A team's own documents (.md, .txt, .pdf in knowledge/documenten/) as cited passages."""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.ingest.chunking import Paragraph, chunk_paragraphs, strip_control
from bot.ingest.pdftext import build_vocabulary, join_lines
from bot.retrieval.types import DOCUMENT_CHAPTER, Passage

logger = logging.getLogger(__name__)

SUPPORTED_SUFFIXES = (".md", ".txt", ".pdf")
MAX_FILE_BYTES = 20 * 1024 * 1024
_MD_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_MD_MARKUP = re.compile(r"(\*\*|__|`)")


class DocumentError(Exception):
    """A document cannot be used; the message is a Dutch warning for the operator."""


@dataclass(frozen=True)
class DocumentLoad:
    passages: tuple[Passage, ...]
    warnings: tuple[str, ...]


@dataclass(frozen=True)
class _Block:
    """Paragraphs under one heading (markdown) or on one page (pdf)."""

    section: str
    page: int
    paragraphs: tuple[Paragraph, ...]


def load_documents(directory: Path) -> DocumentLoad:
    """Read every supported file below `directory`. Unreadable or empty files are skipped with a warning."""
    passages: list[Passage] = []
    warnings: list[str] = []
    for path, name in _candidate_files(directory):
        if path.suffix.lower() not in SUPPORTED_SUFFIXES:
            warnings.append(f"'{name}' overgeslagen: alleen .md, .txt en .pdf worden gelezen.")
            continue
        try:
            found = _file_passages(path, name)
        except DocumentError as exc:
            warnings.append(f"'{name}' overgeslagen: {exc}")
            continue
        if not found:
            warnings.append(f"'{name}' overgeslagen: er staat geen tekst in.")
            continue
        passages.extend(found)
    for warning in warnings:
        logger.warning("Document: %s", warning)
    return DocumentLoad(passages=tuple(passages), warnings=tuple(warnings))


def _candidate_files(directory: Path) -> Iterator[tuple[Path, str]]:
    if not directory.is_dir():
        return
    for path in sorted(directory.rglob("*")):
        relative = path.relative_to(directory)
        if any(part.startswith(".") for part in relative.parts) or not path.is_file():
            continue
        yield path, relative.as_posix()


def _file_passages(path: Path, name: str) -> list[Passage]:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise DocumentError("het bestand kan niet gelezen worden.") from exc
    if size > MAX_FILE_BYTES:
        raise DocumentError(f"het bestand is groter dan {MAX_FILE_BYTES // (1024 * 1024)} MB.")
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        blocks = _pdf_blocks(path, name)
    else:
        text = _read_text(path)
        blocks = _markdown_blocks(text, name) if suffix == ".md" else _text_blocks(text, name)
    return _passages(blocks, name)


def _read_text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DocumentError("het bestand kan niet gelezen worden.") from exc
    if b"\x00" in data:
        raise DocumentError("dit is geen tekstbestand.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    return strip_control(text.replace("\r\n", "\n").replace("\r", "\n"))


def _paragraphs(lines: list[str], *, page: int = 1) -> tuple[Paragraph, ...]:
    """Split lines on blank lines into paragraphs (lines joined with a space)."""
    paragraphs: list[Paragraph] = []
    current: list[str] = []
    for line in [*lines, ""]:
        if line.strip():
            current.append(" ".join(line.split()))
        elif current:
            paragraphs.append(Paragraph(text=" ".join(current), pages=((0, page),)))
            current = []
    return tuple(paragraphs)


def _text_blocks(text: str, name: str) -> list[_Block]:
    return [_Block(section=name, page=1, paragraphs=_paragraphs(text.split("\n")))]


def _markdown_blocks(text: str, name: str) -> list[_Block]:
    blocks: list[_Block] = []
    section = name
    lines: list[str] = []
    for line in text.split("\n"):
        heading = _MD_HEADING.match(line)
        if heading:
            blocks.append(_Block(section=section, page=1, paragraphs=_paragraphs(lines)))
            section, lines = _MD_MARKUP.sub("", heading.group(2)).strip() or name, []
        else:
            lines.append(_MD_MARKUP.sub("", line))
    blocks.append(_Block(section=section, page=1, paragraphs=_paragraphs(lines)))
    return blocks


def _pdf_blocks(path: Path, name: str) -> list[_Block]:
    from pypdf import PdfReader

    try:
        reader = PdfReader(str(path), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise DocumentError("de pdf is beveiligd met een wachtwoord.")
        pages = [strip_control(_page_text(page)) for page in reader.pages]
    except DocumentError:
        raise
    except Exception as exc:  # pypdf raises many error types on damaged files
        raise DocumentError("de pdf is beschadigd of kan niet gelezen worden.") from exc
    vocab = build_vocabulary(line for page in pages for line in page.split("\n"))
    blocks = []
    for number, text in enumerate(pages, start=1):
        paragraphs = [
            join_lines([(line, number) for line in para.text.split("\n")], vocab)
            for para in _pdf_paragraphs(text, page=number)
        ]
        blocks.append(_Block(section=name, page=number, paragraphs=tuple(paragraphs)))
    return blocks


def _page_text(page: Any) -> str:
    try:
        return str(page.extract_text() or "")
    except Exception:  # one bad page must not sink the document
        return ""


def _pdf_paragraphs(text: str, *, page: int) -> list[Paragraph]:
    """Blank-line paragraphs, keeping line breaks so hyphenation can be undone per line."""
    paragraphs: list[Paragraph] = []
    for block in re.split(r"\n\s*\n", text):
        lines = [line for line in block.split("\n") if line.strip()]
        if lines:
            paragraphs.append(Paragraph(text="\n".join(lines), pages=((0, page),)))
    return paragraphs


def _passages(blocks: list[_Block], name: str) -> list[Passage]:
    digest = hashlib.sha1(name.encode("utf-8")).hexdigest()[:8]
    passages: list[Passage] = []
    for block in blocks:
        for chunk in chunk_paragraphs([p for p in block.paragraphs if p.text.strip()]):
            passages.append(
                Passage(
                    id=f"doc-{digest}-{len(passages) + 1}",
                    text=chunk.text,
                    chapter=DOCUMENT_CHAPTER,
                    chapter_title=name,
                    section=block.section,
                    page=chunk.page,
                    source=name,
                    kind="document",
                )
            )
    return passages
