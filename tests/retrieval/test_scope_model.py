"""The learned near-miss judge and the strict loading of the training questions."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from bot.config import Settings
from bot.retrieval.embeddings import USEEmbeddings
from bot.retrieval.index import KnowledgeIndex
from bot.retrieval.scope_model import SIGNALS, ScopeConstants, ScopeModel, train, word_grams
from bot.retrieval.training import TRAINING_DIR, load_training_questions, question_text


def test_training_questions_load_with_both_kinds() -> None:
    questions = load_training_questions(Settings().knowledge_dir / TRAINING_DIR)
    assert len(questions) >= 300
    assert sum(not q.in_scope for q in questions) >= 40
    assert all(q.facts for q in questions if q.in_scope)
    followup = next(q for q in questions if q.previous)
    assert question_text(followup).startswith(followup.previous)


@pytest.mark.parametrize(
    "item",
    [
        "  - q: x\n    chapter: 12\n",
        "  - q: x\n    chapter: 1\n    soort: raar\n",
        "  - q: ''\n    chapter: 1\n",
    ],
)
def test_unknown_labels_fail(tmp_path: Path, item: str) -> None:
    (tmp_path / "t.yaml").write_text("questions:\n" + item, encoding="utf-8")
    with pytest.raises(ValueError):
        load_training_questions(tmp_path)


def test_model_learns_near_misses_from_examples(embeddings: USEEmbeddings) -> None:
    inside = [
        "hoe maak ik tijd vrij voor overleg met de huisarts",
        "hoe leer ik de partners in de wijk kennen",
        "wie heeft de regie als veel hulpverleners in een gezin zitten",
        "hoe zorg ik voor terugkoppeling na een verwijzing",
        "wat doen we met de financiele schotten tussen wmo en zorgverzekeraar",
        "hoe krijg ik meer ruimte om te experimenteren",
    ]
    outside = [
        "binnen hoeveel weken moet de gemeente een wmo melding afhandelen",
        "welk wetsartikel regelt het delen van gegevens met de huisarts",
        "hoeveel dagen heb ik voor bezwaar tegen een beschikking",
        "wat is de wettelijke termijn voor een keukentafelgesprek",
    ]
    texts = inside + outside
    numbers = np.zeros((len(texts), SIGNALS), dtype=np.float32)  # only the sentence vectors differ here
    model = train(embeddings.encode(texts), numbers, [False] * len(inside) + [True] * len(outside))
    near = "binnen hoeveel weken moet de gemeente beslissen over een aanvraag jeugdhulp"
    fine = "hoe bouw ik een goede band op met de school in de wijk"
    p_near = model.out_probability(embeddings.encode_query(near), numbers[0])
    p_fine = model.out_probability(embeddings.encode_query(fine), numbers[0])
    assert p_near > 0.5 > p_fine
    assert p_near == model.out_probability(embeddings.encode_query(near), numbers[0])  # deterministic


def test_word_features_learn_the_way_near_misses_ask(tmp_path: Path) -> None:
    inside = [
        "hoe werk ik samen met de huisarts",
        "hoe leer ik de wijk kennen",
        "wie heeft de regie in een gezin",
        "hoe maak ik afspraken met de school",
        "hoe werk ik samen met de ggz",
        "wie houdt de regie bij schulden",
    ]
    outside = ["hoeveel weken duurt een wmo melding", "hoeveel dagen heb ik voor bezwaar",
               "hoeveel weken mag een beschikking duren", "hoeveel euro kost de eigen bijdrage"]  # fmt: skip
    texts = inside + outside
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(len(texts), 8)).astype(np.float32)  # vectors carry no signal here: only words
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    numbers = np.zeros((len(texts), SIGNALS), dtype=np.float32)
    constants = ScopeConstants(word_max_df=1.0)  # ten questions: every word is frequent here
    model = train(vectors, numbers, [False] * len(inside) + [True] * len(outside), constants, texts=texts)
    assert model.words.weight["hoeveel"] > 0 > model.words.weight["hoe"]
    probe = vectors[0]
    p_near = model.out_probability(probe, numbers[0], "hoeveel weken heeft de gemeente")
    p_fine = model.out_probability(probe, numbers[0], "hoe werk ik samen met de gemeente")
    assert p_near > p_fine
    model.save(tmp_path / "scope.npz")
    loaded = ScopeModel.load(tmp_path / "scope.npz")
    assert loaded.out_probability(probe, numbers[0], "hoeveel weken heeft de gemeente") == pytest.approx(
        p_near
    )
    assert word_grams("Hoeveel weken?") == {"hoeveel": 1, "weken": 1, "hoeveel weken": 1}


def test_index_uses_the_learned_judge(knowledge_index: KnowledgeIndex) -> None:
    judge, retriever = knowledge_index.scope, knowledge_index.retriever
    model = judge._model
    assert model is not None  # trained on knowledge/vragen_training when the index loads

    def p_out(query: str) -> float:
        return model.out_probability(
            retriever.query_vector(query), judge.evidence(query, retriever.search(query)), query
        )

    near = [
        "hoeveel eigen bijdrage betaalt een bewoner voor huishoudelijke hulp",
        "hoeveel weken heeft de gemeente om een wmo melding af te handelen",
        "wat is de wettelijke termijn voor een bezwaarschrift tegen een beschikking",
    ]
    fine = [
        "hoe maak ik afspraken over terugkoppeling na een verwijzing",
        "hoe leer ik de huisartsen in mijn wijk kennen",
        "wie heeft de regie als er veel hulpverleners zijn",
    ]
    assert min(p_out(q) for q in near) > max(p_out(q) for q in fine)
    assert all(judge.is_in_scope(q, retriever.search(q)) for q in fine)


def test_word_neighbours_find_near_misses_asked_the_same_way(tmp_path: Path) -> None:
    inside = ["hoe werk ik samen met de huisarts", "hoe leer ik de wijk kennen", "wie heeft de regie in een gezin",
              "hoe maak ik afspraken met de school", "waarom is vertrouwen tussen partners belangrijk",
              "wat helpt bij terugkoppeling aan de school"]  # fmt: skip
    outside = ["wie is de wethouder zorg in tiel", "op welk adres zit het wijkteam in tiel",
               "wie is de wethouder jeugd in zaanstad", "op welk adres zit het buurthuis in rotterdam"]  # fmt: skip
    texts = inside + outside
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(len(texts), 8)).astype(np.float32)  # vectors carry no signal: only neighbours
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    numbers = np.zeros((len(texts), SIGNALS), dtype=np.float32)
    constants = ScopeConstants(word_weight=0.0)  # no word block: the word neighbours alone
    labels = [False] * len(inside) + [True] * len(outside)
    model = train(vectors, numbers, labels, constants, writers=[str(n % 3) for n in range(len(texts))],
                  texts=texts)  # fmt: skip
    probe = vectors[0]
    p_near = model.out_probability(probe, numbers[0], "wie is de wethouder wonen in leeuwarden")
    p_fine = model.out_probability(probe, numbers[0], "hoe maak ik afspraken met de huisarts")
    assert p_near > 0.5 > p_fine
    model.save(tmp_path / "scope.npz")
    loaded = ScopeModel.load(tmp_path / "scope.npz")
    assert loaded.lexicon.rows is not None
    assert loaded.out_probability(
        probe, numbers[0], "wie is de wethouder wonen in leeuwarden"
    ) == pytest.approx(p_near)
    without = train(vectors, numbers, labels, constants)  # no texts: no word neighbours
    assert without.lexicon.rows is None and without.weights.shape[0] == model.weights.shape[0] - 3


def test_neighbours_reads_the_known_vectors_in_place_with_the_same_result() -> None:
    """Round 16: `neighbours` no longer copies the float32 training vectors per question; the product is the same
    to the bit as with the copy (float64 input is still converted), and the array itself is not copied."""
    import tracemalloc

    from bot.retrieval.scope_model import neighbours

    rng = np.random.default_rng(3)
    known = rng.standard_normal((900, 512)).astype(np.float32)
    known_out = rng.random(900) < 0.3
    for vectors in (rng.standard_normal((1, 512)).astype(np.float32), rng.standard_normal((4, 512))):
        copied = vectors.astype(np.float32) @ known.T.astype(np.float32)  # what neighbours computed before
        inside = np.sort(copied[:, ~known_out], axis=1)[:, -1]
        got = neighbours(vectors, known, known_out)
        np.testing.assert_array_equal(got[:, 0], inside.astype(np.float32))
        np.testing.assert_array_equal(got, neighbours(vectors.copy(), known.copy(), known_out))
    tracemalloc.start()
    try:
        neighbours(known[:1], known, known_out)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < known.nbytes / 2, "the training vectors are not copied per question"
