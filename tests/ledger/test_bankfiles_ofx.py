"""OFX: SGML 1.x with unclosed leaf tags, XML 2.x, bank and credit-card statements."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from core.errors import UnsupportedFile
from ledger.bankfiles import parse_bank_file

SGML = b"""OFXHEADER:100
DATA:OFXSGML
VERSION:102
CHARSET:1252

<OFX>
<SIGNONMSGSRSV1><SONRS><STATUS><CODE>0<SEVERITY>INFO</STATUS><DTSERVER>20261120</SONRS></SIGNONMSGSRSV1>
<BANKMSGSRSV1><STMTTRNRS><TRNUID>1<STMTRS><CURDEF>USD
<BANKACCTFROM><BANKID>121000248<ACCTID>4455667788<ACCTTYPE>CHECKING</BANKACCTFROM>
<BANKTRANLIST><DTSTART>20261101<DTEND>20261120
<STMTTRN><TRNTYPE>CREDIT<DTPOSTED>20261118120000.000[-5:EST]<TRNAMT>12,400.00
<FITID>F-1<NAME>GLOBEX CORP<MEMO>INV-1042 &amp; INV-1077</STMTTRN>
<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20261119<DTUSER>20261117<TRNAMT>-35.5
<FITID>F-2<PAYEE><NAME>OFFICE RENT</PAYEE><MEMO></STMTTRN>
</BANKTRANLIST><LEDGERBAL><BALAMT>1000.00<DTASOF>20261120</LEDGERBAL>
</STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>
"""

XML = b"""<?xml version="1.0" encoding="UTF-8"?>
<?OFX OFXHEADER="200" VERSION="220" SECURITY="NONE"?>
<OFX><CREDITCARDMSGSRSV1><CCSTMTTRNRS><CCSTMTRS><CURDEF>EUR</CURDEF>
<CCACCTFROM><ACCTID>4111</ACCTID></CCACCTFROM>
<BANKTRANLIST><STMTTRN><TRNTYPE>CREDIT</TRNTYPE><DTPOSTED>20261120</DTPOSTED>
<TRNAMT>19,99</TRNAMT><FITID>CC-1</FITID><NAME>REFUND</NAME></STMTTRN></BANKTRANLIST>
</CCSTMTRS></CCSTMTTRNRS></CREDITCARDMSGSRSV1></OFX>"""


def test_sgml_statement_with_unclosed_leaves():
    [statement] = parse_bank_file(SGML, name="a.ofx")
    assert (statement.format, statement.account, statement.currency) == ("ofx", "4455667788", "USD")
    assert statement.closing_balance == Decimal("1000.00")
    credit, debit = statement.lines
    assert (credit.bank_id, credit.amount, credit.direction) == (
        "F-1",
        Decimal("12400.00"),
        "credit",
    )
    assert (credit.booking_date, credit.payer_name) == (date(2026, 11, 18), "GLOBEX CORP")
    assert credit.reference == "INV-1042 & INV-1077"
    assert (debit.amount, debit.direction, debit.payer_name) == (
        Decimal("35.50"),
        "debit",
        "OFFICE RENT",
    )
    assert debit.value_date == date(2026, 11, 17)


def test_xml_credit_card_statement_with_decimal_comma():
    [statement] = parse_bank_file(XML, name="b.ofx")
    [line] = statement.lines
    assert (statement.account, line.amount, line.currency, line.direction) == (
        "4111",
        Decimal("19.99"),
        "EUR",
        "credit",
    )


def test_malformed_amount_is_refused_naming_the_transaction():
    with pytest.raises(UnsupportedFile, match="OFX statement 1 transaction 1 has no valid TRNAMT"):
        parse_bank_file(SGML.replace(b"12,400.00", b"12.400.00,0,0"), name="a.ofx")


def test_missing_date_is_refused():
    with pytest.raises(UnsupportedFile, match="transaction 1 has no valid DTPOSTED"):
        parse_bank_file(XML.replace(b"<DTPOSTED>20261120</DTPOSTED>", b""), name="b.ofx")


def test_ofx_without_statement_is_refused():
    with pytest.raises(UnsupportedFile, match=r"^e\.ofx: OFX file holds no bank or credit-card"):
        parse_bank_file(b"OFXHEADER:100\nDATA:OFXSGML\n\n<OFX></OFX>", name="e.ofx")
