"""Leave-one-writer-out CV of the SAFETY head only (level + danger type): fast, to tune the safety head.

Same folds as bench/writer_cv.py (each knowledge/situaties/train_*.yaml writer left out in turn; chat writer k mod 4
left out with it), but only the level and danger-type models are fitted (no levensgebieden, no ranking), and the
decision is the one the bot makes (bot.understanding.model.judge_safety: thresholds, the adults-only rule, the forced
phrases). Prints per writer and pooled: acute given acute, zorg flagged, false acute and ordinary given zorg, the
danger head on its own (most likely type on every labelled safety case) and as shown, chat messages flagged, and a
zorg threshold sweep. The held-out split (heldout_*) is never read.

With --first-folds the blind writers of the first-kind files (knowledge/eerste_partner_schrijvers.yaml,
eerste_partner_moment.yaml: eerste_a-d, all acute) are folds too: acute given per writer and `moment` label, each
writer scored by heads that never saw it; --set first_acute_weight=W trains the safety heads on them (round 13).

Run: PYTHONPATH=. .venv/bin/python bench/safety_cv.py [--set age_weight=0 ...] [--extra FILE] [--misses] [--first-folds]
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.writer_cv import CachingEncoder, constants_from  # noqa: E402
from bot.retrieval.embeddings import USEEmbeddings  # noqa: E402
from bot.understanding.chat import load_chat  # noqa: E402
from bot.understanding.classifier import fit_danger, fit_level  # noqa: E402
from bot.understanding.corpus import load_corpus, load_corpus_file  # noqa: E402
from bot.understanding.features import Featurizer, lexicon_columns  # noqa: E402
from bot.understanding.lexicon import load_lexicon  # noqa: E402
from bot.understanding.model import judge_safety  # noqa: E402
from bot.understanding.safety import load_safety  # noqa: E402
from bot.understanding.safety_eval import (  # noqa: E402
    danger_scores,
    head_danger,
    print_confusion,
    print_danger_table,
)
from bot.understanding.taxonomy import load_taxonomy  # noqa: E402
from bot.understanding.training import KnowledgePaths, encode, examples_for, writer_examples  # noqa: E402


class Reading:
    """The safety part of an Understanding (what danger_scores needs)."""

    def __init__(self, verdict: tuple) -> None:  # type: ignore[type-arg]
        self.level, self.danger, self.level_probabilities, self.danger_probabilities, self.forced_by = verdict


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--set", action="append", default=[], help="override a Constants field")
    parser.add_argument("--extra", action="append", type=Path, default=[])
    parser.add_argument("--misses", action="store_true", help="print training-data safety errors")
    parser.add_argument(
        "--first-folds",
        action="store_true",
        help="the first-kind writers (eerste_a-d) as folds too: their acute recall by moment",
    )
    args = parser.parse_args()
    paths = KnowledgePaths.under(ROOT / "knowledge")
    taxonomy, lexicon = load_taxonomy(paths.taxonomy), load_lexicon(paths.lexicon)
    safety = load_safety(paths.safety, taxonomy)
    corpus = load_corpus(paths.corpus, taxonomy)
    for extra in args.extra:
        corpus += load_corpus_file(extra, taxonomy)
    chat = load_chat(paths.dialoog)
    constants = constants_from(args.set)
    start = time.perf_counter()
    # every first-kind writer row is read (weight 1 here); the ones constants do not train on are masked below
    first = (
        writer_examples(paths.safety.parent)
        if args.first_folds or constants.first_acute_weight > 0 or constants.first_acute_danger
        else []
    )
    all_moments = dataclasses.replace(
        constants, first_acute_weight=1.0, first_acute_moments=("", "nu", "achteraf")
    )
    examples, hits = examples_for(corpus, taxonomy, lexicon, chat, all_moments, first)
    n_first = len(first)
    first_rows = np.arange(len(examples) - n_first, len(examples))
    first_writer = np.array([e.kaart for e in first])
    trains = (
        constants.first_acute_weight > 0 or constants.first_acute_danger
    )  # weight 0: the level head ignores them
    first_used = np.array([trains and e.moment in constants.first_acute_moments
                           for e in first], dtype=bool)  # fmt: skip
    for row in first_rows:
        examples[row] = dataclasses.replace(examples[row], weight=constants.first_acute_weight)
    n_corpus, n_chat = len(corpus), len([e for e in examples if e.safety_only]) - n_first
    dense = encode(CachingEncoder(USEEmbeddings()), [e.text or "." for e in examples])  # type: ignore[arg-type]
    chat_rows = np.arange(len(examples) - n_first - n_chat, len(examples) - n_first)
    chat_used = [c for c in chat if c.level == "geen" or constants.chat_acute_weight > 0]
    chat_writer_of = np.array([c.writer for c in chat_used])
    writers = list(dict.fromkeys(i.writer for i in corpus))
    chat_writers = list(dict.fromkeys(c.writer for c in chat))
    print(f"safety head, leave-one-writer-out: {n_corpus} situations of {len(writers)} writers, {n_chat} chat "
          f"messages; constants changed: {', '.join(args.set) or '-'}")  # fmt: skip
    readings: list[Reading | None] = [None] * n_corpus
    chat_readings: dict[int, Reading] = {}
    corpus_writer = np.array([i.writer for i in corpus])
    first_folds = sorted(set(first_writer)) if args.first_folds else []
    first_readings: dict[int, Reading] = {}
    for k, writer in enumerate([*writers, *first_folds]):
        held_chat_writer = chat_writers[k % len(chat_writers)] if chat_writers and k < len(writers) else ""
        test = np.flatnonzero(corpus_writer == writer)
        if writer in first_folds:
            test = first_rows[first_writer == writer]
        chat_test = chat_rows[chat_writer_of == held_chat_writer] if held_chat_writer else np.array([], int)
        done = {i for i in chat_test if i in chat_readings}
        keep = np.ones(len(examples), dtype=bool)
        keep[first_rows[~first_used]] = False
        keep[test] = False
        keep[chat_test] = False
        train_idx = np.flatnonzero(keep)
        train_examples = [examples[i] for i in train_idx]
        featurizer = Featurizer(constants, lexicon_columns(lexicon, scope=constants.safety_scope)).fit(
            [e.text for e in train_examples]
        )
        features = featurizer.transform([e.text for e in examples], dense, hits)
        level_model = fit_level(features[train_idx], train_examples, constants)
        danger_model = fit_danger(features[train_idx], train_examples, constants)
        rows = np.concatenate([test, [i for i in chat_test if i not in done]]).astype(int)
        level_p, danger_p = (
            level_model.predict_proba(features[rows]),
            danger_model.predict_proba(features[rows], [examples[i].text for i in rows]),
        )
        for row, lp, dp in zip(rows, level_p, danger_p, strict=True):
            levels = dict(zip(level_model.classes_, (float(p) for p in lp), strict=True))
            dangers = dict(zip(danger_model.classes_, (float(p) for p in dp), strict=True))
            reading = Reading(judge_safety(examples[row].text, levels, dangers, constants, safety))
            if row < n_corpus:
                readings[row] = reading
            elif row >= len(examples) - n_first:
                first_readings[int(row)] = reading
            else:
                chat_readings[int(row)] = reading
    print(f"({time.perf_counter() - start:.0f} s)")
    report(corpus, [r for r in readings if r is not None], writers, list(chat_readings.values()))
    report_scope(corpus, [r for r in readings if r is not None], lexicon)
    if first_folds:
        report_first(first, [first_readings[int(i)] for i in first_rows])
    if args.misses:
        for item, r in zip(corpus, readings, strict=True):
            assert r is not None
            wrong_level = (item.level == "geen") != (r.level == "geen") or (item.level == "acuut") != (
                r.level == "acuut"
            )
            if wrong_level or (item.level != "geen" and r.danger != item.danger):
                risk = r.level_probabilities.get("acuut", 0) + r.level_probabilities.get("zorg", 0)
                print(
                    f"  [{item.level}/{item.danger} -> {r.level}/{r.danger} risk={risk:.2f}] {item.text[:140]}"
                )


def report_scope(corpus: list, readings: list[Reading], lexicon) -> None:  # type: ignore[type-arg,no-untyped-def]
    """Round 19: the cases whose safety words are negated, told as past or called not acute (scope.read_scope), by
    gold level: how many got acute and how many got any safety level, out of fold."""
    from bot.understanding.scope import read_scope

    print("| scope of the safety words | gold  | n    | given acute | given zorg or acute |")
    scopes = [read_scope(lexicon, item.text) for item in corpus]
    for name in ("negated", "past", "calm", "any"):
        for gold in ("geen", "zorg", "acuut"):
            pairs = []
            for item, r, s in zip(corpus, readings, scopes, strict=True):
                on = {"negated": s.negated > 0, "past": s.past > 0, "calm": s.calm,
                      "any": s.negated > 0 or s.past > 0 or s.calm}[name]  # fmt: skip
                if on and item.level == gold:
                    pairs.append(r)
            a, f = sum(r.level == "acuut" for r in pairs), sum(r.level != "geen" for r in pairs)
            print(f"| {name:<25} | {gold:<5} | {len(pairs):4d} | {a:11d} | {f:19d} |")


def report_first(first: list, readings: list[Reading]) -> None:  # type: ignore[type-arg]
    """Acute given for the first-kind writers (each left out in its own fold), by writer and moment label."""
    print("| first-kind writer | moment   | acute given | danger head right |")
    for writer in [*sorted({e.kaart for e in first}), "POOLED"]:
        for moment in ("", "nu", "achteraf", "all"):
            pairs = [(e, r) for e, r in zip(first, readings, strict=True)
                     if writer in ("POOLED", e.kaart) and moment in ("all", e.moment)]  # fmt: skip
            if not pairs:
                continue
            a = sum(r.level == "acuut" for _, r in pairs)
            d = sum(head_danger(r) == e.danger for e, r in pairs)
            print(f"| {writer:<17} | {moment or '-':<8} | {a:>4}/{len(pairs):<4} {a / len(pairs):.3f} | "
                  f"{d:>4}/{len(pairs):<4} |")  # fmt: skip


def report(corpus: list, readings: list[Reading], writers: list[str], chat: list[Reading]) -> None:  # type: ignore[type-arg]
    print(
        "| writer left out        | n    | acute given | zorg flagged | false acute     | ordinary zorg   |"
    )
    print(
        "|------------------------|------|-------------|--------------|-----------------|-----------------|"
    )
    for writer in [*writers, "POOLED"]:
        pairs = [(i, r) for i, r in zip(corpus, readings, strict=True) if writer in ("POOLED", i.writer)]
        acute = [r for i, r in pairs if i.level == "acuut"]
        zorg = [r for i, r in pairs if i.level == "zorg"]
        calm = [r for i, r in pairs if i.level == "geen"]
        a = sum(r.level == "acuut" for r in acute)
        z = sum(r.level != "geen" for r in zorg)
        fa, oz = sum(r.level == "acuut" for r in calm), sum(r.level == "zorg" for r in calm)
        print(f"| {writer:<22} | {len(pairs):4d} | {a:>3}/{len(acute):<3} {a / max(1, len(acute)):.3f} | "
              f"{z:>3}/{len(zorg):<3} {z / max(1, len(zorg)):.3f} | {fa:>3}/{len(calm):<4} {fa / max(1, len(calm)):.3f} | "
              f"{oz:>3}/{len(calm):<4} {oz / max(1, len(calm)):.3f} |")  # fmt: skip
    print_danger_table(danger_scores(corpus, readings), "safety CV, pooled")
    confused = [
        (str(i.danger), head_danger(r) or "-") for i, r in zip(corpus, readings, strict=True) if i.danger
    ]
    print_confusion(confused, "safety CV, pooled, every labelled safety case")
    flagged = sum(r.level != "geen" for r in chat)
    print(
        f"\nchat messages (out of fold): {len(chat)}, flagged {flagged} = {flagged / max(1, len(chat)):.4f}"
    )
    gold = np.array([i.level for i in corpus])
    risk = np.array(
        [r.level_probabilities.get("acuut", 0) + r.level_probabilities.get("zorg", 0) for r in readings]
    )
    forced = np.array([bool(r.forced_by) for r in readings])
    acute_p = np.array([r.level_probabilities.get("acuut", 0) for r in readings])
    shown = np.array([head_danger(r) or "" for r in readings])
    label = np.array([i.danger or "" for i in corpus])
    print(
        "| P(acuut) >= | acute given | acute, wrong type | false acute | ordinary zorg (risk >= 0.18)      |"
    )
    for t in (0.15, 0.16, 0.17, 0.18, 0.19, 0.2, 0.22, 0.25):
        a = (acute_p >= t) | forced
        on = gold == "acuut"
        wrong = a & on & (shown != label)
        oz = ~a & (risk >= 0.18) & (gold == "geen")
        print(f"| {t:11.2f} | {a[on].sum():4d}/{on.sum():<4d} {a[on].mean():.3f} | {wrong.sum():17d} | "
              f"{a[gold == 'geen'].sum():4d} = {a[gold == 'geen'].mean():.4f} | {oz.sum():4d} = "
              f"{oz[gold == 'geen'].mean():.4f}{'':14} |")  # fmt: skip
    print("| P(risk) >= | zorg flagged | ordinary flagged |")
    for t in (0.15, 0.18, 0.2, 0.22, 0.25, 0.3):
        f = (risk >= t) | forced
        print(f"| {t:10.2f} | {f[gold == 'zorg'].mean():12.3f} | {f[gold == 'geen'].mean():16.3f} |")


if __name__ == "__main__":
    main()
