"""knowledge/vragen.yaml: the ten questions, consistent with the parsed publication."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.ingest.publication import load_publication
from bot.ingest.vragen import THEMES, load_vragen

ROOT = Path(__file__).resolve().parents[2]
VRAGEN = ROOT / "knowledge" / "vragen.yaml"
PUBLICATION = ROOT / "knowledge" / "publicatie" / "samenwerken-in-de-wijk.txt"


def test_ten_questions_match_the_parsed_chapters() -> None:
    vragen = load_vragen(VRAGEN)
    chapters = {c.number: c for c in load_publication(PUBLICATION).chapters}
    assert [v.number for v in vragen] == list(range(1, 11))
    for vraag in vragen:
        chapter = chapters[vraag.number]
        assert vraag.title == chapter.title
        assert vraag.page == chapter.start_page
        assert vraag.theme in THEMES
        assert 2 <= len(vraag.advice) <= 4
        next_start = chapters[vraag.number + 1].start_page
        assert all(chapter.start_page <= a.page < next_start for a in vraag.advice), vraag.number
        assert 80 <= len(vraag.summary) <= 450
    assert len({v.theme for v in vragen}) == 10


def test_key_advice_is_present() -> None:
    vragen = {v.number: v for v in load_vragen(VRAGEN)}
    assert any("terugkoppel" in a.text and "verwijzing" in a.text for a in vragen[4].advice)
    assert any("regie" in a.text for a in vragen[6].advice)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "vragen.yaml"
    path.write_text(text, encoding="utf-8")
    return path


GOOD = """vragen:
  - number: 2
    title: "Tweede?"
    theme: "visie"
    page: 5
    summary: "Kort."
    advice: [{text: "Doe dit.", page: 5}]
  - number: 1
    title: "Eerste?"
    theme: "tijd"
    page: 3
    summary: "Kort."
    advice: [{text: "Doe dat.", page: 4}]
"""


def test_sorted_by_number(tmp_path: Path) -> None:
    vragen = load_vragen(write(tmp_path, GOOD))
    assert [v.number for v in vragen] == [1, 2]
    assert vragen[0].advice[0].page == 4


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("vragen: [unclosed", "ongeldige YAML"),
        ("andere: []", "vragen"),
        (GOOD.replace('theme: "visie"', 'theme: "onbekend"'), "thema"),
        (GOOD.replace("page: 5\n    summary", "page: nul\n    summary"), "page"),
        (GOOD.replace('summary: "Kort."', 'summary: ""', 1), "summary"),
        (GOOD.replace('[{text: "Doe dit.", page: 5}]', "[]"), "advice"),
        (GOOD.replace("number: 2", "number: 1"), "meer dan eens"),
    ],
)
def test_malformed_file_gives_clear_error(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        load_vragen(write(tmp_path, text))


def test_missing_file_is_a_value_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="kan het bestand niet lezen"):
        load_vragen(tmp_path / "bestaat-niet.yaml")
