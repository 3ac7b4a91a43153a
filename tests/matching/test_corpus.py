"""The engine runs over every real bank file of the corpus: one result per line, debits unmatched."""

from __future__ import annotations

from decimal import Decimal

from core.errors import ARAgentError
from ledger.bankfiles import parse_bank_file
from matching.engine import Matcher
from matching.service import txn_from_line
from matching.types import CustomerProfile, OpenItem


def test_every_parseable_corpus_file_matches_without_error(corpora):
    matcher = Matcher(
        [
            OpenItem("INV-1042", "C1", Decimal("100.00"), "EUR"),
            OpenItem("12345", "C1", Decimal("50.00"), "EUR"),
        ],
        [CustomerProfile("C1", "Praxis am Weiher")],
    )
    files = sorted(
        p for p in (corpora / "bankfiles").rglob("*") if p.is_file() and p.suffix != ".md"
    )
    matched = 0
    for path in files:
        try:
            statements = parse_bank_file(path)
        except ARAgentError:
            continue
        txns = [txn_from_line(line) for s in statements for line in s.lines]
        results = matcher.match_all(txns)
        assert [r.txn.id for r in results] == [t.id for t in txns], path.name
        for r in results:
            assert r.status in ("auto", "review", "unmatched")
            if r.txn.direction == "debit":
                assert r.status == "unmatched" and r.allocations == [], path.name
            assert r.allocated <= r.txn.amount, path.name
            r.to_dict()
        matched += 1
    assert matched >= 40
