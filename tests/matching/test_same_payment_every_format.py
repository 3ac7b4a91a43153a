"""The same payment written in every format (camt.053, BAI2, MT940, OFX, CSV) from each
format's published specification yields the same payer, account and remittance evidence,
and so the same match."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from ledger.bankfiles import parse_bank_file
from ledger.bankfiles.reconcile import check_balances
from ledger.importer import load_ledger_file
from matching.service import match_transactions, txn_from_line
from tests.api.conftest import FIXTURES

SAME = FIXTURES / "same_payment"
FILES = ["globex.camt053.xml", "globex.bai", "globex.sta", "globex.ofx", "globex.csv"]


def _line(name: str):  # type: ignore[no-untyped-def]
    statements = parse_bank_file(SAME / name, default_currency="USD")
    check_balances(statements, name)
    [line] = [x for s in statements for x in s.lines]
    return line


@pytest.mark.parametrize("name", FILES)
def test_each_format_gives_the_same_payer_account_and_remittance(name):
    line = _line(name)
    assert (line.booking_date, line.amount, line.currency, line.direction) == (
        date(2026, 11, 20),
        Decimal("12400.00"),
        "USD",
        "credit",
    )
    assert (line.payer_name, line.payer_account) == ("GLOBEX CORP", "987654321")
    assert "INV-1042" in line.reference


def test_every_format_leads_to_the_same_match(db):
    with db.transaction() as session:
        load_ledger_file(session, FIXTURES / "ledger_globex.json")
        # one at a time: five claims on one invoice would send all but one to review
        results = [match_transactions(session, [txn_from_line(_line(n))])[0] for n in FILES]
    decided = {
        (r.status, r.customer, tuple((a.invoice, a.amount) for a in r.allocations)) for r in results
    }
    assert decided == {("auto", "C-001", (("INV-1042", Decimal("12400.00")),))}


def test_bai2_wire_with_b_o_and_obi_across_88_continuations():
    text = (
        "01,BANKID,ARAGENT,261120,1800,1,,,2/\n02,ARAGENT,BANKID,1,261120,,USD,2/\n"
        "03,4000123456,USD,010,0,,/\n"
        "16,195,1240000,0,FW-77,,INCOMING WIRE\n"
        "88,B/O: GLOBEX CORPORATION 100 MAIN ST\n"
        "88,OBI: INV-1042 INV-1077\n"
        "49,1240000,4/\n98,1240000,1,6/\n99,1240000,1,8/\n"
    )
    [statement] = parse_bank_file(text.encode(), name="wire.bai")
    [line] = statement.lines
    assert line.payer_name == "GLOBEX CORPORATION 100 MAIN ST"
    assert "INV-1042 INV-1077" in line.reference
