"""Typed passages and search hits shared by ingestion, retrieval and answering."""

from __future__ import annotations

from dataclasses import dataclass, field

PUBLICATION_SOURCE = "publicatie"
PUBLICATION_TITLE = "Samenwerken in de wijk"
PUBLICATION_ATTRIBUTION = "Samenwerken in de wijk (Movisie / Integraal Werken in de Wijk, 2016), © IWW 2016"
DOCUMENT_CHAPTER = -1  # chapter number used for a team's own documents

CHAPTER_INTRO = 0
CHAPTER_CONCLUSION = 11


@dataclass(frozen=True, slots=True)
class Passage:
    """One retrievable piece of text with the metadata needed to cite it.

    chapter: 0 = Introductie (incl. kader), 1..10 = vraagstuk, 11 = Conclusie,
    -1 = a team document (then chapter_title is the file name).
    kind: "tekst", "kader", "praktijkvoorbeeld" or "document".
    """

    id: str
    text: str
    chapter: int
    chapter_title: str
    section: str
    page: int
    source: str = PUBLICATION_SOURCE
    kind: str = "tekst"

    @property
    def is_publication(self) -> bool:
        return self.source == PUBLICATION_SOURCE

    def citation(self) -> str:
        """Short Dutch citation, e.g. 'Vraag 5 · Wat doen we met die financiële schotten? (p. 21)'."""
        if not self.is_publication:
            return f"{self.source} (p. {self.page})"
        if self.chapter == CHAPTER_INTRO:
            return f"Introductie (p. {self.page})"
        if self.chapter == CHAPTER_CONCLUSION:
            return f"Conclusie (p. {self.page})"
        return f"Vraag {self.chapter} · {self.chapter_title} (p. {self.page})"

    def metadata(self) -> dict[str, str | int]:
        """Flat metadata for vector stores (Chroma accepts str/int/float/bool only)."""
        return {
            "id": self.id,
            "chapter": self.chapter,
            "chapter_title": self.chapter_title,
            "section": self.section,
            "page": self.page,
            "source": self.source,
            "kind": self.kind,
        }


@dataclass(frozen=True, slots=True)
class ScoredPassage:
    """A passage with its fused score and the raw scores of each retriever (None = not retrieved)."""

    passage: Passage
    score: float
    bm25: float | None = None
    dense: float | None = None
    extras: dict[str, float] = field(default_factory=dict)
