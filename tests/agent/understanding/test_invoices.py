"""Invoice references: formats, lists, ranges, and mapping to the ledger's numbers."""

from __future__ import annotations

import pytest

from agent.understanding.invoices import find_invoice_refs, invoice_key

KNOWN = ["INV-1042", "INV-1043", "INV-1044", "INV-0988", "INV-2026-0042", "INV-1077"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("INV-1042", ["INV-1042"]),
        ("INV1042", ["INV-1042"]),
        ("inv 1042", ["INV-1042"]),
        ("inv #1042", ["INV-1042"]),
        ("Inv-01042", ["INV-1042"]),
        ("Invoice No. 1042", ["INV-1042"]),
        ("invoice #1042", ["INV-1042"]),
        ("invoice number 1042", ["INV-1042"]),
        ("Rechnung Nr. 1042", ["INV-1042"]),
        ("Rechnungsnummer 1042", ["INV-1042"]),
        ("Rechnungs-Nr.: 1042", ["INV-1042"]),
        ("facture n° 1042", ["INV-1042"]),
        ("factura 1042", ["INV-1042"]),
        ("fattura n. 1042", ["INV-1042"]),
        ("invoices 1042, 1043 and 1044", ["INV-1042", "INV-1043", "INV-1044"]),
        ("Rechnungen 1042 und 1043", ["INV-1042", "INV-1043"]),
        ("factures 1042 et 1043", ["INV-1042", "INV-1043"]),
        ("facturas 1042 y 1043", ["INV-1042", "INV-1043"]),
        ("invoices 1042-1044", ["INV-1042", "INV-1043", "INV-1044"]),
        ("invoices 1042 to 1044", ["INV-1042", "INV-1043", "INV-1044"]),
        ("INV-1042 and INV-1077", ["INV-1042", "INV-1077"]),
        ("inv 988", ["INV-0988"]),
        ("INV-2026-0042", ["INV-2026-0042"]),
        ("we paid 1043 last week", ["INV-1043"]),
        ("Re: INV-1042 overdue", ["INV-1042"]),
    ],
)
def test_refs_map_to_known_invoices(text, expected):
    assert find_invoice_refs(text, known=KNOWN) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("INV-1042", ["INV-1042"]),
        ("INV1042", ["INV1042"]),
        ("Invoice No. 1042", ["1042"]),
        ("inv #1043", ["1043"]),
        ("invoices 1042-1044", ["1042", "1043", "1044"]),
        ("RE-2026-0042", ["RE-2026-0042"]),
    ],
)
def test_refs_without_known_are_normalised_as_written(text, expected):
    assert find_invoice_refs(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "PO-7781",
        "ref 88213",
        "ACH 88213",
        "trace 4471",
        "$12,400.00",
        "call 555-1234",
        "on 2026-12-04",
        "Re: your reminder",
    ],
)
def test_things_that_are_not_invoice_refs(text):
    assert find_invoice_refs(text) == []
    assert find_invoice_refs(text, known=KNOWN) == []


def test_bare_number_maps_only_when_unique():
    known = ["A-100", "B-100", "A-200"]
    assert find_invoice_refs("about 100", known=known) == []
    assert find_invoice_refs("about 200", known=known) == ["A-200"]
    assert find_invoice_refs("invoice B-100", known=known) == ["B-100"]


def test_unknown_explicit_reference_is_kept_bare_unknown_number_dropped():
    assert find_invoice_refs("invoice INV-9999", known=KNOWN) == ["INV-9999"]
    assert find_invoice_refs("we paid 5555 yesterday", known=KNOWN) == []


def test_invoice_key_ignores_case_separators_and_zeros():
    assert invoice_key("inv-01042") == invoice_key("INV1042") == ("INV", (1042,))
