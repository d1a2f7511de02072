"""Partner suggestion: the learned understanding + ranking, on the held-out corpus and every kaart+situation set.

Prints: training time; on the held-out split (knowledge/situaties/heldout_*.yaml, never used for tuning) and, with
--cv, on 5-fold cross-validation over the training corpus: top-3 hit, top-1, safety recall (acute given acute and a
fitting safety partner first), zorg flagged, false acute on ordinary situations, per-domain F1 next to a TF-IDF
nearest-centroid baseline; on every kaart and situation set in tests/kaart: top-3 / top-1 / safety first / nothing
fits / false acute, next to a dense-only baseline; warm suggest latency p50/p95.

FIRST RUN on the held-out split (420 situations, writer d), with the first working model, before any change:
  top-3 hit 0.840, top-1 0.614, acute + fitting partner first 41/53 (0.774), acute given 0.925, zorg flagged 0.808,
  false acute 15/315 (0.048), macro F1 0.712 (TF-IDF nearest centroid 0.598). Later changes were chosen on 5-fold
  cross-validation over the training writers only (--cv); held-out figures after that are no longer first-run.
ROUND 2 (kind detection by phone/description, writer e in training, profile fit, expected-fit partner kind),
  held-out before -> after: top-3 0.929 -> 0.931, top-1 0.667 -> 0.700, acute + fitting partner first 46/53 -> 49/53,
  zorg flagged 0.750 -> 0.885, false acute 9/315 -> 12/315 (writer e's 90 acute cases raised P(acuut)).
ROUND 4: blind training writer j (480, realistic prior) FIRST RUN as an unseen file with the main model (--file):
  top-3 0.896, top-1 0.679, acute first 25/29, acute given 0.966, zorg flagged 0.862, false acute 11/422 (0.026),
  ordinary given zorg 12/422 (0.028), macro F1 0.743. Held-out with j in training, before model changes: 0.922 /
  0.696 / 76/84 / false acute 14/503 (0.028) / ordinary given zorg 30/503 (0.060). Then writers f, g (round 3) and
  a safety head with realistic priors and chat negatives, chosen on leave-one-writer-out CV (bench/writer_cv.py):
  0.937 / 0.697 / 79/84 / 10/503 (0.020) / 34/503 (0.068).
ROUND 5: blind training writer k (Utrecht/Heuvelrug, 480) FIRST RUN as an unseen file with the main model (--file):
  top-3 0.894, top-1 0.677, acute first 28/36, acute given 0.778, zorg flagged 0.889, false acute 13/408 (0.032),
  ordinary given zorg 22/408 (0.054), macro F1 0.783, danger type (danger head on its own) acute 35/36, zorg 33/36.
  Then the safety head got the adults-only rule and injury columns, chosen on bench/safety_cv.py (safety head only,
  same leave-one-writer-out folds as bench/writer_cv.py). Danger-type accuracy is printed per set (safety_eval.py).
ROUND 6: blind training writer m (Groningen/Drenthe, 480, 30% safety with hard danger-type cases) FIRST RUN as an
  unseen file at a1fabd0 (main + the one stated-ages reader): top-3 0.977, top-1 0.833, acute first 69/73, acute given
  0.973, zorg flagged 0.972, false acute 5/336 (0.015), ordinary given zorg 13/336 (0.039), macro F1 0.742, danger
  type (head) acute 70/73, zorg 67/71. Then into training; the danger head got role features (bench/danger_cv.py)
  and the acute threshold 0.18 by the same rule (bench/safety_cv.py).
ROUND 6: blind training writer n (Zeeland/Friesland, 480, 70% ordinary with implicit wording) FIRST RUN as an
  unseen file with the model of 66f8d45 (--file): top-3 0.887, top-1 0.648, acute first 20/21, acute given 1.000,
  zorg flagged 1.000, false acute 13/432 (0.030), ordinary given zorg 33/432 (0.076), macro F1 0.749.
ROUND 7: blind training writer p (Noord-Holland, 480, 35% ordinary situations with adult children/family, young-child
  opvoeden cases) FIRST RUN as an unseen file at cde683e (--file): top-3 0.950, top-1 0.798, acute first 56/60, acute
  given 0.950, zorg flagged 0.833, false acute 2/360 (0.006), ordinary given zorg 3/360 (0.008), macro F1 0.794. Then
  into training: domain head alone (bench/domain_cv.py, the 10 earlier writers scored, p training-only vs left out):
  macro F1 0.755 -> 0.762, first top-1 0.711 -> 0.715, top-3 0.950 -> 0.952, shown 0.941 -> 0.945, log loss 0.1569 ->
  0.1539.

Run: PYTHONPATH=. .venv/bin/python bench/suggest.py [--cv] [--misses] [--no-kaart-sets] [--file FILE]
"""

from __future__ import annotations

import argparse
import csv
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from sklearn.feature_extraction.text import TfidfVectorizer

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.config import Settings  # noqa: E402
from bot.retrieval.embeddings import USEEmbeddings  # noqa: E402
from bot.suggestion.evaluation import CorpusScores, load_situations, per_domain_f1, score, score_corpus  # noqa: E402
from bot.suggestion.service import PartnerService  # noqa: E402
from bot.understanding.constants import Constants  # noqa: E402
from bot.understanding.corpus import HELDOUT_GLOB, LabelledText, load_corpus, load_corpus_file  # noqa: E402
from bot.understanding.lexicon import load_lexicon  # noqa: E402
from bot.understanding.model import Understander  # noqa: E402
from bot.understanding.safety import load_safety  # noqa: E402
from bot.understanding.safety_eval import danger_scores, print_danger_table  # noqa: E402
from bot.understanding.taxonomy import load_taxonomy  # noqa: E402
from bot.understanding.training import KnowledgePaths, build_understander, train_model  # noqa: E402

KNOWLEDGE = ROOT / "knowledge"
TESTS = ROOT / "tests" / "kaart"
EXAMPLE = KNOWLEDGE / "sociale_kaart" / "voorbeeld.csv"
KAARTEN = {"voorbeeld": EXAMPLE, "andere_gemeente": TESTS / "andere_gemeente.csv",
           "derde_gemeente": TESTS / "derde_gemeente.csv", "vierde_gemeente": TESTS / "vierde_gemeente.csv"}  # fmt: skip


def centroid_baseline(
    train: list[LabelledText], domains: list[str], expand: Callable[[str], str]
) -> Callable[[str], tuple[str, ...]]:
    """TF-IDF nearest centroid: the closest domain, plus others within 90% of its similarity (at most 3)."""
    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2)
    matrix = vectorizer.fit_transform([expand(i.text) for i in train])
    centroids = np.vstack([np.asarray(matrix[[n for n, i in enumerate(train) if d in i.domains]].mean(axis=0))
                           for d in domains])  # fmt: skip
    centroids /= np.maximum(np.linalg.norm(centroids, axis=1, keepdims=True), 1e-9)

    def predict(text: str) -> tuple[str, ...]:
        sims = (vectorizer.transform([expand(text)]) @ centroids.T).ravel()
        order = np.argsort(-sims)
        return tuple(domains[j] for j in order[:3] if sims[j] >= 0.9 * sims[order[0]])

    return predict


def corpus_table(name: str, items: list[LabelledText], understander: Understander, service: PartnerService,
                 baseline: Callable[[str], tuple[str, ...]], key: dict[str, Any], *, misses: bool) -> CorpusScores:  # fmt: skip
    timings: list[float] = []

    def suggest(text: str) -> Any:
        start = time.perf_counter()
        result = service.suggest(text, kaart_path=EXAMPLE)
        timings.append((time.perf_counter() - start) * 1000)
        return result

    s = score_corpus(items, suggest, key)
    gold = [i.domains for i in items]
    readings = [understander.understand(i.text) for i in items]
    model = per_domain_f1(gold, [r.domains for r in readings], understander.taxonomy.ids)
    base = per_domain_f1(gold, [baseline(i.text) for i in items], understander.taxonomy.ids)
    print(f"\n{name}: {len(items)} situations ({s.acute_cases} acute, {s.zorg_cases} zorg, {s.ordinary_cases} geen), "
          "scored on the example kaart")  # fmt: skip
    print("| top-3 hit | top-1 | acute: acute + fitting partner first | acute given | zorg flagged | false acute "
          "| ordinary given zorg |")  # fmt: skip
    print("|-----------|-------|--------------------------------------|-------------|--------------|-------------"
          "|---------------------|")  # fmt: skip
    print(f"| {s.rate(s.top3, s.cases):9.3f} | {s.rate(s.top1, s.cases):5.3f} | "
          f"{s.acute_first:>3}/{s.acute_cases:<3} = {s.rate(s.acute_first, s.acute_cases):5.3f}{'':15}| "
          f"{s.rate(s.acute_level, s.acute_cases):11.3f} | {s.rate(s.zorg_flagged, s.zorg_cases):12.3f} | "
          f"{s.false_acute:>3}/{s.ordinary_cases:<3} = {s.rate(s.false_acute, s.ordinary_cases):.3f} | "
          f"{s.ordinary_zorg:>3}/{s.ordinary_cases:<3} = {s.rate(s.ordinary_zorg, s.ordinary_cases):.3f}     |")  # fmt: skip
    print("\n| levensgebied                  | support | P model | R model | F1 model | F1 centroid |")
    print("|-------------------------------|---------|---------|---------|----------|-------------|")
    for domain, (p, r, f1, support) in model.items():
        print(f"| {domain:<29} | {support:7d} | {p:7.3f} | {r:7.3f} | {f1:8.3f} | {base[domain][2]:11.3f} |")
    macro = np.mean([v[2] for v in model.values() if v[3]]), np.mean([v[2] for v in base.values() if v[3]])
    print(f"| {'macro F1':<29} | {len(items):7d} |         |         | {macro[0]:8.3f} | {macro[1]:11.3f} |")
    print_danger_table(danger_scores(items, readings), name, confusions=misses)
    if timings:
        warm = sorted(timings[1:]) or timings
        print(
            f"suggest latency on this set: p50 {warm[len(warm) // 2]:.1f} ms, p95 {warm[int(0.95 * (len(warm) - 1))]:.1f} ms"
        )
    if misses:
        print("\n".join(s.misses))
    return s


def cross_validation(train: list[LabelledText], paths: KnowledgePaths, embeddings: USEEmbeddings,
                     key: dict[str, Any], *, folds: int = 5, misses: bool) -> None:  # fmt: skip
    """Out-of-fold figures on the training corpus: the only place where thresholds may be chosen."""
    taxonomy, lexicon = load_taxonomy(paths.taxonomy), load_lexicon(paths.lexicon)
    safety, constants = load_safety(paths.safety, taxonomy), Constants()
    order = np.random.default_rng(constants.seed).permutation(len(train))
    oof: list[LabelledText] = []
    with tempfile.TemporaryDirectory() as tmp:
        for fold in range(folds):
            test_idx = set(order[fold::folds].tolist())
            part = [i for n, i in enumerate(train) if n not in test_idx]
            model = train_model(
                part, taxonomy=taxonomy, lexicon=lexicon, encoder=embeddings, constants=constants
            )
            understander = Understander(model=model, lexicon=lexicon, encoder=embeddings, taxonomy=taxonomy,
                                        safety=safety, constants=constants)  # fmt: skip
            service = PartnerService(settings=Settings(WIJKBOT_DATA_DIR=Path(tmp) / str(fold)), embeddings=embeddings,
                                     understander=understander)  # fmt: skip
            held = [i for n, i in enumerate(train) if n in test_idx]
            baseline = centroid_baseline(part, taxonomy.ids, lexicon.normalizer.expand)
            corpus_table(f"training corpus, fold {fold + 1}/{folds}", held, understander, service, baseline, key,
                         misses=misses)  # fmt: skip
            oof += held


def kaart_sets(service: PartnerService, embeddings: USEEmbeddings, *, misses: bool) -> list[float]:
    """Every situation set in tests/kaart on every kaart with an answer key (tests/kaart/gold.yaml)."""
    gold = yaml.safe_load((TESTS / "gold.yaml").read_text(encoding="utf-8"))
    timings: list[float] = []
    for path in sorted(TESTS.glob("situ*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))["situations"]
        situations = load_situations(path)
        print(f"\n{path.name}: {len(situations)} situations "
              f"({sum(1 for s in situations if s.safety == 'acute')} acute)")  # fmt: skip
        print("| kaart            | method     | top-3  | top-1  | acute first | nothing | false acute |")
        print("|------------------|------------|--------|--------|-------------|---------|-------------|")
        for name, kaart in KAARTEN.items():
            crisis = _crisis_ids(kaart)
            vectors, ids = _vectors(service, kaart)

            def wijkbot(sit: Any, kaart: Path = kaart) -> tuple[list[str], Any]:
                start = time.perf_counter()
                result = service.suggest(sit.text, wijk=sit.wijk, kaart_path=kaart)
                timings.append((time.perf_counter() - start) * 1000)
                return [s.service.id for s in result.suggestions], result.safety

            def dense(
                sit: Any, vectors: np.ndarray = vectors, ids: list[str] = ids
            ) -> tuple[list[str], None]:
                order = np.argsort(-(vectors @ embeddings.encode_query(sit.text)))
                return [ids[i] for i in order[:3]], None

            for method, ranker in (("dense-only", dense), ("wijkbot", wijkbot)):
                outcomes = [ranker(s) for s in situations]
                acute = [(o, s) for o, s in zip(outcomes, situations, strict=True) if s.safety == "acute"]
                first = sum(
                    1
                    for (ids_, safety), _ in acute
                    if safety and safety.level == "acute" and ids_ and ids_[0] in crisis
                )
                ordinary = [
                    (o, d) for o, d in zip(outcomes, data, strict=True) if d.get("safety") in (None, "none")
                ]
                false = sum(
                    1 for (_, safety), _ in ordinary if safety is not None and safety.level == "acute"
                )
                replay = iter(outcomes)
                result = (
                    score(situations, gold.get(name, {}), lambda _s, r=replay: next(r))
                    if name in gold
                    else None
                )
                top3 = f"{result.recall:6.3f}" if result and result.cases else "     -"
                top1 = f"{result.top1:6.3f}" if result and result.cases else "     -"
                nothing = (
                    f"{result.nothing_ok}/{result.nothing_cases}" if result and method == "wijkbot" else "-"
                )
                safety_cell = f"{first}/{len(acute)}" if method == "wijkbot" else "-"
                false_cell = f"{false}/{len(ordinary)}" if method == "wijkbot" else "-"
                print(
                    f"| {name:<16} | {method:<10} | {top3} | {top1} | {safety_cell:>11} | {nothing:>7} | {false_cell:>11} |"
                )
                if misses and result and method == "wijkbot":
                    print("\n".join(f"    miss: {m}" for m in result.misses))
    return timings


def _crisis_ids(path: Path) -> set[str]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return {row["id"] for row in csv.DictReader(handle) if row["crisis"].strip().lower() == "true"}


def _vectors(service: PartnerService, path: Path) -> tuple[np.ndarray, list[str]]:
    loaded = service._loaded_for(path)  # noqa: SLF001 - the bench looks inside on purpose
    return loaded.ranker.prepared.vectors, [s.id for s in loaded.index.kaart.services]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cv", action="store_true", help="5-fold cross-validation on the training corpus")
    parser.add_argument("--misses", action="store_true")
    parser.add_argument("--no-kaart-sets", action="store_true")
    parser.add_argument("--no-heldout", action="store_true")
    parser.add_argument("--file", type=Path, action="append", default=[],
                        help="also score this labelled situation file (corpus format) as an unseen set")  # fmt: skip
    parser.add_argument(
        "--threads", type=int, default=None, help="native threads per pool (default: WIJKBOT_THREADS, 1)"
    )
    args = parser.parse_args()
    from bot.threads import use_threads

    print(use_threads(args.threads))
    paths = KnowledgePaths.under(KNOWLEDGE)
    embeddings = USEEmbeddings()
    key = yaml.safe_load((TESTS / "gold_levensgebieden.yaml").read_text(encoding="utf-8"))["voorbeeld"]
    with tempfile.TemporaryDirectory() as tmp:
        embeddings.encode(["warm"])  # model load is not training
        start = time.perf_counter()
        understander = build_understander(paths, embeddings, cache_dir=None)
        print(f"training (no cache, {len(load_corpus(paths.corpus, understander.taxonomy))} situations): "
              f"{time.perf_counter() - start:.1f} s")  # fmt: skip
        service = PartnerService(settings=Settings(WIJKBOT_DATA_DIR=Path(tmp)), embeddings=embeddings,
                                 understander=understander)  # fmt: skip
        train = load_corpus(paths.corpus, understander.taxonomy)
        baseline = centroid_baseline(train, understander.taxonomy.ids, understander.expand)
        heldout_files = sorted(paths.corpus.glob(HELDOUT_GLOB))
        if heldout_files and not args.no_heldout:
            heldout = load_corpus(paths.corpus, understander.taxonomy, pattern=HELDOUT_GLOB)
            corpus_table("HELD-OUT split", heldout, understander, service, baseline, key, misses=False)
        for path in args.file:
            items = load_corpus_file(path, understander.taxonomy)
            corpus_table(
                f"UNSEEN file {path.name}", items, understander, service, baseline, key, misses=False
            )
        if args.cv:
            cross_validation(train, paths, embeddings, key, misses=args.misses)
        timings = [] if args.no_kaart_sets else kaart_sets(service, embeddings, misses=args.misses)
        if timings:
            warm = sorted(timings[len(KAARTEN) :])
            print(f"\nwarm suggest latency (kaart sets): p50 {warm[len(warm) // 2]:.1f} ms, "
                  f"p95 {warm[int(0.95 * (len(warm) - 1))]:.1f} ms over {len(warm)} calls")  # fmt: skip


if __name__ == "__main__":
    main()
