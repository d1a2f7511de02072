"""Which safety partner kind first in an acute situation: leave-one-kaart-out CV of the learned first-kind model
(bot/understanding/first_kinds.py) against the fixed order of veiligheid.yaml.

The examples come from answer keys of dev kaarten (`first` ids of acute situations, read as the partner kinds of those
rows): every tests/data/dev_* kaart whose danger types tests/kaart/gevaar_dev_kaarten.yaml labels, and
tests/kaart/situaties_redteam2.yaml on vierde_gemeente.csv. Per fold the model is trained on the other kaarten and the
left-out kaart's acute situations get the kind order the ranking would use; a hit is a level read as acute and a first
kind whose row the key accepts (for the police kind: the row with the national alarm number when the kaart has one).
Held-out kaarten are never read. With --write the examples are written to knowledge/eerste_partner.yaml.

Variants: the round-9 police model (--grid police_only=1 --grid level=10 --grid t=0.4 --grid compete=1 --grid
margin=0.2); the choice among the kaart's kinds (--grid choice=1 --grid c=10), with the police model beside it deciding
112 first (--grid hybrid=1 --grid t=0.4 --grid compete=1 --grid margin=0.23: the production setting, round 10);
the choice alone with word 1-2-grams of the text (--grid choice=1 --grid c=10 --grid words=2: round 11); with P(nu) of
the moment head (bot/understanding/moment.py) as a feature (--grid moment=W) and/or as the gate for 112 first
(--grid gate=T), the head's own settings mc (C), mvec (sentence vector weight), mchars (1: character n-grams too).
The writers with a `moment` label (knowledge/eerste_partner_moment.yaml) are folds too: their fold's head never saw
them. --by-moment splits every writer fold's hits by the `moment` label.
Round 16: the writers eerste_f1 and eerste_f2 (knowledge/eerste_partner_medisch.yaml, labelled `moment` and `medisch`)
are folds too. Options: --grid cd=0 leaves the moment-labelled writers eerste_c/d out of training (as production,
first_moment_examples False; they are still scored), --grid med=0 the same for eerste_f1/f2, --grid medw=W weights
each f1/f2 example W, --grid medfeat=W / medpol=W add P(medisch) of the medical head (fitted per fold on the
training folds' `medisch` labels, cross-fitted by writer) as a feature of the choice / of the police model.
The production setting: --grid choice=1 --grid c=10 --grid hybrid=1 --grid t=0.4 --grid compete=1 --grid margin=0.23
--grid cd=0 --grid med=0. The last columns: the sum over the folds before round 16 ("old"), and over f1 + f2.
--by-medical splits the f1/f2 folds' hits by `medisch`.
Round 17: --grid share=R lets only the kinds of the danger types with P >= R x the top type's P come first
(first_kinds.first_eligible, constants.first_danger_share); --grid fallback=1 holds only the kind that comes
first when the police model does not back 112 to it (constants.first_share_fallback_only).
Round 18: --grid emerg=T puts 112 first when the emergency head (first_kinds.emergency_head, fitted per fold on the
training folds' `moment` + `medisch` labels) gives P >= T (constants.first_emergency_gate); --grid vnow=T the same
for violence (the likeliest type has the police first) read as happening now by the present head with P >= T
(first_kinds.present_head on the training folds' `moment` labels; constants.first_present_gate); --grid g=0 leaves the
writers eerste_g1/g2 out of training (they are still scored); --extra FILE adds a file of writer examples as folds.
Round 19: --grid vshare=S extends the vnow rule to a likeliest type whose training folds' writers put 112 first in at
least S of their `moment: nu` cases (first_kinds.now_alarm_shares; constants.first_present_share).

Run: PYTHONPATH=. .venv/bin/python bench/first_kind_cv.py [--grid c=0.1,1,10 --grid danger_weight=1,3] [--write]
"""

from __future__ import annotations

import argparse
import itertools
import sys
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.kaart.validation import parse_file  # noqa: E402
from bot.retrieval.embeddings import USEEmbeddings  # noqa: E402
from bot.understanding.first_kinds import (  # noqa: E402
    EMERGENCY_KEY,
    FILE,
    MEDICAL_FILE,
    MEDICAL_KEY,
    MOMENT_FILE,
    PRESENT_KEY,
    WRITERS_FILE,
    FirstChoice,
    FirstExample,
    FirstKinds,
    danger_inputs,
    emergency_head,
    first_eligible,
    load_examples,
    medical_head,
    now_alarm_shares,
    order_kinds,
    present_head,
    with_medical,
)
from bot.understanding.training import KnowledgePaths, build_understander  # noqa: E402

KEY_DANGERS = ROOT / "tests" / "kaart" / "gevaar_dev_kaarten.yaml"
# the dev kaarten with an answer key: every folder tests/data/dev_* whose acute danger types KEY_DANGERS labels
KEYED = [ROOT / "tests" / "data" / name for name in yaml.safe_load(KEY_DANGERS.read_text(encoding="utf-8"))]
REDTEAM = (
    ROOT / "tests" / "kaart" / "vierde_gemeente.csv",
    ROOT / "tests" / "kaart" / "situaties_redteam2.yaml",
)
CONVERSATIONS = [ROOT / "tests" / "data" / f"dev_{name}" for name in ("lindenwaard", "haverdam", "veendijk")]
CONVERSATION_DANGERS = {"dev_lindenwaard": "kindermishandeling", "dev_haverdam": "kindermishandeling",
                        "dev_veendijk": "kindermishandeling"}  # fmt: skip
G_WRITERS = {"eerste_g1", "eerste_g2"}  # round 18: --grid g=0 leaves them out of training
EXTRA: list[Path] = []  # --extra FILE: more writer example files (folds)
WRITERS = True  # --no-writers: only the answer keys of the dev kaarten
DOMAIN_DANGER = {"suïcide": "suicide", "kindermishandeling": "kindermishandeling", "huiselijk geweld":
                 "huiselijk_geweld", "psychose": "psychose", "ouderenmishandeling": "ouderenmishandeling"}  # fmt: skip


def keyed_cases(safety: Any) -> list[tuple[FirstExample, set[str], str | None]]:
    """(example, key row ids, the kaart's alarm row id) for every acute situation with an answer key."""
    out = []
    dangers = yaml.safe_load(KEY_DANGERS.read_text(encoding="utf-8"))
    sources = [(next(f.glob("*.csv")), f / "situaties.yaml", f.name) for f in KEYED]
    sources.append((*REDTEAM, "vierde_gemeente"))
    out += conversation_cases(safety)
    if (
        WRITERS
    ):  # the blind writers' acute situations (every kind available; politie = 112): one fold per writer
        for example in [*load_examples(ROOT / "knowledge" / WRITERS_FILE),
                        *load_examples(ROOT / "knowledge" / MOMENT_FILE),
                        *load_examples(ROOT / "knowledge" / MEDICAL_FILE),
                        *(e for f in EXTRA for e in load_examples(f))]:  # fmt: skip
            out.append((example, {"112"} if "politie" in example.first else set(), "112"))
    for kaart, situations, name in sources:
        services = parse_file(kaart).services
        kinds = dict(zip([s.id for s in services], safety.kinds_of_services(services), strict=True))
        alarm = next((s.id for s in services if _alarm(safety, s.phone)), None)
        present = frozenset().union(*kinds.values())
        items = [i for i in yaml.safe_load(situations.read_text(encoding="utf-8"))["situations"]
                 if i.get("safety") in ("acuut", "acute")]  # fmt: skip
        types = dangers.get(name) or [
            next(DOMAIN_DANGER[d] for d in i["domains"] if d in DOMAIN_DANGER) for i in items
        ]
        for item, danger in zip(items, types, strict=True):
            key = item["first"] if isinstance(item["first"], list) else [item["first"]]
            first = frozenset(k for i in key for k in kinds.get(i, ()))
            out.append((FirstExample(item["s"], danger, first, present, name), set(key), alarm))
    return out


def conversation_cases(safety: Any) -> list[tuple[FirstExample, set[str], str | None]]:
    """Acute turns with a `first_partner` in the dev conversations of tests/data/dev_* (their danger type:
    CONVERSATION_DANGERS, labelled by safety7)."""
    out = []
    for folder in CONVERSATIONS:
        services = parse_file(next(folder.glob("*.csv"))).services
        kinds = dict(zip([s.id for s in services], safety.kinds_of_services(services), strict=True))
        alarm = next((s.id for s in services if _alarm(safety, s.phone)), None)
        data = yaml.safe_load((folder / "conversations.yaml").read_text(encoding="utf-8"))
        for conversation in data["conversations"]:
            for turn in conversation["turns"]:
                expect = turn.get("expect") or {}
                if expect.get("safety") == "acute" and expect.get("first_partner") and "say" in turn:
                    key = list(expect["first_partner"])
                    first = frozenset(k for i in key for k in kinds.get(i, ()))
                    example = FirstExample(turn["say"], CONVERSATION_DANGERS[folder.name], first,
                                           frozenset().union(*kinds.values()), folder.name)  # fmt: skip
                    out.append((example, set(key), alarm))
    return out


def _alarm(safety: Any, phone: str) -> bool:
    line = safety.national.matching(phone) if safety.national and phone else None
    return line is not None and line.key == "alarm"


def expected_fit(
    safety: Any, dangers: dict[str, float], present: frozenset[str], decay: float
) -> dict[str, float]:
    """As Ranker._kind_order: per kind its place among the kinds of each danger type, weighted by that type."""
    fit: dict[str, float] = {}
    for danger, p in dangers.items():
        for place, kind in enumerate(k for k in safety.partner_kinds("acuut", danger) if k in present):
            fit[kind] = fit.get(kind, 0.0) + p * decay**place
    return fit


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--grid", action="append", default=[], help="NAME=V1,V2 for c, danger_weight")
    parser.add_argument("--write", action="store_true", help="write the examples to knowledge/" + FILE)
    parser.add_argument("--misses", action="store_true")
    parser.add_argument(
        "--by-moment", action="store_true", help="hits of the moment-labelled writers by moment"
    )
    parser.add_argument("--no-writers", action="store_true", help="leave the writers' examples out")
    parser.add_argument("--by-medical", action="store_true", help="hits of the f1/f2 folds by `medisch`")
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "first_kind_cv")
    parser.add_argument(
        "--extra", action="append", type=Path, default=[], help="more writer example files (folds)"
    )
    args = parser.parse_args()
    EXTRA.extend(args.extra)
    global WRITERS
    WRITERS = not args.no_writers
    understander = build_understander(
        KnowledgePaths.under(ROOT / "knowledge"), USEEmbeddings(), cache_dir=args.cache
    )
    safety, c = understander.safety, understander.constants
    cases = keyed_cases(safety)
    if args.write:  # the answer-key examples only (the writers' have their own file)
        write([case for case in cases if case[0].kaart not in writer_names()])
    readings = understander.understand_many([e.text for e, _, _ in cases])
    vectors = np.vstack([r.vector for r in readings])
    levels = [r.level_probabilities for r in readings]
    dangers_only = [r.danger_probabilities for r in readings]
    signal = np.vstack([r.hits for r in readings]).astype(np.float32)
    grid = dict(g.split("=", 1) for g in args.grid) or {"c": "1", "danger_weight": "1"}
    variants: list[tuple[str, dict[str, float] | None]] = [("veiligheid.yaml order", None)]
    for values in itertools.product(*(v.split(",") for v in grid.values())):
        setting = {k: float(v) for k, v in zip(grid, values, strict=True)}
        variants.append((" ".join(f"{k}={v:g}" for k, v in setting.items()), setting))
    kaarten = sorted({e.kaart for e, _, _ in cases})
    print(f"{len(cases)} acute situations with a key on {len(kaarten)} kaarten; level acute "
          f"{sum(r.level == 'acuut' for r in readings)}")  # fmt: skip
    print("| variant                    | " + " | ".join(f"{k[:15]:>15}" for k in kaarten) + " |   all |")
    fold_heads: dict[tuple[str, str], Any] = {}  # (head, left-out fold) -> the emergency / present head
    for name, setting in variants:
        level_weight = (setting or {}).get("level", 0.0)
        dangers = [danger_inputs(d, lv, level_weight) for d, lv in zip(dangers_only, levels, strict=True)]
        hits = dict.fromkeys(kaarten, 0)
        moments = {m: [0, 0] for m in ("nu", "achteraf")}  # hits, cases of the moment-labelled writers
        medicals = {m: [0, 0] for m in ("ja", "nee")}  # hits, cases of the medical-labelled writers
        s = setting or {}
        for left in kaarten:
            # never the left-out fold; the moment-only writers (c/d) with cd, the medical ones (f1/f2) with med
            train = [i for i, (e, _, _) in enumerate(cases) if e.kaart != left and (
                not e.moment or (s.get("med", 1) if e.medical else s.get("cd", 1)))
                and (s.get("g", 1) or e.kaart not in G_WRITERS)]  # fmt: skip
            weights = np.array([s.get("medw", 1.0) if cases[i][0].medical else 1.0 for i in train])
            p_med = None
            head = None
            urgent = None
            now_head = None
            if s.get("vnow", 0) > 0:  # the present head on the other folds' `moment` labels (once per fold)
                if ("nu", left) not in fold_heads:
                    rows = [i for i, (e, _, _) in enumerate(cases) if e.kaart != left and e.moment]
                    fold_heads["nu", left] = present_head(vectors[rows], [readings[i].expanded for i in rows],
                                                          [cases[i][0] for i in rows], {"c": c.moment_c,
                                                          "vector_weight": c.moment_vector_weight,
                                                          "chars": c.moment_chars})  # fmt: skip
                now_head = fold_heads["nu", left]
            if s.get("emerg", 0) > 0:  # the emergency head on the other folds' labels (once per fold)
                if ("spoed", left) not in fold_heads:
                    rows = [
                        i for i, (e, _, _) in enumerate(cases) if e.kaart != left and e.medical and e.moment
                    ]
                    fold_heads["spoed", left] = emergency_head(vectors[rows], [readings[i].expanded for i in rows],
                                                               [cases[i][0] for i in rows], {"c": c.medical_c,
                                                               "vector_weight": c.medical_vector_weight,
                                                               "chars": c.medical_chars})  # fmt: skip
                urgent = fold_heads["spoed", left]
            # the medical head on the other folds' labels
            if s.get("medfeat", 0) > 0 or s.get("medpol", 0) > 0:
                labelled = [i for i, (e, _, _) in enumerate(cases) if e.kaart != left and e.medical]
                rows = train + [i for i in labelled if i not in set(train)]
                head, p = medical_head(vectors[rows], [readings[i].expanded for i in rows],
                                       [cases[i][0] for i in rows], {"c": c.medical_c,
                                       "vector_weight": c.medical_vector_weight, "chars": c.medical_chars})  # fmt: skip
                p_med = p[: len(train)]
            model: FirstKinds | FirstChoice | None = None
            police: FirstKinds | None = None
            if setting is not None and setting.get("choice"):
                model = FirstChoice(understander.model.dangers, c=setting.get("c", 1.0),
                                    danger_weight=setting.get("danger_weight", 1.0),
                                    vector_weight=setting.get("vector", 1.0),
                                    words_weight=setting.get("words", 0.0),
                                    moment_weight=setting.get("moment", 0.0), moment=setting.get("gate", 0) > 0,
                                    moment_head={"c": setting.get("mc", 1.0), "vector_weight": setting.get("mvec", 1.0),
                                                 "chars": bool(setting.get("mchars", 0))},
                                    medical_weight=setting.get("medfeat", 0.0))  # fmt: skip
                model.fit(vectors[train], with_medical([dangers[i] for i in train], p_med),
                          [cases[i][0] for i in train], texts=[readings[i].expanded for i in train],
                          weights=weights)  # fmt: skip
                if setting.get("hybrid"):  # the round-9 police model beside it (P(acuut) x10, police only)
                    police = FirstKinds(understander.model.dangers, only=("politie",),
                                        medical_weight=setting.get("medpol", 0.0))  # fmt: skip
                    police_in = [
                        danger_inputs(d, lv, 10.0) for d, lv in zip(dangers_only, levels, strict=True)
                    ]
                    police.fit(vectors[train], with_medical([police_in[i] for i in train], p_med),
                               [cases[i][0] for i in train], weights=weights)  # fmt: skip
            elif setting is not None:
                model = FirstKinds(
                    understander.model.dangers,
                    c=setting.get("c", 1.0),
                    danger_weight=setting.get("danger_weight", 1.0),
                    only=("politie",) if setting.get("police_only") else (),
                    hits_weight=setting.get("hits", 0.0),
                    vector_weight=setting.get("vector", 1.0),
                )
                model.fit(
                    vectors[train], [dangers[i] for i in train], [cases[i][0] for i in train], signal[train]
                )
            for i, (example, key, alarm) in enumerate(cases):
                if example.kaart != left or readings[i].level != "acuut":
                    continue
                fit = expected_fit(safety, dangers_only[i], example.present, c.kind_place_decay)
                extra = {} if head is None else {
                    MEDICAL_KEY: float(head.p_now(vectors[i : i + 1], [readings[i].expanded])[0])}  # fmt: skip
                first = (model.scores(vectors[i], {**dangers[i], **extra}, readings[i].expanded)
                         if isinstance(model, FirstChoice)
                         else model.scores(vectors[i], dangers[i], signal[i]) if model else {})  # fmt: skip
                if police is not None:
                    first = {**police.scores(vectors[i], {**police_in[i], **extra}), **first}
                if urgent is not None:
                    first[EMERGENCY_KEY] = float(urgent.p_now(vectors[i : i + 1], [readings[i].expanded])[0])
                if now_head is not None:
                    first[PRESENT_KEY] = float(now_head.p_now(vectors[i : i + 1], [readings[i].expanded])[0])
                now_alarm = False
                if s.get("vshare", 0) > 0:  # round 19: the training folds' share of 'nu' cases with 112 first
                    if ("share", left) not in fold_heads:
                        fold_heads["share", left] = now_alarm_shares(
                            [e for e, _, _ in cases if e.kaart != left]
                        )
                    share = fold_heads["share", left].get(readings[i].danger or "", 0.0)
                    now_alarm = share >= s["vshare"]
                if setting is not None and not setting.get("rates", 1):
                    first = {k: v for k, v in first.items() if not k.startswith("rate:")}
                if setting is not None and setting.get("no_police"):
                    first = {k: v for k, v in first.items() if k != "politie"}
                if setting is not None and setting.get("police_always"):
                    first = {"politie": 1.0}
                top = safety.partner_kinds("acuut", readings[i].danger)
                kind = (
                    order_kinds(
                        fit,
                        first,
                        top,
                        alarm=alarm is not None,
                        threshold=(setting or {}).get("t", 0.5),
                        compete=bool((setting or {}).get("compete", 0)),
                        margin=(setting or {}).get("margin", 0.0),
                        now_gate=(setting or {}).get("gate", 0.0),
                        eligible=first_eligible(
                            safety,
                            "acuut",
                            dangers_only[i],
                            example.present,
                            (setting or {}).get("share", 0.0),
                        ),
                        fallback_only=bool((setting or {}).get("fallback", 0)),
                        emergency=(setting or {}).get("emerg", 0.0),
                        present=(setting or {}).get("vnow", 0.0),
                        now_alarm=now_alarm,
                    )[0]
                    if fit
                    else None
                )
                ok = kind in example.first and (kind != "politie" or alarm is None or alarm in key)
                hits[left] += ok
                if example.moment in moments:
                    moments[example.moment][0] += ok
                    moments[example.moment][1] += 1
                if example.medical in medicals:
                    medicals[example.medical][0] += ok
                    medicals[example.medical][1] += 1
                if args.misses and not ok and setting is not None and name == variants[-1][0]:
                    print(
                        f"    {left[:12]} {example.danger}: {order_kinds(fit, first, top, alarm=alarm is not None)[:3]} "
                        f"{ {k: round(v, 2) for k, v in first.items()} } | key {sorted(example.first)} | {example.text[:50]}"
                    )
        n = {k: sum(e.kaart == k for e, _, _ in cases) for k in kaarten}
        new = {e.kaart for e, _, _ in cases if e.medical}
        old = [k for k in kaarten if k not in new]
        print(f"| {name[-26:]:<26} | " + " | ".join(f"{hits[k]:>8}/{n[k]:<6}" for k in kaarten)
              + f" | {sum(hits.values()):>2}/{len(cases)} | old {sum(hits[k] for k in old)}/{sum(n[k] for k in old)}"
              + f" | f1+f2 {sum(hits[k] for k in new)}/{sum(n[k] for k in new)} |"
              + ("".join(f" {m} {h}/{n}" for m, (h, n) in moments.items() if n) if args.by_moment else "")
              + ("".join(f" med {m} {h}/{n}" for m, (h, n) in medicals.items() if n) if args.by_medical else ""),
              flush=True)  # fmt: skip


def writer_names() -> set[str]:
    return {
        e.kaart
        for f in (WRITERS_FILE, MOMENT_FILE, MEDICAL_FILE)
        for e in load_examples(ROOT / "knowledge" / f)
    }


def write(cases: list[tuple[FirstExample, set[str], str | None]]) -> None:
    head = ("# Acute situaties met de soorten partner die als EERSTE passen (uit de antwoordsleutels van dev-kaarten:\n"
            "# de 'first'-rijen, gelezen als soort partner) en de soorten die die kaart had. Voor\n"
            "# bot/understanding/first_kinds.py; gemaakt met bench/first_kind_cv.py --write. Fictief.\n")  # fmt: skip
    items = [{"tekst": e.text, "gevaar": e.danger, "eerste": sorted(e.first), "op_kaart": sorted(e.present),
              "kaart": e.kaart} for e, _, _ in cases]  # fmt: skip
    text = yaml.safe_dump({"situaties": items}, allow_unicode=True, sort_keys=False, width=120)
    (ROOT / "knowledge" / FILE).write_text(head + text, encoding="utf-8")


if __name__ == "__main__":
    main()
