"""BAI2: records, continuations, funds types, implied decimals, type-code directions."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from core.errors import UnsupportedFile
from ledger.bankfiles import parse_bank_file

SAMPLE = b"""01,BANKID,CUSTID,261120,0800,1,80,,2/
02,CUSTID,BANKID,1,261119,2400,USD,2/
03,0001234567,USD,010,1500000,,,015,2740000,,/
16,195,2480000,V,261118,,WIRE123,INV1042,INCOMING WIRE FROM GLOBEX CORP/
88,OBI: INV1042 INV1077
88,DBNM: GLOBEX CORP
16,475,12345,S,100,200,300,CHK987,,CHECK PAID, NO 987/
16,142,5000,D,2,0,3000,1,2000,ACH77,,ACH CREDIT/
49,4227345,5/
03,9999,JPY,010,100,,/
16,301,150000,Z,DEP1,,DEPOSIT/
49,150100,2/
98,4377445,2,9/
99,4377445,1,11/
"""


def _lines():
    statements = parse_bank_file(SAMPLE, name="a.bai")
    return statements, [line for s in statements for line in s.lines]


def test_accounts_become_statements_with_balances_in_cents():
    statements, _ = _lines()
    assert [(s.account, s.currency) for s in statements] == [("0001234567", "USD"), ("9999", "JPY")]
    assert (statements[0].opening_balance, statements[0].closing_balance) == (
        Decimal("15000.00"),
        Decimal("27400.00"),
    )


def test_detail_amounts_use_the_currency_minor_unit():
    _, lines = _lines()
    assert [x.amount for x in lines] == [
        Decimal("24800.00"),
        Decimal("123.45"),
        Decimal("50.00"),
        Decimal("150000"),
    ]


def test_type_code_ranges_give_direction():
    _, lines = _lines()
    assert [x.direction for x in lines] == ["credit", "debit", "credit", "credit"]


def test_funds_type_fields_are_skipped_before_bank_and_customer_refs():
    _, lines = _lines()
    wire, check, ach, deposit = lines
    assert (wire.bank_id, wire.raw["customer_ref"], wire.value_date) == (
        "WIRE123",
        "INV1042",
        date(2026, 11, 18),
    )
    assert check.bank_id == "CHK987"  # S: three availability fields skipped
    assert ach.bank_id == "ACH77"  # D: count + (days, amount) pairs skipped
    assert (deposit.bank_id, deposit.booking_date) == ("DEP1", date(2026, 11, 19))


def test_text_keeps_commas_and_88_continuations():
    _, lines = _lines()
    wire, check = lines[0], lines[1]
    assert (
        wire.reference
        == "INV1042 INCOMING WIRE FROM GLOBEX CORP OBI: INV1042 INV1077 DBNM: GLOBEX CORP"
    )
    assert wire.payer_name == "GLOBEX CORP"
    assert check.reference == "CHECK PAID, NO 987"


def test_several_records_on_one_physical_line():
    packed = SAMPLE.replace(b"/\n16,475", b"/   16,475").replace(b"2/\n02,", b"2/ 02,")
    _, lines = _lines()
    again = [x for s in parse_bank_file(packed, name="p.bai") for x in s.lines]
    assert [(x.amount, x.bank_id) for x in again] == [(x.amount, x.bank_id) for x in lines]


def test_customized_type_code_direction_is_flagged_as_guessed():
    data = SAMPLE.replace(b"16,301,150000", b"16,961,150000")
    lines = [x for s in parse_bank_file(data, name="c.bai") for x in s.lines]
    assert (lines[-1].direction, lines[-1].raw["direction_guessed"]) == ("debit", True)


def test_missing_trailer_is_refused_as_truncated():
    with pytest.raises(UnsupportedFile, match=r"^t\.bai: BAI2 file is truncated"):
        parse_bank_file(SAMPLE.split(b"98,")[0], name="t.bai")


def test_non_numeric_amount_is_refused_naming_the_record():
    with pytest.raises(UnsupportedFile, match=r"BAI2 record 4: amount '24800\.00' is not"):
        parse_bank_file(SAMPLE.replace(b"195,2480000,", b"195,24800.00,"), name="x.bai")


def test_status_code_in_a_detail_record_is_refused():
    with pytest.raises(UnsupportedFile, match="type code 010 is not a transaction code"):
        parse_bank_file(SAMPLE.replace(b"16,301,", b"16,010,"), name="x.bai")


def test_negative_detail_amount_flips_the_direction():
    data = SAMPLE.replace(b"16,301,150000", b"16,301,-150000")
    lines = [x for s in parse_bank_file(data, name="n.bai") for x in s.lines]
    assert (lines[-1].amount, lines[-1].direction) == (Decimal("150000"), "debit")


def test_non_monetary_890_records_are_skipped():
    data = SAMPLE.replace(b"49,150100,2/", b"16,890,,,,,NOTE ONLY/\n49,150100,3/")
    statements = parse_bank_file(data, name="n.bai")
    assert sum(len(s.lines) for s in statements) == 4
    assert statements[1].skipped == ["record 12: non-monetary (type 890)"]
