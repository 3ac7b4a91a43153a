"""Bounded subset-sum over one customer's open items: which invoices add up to a payment.

Amounts are integers of the currency's minor unit. A depth-first search over items in
descending order, pruned by the running sum and the remaining suffix sum, with a hard
cap on set size and on nodes visited, so a customer with thousands of open items costs
a bounded amount of work.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")

MAX_ITEMS = 32


def find_subsets(
    items: Sequence[tuple[int, T]],
    target: int,
    tolerance: int,
    *,
    max_size: int = 6,
    min_size: int = 2,
    max_results: int = 8,
    budget: int = 8_000,
) -> list[tuple[list[T], int]]:
    """Sets of ``items`` (amount, item) whose amounts sum to ``target`` ± ``tolerance``.

    Returns ``(items, target - sum)`` pairs, closest and smallest sets first. Only the
    first :data:`MAX_ITEMS` items are searched (callers pass them oldest first).
    """
    pool = sorted(
        ((a, i, it) for i, (a, it) in enumerate(items[:MAX_ITEMS]) if 0 < a <= target + tolerance),
        key=lambda x: -x[0],
    )
    if len(pool) < min_size:
        return []
    amounts = [a for a, _, _ in pool]
    suffix = [0] * (len(pool) + 1)
    for k in range(len(pool) - 1, -1, -1):
        suffix[k] = suffix[k + 1] + amounts[k]
    lo, hi = target - tolerance, target + tolerance
    found: list[tuple[int, int, list[int]]] = []
    nodes = 0
    chosen: list[int] = []

    def dfs(start: int, total: int) -> None:
        nonlocal nodes
        for k in range(start, len(pool)):
            nodes += 1
            if nodes > budget:
                return
            new = total + amounts[k]
            if new > hi:
                continue
            if new + suffix[k + 1] < lo:
                return  # even everything that is left cannot reach the target
            chosen.append(k)
            if new >= lo and len(chosen) >= min_size:
                found.append((abs(target - new), len(chosen), list(chosen)))
                if len(found) >= 8 * max_results:
                    nodes = budget + 1  # plenty of candidates: stop searching
                    return
            if len(chosen) < max_size:
                dfs(k + 1, new)
            chosen.pop()

    dfs(0, 0)
    found.sort(key=lambda f: (f[0], f[1], f[2]))
    out: list[tuple[list[T], int]] = []
    for _, _, ks in found[:max_results]:
        picked = sorted(ks, key=lambda k: pool[k][1])
        out.append(([pool[k][2] for k in picked], target - sum(amounts[k] for k in ks)))
    return out
