"""A small-scale run of the cash-application benchmark: the floors the product promises."""

from __future__ import annotations

from bench.matching import generate, run


def test_generator_is_deterministic_and_mixes_hard_cases() -> None:
    a, b = generate(600, 200, seed=3), generate(600, 200, seed=3)
    assert [t.reference for t in a.txns] == [t.reference for t in b.txns]
    kinds = " ".join(a.kinds.values())
    for hard in (
        "typo",
        "third party",
        "truncated",
        "multi",
        "+fee",
        "partial",
        "noise credit",
        "debit",
    ):
        assert hard in kinds


def test_engine_beats_the_rules_baseline_at_high_precision() -> None:
    ours, base, _ = run(3000, 800, seed=11)
    assert ours.precision >= 0.998
    assert ours.auto_rate >= 0.85
    assert ours.auto_rate > base.auto_rate + 0.1
    assert ours.top1 >= 0.6


def test_cost_per_line_does_not_grow_with_the_ledger() -> None:
    import time

    from matching.engine import Matcher

    per_line = []
    for n_inv, n_pay in ((3_000, 300), (30_000, 3_000)):
        scn = generate(n_inv, n_pay, seed=5)
        started = time.process_time()
        Matcher(scn.items, scn.profiles).match_all(scn.txns)
        per_line.append((time.process_time() - started) / n_pay)
    assert per_line[1] <= 2.5 * per_line[0]
