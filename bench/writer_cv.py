"""Leave-one-writer-out cross-validation over the TRAINING corpus: the honest estimate to tune on.

Each knowledge/situaties/train_*.yaml file is one writer. For every writer, the models are trained on the other
writers only and the full suggestion pipeline (understanding + ranking on the example kaart, scored with the
hand-made key in tests/kaart/gold_levensgebieden.yaml) runs on that writer's situations. So a figure here says how
the system does on a writer whose style it never saw, which is what an unseen municipality is.

Prints per writer and pooled: top-3 hit, top-1, acute given 'acute' with a fitting safety partner first, zorg
flagged, false acute on ordinary situations, per-domain F1; and a sweep of the acute threshold on the out-of-fold
level probabilities (acute recall vs false acute), so thresholds are chosen here and never on held-out data.
The held-out split (heldout_*) is never read.

Run: PYTHONPATH=. .venv/bin/python bench/writer_cv.py [--set acute_threshold=0.4 ...] [--writers a,b]
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.config import Settings  # noqa: E402
from bot.retrieval.embeddings import USEEmbeddings  # noqa: E402
from bot.suggestion.evaluation import CorpusScores, per_domain_f1, score_corpus  # noqa: E402
from bot.suggestion.service import PartnerService  # noqa: E402
from bot.understanding.constants import Constants  # noqa: E402
from bot.understanding.corpus import LabelledText, load_corpus  # noqa: E402
from bot.understanding.lexicon import load_lexicon  # noqa: E402
from bot.understanding.model import Understander, Understanding  # noqa: E402
from bot.understanding.safety import load_safety  # noqa: E402
from bot.understanding.taxonomy import load_taxonomy  # noqa: E402
from bot.understanding.training import KnowledgePaths, train_model  # noqa: E402

KNOWLEDGE = ROOT / "knowledge"
EXAMPLE = KNOWLEDGE / "sociale_kaart" / "voorbeeld.csv"
KEY = ROOT / "tests" / "kaart" / "gold_levensgebieden.yaml"


class CachingEncoder:
    """USE with an unbounded cache: every text is embedded once for all folds (the bench only)."""

    def __init__(self, inner: USEEmbeddings) -> None:
        self._inner = inner
        self._seen: dict[str, np.ndarray] = {}

    def encode(self, texts: list[str]) -> np.ndarray:
        new = [t for t in dict.fromkeys(texts) if t not in self._seen]
        if new:
            self._seen.update(zip(new, self._inner.encode(new), strict=True))
        return np.stack([self._seen[t] for t in texts]) if texts else self._inner.encode([])

    def encode_query(self, text: str) -> np.ndarray:
        return self.encode([text])[0]


@dataclasses.dataclass
class Pooled:
    scores: list[tuple[str, CorpusScores]] = dataclasses.field(default_factory=list)
    gold: list[LabelledText] = dataclasses.field(default_factory=list)
    readings: list[Understanding] = dataclasses.field(default_factory=list)


def constants_from(overrides: list[str]) -> Constants:
    base = Constants()
    changes: dict[str, Any] = {}
    for item in overrides:
        name, _, value = item.partition("=")
        current = getattr(base, name)
        changes[name] = type(current)(value) if not isinstance(current, tuple) else eval(value)  # noqa: S307
    return dataclasses.replace(base, **changes)


def run_fold(writer: str, corpus: list[LabelledText], encoder: CachingEncoder, paths: KnowledgePaths,
             constants: Constants, key: dict[str, Any], tmp: Path, pooled: Pooled) -> None:  # fmt: skip
    taxonomy, lexicon = load_taxonomy(paths.taxonomy), load_lexicon(paths.lexicon)
    safety = load_safety(paths.safety, taxonomy)
    train = [i for i in corpus if i.writer != writer]
    held = [i for i in corpus if i.writer == writer]
    model = train_model(train, taxonomy=taxonomy, lexicon=lexicon, encoder=encoder, constants=constants)
    understander = Understander(model=model, lexicon=lexicon, encoder=encoder, taxonomy=taxonomy, safety=safety,
                                constants=constants)  # fmt: skip
    service = PartnerService(settings=Settings(WIJKBOT_DATA_DIR=tmp / writer), embeddings=encoder,
                             understander=understander)  # fmt: skip
    s = score_corpus(held, lambda text: service.suggest(text, kaart_path=EXAMPLE), key)
    pooled.scores.append((writer, s))
    pooled.gold += held
    pooled.readings += [understander.understand(i.text) for i in held]


def row(name: str, s: CorpusScores, macro: float) -> str:
    return (f"| {name:<26} | {s.cases:5d} | {s.rate(s.top3, s.cases):5.3f} | {s.rate(s.top1, s.cases):5.3f} | "
            f"{s.acute_first:>3}/{s.acute_cases:<3} {s.rate(s.acute_first, s.acute_cases):5.3f} | "
            f"{s.rate(s.acute_level, s.acute_cases):5.3f} | {s.rate(s.zorg_flagged, s.zorg_cases):5.3f} | "
            f"{s.false_acute:>3}/{s.ordinary_cases:<3} {s.rate(s.false_acute, s.ordinary_cases):5.3f} | {macro:5.3f} |")  # fmt: skip


def macro_f1(gold: list[LabelledText], readings: list[Understanding], ids: list[str]) -> tuple[float, dict]:
    f1 = per_domain_f1([g.domains for g in gold], [r.domains for r in readings], ids)
    return float(np.mean([v[2] for v in f1.values() if v[3]])), f1


def report(pooled: Pooled, ids: list[str]) -> None:
    print(
        "\n| writer left out            | n     | top-3 | top-1 | acute first     | acute | zorg  | false acute     | F1    |"
    )
    print(
        "|----------------------------|-------|-------|-------|-----------------|-------|-------|-----------------|-------|"
    )
    total = CorpusScores()
    start = 0
    for writer, s in pooled.scores:
        part = slice(start, start + s.cases)
        start += s.cases
        print(row(writer, s, macro_f1(pooled.gold[part], pooled.readings[part], ids)[0]))
        for field in dataclasses.fields(CorpusScores):
            if field.name != "misses":
                setattr(total, field.name, getattr(total, field.name) + getattr(s, field.name))
    macro, f1 = macro_f1(pooled.gold, pooled.readings, ids)
    print(row("POOLED (all writers)", total, macro))
    fill = Constants().fill_threshold
    shown = [
        g.domains[0] in r.shown_domains(fill=fill) for g, r in zip(pooled.gold, pooled.readings, strict=True)
    ]
    first = [
        bool(r.domains) and r.domains[0] == g.domains[0]
        for g, r in zip(pooled.gold, pooled.readings, strict=True)
    ]
    print(f"first labelled levensgebied among the shown ones (<= 3): {np.mean(shown):.3f}; predicted first: "
          f"{np.mean(first):.3f} (the rest of the top-3 misses is ranking)")  # fmt: skip
    print("\n| levensgebied                  | support | P     | R     | F1    |")
    print("|-------------------------------|---------|-------|-------|-------|")
    for domain, (p, r, f, n) in f1.items():
        print(f"| {domain:<29} | {n:7d} | {p:5.3f} | {r:5.3f} | {f:5.3f} |")
    sweep(pooled)


def misses(pooled: Pooled) -> None:
    """Training-corpus errors only (never held-out): false acute and missed acute, with the model's reading."""
    for writer, s in pooled.scores:
        print(
            "\n".join(f"  {writer} {m}" for m in s.misses if m.startswith("[acuut]") and m.endswith("acute"))
        )
    for g, r in zip(pooled.gold, pooled.readings, strict=True):
        if (g.level == "acuut") != (r.level == "acuut") or (g.level == "acuut" and g.danger != r.danger):
            p = r.level_probabilities.get("acuut", 0.0)
            print(f"  [{g.level}/{g.danger} -> {r.level}/{r.danger} p={p:.2f}] {g.text[:150]}")


def sweep(pooled: Pooled) -> None:
    """Acute recall and false acute for other acute thresholds on the same out-of-fold probabilities."""
    acute = np.array([g.level == "acuut" for g in pooled.gold])
    ordinary = np.array([g.level == "geen" for g in pooled.gold])
    p = np.array([r.acute_probability for r in pooled.readings])
    forced = np.array([bool(r.forced_by) for r in pooled.readings])
    print(f"\nacute threshold sweep (out of fold; forced phrases count as acute; {acute.sum()} acute, "
          f"{ordinary.sum()} ordinary; forced on ordinary: {int((forced & ordinary).sum())})")  # fmt: skip
    print("| P(acuut) >= | acute recall | false acute |")
    print("|-------------|--------------|-------------|")
    for t in (0.3, 0.35, 0.4, 0.42, 0.44, 0.46, 0.48, 0.5, 0.52, 0.55, 0.6):
        given = (p >= t) | forced
        print(f"| {t:11.2f} | {given[acute].mean():12.3f} | {given[ordinary].mean():11.3f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--set", action="append", default=[], help="override a Constants field, e.g. level_c=2"
    )
    parser.add_argument("--misses", action="store_true", help="print training-corpus safety errors")
    parser.add_argument("--writers", default="", help="comma-separated writers to leave out (default: all)")
    args = parser.parse_args()
    from bot.threads import use_threads

    print(use_threads(None))
    paths = KnowledgePaths.under(KNOWLEDGE)
    taxonomy = load_taxonomy(paths.taxonomy)
    corpus = load_corpus(paths.corpus, taxonomy)
    constants = constants_from(args.set)
    key = yaml.safe_load(KEY.read_text(encoding="utf-8"))["voorbeeld"]
    writers = [
        w for w in dict.fromkeys(i.writer for i in corpus) if not args.writers or w in args.writers.split(",")
    ]
    encoder = CachingEncoder(USEEmbeddings())
    print(f"leave-one-writer-out over {len(corpus)} training situations, writers: {', '.join(writers)}")
    if args.set:
        print(f"constants changed: {', '.join(args.set)}")
    pooled = Pooled()
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        for writer in writers:
            run_fold(writer, corpus, encoder, paths, constants, key, Path(tmp), pooled)
    print(f"({time.perf_counter() - start:.0f} s)")
    report(pooled, taxonomy.ids)
    if args.misses:
        misses(pooled)


if __name__ == "__main__":
    main()
