"""Kaart rows: which safety partner kind (politie, veilig_thuis, lijn_113, ...) and which levensgebieden.

Prints, per labelled file in knowledge/diensten/ (train_* out of fold: leave-one-writer-out; heldout_* summary
only, trained on all train files):
- kind accuracy, safety-kind precision / recall, rows of kind 'geen' given a kind;
- levensgebieden top-1 (first predicted is a labelled one) and micro F1 of the chosen set.
Methods: the word lists of veiligheid.yaml (before #7 round 4) vs the learned classifier; for domains the
situation model on the service text vs the learned service model vs their blend.

    PYTHONPATH=$PWD python bench/partner_kinds.py [--cv] [--no-domains] [--cache DIR]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.understanding.partner_kinds import KindSettings  # noqa: E402
from bot.understanding.safety import SafetyData, load_safety  # noqa: E402
from bot.understanding.service_models import DomainSettings, ServiceModels  # noqa: E402
from bot.understanding.service_rows import HELDOUT_GLOB, NO_KIND, LabelledService, load_service_file  # noqa: E402
from bot.understanding.taxonomy import load_taxonomy  # noqa: E402

KNOWLEDGE = ROOT / "knowledge"
DIENSTEN = KNOWLEDGE / "diensten"


def kind_scores(rows: Sequence[LabelledService], found: Sequence[set[str]]) -> dict[str, str]:
    exact = tp = predicted = safety_rows = geen = false_kind = 0
    for row, kinds in zip(rows, found, strict=True):
        gold = set() if row.kind == NO_KIND else {row.kind}
        exact += kinds == gold
        tp += len(kinds & gold)
        predicted += len(kinds)
        safety_rows += bool(gold)
        geen += not gold
        false_kind += bool(not gold and kinds)
    return {"rows": str(len(rows)), "kind acc": f"{exact / len(rows):.3f}",
            "safety P": f"{tp / max(1, predicted):.3f}", "safety R": f"{tp / max(1, safety_rows):.3f}",
            "geen given a kind": f"{false_kind}/{geen}"}  # fmt: skip


def domain_scores(rows: Sequence[LabelledService], chosen: Sequence[tuple[str, ...]]) -> dict[str, str]:
    labelled = [(r, c) for r, c in zip(rows, chosen, strict=True) if r.domains]
    top1 = sum(bool(c) and c[0] in r.domains for r, c in labelled)
    tp = sum(len(set(c) & set(r.domains)) for r, c in labelled)
    p = tp / max(1, sum(len(c) for _, c in labelled))
    rec = tp / max(1, sum(len(r.domains) for r, _ in labelled))
    f1 = 2 * p * rec / max(1e-9, p + rec)
    return {"rows": str(len(labelled)), "top-1": f"{top1 / max(1, len(labelled)):.3f}", "P": f"{p:.3f}",
            "R": f"{rec:.3f}", "F1": f"{f1:.3f}"}  # fmt: skip


def table(title: str, lines: list[tuple[str, dict[str, str]]]) -> None:
    print(f"\n{title}")
    if not lines:
        return
    keys = list(lines[0][1])
    print(f"  {'set / method':<40}" + "".join(f"{k:>19}" for k in keys))
    for name, scores in lines:
        print(f"  {name:<40}" + "".join(f"{scores[k]:>19}" for k in keys))


def learned(safety: SafetyData, rows: Sequence[LabelledService], ids: list[str], *,
            kind_settings: KindSettings | None = None, domain_settings: DomainSettings | None = None) -> SafetyData:  # fmt: skip
    models = ServiceModels(rows, safety.kind_words, kinds=list(safety.kinds), domain_ids=ids,
                           kind_settings=kind_settings, domain_settings=domain_settings)  # fmt: skip
    return replace(safety, learned=models)


def folds(
    files: dict[str, list[LabelledService]],
) -> list[tuple[str, list[LabelledService], list[LabelledService]]]:
    """Leave one writer (file) out: (name, training rows, test rows)."""
    return [(name, [r for other, rs in files.items() if other != name for r in rs], test)
            for name, test in files.items()]  # fmt: skip


def kinds_tables(safety: SafetyData, ids: list[str], train: dict[str, list[LabelledService]],
                 heldout: dict[str, list[LabelledService]], *, cv: bool) -> None:  # fmt: skip
    words = replace(safety, learned=None)
    lines = [(f"{name} · word lists", kind_scores(rows, words.kinds_of_services([r.service for r in rows])))
             for name, rows in {**train, **heldout}.items()]  # fmt: skip
    for name, rest, test in folds(train):
        model = learned(safety, rest, ids)
        lines.append((f"{name} · learned (out of fold)", kind_scores(test, model.kinds_of_services(
            [r.service for r in test]))))  # fmt: skip
    everything = [r for rows in train.values() for r in rows]
    for name, rows in heldout.items():
        model = learned(safety, everything, ids)
        lines.append((f"{name} · learned (all train)", kind_scores(rows, model.kinds_of_services(
            [r.service for r in rows]))))  # fmt: skip
    table("Partner kind of a kaart row", lines)
    if cv:
        kind_cv(safety, ids, train)


def kind_cv(safety: SafetyData, ids: list[str], train: dict[str, list[LabelledService]]) -> None:
    """Leave-one-writer-out over the train files only: C, description weight and threshold."""
    lines = []
    for c in (1.0, 3.0, 10.0, 30.0):
        for dw in (0.3, 0.6, 1.0):
            for threshold in (0.3, 0.4, 0.5, 0.6):
                settings = KindSettings(c=c, description_weight=dw, threshold=threshold)
                rows, found = [], []
                for _, rest, test in folds(train):
                    model = learned(safety, rest, ids, kind_settings=settings)
                    rows += test
                    found += model.kinds_of_services([r.service for r in test])
                lines.append((f"C={c} desc={dw} thr={threshold}", kind_scores(rows, found)))
    table("Kind CV (leave one writer out, train files only)", lines)


def domain_tables(safety: SafetyData, ids: list[str], train: dict[str, list[LabelledService]],
                  heldout: dict[str, list[LabelledService]], *, cache: Path | None, cv: bool) -> None:  # fmt: skip
    from bot.retrieval.embeddings import USEEmbeddings
    from bot.understanding.service_domains import guess_domains
    from bot.understanding.training import KnowledgePaths, build_understander

    understander = build_understander(KnowledgePaths.under(KNOWLEDGE), USEEmbeddings(), cache_dir=cache)
    situation = replace(safety, learned=None)

    def run(rows: list[LabelledService], model: SafetyData) -> list[tuple[str, ...]]:
        understander.safety = model
        return [g.domains for g in guess_domains([r.service for r in rows], understander)]

    lines = [(f"{name} · situation model", domain_scores(rows, run(rows, situation)))
             for name, rows in {**train, **heldout}.items()]  # fmt: skip
    default = DomainSettings()
    grid = (
        [(b, t) for b in (0.5, 0.7, 0.85, 1.0) for t in (0.3, 0.4, 0.5)]
        if cv
        else [(default.blend, default.threshold)]
    )
    for blend, threshold in grid:
        settings = DomainSettings(blend=blend, threshold=threshold)
        for name, rest, test in folds(train):
            lines.append((f"{name} · blend {blend} thr {threshold} (out of fold)",
                          domain_scores(test, run(test, learned(safety, rest, ids, domain_settings=settings)))))  # fmt: skip
    everything = [r for rows in train.values() for r in rows]
    for name, rows in heldout.items():
        lines.append((f"{name} · blend {DomainSettings().blend} (all train)",
                      domain_scores(rows, run(rows, learned(safety, everything, ids)))))  # fmt: skip
    table("Levensgebieden of a kaart row", lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cv", action="store_true", help="grids over the train files (leave one writer out)")
    parser.add_argument("--no-domains", action="store_true")
    parser.add_argument("--no-heldout", action="store_true")
    parser.add_argument("--cache", type=Path, default=None, help="model cache dir for the situation model")
    args = parser.parse_args()
    taxonomy = load_taxonomy(KNOWLEDGE / "levensgebieden.yaml")
    safety = load_safety(KNOWLEDGE / "veiligheid.yaml", taxonomy)
    kinds = set(safety.kinds)
    train = {p.stem: load_service_file(p, taxonomy, kinds) for p in sorted(DIENSTEN.glob("train_*.yaml"))}
    heldout = {} if args.no_heldout else {p.stem: load_service_file(p, taxonomy, kinds)
                                          for p in sorted(DIENSTEN.glob(HELDOUT_GLOB))}  # fmt: skip
    kinds_tables(safety, taxonomy.ids, train, heldout, cv=args.cv)
    if not args.no_domains:
        with tempfile.TemporaryDirectory() as tmp:
            domain_tables(safety, taxonomy.ids, train, heldout, cache=args.cache or Path(tmp), cv=args.cv)


if __name__ == "__main__":
    main()
