"""Phone-sized publication answers (issue #8): the first message holds the best-ranked sentences with their
citation and the source line, within 600 characters; the other sentences follow in a second message that does not
repeat a citation or source the first message already gives."""

from __future__ import annotations

import re

from bot.answering.extractive import cite, compose
from bot.answering.prompts import PromptLibrary
from bot.answering.service import FIRST_MESSAGE_CHARS, AnswerService
from bot.retrieval.types import PUBLICATION_ATTRIBUTION, Passage, ScoredPassage

TITLE = "Hoe weet ik zeker dat de ander mij en de bewoner verder helpt?"


def _passage(pid: str, page: int, sentences: list[str], **kw: str) -> Passage:
    chapter = -1 if kw.get("kind") == "document" else 4
    title = kw.get("source", TITLE)
    return Passage(id=pid, text=" ".join(sentences), chapter=chapter, chapter_title=title,
                   section="Terugkoppeling", page=page, **kw)  # fmt: skip


# Long passages about terugkoppeling: together far more than one phone message.
P1 = _passage("a", 17, [
    "Een verwijzing werkt pas echt als de melder weet wat er met zijn melding is gebeurd en wanneer.",
    "Scholen vertellen in het onderzoek dat zij na een melding bij het wijkteam vaak niets meer horen.",
    "Daardoor melden zij minder snel opnieuw, ook als er wel zorgen zijn over een leerling of het gezin.",
    "Maak daarom bij elke verwijzing een afspraak over wie wanneer terugkoppeling geeft aan de school.",
])  # fmt: skip
P2 = _passage("b", 18, [
    "Leg in het dossier vast welke terugkoppeling de melder krijgt en binnen welke termijn dat gebeurt.",
    "Een korte belafspraak na twee weken voorkomt dat de school maandenlang blijft wachten op nieuws.",
    "Ook als de hulp nog loopt, is een korte terugkoppeling aan de melder voor de school waardevol.",
])  # fmt: skip
P3 = _passage("c", 19, [
    "Bij de huisarts werkt terugkoppeling het best via een vaste contactpersoon in het wijkteam zelf.",
    "Een verwijzing zonder terugkoppeling kost vertrouwen bij de school en bij de huisarts in de wijk.",
])  # fmt: skip
DOC = _passage("d", 2, [
    "Het wijkteam belt de school binnen vijf werkdagen na een melding terug over de terugkoppeling.",
    "Die terugkoppeling noteert de casusregisseur in het dossier van het gezin, met de datum erbij.",
], source="werkafspraken.md", kind="document")  # fmt: skip


class _Fixed:
    def __init__(self, passages: list[Passage]) -> None:
        self.passages = passages

    def search(self, query: str, *, k: int = 10) -> list[ScoredPassage]:
        return [ScoredPassage(p, 1.0 - i / 10) for i, p in enumerate(self.passages[:k])]


def _sentences(text: str) -> list[str]:
    text = re.sub(r" ?\[[^\]]*\]", "", text)
    return [s.strip() for s in re.split(r"(?<=\.)\s+", text) if s.strip()]


QUESTION = "hoe regel ik terugkoppeling aan de school na een verwijzing"


def test_compose_splits_the_answer_best_sentences_first() -> None:
    hits = _Fixed([P1, P2, P3]).search(QUESTION)
    whole = compose(QUESTION, hits)
    split = compose(QUESTION, hits, first_chars=300)
    assert split.body == whole.body  # the same answer, only divided
    assert split.rest and 0 < len(split.first) <= 300
    assert sorted(_sentences(split.first) + _sentences(split.rest)) == sorted(_sentences(whole.body))
    # the first message carries the citation of every passage it quotes
    assert split.first_cited and all(cite(p) in split.first for p in split.first_cited)
    # ... and the second does not repeat any of them
    assert not any(cite(p) in split.rest for p in split.first_cited)
    # the sentence ranked best (the anchor of the top passage, by word overlap) is in the first message
    assert "Maak daarom bij elke verwijzing een afspraak" in split.first


def test_compose_keeps_one_message_when_it_fits() -> None:
    hits = _Fixed([P1, P2, P3]).search(QUESTION)
    split = compose(QUESTION, hits, first_chars=2000)
    assert split.first == split.body and not split.rest


def test_answer_parts_first_message_is_phone_sized_and_cited(prompts: PromptLibrary) -> None:
    service = AnswerService(retriever=_Fixed([P1, P2, P3]), in_scope=lambda q, h: True, prompts=prompts)
    answer = service.answer("Hoe regel ik terugkoppeling aan de school na een verwijzing?")
    assert len(answer.parts) == 2
    first, second = answer.parts
    assert len(first) <= FIRST_MESSAGE_CHARS
    assert re.search(r"\[Vraag 4 · .*\(p\. \d+\)\]", first)
    assert first.endswith(f"Bron: {PUBLICATION_ATTRIBUTION}")
    assert "Bron:" not in second  # one publication: its source line is not repeated
    assert not any(cite(p) in second for p in (P1, P2, P3) if cite(p) in first)
    # nothing is lost: every sentence of the one-text answer is in one of the two messages
    assert set(_sentences(answer.text.rsplit("\n\nBron:", 1)[0])) == set(
        _sentences(first.rsplit("\n\nBron:", 1)[0])
    ) | set(_sentences(second))
    assert len(first) + len(second) <= len(answer.text)  # no text repeated


def test_a_new_source_in_the_second_message_gets_its_source_line(prompts: PromptLibrary) -> None:
    service = AnswerService(retriever=_Fixed([P1, P2, DOC]), in_scope=lambda q, h: True, prompts=prompts)
    answer = service.answer("Hoe regel ik terugkoppeling aan de school na een verwijzing?")
    first, second = answer.parts
    assert "[werkafspraken.md (p. 2)]" in second and "werkafspraken" not in first
    assert second.endswith("\n\nBron: werkafspraken.md")  # only the source the first message did not give
    assert first.endswith(f"Bron: {PUBLICATION_ATTRIBUTION}") and first.count("Bron:") == 1


def test_short_answer_is_one_message(prompts: PromptLibrary) -> None:
    short = _passage(
        "e", 20, ["Maak bij elke verwijzing een afspraak over wie wanneer terugkoppeling geeft."]
    )
    service = AnswerService(retriever=_Fixed([short]), in_scope=lambda q, h: True, prompts=prompts)
    answer = service.answer("Hoe regel ik terugkoppeling na een verwijzing?")
    assert answer.parts == (answer.text,)


def test_reserve_leaves_room_for_the_callers_lead(prompts: PromptLibrary) -> None:
    service = AnswerService(retriever=_Fixed([P1, P2, P3]), in_scope=lambda q, h: True, prompts=prompts)
    plain = service.answer("Hoe regel ik terugkoppeling aan de school na een verwijzing?")
    lead = "De publicatie zegt niets apart over de wijkagent. Dit geldt wel voor samenwerken met partners:"
    reserved = service.answer(
        "Hoe regel ik terugkoppeling aan de school na een verwijzing?", reserve=len(lead) + 2
    )
    assert len(lead) + 2 + len(reserved.parts[0]) <= FIRST_MESSAGE_CHARS < len(lead) + 2 + len(plain.parts[0])
    assert reserved.parts[0].endswith(f"Bron: {PUBLICATION_ATTRIBUTION}")
    assert reserved.text == plain.text  # the same answer, divided differently
