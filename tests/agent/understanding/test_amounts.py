"""Money amounts: separators, currencies, scale suffixes, and what is not money."""

from __future__ import annotations

from decimal import Decimal

import pytest

from agent.understanding.amounts import find_amounts


@pytest.mark.parametrize(
    ("text", "amount", "currency"),
    [
        ("$12,400.00", "12400.00", "USD"),
        ("12.400,00 €", "12400.00", "EUR"),
        ("EUR 1.234,56", "1234.56", "EUR"),
        ("1 234,56 CHF", "1234.56", "CHF"),
        ("1'234.50 CHF", "1234.50", "CHF"),
        ("12400", "12400", None),
        ("12k", "12000", None),
        ("$1.5k", "1500", "USD"),
        ("USD 5,000", "5000", "USD"),
        ("5.000 Euro", "5000", "EUR"),
        ("5000 euros", "5000", "EUR"),
        ("£99.90", "99.90", "GBP"),
        ("€ 250", "250", "EUR"),
        ("250 EUR", "250", "EUR"),
        ("US$ 3,200", "3200", "USD"),
        ("$2 million", "2000000", "USD"),
        ("we can pay 7500 now", "7500", None),
        ("amount: 4,500.50", "4500.50", None),
        ("1.234.567,89 €", "1234567.89", "EUR"),
        ("12,5 EUR", "12.5", "EUR"),
        ("500 dollars", "500", "USD"),
    ],
)
def test_find_amounts_reads_formats(text, amount, currency):
    found = find_amounts(text)
    assert found, text
    assert found[0].amount == Decimal(amount)
    assert isinstance(found[0].amount, Decimal)
    assert found[0].currency == currency


@pytest.mark.parametrize(
    "text",
    [
        "invoice 1042",
        "INV-1042",
        "Rechnung Nr. 10421",
        "PO-7781",
        "ref 88213",
        "trace 4471",
        "call +1 555 123 4567",
        "phone: (555) 123-4567",
        "Tel. 0221 123456",
        "due 12/04/2026",
        "on 4.12.2026",
        "in 2026",
        "in 3 weeks",
        "30 days overdue",
        "50% now",
        "at 4.30 pm",
        "3 installments",
        "Berlin 10115",
    ],
)
def test_find_amounts_ignores_numbers_that_are_not_money(text):
    assert find_amounts(text) == []


def test_find_amounts_keeps_order_and_spans():
    text = "We pay $5,000 on Friday and EUR 2.500,00 later."
    found = find_amounts(text)
    assert [f.amount for f in found] == [Decimal("5000"), Decimal("2500.00")]
    assert [text[f.start : f.end] for f in found] == ["$5,000", "EUR 2.500,00"]
