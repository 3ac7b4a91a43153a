"""Scoring shared by the held-out round files (``test_heldout_round_<n>.py``).

First-run accuracy per round (each round scored once, before any change for it), next to
the code as it was before round 1 (commit 04d28be) on the same cases:

    round  replies now / before   requests now / before
      1      18/26 / 18/26           8/10 / 8/10
      2      20/26 / 20/26           9/11 / 9/11
      3      21/28 / 20/28           9/11 / 9/11
      4      21/26 / 20/26          11/11 / 10/11
      5      17/27 / 16/27           9/12 / 9/12
      6      19/27 / 18/27           9/12 / 9/12
      7      18/27 / 19/27           9/11 / 9/11
      8      24/27 / 21/27          10/12 / 10/12   (fallback classifier from here on)
      9      17/22 / 16/22          10/10 / 10/10

Vocabulary fixes carried over to fresh phrasing only slightly (about one reply a round);
the fallback classifier (``agent.understanding._nb``) added two and one. Rounds 1-9 are
training examples of that classifier now (``build_examples``): a new round must be
scored before it is added there.

A case's expected intent is a string, or a tuple of intents that are all acceptable
when the message is genuinely ambiguous. ``python -m tests.agent.understanding._heldout N``
prints a round's accuracy and misses.
"""

from __future__ import annotations

import importlib
import sys
from datetime import date

from agent.understanding.replies import understand_reply
from agent.understanding.requests import CustomerName, understand_request

TODAY = date(2026, 11, 23)  # a Monday
KNOWN = ("INV-1042", "INV-1043", "INV-1044", "INV-1077", "INV-5001")
CUSTOMERS = [
    CustomerName("C-001", "Globex Corporation", ("Globex Corp", "GLOBEX")),
    CustomerName("C-002", "Initech LLC", ("Initech",)),
    CustomerName("C-003", "Umbrella Industries GmbH", ()),
    CustomerName("C-004", "Soylent Foods Inc.", ("Soylent",)),
    CustomerName("C-005", "Dupont & Fils SARL", ()),
    CustomerName("C-006", "Tailspin Toys", ("Tailspin",)),
]

Expected = str | tuple[str, ...]


def _ok(got: str, expected: Expected) -> bool:
    return got in expected if isinstance(expected, tuple) else got == expected


def reply_misses(cases: list[tuple[str, Expected]]) -> list[tuple[Expected, str, str]]:
    """Return (expected, got, text) for every reply case read wrongly."""
    misses = []
    for text, expected in cases:
        got = understand_reply(text, today=TODAY, known_invoices=KNOWN).intent
        if not _ok(got, expected):
            misses.append((expected, got, text[:90]))
    return misses


def request_misses(
    cases: list[tuple[str, Expected, str | None]],
) -> list[tuple[Expected, str, str | None, str | None, str]]:
    """Return (expected, got, customer, got customer, text) for every request read wrongly."""
    misses = []
    for text, expected, customer in cases:
        got = understand_request(text, today=TODAY, customers=CUSTOMERS)
        top = got.customer_candidates[0][0] if got.customer_candidates else None
        if not _ok(got.intent, expected) or (customer is not None and top != customer):
            misses.append((expected, got.intent, customer, top, text))
    return misses


def main(round_no: str) -> None:
    module = importlib.import_module(f"tests.agent.understanding.test_heldout_round_{round_no}")
    replies = reply_misses(module.REPLIES)
    requests = request_misses(module.REQUESTS)
    n_rep, n_req = len(module.REPLIES), len(module.REQUESTS)
    print(f"replies {n_rep - len(replies)}/{n_rep}  requests {n_req - len(requests)}/{n_req}")
    for miss in [*replies, *requests]:
        print("  MISS", miss)


if __name__ == "__main__":
    main(sys.argv[1])
