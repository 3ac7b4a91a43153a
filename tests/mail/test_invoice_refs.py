"""mail.invoice_refs: invoice numbers in free text, tolerant to how customers write them."""

from __future__ import annotations

import pytest

from mail.invoice_refs import find_invoice_numbers
from tests.support import factories


@pytest.fixture
def session(db):
    with db.transaction() as s:
        a = factories.customer(s, "C-001", "Globex")
        b = factories.customer(s, "C-002", "Initech")
        factories.invoice(s, a, "INV-1042")
        factories.invoice(s, a, "INV-1077")
        factories.invoice(s, b, "2026-00017")
        yield s


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("paid INV-1042", ["INV-1042"]),
        ("paid INV1042", ["INV-1042"]),
        ("inv 1042", ["INV-1042"]),
        ("invoice #1042 and #1077", ["INV-1042", "INV-1077"]),
        ("Rechnung Nr. 1042", ["INV-1042"]),
        ("factures 1042, 1077", ["INV-1042", "INV-1077"]),
        ("invoice 2026-00017", ["2026-00017"]),
        ("we paid $1,042.00 on 2026-11-20", []),
        ("PO-1042 was received", []),
        ("call me at 1042", []),
    ],
)
def test_invoice_mentions(session, text, expected) -> None:
    assert sorted(n for n, _ in find_invoice_numbers(session, text)) == expected


def test_restricting_to_a_customer(session) -> None:
    assert find_invoice_numbers(
        session, "INV-1042 and invoice 2026-00017", customer_id="C-002"
    ) == [("2026-00017", "C-002")]
