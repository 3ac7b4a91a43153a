"""``api.services.match_statement``: a bank file in, matched rows and queued approvals out."""

from __future__ import annotations

from sqlalchemy import select

from api.server import build_context
from api.services import match_statement
from ledger.importer import load_ledger_file
from ledger.models import BankTransaction
from tests.api.conftest import FIXTURES, make_settings


def test_csv_without_a_currency_is_read_in_the_ledgers_currency_and_matched(db, clock) -> None:
    ctx = build_context(make_settings(), db=db, clock=clock)
    with db.transaction() as session:
        load_ledger_file(session, FIXTURES / "ledger_globex.json")
    data = b"Date,Amount,Payer,Reference\n2026-11-20,12400.00,GLOBEX CORP,INV1042\n"
    out = match_statement(ctx, data, filename="no-currency.csv")
    (row,) = out.rows
    assert (row["currency"], row["status"]) == ("USD", "auto")
    assert [a["invoice"] for a in row["allocations"]] == ["INV-1042"]
    with db.session() as session:
        assert session.scalars(select(BankTransaction.currency)).all() == ["USD"]
