"""Is the danger happening now or told afterwards (bot/understanding/moment.py), and how the first-kind choice uses
it (P(nu) as a feature, the gate for 112 first). Texts written for this test; small synthetic fits (< 1 s)."""

from __future__ import annotations

import numpy as np

from bot.understanding.first_kinds import CHOICE, NOW_KEY, FirstChoice, FirstExample, order_kinds
from bot.understanding.moment import MomentHead, cross_fitted

NOW = [
    "hij slaat haar nu",
    "hij staat nu voor de deur met een mes",
    "ze ligt nu op de grond, ik hoor hem schreeuwen",
]
AFTER = ["ze vertelt dat hij haar vorige week sloeg", "kind vertelt op school over gisteren",
         "ze vertelt over vorige maand, hij is nu op zijn werk"]  # fmt: skip
KINDS = frozenset({"politie", "veilig_thuis"})


def _examples(n: int = 40) -> tuple[list[FirstExample], list[str]]:
    examples, texts = [], []
    for i in range(n):
        now = i % 2 == 1
        text = (NOW if now else AFTER)[i // 2 % 3]
        examples.append(FirstExample(text, "huiselijk_geweld", frozenset({"politie" if now else "veilig_thuis"}),
                                     KINDS, f"w{i % 4}", "nu" if now else "achteraf"))  # fmt: skip
        texts.append(text)
    return examples, texts


def test_head_reads_now_and_afterwards_from_the_words() -> None:
    examples, texts = _examples()
    vectors = np.zeros((len(texts), 4))
    head = MomentHead(c=10.0, vector_weight=0.0).fit(vectors, texts, [e.moment for e in examples])
    p = head.p_now(np.zeros((2, 4)), ["hij slaat haar nu", "ze vertelt dat hij haar vorige week sloeg"])
    assert p[0] > 0.6 > 0.4 > p[1]
    assert MomentHead().p_now(np.zeros((1, 4)), ["x"])[0] == 0.5  # not fitted: no opinion


def test_cross_fitted_scores_each_writer_with_a_head_that_did_not_see_it() -> None:
    examples, texts = _examples()
    texts[1] = (
        "zij heeft het nu en hier zwaar met hem"  # unique text of writer w1: its own fold cannot learn it
    )
    moments = [e.moment for e in examples] + [""]
    groups = [e.kaart for e in examples] + ["kaart"]
    vectors = np.zeros((len(moments), 4))
    full, p = cross_fitted(vectors, [*texts, "hij slaat haar nu"], moments, groups, c=10.0, vector_weight=0.0)
    assert full is not None and p[-1] > 0.6  # an unlabelled row: the full head
    assert full.p_now(vectors[:1], [texts[1]])[0] > p[1]  # in-sample surer than its cross-fitted P(nu)
    none, flat = cross_fitted(vectors[:2], ["a", "b"], ["", ""], ["k", "k"])
    assert none is None and (flat == 0.5).all()


def test_gate_puts_112_second_when_the_danger_is_not_now() -> None:
    fit = {"veilig_thuis": 1.0, "politie": 0.5}
    first = {CHOICE + "politie": 2.0, CHOICE + "veilig_thuis": 1.0, NOW_KEY: 0.2}
    assert order_kinds(fit, first, list(fit))[0] == "politie"  # no gate
    assert order_kinds(fit, first, list(fit), now_gate=0.5)[0] == "veilig_thuis"
    assert order_kinds(fit, {**first, NOW_KEY: 0.8}, list(fit), now_gate=0.5)[0] == "politie"


def test_choice_with_moment_feature_and_gate() -> None:
    examples, texts = _examples()
    rng = np.random.default_rng(3)
    vectors = 0.05 * rng.standard_normal((len(examples), 8))
    dangers = [{"huiselijk_geweld": 1.0}] * len(examples)
    model = FirstChoice(["huiselijk_geweld"], c=10.0, moment_weight=3.0,
                        moment_head={"c": 10.0, "vector_weight": 0.0}).fit(vectors, dangers, examples, texts=texts)  # fmt: skip
    fit = {"veilig_thuis": 1.0, "politie": 0.5}
    now = model.scores(np.zeros(8), dangers[0], "hij slaat haar nu")
    after = model.scores(np.zeros(8), dangers[0], "ze vertelt dat hij haar vorige week sloeg")
    assert now[NOW_KEY] > 0.5 > after[NOW_KEY]
    assert order_kinds(fit, now, list(fit), now_gate=0.5)[0] == "politie"
    assert order_kinds(fit, after, list(fit))[0] == "veilig_thuis"
    assert NOW_KEY not in FirstChoice(["huiselijk_geweld"]).fit(vectors, dangers, examples).scores(
        np.zeros(8), dangers[0], "x"
    )
