"""Curated vraag cards on labelled DEVELOPMENT questions: how often a card is shown, and how often its vraag is
the question's gold chapter, for the card rule's settings side by side (the held-out questions are not read).

Questions: tests/retrieval/labelled_questions.yaml, tests/retrieval/dev_questions_u3.yaml and
tests/data/dev_questions.yaml (chapters 1-10; conclusion and out-of-scope questions are left out).
Run: PYTHONPATH=. .venv/bin/python bench/cards.py
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.config import Settings  # noqa: E402
from bot.conversation.vraagwords import VraagWords, partner_words  # noqa: E402
from bot.ingest.vragen import load_vragen  # noqa: E402
from bot.kaart.validation import parse_file  # noqa: E402

FILES = [ROOT / "tests/retrieval/labelled_questions.yaml", ROOT / "tests/retrieval/dev_questions_u3.yaml",
         ROOT / "tests/data/dev_questions.yaml"]  # fmt: skip
SETTINGS = [
    (0.45, 2),
    (0.40, 2),
    (0.35, 2),
    (0.45, 1),
    (0.40, 1),
    (0.35, 1),
    (0.30, 1),
]  # (similarity, agreement)


def questions() -> list[tuple[str, int]]:
    out: list[tuple[str, int]] = []
    for path in FILES:
        if path.is_file():
            items = yaml.safe_load(path.read_text(encoding="utf-8"))["questions"]
            out += [
                (q["q"], int(q["chapter"]))
                for q in items
                if isinstance(q.get("chapter"), int) and q["chapter"] <= 10
            ]
    return out


def main() -> None:
    from bot.retrieval.embeddings import USEEmbeddings
    from bot.services import build_answer_service, build_index

    settings = Settings()
    embeddings = USEEmbeddings()
    index = build_index(settings, embeddings)
    from bot.privacy.pii import PiiScrubber

    answers = build_answer_service(settings, index, scrubber=PiiScrubber())
    vragen = load_vragen(settings.knowledge_dir / "vragen.yaml")
    kaart = parse_file(settings.knowledge_dir / "sociale_kaart" / "voorbeeld.csv").services
    words, leave_out = VraagWords.build(vragen), partner_words(kaart)
    rows = [(v.number, -1) for v in vragen] + [(v.number, i) for v in vragen for i in range(len(v.advice))]
    matrix = embeddings.encode([v.title for v in vragen] + [a.text for v in vragen for a in v.advice])
    data = []
    for text, gold in questions():
        answer = answers.answer(text, history=[])
        if not answer.in_scope or answer.mode != "extractive":
            data.append((gold, None, 0.0, [], None))
            continue
        chapters = [hit.passage.chapter for hit in answer.sources[:3]]
        scores = matrix @ embeddings.encode_query(text)
        best = int(np.argmax(scores))
        data.append(
            (gold, rows[best][0], float(scores[best]), chapters, words.best(text, leave_out=leave_out))
        )
    print(f"{len(data)} development questions (chapters 1-10); a card replaces the extractive passage answer")
    print(f"{'similarity':>10} {'agree':>5} | {'cards':>5} {'right':>5} {'wrong':>5} | right share")
    for similarity, agreement in SETTINGS:
        right = wrong = 0
        for gold, by_vectors, score, chapters, by_words in data:
            if by_vectors is None:
                continue
            agreed = score >= similarity and chapters.count(by_vectors) >= agreement
            number = (
                by_vectors
                if agreed
                else (
                    by_words
                    if by_words is not None and (by_words in chapters or by_words == by_vectors)
                    else None
                )
            )
            if number is not None:
                right += number == gold
                wrong += number != gold
        print(f"{similarity:>10.2f} {agreement:>5} | {right + wrong:>5} {right:>5} {wrong:>5} | "
              f"{right / max(right + wrong, 1):.2f}")  # fmt: skip
    for need in (3, 2):
        right = wrong = 0
        for gold, by_vectors, _score, chapters, _words in data:
            if by_vectors is not None and chapters and chapters.count(chapters[0]) >= need:
                right += chapters[0] == gold
                wrong += chapters[0] != gold
        print(f"retrieval: top chapter in {need} of top 3 | {right + wrong:>5} {right:>5} {wrong:>5} | "
              f"{right / max(right + wrong, 1):.2f}")  # fmt: skip


if __name__ == "__main__":
    main()
