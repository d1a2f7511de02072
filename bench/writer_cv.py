"""Leave-one-writer-out cross-validation over the TRAINING data: the honest estimate to tune on.

Each knowledge/situaties/train_*.yaml file is one writer (more with --extra: a candidate training file). For
every writer the models are trained on the other writers only, and the full suggestion pipeline (understanding +
ranking on the example kaart, scored with the hand-made key in tests/kaart/gold_levensgebieden.yaml) runs on that
writer's situations. The chat messages of knowledge/dialoog
(train_* only) are folded too: fold k also leaves out dialogue writer k mod 4, whose chat messages (acts other than
situatie/acuut) must get NO safety level; the figures for them come from the fold that left them out.

Prints per writer and pooled: top-3, top-1, acute given 'acute' with a fitting safety partner first, zorg flagged,
false acute and ORDINARY FLAGGED ZORG on ordinary situations, macro F1; chat messages flagged acute / zorg; and a
sweep of the acute and zorg thresholds on the out-of-fold probabilities, so thresholds are chosen here and never
on held-out data. The held-out split (heldout_*) is never read.

Run: PYTHONPATH=. .venv/bin/python bench/writer_cv.py [--set safety_prior=0 ...] [--extra FILE ...] [--misses]
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
from bot.understanding.chat import ChatText, load_chat  # noqa: E402
from bot.understanding.constants import Constants  # noqa: E402
from bot.understanding.corpus import LabelledText, load_corpus, load_corpus_file  # noqa: E402
from bot.understanding.features import CachingEncoder  # noqa: E402,F401 (also imported from here by other benches)
from bot.understanding.lexicon import load_lexicon  # noqa: E402
from bot.understanding.model import Understander, Understanding  # noqa: E402
from bot.understanding.safety import load_safety  # noqa: E402
from bot.understanding.safety_eval import danger_scores, print_danger_table  # noqa: E402
from bot.understanding.taxonomy import load_taxonomy  # noqa: E402
from bot.understanding.training import KnowledgePaths, train_model  # noqa: E402

KNOWLEDGE = ROOT / "knowledge"
EXAMPLE = KNOWLEDGE / "sociale_kaart" / "voorbeeld.csv"
KEY = ROOT / "tests" / "kaart" / "gold_levensgebieden.yaml"


@dataclasses.dataclass
class Pooled:
    scores: list[tuple[str, CorpusScores]] = dataclasses.field(default_factory=list)
    gold: list[LabelledText] = dataclasses.field(default_factory=list)
    readings: list[Understanding] = dataclasses.field(default_factory=list)
    chat: list[ChatText] = dataclasses.field(default_factory=list)
    chat_readings: list[Understanding] = dataclasses.field(default_factory=list)


def constants_from(overrides: list[str]) -> Constants:
    base = Constants()
    changes: dict[str, Any] = {}
    for item in overrides:
        name, _, value = item.partition("=")
        current = getattr(base, name)
        if isinstance(current, bool):
            changes[name] = value.strip().lower() in ("1", "true", "yes")
        else:
            changes[name] = type(current)(value) if not isinstance(current, tuple) else eval(value)  # noqa: S307
    return dataclasses.replace(base, **changes)


def run_fold(writer: str, chat_writer: str | None, corpus: list[LabelledText], chat: list[ChatText],
             encoder: CachingEncoder, paths: KnowledgePaths, constants: Constants, key: dict[str, Any], tmp: Path,
             pooled: Pooled, *, suggest: bool) -> None:  # fmt: skip
    taxonomy, lexicon = load_taxonomy(paths.taxonomy), load_lexicon(paths.lexicon)
    safety = load_safety(paths.safety, taxonomy)
    train = [i for i in corpus if i.writer != writer]
    held = [i for i in corpus if i.writer == writer]
    model = train_model(train, taxonomy=taxonomy, lexicon=lexicon, encoder=encoder, constants=constants,
                        chat=[c for c in chat if c.writer != chat_writer])  # fmt: skip
    understander = Understander(model=model, lexicon=lexicon, encoder=encoder, taxonomy=taxonomy, safety=safety,
                                constants=constants)  # fmt: skip
    if suggest:
        service = PartnerService(settings=Settings(WIJKBOT_DATA_DIR=tmp / writer), embeddings=encoder,
                                 understander=understander)  # fmt: skip
        pooled.scores.append(
            (writer, score_corpus(held, lambda t: service.suggest(t, kaart_path=EXAMPLE), key))
        )
    pooled.gold += held
    pooled.readings += understander.understand_many([i.text for i in held])
    done = {c.writer for c in pooled.chat}
    held_chat = [c for c in chat if c.writer == chat_writer and chat_writer not in done]
    pooled.chat += held_chat
    pooled.chat_readings += understander.understand_many([c.text for c in held_chat])


def row(name: str, s: CorpusScores, macro: float) -> str:
    r = s.rate
    return (f"| {name:<22} | {s.cases:5d} | {r(s.top3, s.cases):5.3f} | {r(s.top1, s.cases):5.3f} | "
            f"{s.acute_first:>3}/{s.acute_cases:<3} {r(s.acute_first, s.acute_cases):5.3f} | "
            f"{r(s.acute_level, s.acute_cases):5.3f} | {r(s.zorg_flagged, s.zorg_cases):5.3f} | "
            f"{s.false_acute:>3}/{s.ordinary_cases:<4} {r(s.false_acute, s.ordinary_cases):5.3f} | "
            f"{s.ordinary_zorg:>3}/{s.ordinary_cases:<4} {r(s.ordinary_zorg, s.ordinary_cases):5.3f} | {macro:5.3f} |")  # fmt: skip


def macro_f1(gold: list[LabelledText], readings: list[Understanding], ids: list[str]) -> float:
    f1 = per_domain_f1([g.domains for g in gold], [r.domains for r in readings], ids)
    return float(np.mean([v[2] for v in f1.values() if v[3]]))


def report(pooled: Pooled, ids: list[str]) -> None:
    if pooled.scores:
        print("\n| writer left out        | n     | top-3 | top-1 | acute first     | acute | zorg  "
              "| false acute      | ordinary zorg    | F1    |")  # fmt: skip
        print("|------------------------|-------|-------|-------|-----------------|-------|-------"
              "|------------------|------------------|-------|")  # fmt: skip
        total, start = CorpusScores(), 0
        for writer, s in pooled.scores:
            part = slice(start, start + s.cases)
            start += s.cases
            print(row(writer, s, macro_f1(pooled.gold[part], pooled.readings[part], ids)))
            for field in dataclasses.fields(CorpusScores):
                if field.name != "misses":
                    setattr(total, field.name, getattr(total, field.name) + getattr(s, field.name))
        print(row("POOLED", total, macro_f1(pooled.gold, pooled.readings, ids)))
    print_danger_table(danger_scores(pooled.gold, pooled.readings), "leave-one-writer-out, pooled")
    chat_table(pooled)
    sweep(pooled)


def chat_table(pooled: Pooled) -> None:
    print("\nchat messages (knowledge/dialoog train_*, out of fold): safety level given")
    print(
        "| dialogue writer        | chat (no case) | flagged acute | flagged zorg | acuut messages given acute |"
    )
    print(
        "|------------------------|----------------|---------------|--------------|----------------------------|"
    )
    writers = list(dict.fromkeys(c.writer for c in pooled.chat))
    for writer in [*writers, "ALL"]:
        pairs = [(c, r) for c, r in zip(pooled.chat, pooled.chat_readings, strict=True)
                 if writer in ("ALL", c.writer)]  # fmt: skip
        calm = [r for c, r in pairs if c.level == "geen"]
        acute = [r for c, r in pairs if c.level == "acuut"]
        a = sum(r.level == "acuut" for r in calm)
        z = sum(r.level == "zorg" for r in calm)
        g = sum(r.level == "acuut" for r in acute)
        print(f"| {writer:<22} | {len(calm):14d} | {a:>4} = {a / max(1, len(calm)):6.3f} | "
              f"{z:>4} = {z / max(1, len(calm)):5.3f} | {g:>4}/{len(acute):<4} = {g / max(1, len(acute)):5.3f}{'':9}|")  # fmt: skip


def sweep(pooled: Pooled) -> None:
    """Safety figures for other thresholds on the same out-of-fold probabilities (forced phrases count)."""
    gold = pooled.gold
    acute = np.array([g.level == "acuut" for g in gold])
    zorg = np.array([g.level == "zorg" for g in gold])
    ordinary = np.array([g.level == "geen" for g in gold])
    p_acute = np.array([r.level_probabilities.get("acuut", 0.0) for r in pooled.readings])
    p_risk = p_acute + np.array([r.level_probabilities.get("zorg", 0.0) for r in pooled.readings])
    forced = np.array([bool(r.forced_by) for r in pooled.readings])
    calm = [r for c, r in zip(pooled.chat, pooled.chat_readings, strict=True) if c.level == "geen"]
    c_acute = np.array([r.level_probabilities.get("acuut", 0.0) for r in calm])
    c_risk = c_acute + np.array([r.level_probabilities.get("zorg", 0.0) for r in calm])
    c_forced = np.array([bool(r.forced_by) for r in calm], dtype=bool)
    print(f"\nacute threshold sweep on P(acuut) ({acute.sum()} acute, {zorg.sum()} zorg, {ordinary.sum()} ordinary, "
          f"{len(calm)} chat; forced on ordinary: {int((forced & ordinary).sum())}, on chat: {int(c_forced.sum())})")  # fmt: skip
    print("| P(acuut) >= | acute recall | zorg called acute | false acute | chat acute |")
    print("|-------------|--------------|-------------------|-------------|------------|")
    for t in (0.1, 0.15, 0.2, 0.22, 0.24, 0.26, 0.28, 0.3, 0.32, 0.35, 0.4, 0.5):
        given, chat_given = (p_acute >= t) | forced, (c_acute >= t) | c_forced
        print(f"| {t:11.2f} | {given[acute].mean():12.3f} | {given[zorg].mean():17.3f} | "
              f"{given[ordinary].mean():11.3f} | {chat_given.mean() if len(calm) else 0:10.3f} |")  # fmt: skip
    print("\nzorg threshold sweep on P(acuut) + P(zorg) (flagged = any level)")
    print("| P(risk) >= | zorg flagged | acute flagged | ordinary flagged | chat flagged |")
    print("|------------|--------------|---------------|------------------|--------------|")
    for t in (0.15, 0.2, 0.25, 0.28, 0.3, 0.32, 0.35, 0.4, 0.45, 0.5, 0.6):
        flagged, chat_flagged = (p_risk >= t) | forced, (c_risk >= t) | c_forced
        print(f"| {t:10.2f} | {flagged[zorg].mean():12.3f} | {flagged[acute].mean():13.3f} | "
              f"{flagged[ordinary].mean():16.3f} | {chat_flagged.mean() if len(calm) else 0:12.3f} |")  # fmt: skip


def misses(pooled: Pooled) -> None:
    """Training-data errors only (never held-out): safety level and danger type, with the model's reading."""
    for writer, s in pooled.scores:
        print("\n".join(f"  {writer} {m}" for m in s.misses if m.startswith("[acuut]")))
    for g, r in zip(pooled.gold, pooled.readings, strict=True):
        if (g.level == "acuut") != (r.level == "acuut") or (g.level == "acuut" and g.danger != r.danger):
            p = r.level_probabilities.get("acuut", 0.0)
            print(f"  [{g.level}/{g.danger} -> {r.level}/{r.danger} p={p:.2f}] {g.text[:150]}")
    for c, r in zip(pooled.chat, pooled.chat_readings, strict=True):
        if c.level == "geen" and r.level != "geen":
            print(f"  [chat {c.act} -> {r.level}/{r.danger}] {c.text[:150]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--set", action="append", default=[], help="override a Constants field, e.g. level_c=2"
    )
    parser.add_argument(
        "--extra", action="append", type=Path, default=[], help="another training writer file"
    )
    parser.add_argument("--misses", action="store_true", help="print training-data safety errors")
    parser.add_argument("--writers", default="", help="comma-separated writers to leave out (default: all)")
    parser.add_argument("--no-suggest", action="store_true", help="understanding only (no ranking): faster")
    args = parser.parse_args()
    from bot.threads import use_threads

    print(use_threads(None))
    paths = KnowledgePaths.under(KNOWLEDGE)
    taxonomy = load_taxonomy(paths.taxonomy)
    corpus = load_corpus(paths.corpus, taxonomy)
    for extra in args.extra:
        corpus += load_corpus_file(extra, taxonomy)
    chat = load_chat(paths.dialoog)
    chat_writers = list(dict.fromkeys(c.writer for c in chat))
    constants = constants_from(args.set)
    key = yaml.safe_load(KEY.read_text(encoding="utf-8"))["voorbeeld"]
    writers = [
        w for w in dict.fromkeys(i.writer for i in corpus) if not args.writers or w in args.writers.split(",")
    ]
    encoder = CachingEncoder(USEEmbeddings())
    print(f"leave-one-writer-out over {len(corpus)} training situations, writers: {', '.join(writers)}; "
          f"{len(chat)} chat messages of {len(chat_writers)} dialogue writers")  # fmt: skip
    if args.set:
        print(f"constants changed: {', '.join(args.set)}")
    pooled = Pooled()
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        for k, writer in enumerate(writers):
            chat_writer = chat_writers[k % len(chat_writers)] if chat_writers else None
            run_fold(writer, chat_writer, corpus, chat, encoder, paths, constants, key, Path(tmp), pooled,
                     suggest=not args.no_suggest)  # fmt: skip
    print(f"({time.perf_counter() - start:.0f} s)")
    report(pooled, taxonomy.ids)
    if args.misses:
        misses(pooled)


if __name__ == "__main__":
    main()
