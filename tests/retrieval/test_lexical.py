"""The Dutch analyzer and the saved BM25 index."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from bot.retrieval.lexical import LexicalIndex, char_ngrams, dutch_tokens


def test_tokens_fold_accents_drop_stopwords_and_stem() -> None:
    tokens = dutch_tokens("Wat doen we met die financiële schotten?")
    assert tokens == dutch_tokens("financiele schot")
    assert "wat" not in tokens and "die" not in tokens


def test_inflections_share_a_stem() -> None:
    assert dutch_tokens("samenwerking") == dutch_tokens("samenwerken")
    assert dutch_tokens("huisartsen") == dutch_tokens("huisarts")


def test_hyphenated_word_yields_parts_and_joined_form() -> None:
    tokens = dutch_tokens("vroeg-signalering")
    assert dutch_tokens("vroegsignalering")[0] in tokens
    assert dutch_tokens("signalering")[0] in tokens


def test_only_stopwords_or_emoji_gives_nothing() -> None:
    assert dutch_tokens("wat is het en hoe dan") == []
    assert dutch_tokens("🙂🙂") == []


def test_index_ranks_matching_document_first_and_survives_save_load(tmp_path: Path) -> None:
    texts = [
        "De wijkverpleegkundige wordt uit een andere pot gefinancierd.",
        "Professionals leren elkaar kennen tijdens wijklunches.",
        "Het weer was mooi.",
    ]
    index = LexicalIndex.build(texts)
    hits = index.search(dutch_tokens("lunch met collega's in de wijk, wijklunches"), k=3)
    assert hits and hits[0].index == 1
    index.save(tmp_path / "bm25")
    loaded = LexicalIndex.load(tmp_path / "bm25")
    query = dutch_tokens("financiering van de wijkverpleegkundige")
    assert np.allclose(index.scores(query), loaded.scores(query))
    assert loaded.scores(dutch_tokens("onbekendwoord")).sum() == 0


def test_char_ngrams_link_compounds_and_typos() -> None:
    def shared(a: str, b: str) -> float:
        x, y = set(char_ngrams(a)), set(char_ngrams(b))
        return len(x & y) / len(x | y)

    assert shared("wijkverpleging", "wijkverpleegkundige") > 0.3
    assert shared("samenwerkn", "samenwerken") > 0.5
    assert shared("wijkverpleging", "weer") == 0
    assert char_ngrams("de en het") == []


def test_document_frequency_counts_documents() -> None:
    index = LexicalIndex.build(["wijkteam en ggz", "het wijkteam", "de ggz"])
    assert index.document_frequency(dutch_tokens("wijkteam")[0]) == 2
    assert index.document_frequency("onbekend") == 0
