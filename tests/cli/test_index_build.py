"""`wijkbot index` on two cores and the models it keeps for the engine worker (issue #12)."""

from __future__ import annotations

import hashlib
import pickle
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from bot.trained_cache import cache_key, load_or_train
from tests.conftest import ROOT, copy_data_dir, offline_env

MODEL_FILES = ("fusion_model.npz", "scope_model.npz", "sentence_model.json", "memory/memory.npz", "units.npz",
               "sentences.npz")  # fmt: skip


@dataclass
class Toy:
    weights: list[float]


def test_a_cached_model_is_read_back_and_trained_again_when_its_inputs_change(tmp_path: Path) -> None:
    trained: list[str] = []

    def fit(tag: str) -> Toy:
        trained.append(tag)
        return Toy([1.0, 2.0, float(len(tag))])

    first = load_or_train(tmp_path, "toy", ["corpus a"], lambda: fit("a"), kind=Toy)
    again = load_or_train(tmp_path, "toy", ["corpus a"], lambda: fit("b"), kind=Toy)
    assert trained == ["a"] and again == first
    changed = load_or_train(tmp_path, "toy", ["corpus b"], lambda: fit("bb"), kind=Toy)
    assert trained == ["a", "bb"] and changed.weights[2] == 2.0
    assert cache_key("toy", ["x"], ["bot.trained_cache"]) != cache_key(
        "toy", ["x"], []
    )  # the code is in the key


def test_a_damaged_or_foreign_cache_file_is_trained_again(tmp_path: Path) -> None:
    load_or_train(tmp_path, "toy", ["c"], lambda: Toy([1.0]), kind=Toy)
    (path,) = tmp_path.glob("toy-*.pkl")
    path.write_bytes(b"not a pickle")
    assert load_or_train(tmp_path, "toy", ["c"], lambda: Toy([2.0]), kind=Toy) == Toy([2.0])
    path.write_bytes(pickle.dumps({"weights": [3.0]}))
    assert load_or_train(tmp_path, "toy", ["c"], lambda: Toy([4.0]), kind=Toy) == Toy([4.0])
    assert not list(tmp_path.glob(".toy-*"))  # no temporary files left


def test_index_keeps_the_engine_workers_models_and_a_start_reads_them(
    built_data_dir: Path, monkeypatch: pytest.MonkeyPatch, use_embeddings: Any
) -> None:
    """`wijkbot index` trained the act model (with USE sentence vectors, as the worker reads acts since round 10)
    and the partner-kind model; the worker reads them, never trains."""
    import bot.conversation.understanding as understanding_module
    import bot.understanding.partner_kinds as kinds_module
    from bot.channels.telegram_worker import worker_understanding
    from bot.config import Settings
    from bot.understanding.safety import load_safety
    from bot.understanding.taxonomy import load_taxonomy

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("trained at start")

    monkeypatch.setattr(understanding_module, "train", refuse)
    monkeypatch.setattr(kinds_module, "train_kinds", refuse)
    settings = Settings(
        WIJKBOT_DATA_DIR=built_data_dir, OPENAI_API_KEY="", OPENAI_BASE_URL="", CHROMA_HOST=""
    )
    acts = worker_understanding(settings, encoder=use_embeddings).acts()
    assert (
        acts.encoder is use_embeddings
    )  # n-grams plus sentence vectors, as the terminal and the eval read acts
    assert acts.predict("Wat is het telefoonnummer van Veilig Thuis?").act == "partner_vraag"
    knowledge = ROOT / "knowledge"
    learned = load_safety(
        knowledge / "veiligheid.yaml", load_taxonomy(knowledge / "levensgebieden.yaml")
    ).learned
    assert learned is not None
    learned.cache_dir = built_data_dir / "begrip"
    kinds = learned.kinds
    assert kinds is not None and kinds.featurizer.words is not None  # the word lists attached after reading
    (path,) = (built_data_dir / "begrip").glob("kinds-*.pkl")
    with path.open("rb") as handle:
        assert pickle.load(handle).featurizer.words is None  # noqa: S301 - cached without the safety data's method


def test_the_service_domain_model_is_read_at_start_and_made_again_when_stale(
    built_data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`wijkbot index` fitted the service-domain model (round 17); a start reads it and gives the same
    probabilities as a fresh fit; other settings (a stale key) fit it again, with a line for the user."""
    import shutil

    import bot.understanding.service_models as models_module
    from bot.kaart.model import Service
    from bot.understanding.safety import load_safety
    from bot.understanding.taxonomy import load_taxonomy

    knowledge = ROOT / "knowledge"

    def learned_with(cache: Path) -> Any:
        learned = load_safety(
            knowledge / "veiligheid.yaml", load_taxonomy(knowledge / "levensgebieden.yaml")
        ).learned
        assert learned is not None
        learned.cache_dir = cache
        return learned

    cache = tmp_path / "begrip"
    shutil.copytree(built_data_dir / "begrip", cache)
    assert list(cache.glob("domeinen-*.pkl")), "the index kept the service-domain model"
    services = [Service(id="s1", name="Schuldhulpverlening", organization="Gemeente", description="Hulp bij schulden en budget"),
                Service(id="s2", name="Jeugdarts", organization="GGD", description="Groei en ontwikkeling van kinderen")]  # fmt: skip

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("fitted at start")

    monkeypatch.setattr(models_module.DomainModel, "__init__", refuse)
    lines: list[str] = []
    learned = learned_with(cache)
    learned.progress = lines.append
    read = learned.domains
    assert read is not None and lines == []
    monkeypatch.undo()
    fresh = models_module.DomainModel(
        [r for r in learned.rows if r.domains], learned._domain_ids, learned.domain_settings
    )
    np.testing.assert_allclose(read.probabilities(services), fresh.probabilities(services))
    stale = learned_with(cache)
    stale.domain_settings = models_module.DomainSettings(c=3.0)
    stale.progress = lines.append
    assert stale.domains is not None and stale.domains.settings.c == 3.0
    assert len(lines) == 1 and "levensgebieden" in lines[0]
    assert len(list(cache.glob("domeinen-*.pkl"))) == 2  # the new one next to the one before


def _digests(index_dir: Path) -> dict[str, str]:
    import json

    folder = index_dir / json.loads((index_dir / "manifest.json").read_text(encoding="utf-8"))["folder"]
    return {name: hashlib.sha256((folder / name).read_bytes()).hexdigest() for name in MODEL_FILES}


def test_the_build_on_two_cores_gives_the_models_of_a_serial_build(
    built_data_dir: Path, tmp_path: Path
) -> None:
    """The session's index was built by `wijkbot index` (training questions embedded in a second process); a
    build in one process, same hash seed, gives byte-identical models, vectors and memory.

    perf13: the serial build is `wijkbot index --rebuild` on a copy of the session's data dir, its build_index
    told to work in one process (aside=False): so this build also shows what tests/cli/test_cli.py asserted with
    a build of its own, that --rebuild rebuilds an index whose knowledge did not change, and says so (one whole
    index build fewer in the suite)."""
    serial = copy_data_dir(built_data_dir, tmp_path / "serial")
    code = (
        "import functools, sys; import bot.services as s;"
        "s.build_index = functools.partial(s.build_index, aside=False);"
        "sys.argv = ['wijkbot', 'index', '--rebuild']; from bot.cli import main; main()"
    )
    env = offline_env(serial, PYTHONHASHSEED="0")
    result = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True,
                            timeout=900)  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Index opnieuw gebouwd" in result.stderr  # --rebuild with nothing changed: built again
    assert _digests(serial / "index") == _digests(built_data_dir / "index")
    assert _folder(serial / "index") != _folder(built_data_dir / "index")  # a new build, not the copied one


def _folder(index_dir: Path) -> str:
    import json

    return str(json.loads((index_dir / "manifest.json").read_text(encoding="utf-8"))["folder"])


def test_the_question_call_is_taken_from_the_helper_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A call whose uncached texts are exactly the expected ones takes the helper's vectors (the same as here)."""
    from bot.retrieval import embed_process
    from bot.retrieval.embeddings import USEEmbeddings

    monkeypatch.setattr(embed_process, "MIN_TEXTS", 10)
    encoder = USEEmbeddings(cache_dir=tmp_path)
    texts = [f"Vraag {i} over schulden, wonen en {'werk ' * (i % 5)}" for i in range(60)]
    encoder.encode(texts[50:])  # in the cache: not part of the call below
    pending = embed_process.encode_in_process(encoder, texts[:50], batch=50)
    assert pending is not None
    encoder.expect(texts[:50], pending)
    calls: list[int] = []
    here = encoder._encode_uncached
    encoder._encode_uncached = lambda batch: calls.append(len(batch)) or here(batch)  # type: ignore[method-assign]
    taken = encoder.encode(texts)
    assert calls == []
    assert np.array_equal(
        taken[:50], here(texts[:50])
    )  # bitwise: one call of the same texts, same model files
    assert encoder.encode(["Een andere vraag"]).shape == (1, 512) and calls == [1]  # others: embedded here
    singles = [f"Losse vraag {i}?" for i in range(3)]
    (later,) = embed_process.encode_jobs_in_process(encoder, [(singles, 1)]) or [None]
    assert later is not None
    encoder.expect(singles, later, batch=1)
    assert np.array_equal(encoder.encode([singles[1]]), here([singles[1]]))  # one text: one chunk of one
    assert calls == [1]
    encoder.forget_expected()
    encoder.encode([singles[2]])
    assert calls == [1, 1]  # forgotten: embedded here


def test_the_heads_fitted_at_once_are_the_serial_heads(monkeypatch: pytest.MonkeyPatch) -> None:
    """classifier.train fits the levensgebieden head in a thread, next to the level and danger heads (issue #12):
    the same models as one after the other in one thread."""
    import bot.understanding.classifier as classifier
    from bot.understanding.constants import Constants
    from bot.understanding.features import Featurizer

    rng = np.random.default_rng(7)
    words = ("schulden", "huur", "eenzaam", "school", "ruzie", "slaat", "moeder", "vader", "kind", "angst")
    domains = ["financien", "wonen", "sociaal", "onderwijs"]
    examples = []
    for n in range(160):
        text = " ".join(rng.choice(words, size=6))
        level = ("acuut", "zorg", "geen")[n % 3]
        examples.append(classifier.Example(text, (domains[n % 4], domains[(n // 4) % 4]), level,
                                           ("huiselijk", "jeugd")[n % 2] if level != "geen" else None))  # fmt: skip
    dense = rng.normal(size=(len(examples), 8)).astype(np.float32)
    hits = rng.integers(0, 2, size=(len(examples), 3)).astype(np.float32)
    constants = Constants()

    def fitted() -> bytes:
        model = classifier.train(examples, dense=dense, hits=hits, domain_ids=domains, dangers=["huiselijk", "jeugd"],
                                 featurizer=Featurizer(constants, ["a", "b", "c"]), constants=constants)  # fmt: skip
        return pickle.dumps((model.domains, model.level, model.danger))

    threaded = fitted()
    monkeypatch.setattr(classifier, "ThreadPoolExecutor", _Serial)
    assert fitted() == threaded


class _Serial:
    """A ThreadPoolExecutor stand-in that runs the task at once, in this thread."""

    def __init__(self, max_workers: int) -> None:
        pass

    def __enter__(self) -> _Serial:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def submit(self, fn: object, *args: object) -> object:
        from concurrent.futures import Future

        future: Future[object] = Future()
        future.set_result(fn(*args))  # type: ignore[operator]
        return future


def test_the_build_helper_embeds_and_shares_the_priors_as_this_process_fits_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The forked helper of an index build (round 16) gives the vectors this process makes with a fresh cache,
    and the chapter priors, fitted partly there and partly here, are the priors fitted here one after the other;
    other questions or other vectors than those the helper fitted on get no priors from it (fitted as before)."""
    import bot.index_build as index_build
    from bot.config import Settings
    from bot.retrieval.embeddings import USEEmbeddings
    from bot.retrieval.fusion import FusionConstants
    from bot.retrieval.fusion_training import fit_prior, prior_inputs
    from bot.retrieval.hybrid import synonyms_in
    from bot.retrieval.training import TrainingQuestion

    topics = [
        (1, "schulden en de huur betalen"),
        (2, "samenwerken met de huisarts"),
        (3, "eenzaam en geen netwerk"),
    ]
    by_writer = {
        writer: [TrainingQuestion(q=f"{text}, vraag {n} van {writer}?", chapter=chapter, facts=(text.split()[0],))
                 for n in range(4) for chapter, text in topics]
        for writer in ("a", "b", "c")
    }  # fmt: skip
    plan = index_build.PriorsPlan(by_writer, {"huur": ("woning",)})
    monkeypatch.setattr(index_build.PriorsPlan, "of", classmethod(lambda cls, settings, texts: plan))
    texts = sorted(plan.texts)
    settings = Settings(WIJKBOT_DATA_DIR=tmp_path, OPENAI_API_KEY="", OPENAI_BASE_URL="", CHROMA_HOST="")
    encoder = USEEmbeddings(cache_dir=tmp_path)
    helper = index_build.BuildHelper.start(settings, encoder, [(texts, len(texts))])
    assert helper is not None
    try:
        vectors = helper.pending(0).result()
        assert np.array_equal(vectors, encoder.sibling().encode(texts))
        known = dict(zip(texts, vectors, strict=True))
        other = {t: v[::-1].copy() for t, v in known.items()}
        assert helper.priors_for(by_writer, other.__getitem__) is None  # other vectors
        assert helper.priors_for({"a": by_writer["a"], "b": by_writer["b"]}, known.__getitem__) is None
        lookup = helper.priors_for(by_writer, known.__getitem__)
        assert lookup is not None
        for writers in plan.sets:
            here = fit_prior(prior_inputs(by_writer, known.__getitem__, writers), FusionConstants(),
                             lambda t: list(synonyms_in(t, {"huur": ("woning",)})))  # fmt: skip
            shared = lookup(writers)
            assert shared is not None
            assert pickle.dumps((here.weights, here.bias, dict(here.terms), here.idf, here.term_weights)) == (
                pickle.dumps(
                    (shared.weights, shared.bias, dict(shared.terms), shared.idf, shared.term_weights)
                )
            )
    finally:
        helper.close()
