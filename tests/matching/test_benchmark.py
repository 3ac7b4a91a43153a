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
    assert ours.identifiable_rate >= 0.95
    assert ours.auto_rate > base.auto_rate + 0.1
    assert ours.top1 >= 0.6
    assert base.identifiable == ours.identifiable  # one denominator for both


def test_identifiable_keeps_every_referenced_payment_and_drops_only_customer_payments() -> None:
    scn = generate(3000, 800, seed=5)
    matchable = {t for t, truth in scn.truth.items() if truth is not None}
    assert scn.identifiable <= matchable
    referenced = {t for t in matchable if scn.kinds[t].split("/")[1] in ("reference", "po")}
    assert referenced <= scn.identifiable
    dropped = {scn.kinds[t].split("/")[1] for t in matchable - scn.identifiable}
    assert dropped <= {"none", "typo"}  # only lines with no usable reference
    assert len(scn.identifiable) >= 0.85 * len(matchable)


def test_misses_lists_every_matchable_payment_not_auto_matched_with_a_category() -> None:
    from bench.matching import misses

    kept: list = []
    ours, _, _ = run(600, 200, seed=3, keep=kept)
    rows = misses(*kept)
    assert len(rows) == ours.matchable - ours.auto_correct
    assert all(cat and " -> " in line and "reasons=" in line for cat, line in rows)


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
