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


def _fold_by_decomposition(text: str) -> str:
    """The folding before the ASCII fast path (perf15): NFKD of the lowercased text without combining marks."""
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def test_the_ascii_fast_path_folds_as_the_decomposition_does() -> None:
    """_fold skips NFKD for text that is ASCII once lowercased: the same result for ASCII, accented Dutch, the
    Kelvin sign (lowercases to ASCII 'k'), ligatures, full-width letters and every single code point below 0x3000."""
    from bot.retrieval.lexical import _fold

    texts = [
        "Wat doen we met die FINANCIËLE schotten?",
        "één café, coöperatie; naïef",
        "\u212a-waarde",  # KELVIN SIGN
        "ﬁnanciën Ｗijkteam",
        "plain ascii, with-hyphen and 'quote' 123",
        "",
        *(chr(i) for i in range(0x3000)),
    ]
    for text in texts:
        assert _fold(text) == _fold_by_decomposition(text), repr(text)


def test_idf_coverage_through_postings_is_the_scan_over_every_document() -> None:
    """The inverted-index path visits only the documents holding a token; it must give exactly (bit for bit) what
    the scan over every document gives, for weights of any tokens, known or not, in any order."""
    from bot.retrieval.lexical import idf_coverage, postings

    rng = np.random.default_rng(15)
    vocabulary = [f"w{i}" for i in range(60)]
    texts = [" ".join(rng.choice(vocabulary, size=int(rng.integers(1, 25)))) for _ in range(80)]
    documents = [frozenset(t.split()) for t in texts]
    documents.append(frozenset())  # a document without tokens
    index = LexicalIndex.build([*texts, "leeg"], analyzer=str.split)
    inverted = postings(documents)
    for _ in range(200):
        tokens = rng.choice([*vocabulary, "unknown", "w999"], size=int(rng.integers(0, 9)), replace=False)
        weights = {str(t): float(rng.choice([1.0, 0.5, 0.3])) for t in tokens}
        scan = idf_coverage(index, documents, weights)
        fast = idf_coverage(index, documents, weights, postings=inverted)
        assert scan.dtype == fast.dtype and np.array_equal(scan, fast)


def test_scores_are_bm25s_scores_bit_for_bit() -> None:
    """LexicalIndex.scores adds each query token's column itself (bm25s uses np.add.at): the same float32 sums
    in the same order, so the same scores, for words and 4-grams, known tokens or not, repeated or not."""
    rng = np.random.default_rng(16)
    vocabulary = [f"w{i}" for i in range(50)]
    texts = [" ".join(rng.choice(vocabulary, size=int(rng.integers(1, 30)))) for _ in range(70)]
    for analyzer in (str.split, char_ngrams):
        index = LexicalIndex.build(texts, analyzer=analyzer)
        model = index._model  # noqa: SLF001 - the library's own scoring is the reference
        for _ in range(150):
            words = rng.choice([*vocabulary, "onbekend"], size=int(rng.integers(1, 12)))
            tokens = analyzer(" ".join(words))
            known = list(dict.fromkeys(index.known_terms(tokens)))
            ours = index.scores(tokens)
            assert ours.dtype == np.float32
            if not known:
                assert not ours.any()
                continue
            theirs = np.asarray(model.get_scores(known), dtype=np.float32)
            assert np.array_equal(ours, theirs)
