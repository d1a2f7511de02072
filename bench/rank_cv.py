"""Ranking choices by leave-one-writer-out CV on TRAINING data and the dev kaarten (never held-out data).

The situation model is trained once per training writer left out (as bench/writer_cv.py); its out-of-fold
readings are cached (--cache), so ranking variants (service domains from the learned kaart-row model, ranker
weights) are compared on the same readings in seconds. Each variant is scored on:
  * corpus: every training situation (out of fold) on the example kaart, key tests/kaart/gold_levensgebieden.yaml
    (top-3 / top-1, pooled over writers, and the worst writer);
  * dev sets: every tests/kaart/situ*.yaml set on the four kaarten of tests/kaart/gold.yaml (mean top-3 recall /
    top-1), with the full model (these situations are not training data);
  * lindenwaard: the first turns of tests/data/dev_lindenwaard/conversations.yaml that name partners (top-3 /
    first), full model.
Service domains always come from the models (no kaart here has a levensgebieden column).

Round 5 (8 training writers incl. k, 3510 situations; pooled out of fold / dev sets mean / Lindenwaard):
| service domains                                   | top-3 | top-1 | dev top-3 | dev top-1 | Lindenwaard |
| situation model only (blend 0, before)            | 0.907 | 0.719 | 0.807     | 0.703     | 12/13       |
| blend 0.5, threshold 0.3                          | 0.914 | 0.713 | 0.809     | 0.703     | 13/13       |
| blend 0.5, threshold 0.4, soft from blend         | 0.927 | 0.727 | 0.806     | 0.702     | 13/13       |
| blend 0.5, threshold 0.45, soft from blend CHOSEN | 0.935 | 0.731 | 0.806     | 0.700     | 13/13       |
| blend 0.5, threshold 0.6, soft from blend         | 0.936 | 0.732 | 0.804     | 0.696     | 13/13       |
| blend 0.4, threshold 0.45, soft from blend        | 0.937 | 0.731 | 0.807     | 0.701     | 12/13       |
| blend 0.7, threshold 0.3                          | 0.918 | 0.720 | 0.806     | 0.690     | 12/13       |
| blend 0.7, threshold 0.4                          | 0.927 | 0.726 | 0.803     | 0.683     | 12/13       |
With the blend, the ranker's weights were swept again (7 writers): membership weight / min membership (flat: candidates
have membership 1), similarity and word weights 0.6-1.4 (+-0.001), primary 0-0.6, profile 0.5-1.5, general
penalty 0.3-1.0, audience weight / mismatch 0.3-1.0, fill threshold 0.02-0.3 (0.05 best), membership = the
probability itself (corpus +0.5 points, dev sets -1.6): the hand-set values stay. The redteam sets in tests/kaart use
levensgebied names that gold.yaml does not have, so they count as misses for every variant alike.

Round 6 (the production variant: --set blend=0.5 --set threshold=0.45 --set soft=blend; "base" with no --set is the
round-5 "situation model only" row). Domain head C 10 -> 4 (bench/domain_cv.py) and writers m, n in training:
| corpus / model                          | top-3 | top-1 | acute first | dev top-3 | dev top-1 | Lindenwaard   |
| 8 writers (3510), C 10 (main 66f8d45)   | 0.934 | 0.732 | 446/526     | 0.809     | 0.699     | 13/13 first 10 |
| 10 writers (4470), C 4                  | 0.947 | 0.751 | 531/620     | 0.818     | 0.707     | 13/13 first 10 |
  the same 8 writers' situations (3510) in the second run: top-3 0.950 (a 0.960, b 0.914, c 0.958, e 0.959,
  f 0.948, g 0.967, j 0.946, k 0.948; m 0.979, n 0.898). Misses (first labelled levensgebied not in the top 3):
  before 63 ranking / 171 reading of 3510, after 53 / 184 of 4470.

Run: PYTHONPATH=. .venv/bin/python bench/rank_cv.py [--grid NAME] [--set blend=0.7] [--set similarity_weight=0.8]
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import itertools
import pickle
import sys
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from writer_cv import CachingEncoder  # noqa: E402

from bot.config import Settings  # noqa: E402
from bot.kaart.model import Kaart  # noqa: E402
from bot.kaart.validation import parse_file  # noqa: E402
from bot.retrieval.embeddings import USEEmbeddings  # noqa: E402
from bot.suggestion.evaluation import load_situations, score  # noqa: E402
from bot.suggestion.ranking import Ranker, prepare, profile_rows  # noqa: E402
from bot.suggestion.service import PartnerService, vectors_of  # noqa: E402
from bot.understanding.chat import load_chat  # noqa: E402
from bot.understanding.corpus import LabelledText, load_corpus, load_corpus_file  # noqa: E402
from bot.understanding.features import lexicon_row  # noqa: E402
from bot.understanding.model import Understander, Understanding  # noqa: E402
from bot.understanding.service_domains import DomainGuess, choose_domains, service_text  # noqa: E402
from bot.understanding.training import KnowledgePaths, build_understander, train_model  # noqa: E402

KNOWLEDGE = ROOT / "knowledge"
TESTS = ROOT / "tests" / "kaart"
EXAMPLE = KNOWLEDGE / "sociale_kaart" / "voorbeeld.csv"
DEV_KAARTEN = {"voorbeeld": EXAMPLE, "andere_gemeente": TESTS / "andere_gemeente.csv",
               "derde_gemeente": TESTS / "derde_gemeente.csv", "vierde_gemeente": TESTS / "vierde_gemeente.csv"}  # fmt: skip
LINDENWAARD = ROOT / "tests" / "data" / "dev_lindenwaard"


@dataclass
class KaartData:
    """One kaart's services with everything the variants need, read once with the full model."""

    services: list[Any]
    readings: list[Understanding]
    learned: np.ndarray  # services x levensgebieden from the kaart-row model
    vectors: np.ndarray
    general: list[bool]
    words: Any
    profiles: np.ndarray


def kaart_data(path: Path, full: Understander, encoder: Any) -> KaartData:
    services = list(parse_file(path).services)
    readings = full.understand_many([service_text(s) for s in services])
    model = full.safety.learned.domains if full.safety.learned is not None else None
    learned = (
        model.probabilities(services)
        if model is not None
        else np.zeros((len(services), len(full.taxonomy.ids)))
    )
    lexicon = full.lexicon
    general_domain = lexicon.general_domain()
    general = [any(h.domain == general_domain for h in lexicon.detect(f"{s.name} {' '.join(s.themes)}", themes=True))
               for s in services]  # fmt: skip
    words = full.model.featurizer.char.transform([r.expanded for r in readings])
    columns = full.model.featurizer.columns
    rows = [r.hits if r.hits is not None else lexicon_row(lexicon, service_text(s), columns)
            for r, s in zip(readings, services, strict=True)]  # fmt: skip
    return KaartData(services, readings, learned, vectors_of(services, encoder), general, words,
                     profile_rows(np.vstack(rows), columns))  # fmt: skip


def ranker_for(data: KaartData, full: Understander, v: dict[str, Any]) -> Ranker:
    """The ranker for one variant: v holds blend/threshold/soft (domain model) and Constants overrides."""
    ids = full.taxonomy.ids
    constants = replace(full.constants, **{k: x for k, x in v.items() if hasattr(full.constants, k)})
    w, soft = v.get("blend", 0.0), v.get("soft", "situation")
    guesses, services = [], []
    for i, (service, reading) in enumerate(zip(data.services, data.readings, strict=True)):
        sit = reading.probabilities
        blended = {d: w * float(data.learned[i, j]) + (1 - w) * sit.get(d, 0.0) for j, d in enumerate(ids)}
        threshold = v.get("threshold", 0.3) if w > 0 else constants.service_domain_threshold
        chosen = choose_domains(blended, threshold, constants.first_domain_floor)
        membership = {"situation": sit, "blend": blended,
                      "learned": {d: float(data.learned[i, j]) for j, d in enumerate(ids)}}[soft]  # fmt: skip
        guesses.append(DomainGuess(chosen, membership, reading.expanded, reading.hits))
        services.append(replace(service, levensgebieden=chosen, domains_source="voorspeld"))
    kaart = Kaart(services=tuple(services), source="bench")
    prepared = prepare(kaart, vectors=data.vectors, guesses=guesses, domain_ids=ids, safety=full.safety,
                       general=data.general, words=data.words, profiles=data.profiles)  # fmt: skip
    if (
        v.get("member", "binary") == "prob"
    ):  # membership = the probability itself, stored ones at least `floor`
        p = np.array([[g.probabilities.get(d, 0.0) for d in ids] for g in guesses], dtype=np.float32)
        stored = prepared.membership >= 1.0
        p = np.where(stored, np.maximum(p, v.get("floor", 0.5)), p)
        prepared = replace(prepared, membership=p)
    advice = PartnerService(settings=Settings(WIJKBOT_DATA_DIR=Path(tempfile.gettempdir()) / "rank_cv"),
                            embeddings=full._encoder, understander=full)._advice_picker()  # noqa: SLF001  # fmt: skip
    ranker = Ranker(prepared=prepared, taxonomy=full.taxonomy, safety=full.safety, advice=advice,
                    constants=constants, meldcode=full.lexicon.meldcode, columns=full.model.featurizer.columns)  # fmt: skip
    return ranker


def oof_readings(corpus: list[LabelledText], paths: KnowledgePaths, encoder: Any, full: Understander,
                 cache: Path) -> list[Understanding]:  # fmt: skip
    key = hashlib.sha256(repr([(i.text, i.domains, i.level, i.writer) for i in corpus]).encode()).hexdigest()[
        :12
    ]
    path = cache / f"oof-{key}.pkl"
    if path.exists():
        return pickle.loads(path.read_bytes())  # noqa: S301 - our own cache file
    chat = load_chat(paths.dialoog)
    chat_writers = list(dict.fromkeys(c.writer for c in chat))
    writers = list(dict.fromkeys(i.writer for i in corpus))
    out: dict[int, Understanding] = {}
    for k, writer in enumerate(writers):
        start = time.perf_counter()
        chat_writer = chat_writers[k % len(chat_writers)] if chat_writers else None
        model = train_model([i for i in corpus if i.writer != writer], taxonomy=full.taxonomy, lexicon=full.lexicon,
                            encoder=encoder, constants=full.constants,
                            chat=[c for c in chat if c.writer != chat_writer])  # fmt: skip
        u = Understander(model=model, lexicon=full.lexicon, encoder=encoder, taxonomy=full.taxonomy,
                         safety=full.safety, constants=full.constants)  # fmt: skip
        held = [n for n, i in enumerate(corpus) if i.writer == writer]
        out.update(zip(held, u.understand_many([corpus[n].text for n in held]), strict=True))
        print(f"  fold {writer}: {time.perf_counter() - start:.0f} s", flush=True)
    readings = [out[n] for n in range(len(corpus))]
    cache.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pickle.dumps(readings))
    return readings


def lindenwaard_items() -> list[tuple[str, str | None, set[str]]]:
    data = yaml.safe_load((LINDENWAARD / "conversations.yaml").read_text(encoding="utf-8"))
    out = []
    for conv in data["conversations"]:
        first = conv["turns"][0]
        accept = (first.get("expect") or {}).get("partners_any")
        if accept:
            out.append((first["say"], conv.get("wijk"), set(accept)))
    return out


class Bench:
    def __init__(self, args: argparse.Namespace) -> None:
        self.encoder = CachingEncoder(USEEmbeddings())
        paths = KnowledgePaths.under(KNOWLEDGE)
        self.full = build_understander(paths, self.encoder, cache_dir=Path(args.cache) / "begrip")
        self.corpus = load_corpus(paths.corpus, self.full.taxonomy)
        for extra in args.extra:
            self.corpus += load_corpus_file(extra, self.full.taxonomy)
        self.oof = oof_readings(self.corpus, paths, self.encoder, self.full, Path(args.cache))
        char = self.full.model.featurizer.char
        self.oof_words = char.transform([r.expanded for r in self.oof]).tocsr()
        self.key = yaml.safe_load((TESTS / "gold_levensgebieden.yaml").read_text(encoding="utf-8"))[
            "voorbeeld"
        ]
        self.gold = yaml.safe_load((TESTS / "gold.yaml").read_text(encoding="utf-8"))
        self.kaarten = {n: kaart_data(p, self.full, self.encoder) for n, p in DEV_KAARTEN.items()}
        self.kaarten["lindenwaard"] = kaart_data(next(LINDENWAARD.glob("*.csv")), self.full, self.encoder)
        self.sets = {p.name: load_situations(p) for p in sorted(TESTS.glob("situ*.yaml"))}
        texts = sorted(
            {s.text for sits in self.sets.values() for s in sits} | {t for t, _, _ in lindenwaard_items()}
        )
        readings = self.full.understand_many(texts)
        self.read = {t: (r, char.transform([r.expanded])) for t, r in zip(texts, readings, strict=True)}

    def corpus_scores(self, ranker: Ranker) -> dict[str, Any]:
        domains, dangers = self.key["levensgebieden"], self.key["gevaar"]
        per: dict[str, list[int]] = {}
        for n, (item, reading) in enumerate(zip(self.corpus, self.oof, strict=True)):
            result = ranker.suggest(item.text, reading, wijk=None, top=3, words=self.oof_words[n])
            ids = [s.service.id for s in result.suggestions]
            fitting = set(dangers.get(item.danger, [])) if item.danger else set()
            accept = set(domains.get(item.domains[0], [])) | fitting
            row = per.setdefault(item.writer, [0, 0, 0, 0, 0])
            row[0] += 1
            row[1] += bool(accept & set(ids[:3]))
            row[2] += bool(ids) and ids[0] in accept
            if item.level == "acuut":
                row[3] += 1
                row[4] += (
                    result.safety is not None
                    and result.safety.level == "acute"
                    and bool(ids)
                    and ids[0] in fitting
                )
        total = np.sum(list(per.values()), axis=0)
        worst = min(per, key=lambda w: per[w][1] / per[w][0])
        return {"top3": total[1] / total[0], "top1": total[2] / total[0], "acute": f"{total[4]}/{total[3]}",
                "worst": f"{worst} {per[worst][1] / per[worst][0]:.3f}",
                "writers": {w: round(r[1] / r[0], 3) for w, r in per.items()}}  # fmt: skip

    def misses(self, v: dict[str, Any]) -> None:
        """Corpus misses (training data, out of fold) by first labelled levensgebied: was it among the shown
        levensgebieden (a ranking miss) or not (an understanding miss), and what was suggested."""
        ranker = ranker_for(self.kaarten["voorbeeld"], self.full, v)
        domains, dangers = self.key["levensgebieden"], self.key["gevaar"]
        table: dict[str, list[int]] = {}
        examples: dict[str, list[str]] = {}
        for n, (item, reading) in enumerate(zip(self.corpus, self.oof, strict=True)):
            result = ranker.suggest(item.text, reading, wijk=None, top=3, words=self.oof_words[n])
            ids = [s.service.id for s in result.suggestions]
            fitting = set(dangers.get(item.danger, [])) if item.danger else set()
            accept = set(domains.get(item.domains[0], [])) | fitting
            row = table.setdefault(item.domains[0], [0, 0, 0])
            row[0] += 1
            if accept & set(ids[:3]):
                continue
            shown = reading.shown_domains(fill=ranker._c.fill_threshold)  # noqa: SLF001
            row[1 if item.domains[0] in shown else 2] += 1
            if item.domains[0] in shown:
                examples.setdefault(item.domains[0], []).append(f"{item.text[:90]!r} -> {ids[:3]}")
        print("| first levensgebied | n | ranking miss | understanding miss |")
        for d, (n, r, u) in sorted(table.items(), key=lambda x: -(x[1][1] + x[1][2])):
            print(f"| {d} | {n} | {r} | {u} |")
        for d, lines in examples.items():
            print(f"\n{d} (key: {domains.get(d)}):")
            print("\n".join("  " + line for line in lines[:12]))

    def dev_scores(self, rankers: dict[str, Ranker]) -> tuple[float, float]:
        recalls, top1s = [], []
        for situations in self.sets.values():
            for name in DEV_KAARTEN:
                if name not in self.gold:
                    continue
                ranker = rankers[name]

                def run(sit: Any, ranker: Ranker = ranker) -> tuple[list[str], Any]:
                    reading, words = self.read[sit.text]
                    result = ranker.suggest(sit.text, reading, wijk=sit.wijk, top=3, words=words)
                    return [s.service.id for s in result.suggestions], result.safety

                s = score(situations, self.gold[name], run)
                recalls.append(s.recall)
                top1s.append(s.top1)
        return float(np.mean(recalls)), float(np.mean(top1s))

    def lindenwaard(self, ranker: Ranker) -> tuple[int, int, int]:
        items = lindenwaard_items()
        hit = first = 0
        for text, wijk, accept in items:
            reading, words = self.read[text]
            ids = [
                s.service.id for s in ranker.suggest(text, reading, wijk=wijk, top=3, words=words).suggestions
            ]
            hit += bool(accept & set(ids[:3]))
            first += bool(ids) and ids[0] in accept
        return hit, first, len(items)

    def run(self, v: dict[str, Any]) -> dict[str, Any]:
        rankers = {n: ranker_for(d, self.full, v) for n, d in self.kaarten.items()}
        out = self.corpus_scores(rankers["voorbeeld"])
        out["dev"] = self.dev_scores(rankers)
        out["lw"] = self.lindenwaard(rankers["lindenwaard"])
        return out


def parse_value(text: str) -> Any:
    try:
        return float(text) if "." in text else int(text)
    except ValueError:
        return text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cache", default=str(Path(tempfile.gettempdir()) / "rank_cv"))
    parser.add_argument("--extra", action="append", type=Path, default=[])
    parser.add_argument("--set", action="append", default=[], help="NAME=VALUE for every variant")
    parser.add_argument("--grid", action="append", default=[], help="NAME=V1,V2,... (all combinations)")
    parser.add_argument("--writers", action="store_true", help="print top-3 per writer")
    parser.add_argument("--misses", action="store_true", help="corpus misses of the first variant")
    args = parser.parse_args()
    from bot.threads import use_threads

    use_threads(None)
    bench = Bench(args)
    base = {k: parse_value(x) for k, _, x in (s.partition("=") for s in args.set)}
    axes = [
        (k, [parse_value(x) for x in xs.split(",")]) for k, _, xs in (g.partition("=") for g in args.grid)
    ]
    print(f"{len(bench.corpus)} training situations out of fold; fixed: {base}")
    print(
        "| variant | corpus top-3 | top-1 | acute first | worst writer | dev top-3 | dev top-1 | lindenwaard |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for combo in itertools.product(*[values for _, values in axes]) if axes else [()]:
        v = {**base, **dict(zip([k for k, _ in axes], combo, strict=True))}
        r = bench.run(v)
        lw = r["lw"]
        name = ", ".join(f"{k}={x}" for k, x in v.items() if k not in base) or "base"
        print(f"| {name} | {r['top3']:.3f} | {r['top1']:.3f} | {r['acute']} | {r['worst']} | {r['dev'][0]:.3f} | "
              f"{r['dev'][1]:.3f} | {lw[0]}/{lw[2]} first {lw[1]} |", flush=True)  # fmt: skip
        if args.writers:
            print("   ", r["writers"])
        if args.misses:
            bench.misses(v)
            args.misses = False


if __name__ == "__main__":
    dataclasses  # noqa: B018
    main()
