"""Bank export layouts written from each bank's published format (tests/fixtures/bank_layouts):
each is read right -- signs, currency, payer, reference, dates -- or refused with a reason."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from core.errors import UnsupportedFile
from ledger.bankfiles import CsvMapping, parse_bank_file
from ledger.bankfiles.model import StatementLine

LAYOUTS = Path(__file__).resolve().parent.parent / "fixtures" / "bank_layouts"


def _read(name: str) -> tuple[list[StatementLine], list[str], str | None, str | None]:
    [statement] = parse_bank_file(LAYOUTS / name)
    return statement.lines, statement.skipped, statement.currency, statement.account


def _net(lines: list[StatementLine]) -> Decimal:
    return sum((x.amount if x.direction == "credit" else -x.amount for x in lines), Decimal(0))


def test_ing_netherlands_af_bij_column_gives_the_sign_and_the_header_the_currency():
    lines, _, currency, _ = _read("ing_nl.csv")
    assert [x.direction for x in lines] == ["credit", "debit", "credit", "debit"]
    assert _net(lines) == Decimal("7.01") and currency == "EUR"
    assert (lines[0].payer_name, lines[0].payer_account) == ("Globex BV", "NL20RABO0300065264")
    assert "INV-1042" in lines[0].reference


def test_lloyds_uk_debit_and_credit_amount_columns_and_transaction_description():
    lines, _, currency, _ = _read("lloyds_uk.csv")
    assert currency == "GBP"  # a Sort Code column: a UK account
    assert [x.booking_date for x in lines] == [
        date(2026, 11, 4),
        date(2026, 11, 3),
        date(2026, 11, 2),
    ]
    assert [(x.direction, x.amount) for x in lines] == [
        ("credit", Decimal("1240.00")),
        ("debit", Decimal("80.00")),
        ("credit", Decimal("500.00")),
    ]
    assert (
        lines[0].payer_name == "GLOBEX LTD INV-1042" and lines[0].reference == "GLOBEX LTD INV-1042"
    )


def test_dkb_germany_metadata_preamble_before_the_header():
    lines, _, currency, account = _read("dkb_de.csv")
    assert (currency, account) == ("EUR", "DE12120300001234567890")
    assert [(x.direction, x.amount) for x in lines] == [
        ("credit", Decimal("1240.00")),
        ("debit", Decimal("80.00")),
    ]
    assert (lines[0].payer_name, lines[0].payer_account) == (
        "Globex GmbH",
        "DE89370400440532013000",
    )


def test_triodos_netherlands_headerless_export_is_read_by_content():
    lines, _, currency, account = _read("triodos_nl_headerless.csv")
    assert (currency, account) == ("EUR", "NL12TRIO0123456789")  # a euro-area IBAN
    assert [x.direction for x in lines] == ["credit", "debit", "credit"]
    assert (lines[0].amount, lines[0].payer_name, lines[0].reference) == (
        Decimal("1240.00"),
        "Globex BV",
        "INV-1042 november",
    )
    assert lines[0].payer_account == "NL20RABO0300065264"


def test_erste_george_austria_headerless_with_currency_and_value_date():
    lines, _, currency, _ = _read("george_at_headerless.csv")
    assert currency == "EUR" and _net(lines) == Decimal("1660.00")
    assert lines[0].value_date == date(2026, 11, 2) and "INV-1042" in lines[0].reference


def test_chase_us_zero_amount_notices_are_skipped_and_counted():
    lines, skipped, _, _ = _read("chase_us.csv")
    assert len(lines) == 3 and len(skipped) == 1 and "zero amount" in skipped[0]
    assert (lines[0].payer_name, lines[0].payer_account) == ("GLOBEX CORP", "1234567890")
    assert [x.direction for x in lines] == ["credit", "debit", "credit"]


def test_credit_card_ofx_reads_all_its_transactions():
    [statement] = parse_bank_file(LAYOUTS / "amex_cc.ofx")
    assert len(statement.lines) == 6 and statement.account == "XXXXXXXXXXX1005"
    assert _net(statement.lines) == Decimal("232.51")


def test_repeated_fitid_is_compared_before_dropping_and_said():
    [statement] = parse_bank_file(LAYOUTS / "dup_fitid.qfx")
    assert [(x.direction, x.amount) for x in statement.lines] == [
        ("credit", Decimal("1240.00")),
        ("debit", Decimal("1000.00")),  # same FITID, another transaction: kept
        ("credit", Decimal("500.00")),
    ]
    kept, dropped = statement.skipped
    assert "two different transactions" in kept and "dropped as a duplicate" in dropped


def test_investment_ofx_gives_its_cash_lines_only():
    [statement] = parse_bank_file(LAYOUTS / "brokerage_inv.ofx")
    assert [x.amount for x in statement.lines] == [Decimal("2500.00"), Decimal("1.23")]


def test_investment_ofx_without_cash_lines_is_refused_with_a_reason():
    text = (LAYOUTS / "brokerage_inv.ofx").read_text()
    start, end = text.index("<INVBANKTRAN>"), text.rindex("</INVBANKTRAN>") + len("</INVBANKTRAN>")
    with pytest.raises(UnsupportedFile, match="no cash transactions"):
        parse_bank_file((text[:start] + text[end:]).encode(), name="inv.ofx")


def test_mistyped_amount_is_refused_naming_file_row_and_text():
    text = 'Date,Amount,Currency,Payer\n2026-11-20,100.00,USD,A\n2026-11-21,"12,40O.00",USD,B\n'
    with pytest.raises(
        UnsupportedFile, match=r"^typo\.csv: CSV row 3: amount '12,40O\.00' is not a number$"
    ):
        parse_bank_file(text.encode(), name="typo.csv")
    with pytest.raises(UnsupportedFile, match="'1O0.00'"):
        parse_bank_file(b"Date,Amount\n2026-11-21,1O0.00\n", name="o.csv")


@pytest.mark.parametrize(
    "cell, amount",
    [
        ("EUR 1.240,00", "1240.00"),
        ("(12,50)", "-12.50"),
        ("1.240,00-", "-1240.00"),
        ("€ 7,5", "7.50"),
    ],
)
def test_amounts_with_codes_symbols_brackets_and_trailing_signs(cell, amount):
    text = f'Datum;Betrag\n20.11.2026;"{cell}"\n20.11.2026;"1,00"\n'
    line = parse_bank_file(text.encode(), name="a.csv")[0].lines[0]
    signed = line.amount if line.direction == "credit" else -line.amount
    assert signed == Decimal(amount)


def test_headerless_file_with_two_amount_columns_is_refused_saying_what_to_pass():
    text = "02.11.2026;1.000,00;1.240,00;Globex\n03.11.2026;1.240,00;1.160,00;Stadtwerke\n"
    with pytest.raises(UnsupportedFile, match=r"columns 2, 3 all hold amounts.*--columns"):
        parse_bank_file(text.encode(), name="two.csv")
    mapping = CsvMapping(date=0, amount=2, payer=3)  # what --columns date=1,amount=3,payer=4 gives
    lines = parse_bank_file(text.encode(), name="two.csv", mapping=mapping)[0].lines
    assert [x.amount for x in lines] == [Decimal("1240.00"), Decimal("1160.00")]


def test_running_balance_that_does_not_follow_is_a_balance_problem():
    text = (
        "Date,Description,Amount,Balance\n"
        "2026-11-01,A,100.00,1100.00\n2026-11-02,B,-50.00,1050.00\n2026-11-03,C,10.00,1070.00\n"
    )
    [statement] = parse_bank_file(text.encode(), name="rb.csv")
    assert statement.balance_problem and "CSV row 4" in statement.balance_problem


def test_a_row_with_more_cells_than_the_header_is_refused():
    text = "Date,Amount,Currency,Payer\n2026-11-20,12,400.00,USD,GLOBEX\n"
    with pytest.raises(UnsupportedFile, match="CSV row 2 has 5 cells but the header names 4"):
        parse_bank_file(text.encode(), name="shift.csv")


CAMT_NO_BOOKING = """<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"><BkToCstmrStmt>
<GrpHdr><MsgId>M</MsgId><CreDtTm>2026-11-21T06:00:00</CreDtTm></GrpHdr>
<Stmt><Id>S</Id><CreDtTm>2026-11-21T06:00:00</CreDtTm>
<Acct><Id><IBAN>LT601010012345678901</IBAN></Id><Ccy>EUR</Ccy></Acct>
<Ntry><Amt Ccy="EUR">10.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>
<ValDt><Dt>2026-11-19</Dt></ValDt></Ntry>
<Ntry><Amt Ccy="EUR">20.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts></Ntry>
</Stmt></BkToCstmrStmt></Document>
"""


def test_camt_entries_without_booking_date_fall_back_to_value_then_statement_date():
    [statement] = parse_bank_file(CAMT_NO_BOOKING.encode(), name="lt.xml")
    assert [x.booking_date for x in statement.lines] == [date(2026, 11, 19), date(2026, 11, 21)]
