from __future__ import annotations

import time

from matching.subset import find_subsets


def test_finds_the_exact_pair_first() -> None:
    items = [(1000, "a"), (2500, "b"), (4000, "c"), (1500, "d")]
    found = find_subsets(items, 5500, 0)
    assert found == [(["c", "d"], 0)]


def test_respects_tolerance_and_reports_the_difference() -> None:
    found = find_subsets([(1000, "a"), (2000, "b")], 2990, 20)
    assert found == [(["a", "b"], -10)]


def test_no_subset_means_empty() -> None:
    assert find_subsets([(1000, "a"), (2000, "b")], 5000, 0) == []


def test_max_size_bounds_the_search() -> None:
    items = [(100, str(i)) for i in range(10)]
    assert find_subsets(items, 500, 0, max_size=4) == []
    assert find_subsets(items, 400, 0, max_size=4)


def test_large_customer_stays_fast() -> None:
    items = [(10_000 + 37 * i, str(i)) for i in range(2000)]
    started = time.perf_counter()
    find_subsets(items, 123_456_789, 0)
    find_subsets(items, 61_000, 500)
    assert time.perf_counter() - started < 0.5
