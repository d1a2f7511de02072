"""Parsing the publication's PDF-text extraction into chapters and passages."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

from bot.ingest.pdftext import build_vocabulary, dehyphenate, join_lines
from bot.ingest.publication import Publication, load_publication, parse_publication

ROOT = Path(__file__).resolve().parents[2]
PUBLICATION = ROOT / "knowledge" / "publicatie" / "samenwerken-in-de-wijk.txt"

EXPECTED_CHAPTERS = [
    (0, "Introductie", 4),
    (1, "Hoe maak ik ruimte in mijn agenda en takenpakket?", 9),
    (2, "Hoe kan ik anderen ontmoeten en het contact opbouwen?", 12),
    (3, "Hoe komen we op één lijn qua visie en werkwijze?", 14),
    (4, "Hoe weet ik zeker dat de ander mij en de bewoner verder helpt?", 18),
    (5, "Wat doen we met die financiële schotten?", 21),
    (6, "Wie heeft welke taak en verantwoordelijkheid?", 24),
    (7, "Hoe ga ik om met belangen en gevoelde concurrentie?", 26),
    (8, "Hoe vergroot ik mijn onafhankelijke positie?", 28),
    (9, "Hoe ga ik om met organisatorische belemmeringen?", 31),
    (10, "Hoe krijg ik meer mandaat en ruimte om te experimenteren?", 34),
    (11, "Conclusie", 38),
]


@cache
def publication() -> Publication:
    return load_publication(PUBLICATION)


def all_text() -> str:
    return "\n".join(p.text for p in publication().passages)


def test_all_twelve_chapters_with_title_and_start_page() -> None:
    chapters = [(c.number, c.title, c.start_page) for c in publication().chapters]
    assert chapters == EXPECTED_CHAPTERS


def test_page_count_matches_table_of_contents() -> None:
    # The walk counts page markers; a drift against the TOC would show up as a warning.
    assert publication().warnings == ()


def test_passages_start_on_their_chapter_page_and_stay_inside_it() -> None:
    pub = publication()
    starts = {c.number: c.start_page for c in pub.chapters}
    for chapter in pub.chapters:
        passages = [p for p in pub.passages if p.chapter == chapter.number]
        assert passages, chapter.title
        assert passages[0].page == chapter.start_page
        assert all(p.chapter_title == chapter.title for p in passages)
        end = starts.get(chapter.number + 1, chapter.start_page + 3)
        assert all(chapter.start_page <= p.page < end for p in passages), chapter.title


def test_known_passages_land_on_the_right_page() -> None:
    def page_of(snippet: str) -> int:
        return next(p.page for p in publication().passages if snippet in p.text)

    assert page_of("Het vormgeven en opbouwen van structurele samenwerkingsrelaties") == 5
    assert page_of("Uit bovenstaande gegevens blijkt dat takenpakketten") == 10
    assert page_of("In sommige situaties lijken samenwerkingsprocessen zelfs ingewikkelder") == 16
    assert page_of("Over de verwijzing vindt afstemming en terugkoppeling plaats") == 20
    assert page_of("Om meer experimenteerruimte en mandaat te realiseren") == 37


def test_no_hyphenation_artefacts_remain() -> None:
    text = all_text()
    assert "samen- werking" not in text and "samen-werking" not in text
    assert "samenwerking" in text
    # A hyphen followed by a space only survives in elliptic compounds ("zorg- en welzijn").
    leftovers = [
        m.group(0) for m in re.finditer(r"\w- (\w+)", text) if m.group(1) not in {"en", "én", "of", "als"}
    ]
    assert leftovers == []
    for joined in ("Samenwerkingsrelaties", "interdisciplinair", "Zorgverzekeraars", "cliënten", "bottom-up"):
        assert joined in text, joined
    for broken in ("samenwerkings- relaties", "Zorgverzeke-raars", "clienten", "bot-tom"):
        assert broken not in text, broken


def test_real_hyphens_survive() -> None:
    text = all_text()
    for word in (
        "vroeg-signalering",
        "W&I-medewerkers",
        "G32-gemeenten",
        "T-shaped",
        "FACT-teams",
        "ggz-medewerker",
        "wijk- en huishoudensniveau",
    ):
        assert word in text, word


def test_footnote_references_are_removed_from_words() -> None:
    text = all_text()
    assert "geholpen worden." in text
    assert "opdrachten die wijkteams hebben" in text
    assert "G32-gemeenten" in text
    assert re.search(r"[a-zë][1-9]\b", text) is None


def test_footnote_text_is_not_in_body_passages() -> None:
    text = all_text()
    for footnote in (
        "Gebaseerd op de omschrijving in het kennisdossier",
        "Waar bewoner staat kan",
        "Dit deelprogramma wordt in 2016 uitgevoerd",
        "Elke wijk verschilt in bevolkingssamenstelling",
        "Samen = Beter. Inspiratie",
        "In City Deal Inclusieve Stad wordt samengewerkt",
    ):
        assert footnote not in text, footnote
    # the sentence interrupted by a footnote and a page break is whole again
    assert "Nu lijkt de focus soms te liggen bij het herinrichten van een systeem." in text


def test_front_matter_is_not_a_passage() -> None:
    text = all_text()
    for front in ("Colofon", "Maaike Kluft, Movisie", "Overname van informatie", "Inhoud"):
        assert front not in text, front


def test_sections_are_found() -> None:
    sections = {(p.chapter, p.section) for p in publication().passages}
    assert (5, "Verkokering geldstromen bemoeilijkt samenwerking") in sections
    assert (1, "Volle takenpakketten") in sections
    assert (1, "Aanbestedingen als boosdoener") in sections  # heading at the top of a page
    assert (6, "Samenwerking belemmerd door onduidelijkheid over takenpakketten") in sections  # wrapped
    assert (8, "Niet gezien willen worden als ambtenaar die gemeentelijke belangen dient") in sections
    assert (0, "Introductie") in sections  # text before the first subheading
    assert (11, "Conclusie") in sections
    assert (11, "Samenwerking als cyclisch leerproces") in sections
    for chapter, section in sections:
        assert len(section) < 100 and not section.endswith((".", ",")), (chapter, section)


def test_kader_is_chapter_zero_with_its_title_as_section() -> None:
    box = [p for p in publication().passages if p.kind == "kader"]
    assert box
    assert {(p.chapter, p.section, p.page) for p in box} == {
        (0, "Wat bedoelen we met een sociaal wijkteam?", 8)
    }
    text = "\n".join(p.text for p in box)
    for subhead in ("Vorm:", "Doel:", "Samenstelling:", "Partijen:", "Aantal:", "Resultaat:"):
        assert subhead in text
    assert "74% werkt met T-shaped professionals" in text
    assert not any(
        "T-shaped professionals in een team" in p.text for p in publication().passages if p.kind != "kader"
    )


def test_praktijkvoorbeelden_have_their_own_kind_and_heading() -> None:
    examples = [p for p in publication().passages if p.kind == "praktijkvoorbeeld"]
    headings = {p.section for p in examples}
    assert "Praktijkvoorbeeld: experiment met grotere handelingsruimte voor wijkteams" in headings
    assert "Praktijkvoorbeeld: niet kunnen, willen of durven bemoeilijkt samenwerking" in headings
    assert len(headings) == 4
    assert all(p.chapter == 10 for p in examples)


def test_no_passage_crosses_a_section_boundary() -> None:
    pub = publication()
    titles = {p.section for p in pub.passages} - {c.title for c in pub.chapters}
    for passage in pub.passages:
        for title in titles - {passage.section}:
            assert title not in passage.text, (passage.id, title)
    # the first words of a section only occur in that section
    first = next(p for p in pub.passages if "Een veel gehoord vraagstuk is de verkokering" in p.text)
    assert first.section == "Verkokering geldstromen bemoeilijkt samenwerking"


def test_passage_ids_are_unique_and_sizes_reasonable() -> None:
    passages = publication().passages
    assert len({p.id for p in passages}) == len(passages)
    assert all(re.fullmatch(r"pub-\d{2}-\d{2}-\d+", p.id) for p in passages)
    sizes = [len(p.text) for p in passages]
    assert min(sizes) >= 150 and max(sizes) <= 1100
    assert 450 <= sum(sizes) / len(sizes) <= 800


def test_parsing_is_deterministic() -> None:
    again = parse_publication(PUBLICATION.read_text(encoding="utf-8"))
    assert again.passages == publication().passages


def test_missing_table_of_contents_is_an_error() -> None:
    with pytest.raises(ValueError, match="inhoudsopgave"):
        parse_publication("Zomaar wat tekst\nzonder inhoud.\n")


SYNTHETIC = """Titelpagina
1
Eerste vraag
p 3

Afsluiting
p 5

Inleiding
p 2

Inhoud
Inleiding
Dit is een inleiding over samen-
werking in de wijk. Ook vroeg-signalering telt1.
 1 Eerste vraag

Kopje een
De GGD-
medewerker en de wijk-
coach praten. Zij werken samen.

1  Dit is een voetnoot die
over twee regels loopt.
 Tweede kopje
Vroeg-
signalering is belangrijk.
 1 Afsluiting

Slot van het verhaal.

Bronnen
Auteur, A. (2016). Een fictief boek. Utrecht: Uitgeverij.
"""


def test_synthetic_layout() -> None:
    pub = parse_publication(SYNTHETIC)
    assert [(c.number, c.title, c.start_page) for c in pub.chapters] == [
        (0, "Inleiding", 2),
        (1, "Eerste vraag", 3),
        (11, "Afsluiting", 5),
    ]
    by_section = {p.section: p for p in pub.passages}
    assert by_section["Inleiding"].text == (
        "Dit is een inleiding over samenwerking in de wijk. Ook vroeg-signalering telt."
    )
    assert by_section["Kopje een"].text == "De GGD-medewerker en de wijkcoach praten. Zij werken samen."
    assert by_section["Kopje een"].page == 3
    assert by_section["Tweede kopje"].text == "Vroeg-signalering is belangrijk."
    assert by_section["Tweede kopje"].page == 4
    assert by_section["Afsluiting"].page == 5
    assert "voetnoot" not in "\n".join(p.text for p in pub.passages)
    assert not any("fictief boek" in p.text for p in pub.passages)
    assert pub.warnings == ()


def test_dehyphenate_rules() -> None:
    vocab = build_vocabulary(["de vroeg-signalering en de wijkteams", "ggz-team ggz-professional cliënten"])
    assert dehyphenate("vroeg", "signalering", vocab) == "vroeg-signalering"
    assert dehyphenate("wijk", "teams", vocab) == "wijkteams"
    assert dehyphenate("samen", "werking", vocab) == "samenwerking"
    assert dehyphenate("W&I", "medewerkers", vocab) == "W&I-medewerkers"
    assert dehyphenate("Noord", "Holland", vocab) == "Noord-Holland"
    assert dehyphenate("ggz", "medewerker", vocab) == "ggz-medewerker"
    assert dehyphenate("cli", "enten", vocab) == "cliënten"


def test_join_lines_tracks_pages() -> None:
    vocab = build_vocabulary([])
    paragraph = join_lines([("Het is een samen-", 4), ("werking. Over een", 4), ("pagina heen.", 5)], vocab)
    assert paragraph.text == "Het is een samenwerking. Over een pagina heen."
    assert paragraph.page_at(0) == 4
    assert paragraph.page_at(paragraph.text.index("pagina")) == 5
