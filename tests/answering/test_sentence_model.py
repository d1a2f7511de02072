"""The learned sentence scorer of extractive answers: training, storage, and its effect on the dev questions."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml

from bot.answering.extractive import compose, usable_sentence
from bot.answering.sentence_model import FEATURES, MODEL_FILE, load_or_train, train
from bot.config import PROJECT_ROOT, Settings
from bot.retrieval.index import KnowledgeIndex
from bot.services import sentence_ranker
from tests.conftest import copy_data_dir

DEV = PROJECT_ROOT / "tests" / "retrieval" / "labelled_questions.yaml"


def test_train_learns_which_feature_predicts_the_answer() -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(400, len(FEATURES)))
    y = x[:, FEATURES.index("cosine")] > 0.5
    model = train(x, y)
    assert np.argmax(np.abs(model.weights)) == FEATURES.index("cosine")
    assert model.weights[FEATURES.index("cosine")] > 0
    assert model.scores(np.zeros((0, len(FEATURES)))).shape == (0,)


@pytest.fixture(scope="module")
def index(
    tmp_path_factory: pytest.TempPathFactory, built_data_dir: Path, use_embeddings: object
) -> tuple[Settings, KnowledgeIndex]:
    data_dir = tmp_path_factory.mktemp("sentences") / "data"
    copy_data_dir(built_data_dir, data_dir)  # reuse the session's index build
    settings = Settings(_env_file=None, WIJKBOT_DATA_DIR=data_dir)
    return settings, KnowledgeIndex.load_or_build(settings, use_embeddings)  # type: ignore[arg-type]


def test_ranker_is_trained_at_index_time_and_read_back(index: tuple[Settings, KnowledgeIndex]) -> None:
    settings, knowledge = index
    path = settings.index_dir / knowledge.manifest.folder / MODEL_FILE
    assert path.is_file()  # written when the session's index was built
    assert len(knowledge.sentences) > 300
    ranker = sentence_ranker(settings, knowledge)
    assert ranker is not None and len(ranker.model.weights) == len(FEATURES)

    def no_questions() -> list:  # type: ignore[type-arg]
        raise AssertionError("a stored model must not be trained again")

    again = load_or_train(
        path, vectors=knowledge.sentences, encode=knowledge.retriever.query_vector, questions=no_questions,
        search=knowledge.retriever.search, usable=usable_sentence,
    )  # fmt: skip
    assert again is not None and again.model == ranker.model


def test_learned_answers_hold_the_fact_more_often_on_dev_questions(
    index: tuple[Settings, KnowledgeIndex],
) -> None:
    settings, knowledge = index
    ranker = sentence_ranker(settings, knowledge)
    assert ranker is not None
    items = [i for i in yaml.safe_load(DEV.read_text(encoding="utf-8"))["questions"] if i.get("facts")]
    plain = learned = 0
    for item in items:
        hits = knowledge.retriever.search(item["q"])
        facts = [str(f).lower() for f in item["facts"]]
        plain += any(f in compose(item["q"], hits).body.lower() for f in facts)
        learned += any(f in compose(item["q"], hits, ranker=ranker).body.lower() for f in facts)
    assert learned >= plain
    assert learned / len(items) >= 0.55  # bench/answers.py: 0.61 learned, 0.46 word overlap


def test_idf_weights_count_each_words_sentences_as_before() -> None:
    """idf_weights counts the sentences holding each word in one pass (perf15); the weights must be those of the
    count per word over every sentence, for words that no sentence holds too."""
    import math

    from bot.answering.sentence_model import Sentence, idf_weights

    rng = np.random.default_rng(15)
    words = [f"w{i}" for i in range(12)]
    for _ in range(100):
        found = [(Sentence(0, n, f"zin {n}", 0), {str(w) for w in rng.choice(words, size=int(rng.integers(0, 5)))})
                 for n in range(int(rng.integers(0, 15)))]  # fmt: skip
        terms = {str(w) for w in rng.choice([*words, "los"], size=int(rng.integers(0, 8)))}
        found = [(s, matched & terms) for s, matched in found]  # as candidate_sentences makes them
        df = {t: sum(t in matched for _, matched in found) for t in terms}
        assert idf_weights(found, terms) == {t: math.log(1 + len(found) / n) for t, n in df.items() if n}
