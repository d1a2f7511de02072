"""Near-miss questions: a precise fact asked that the best passages do not hold."""

from __future__ import annotations

from pathlib import Path

from bot.retrieval.facts import FactCues
from bot.retrieval.types import Passage, ScoredPassage

KNOWLEDGE = Path(__file__).resolve().parents[2] / "knowledge"


def _hits(*texts: str) -> list[ScoredPassage]:
    return [
        ScoredPassage(Passage(id=f"p{i}", text=t, chapter=1, chapter_title="t", section="s", page=1), 1.0)
        for i, t in enumerate(texts)
    ]


def test_asked_facts_from_cue_words_and_counters() -> None:
    cues = FactCues.load(KNOWLEDGE / "precieze_feiten.yaml")
    assert cues.asked("hoeveel weken heeft de gemeente voor een wmo melding")
    assert "grondslag" in cues.asked("op welke AVG grondslag mag ik delen met de huisarts")
    assert cues.asked("how many weeks does the municipality have")
    assert cues.asked("hoe vind ik tijd om samen te werken") == ()


def test_missing_only_when_the_passages_lack_the_fact() -> None:
    cues = FactCues.load(KNOWLEDGE / "precieze_feiten.yaml")
    question = "hoeveel fte heeft een wijkteam"
    assert cues.missing(question, _hits("Het team heeft 3,5 fte formatie.")) == ()
    assert cues.missing(question, _hits("Het team is klein.")) != ()
    steps = "wat zijn de vijf stappen van de meldcode"
    assert cues.missing(steps, _hits("Samenwerken gaat in kleine stappen vooruit.")) == ()
    assert cues.missing(steps, _hits("Samenwerken kost tijd.")) != ()


def test_absent_file_gives_no_cues(tmp_path: Path) -> None:
    assert FactCues.load(tmp_path / "none.yaml").asked("hoeveel weken") == ()
