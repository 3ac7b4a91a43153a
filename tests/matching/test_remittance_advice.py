from __future__ import annotations

from decimal import Decimal

import pytest

from matching.remittance_advice import parse_advice, parse_money

D = Decimal


def lines(text: str) -> list[tuple[str, Decimal | None]]:
    return [(line.tokens[0].num or "", line.amount) for line in parse_advice(text).lines]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("12,400.00", "12400.00"),
        ("12.400,00", "12400.00"),
        ("12 400,00", "12400.00"),
        ("$12,400", "12400"),
        ("3100.5", "3100.5"),
        ("1.042", "1042"),
    ],
)
def test_money_in_us_and_european_notation(text: str, value: str) -> None:
    assert parse_money(text) == D(value)


def test_email_body_lines_pair_invoices_with_amounts_and_total() -> None:
    advice = parse_advice(
        "Hello,\nplease find our payment details:\n"
        "Invoice INV-1042    $12,400.00\nInvoice #1077 - 3,100.00\n\nTotal paid: 15,500.00\nRegards"
    )
    assert [(ln.tokens[0].num, ln.amount) for ln in advice.lines] == [
        ("1042", D("12400.00")),
        ("1077", D("3100.00")),
    ]
    assert advice.total == D("15500.00") and advice.amount == D("15500.00")


def test_csv_attachment_text() -> None:
    assert lines("invoice;amount\nINV-1042;12.400,00\nINV-1077;3.100,00\n") == [
        ("1042", D("12400.00")),
        ("1077", D("3100.00")),
    ]
    assert lines("Invoice,Amount\nINV-1042,12400.00\n") == [("1042", D("12400.00"))]


def test_several_invoices_on_one_line_are_split() -> None:
    assert lines("Paid INV-1042 12,400.00 and INV-1077 3,100.00") == [
        ("1042", D("12400.00")),
        ("1077", D("3100.00")),
    ]


def test_amount_is_the_sum_of_lines_without_a_total() -> None:
    assert parse_advice("INV-1001 10.00\nINV-1002 5.50").amount == D("15.50")


def test_text_without_invoices_gives_no_lines() -> None:
    assert parse_advice("Thanks for your business!").lines == []
