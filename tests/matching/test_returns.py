"""Returned payments are never left applied: paired with their credit in the same
statement (neither is applied) or, when the credit was applied before, reversed."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from approvals.executor import execute
from approvals.queue import approve
from ledger.importer import load_ledger_file
from ledger.models import BankTransaction, Communication, Invoice, Payment
from matching.returns import pair_returns
from matching.statement_run import (
    CashApplicationRequest,
    StatementUpload,
    run_cash_application,
)
from matching.types import MatchSettings, Txn
from policies.config import load_policy
from tests.api.conftest import FIXTURES

CREDIT = (
    "Date,Amount,Currency,Payer,Reference,Transaction ID\n"
    "2026-11-20,12400.00,USD,GLOBEX CORP,INV1042,TX-1\n"
)
RETURN = (
    "Date,Amount,Currency,Payer,Reference,Transaction ID\n"
    "2026-11-24,-12400.00,USD,GLOBEX CORP,ACH RETURN R01 INSUFFICIENT FUNDS TX-1,TX-9\n"
)


def _run(db, clock, text: str, name: str):  # type: ignore[no-untyped-def]
    policy = load_policy()
    with db.transaction() as session:
        return run_cash_application(
            session,
            CashApplicationRequest(upload=StatementUpload(text.encode(), name)),
            settings=MatchSettings.from_policy(policy),
            clock=clock,
            policy=policy,
        )


def test_a_credit_and_its_return_in_one_statement_are_both_left_alone(db, clock):
    with db.transaction() as session:
        load_ledger_file(session, FIXTURES / "ledger_globex.json")
    both = CREDIT + RETURN.split("\n", 1)[1]
    run = _run(db, clock, both, "both.csv")
    credit, ret = run.rows
    assert (credit["status"], credit["allocations"], credit["returned_by"]) == (
        "unmatched",
        [],
        "TX-9",
    )
    assert ret["reversal_of"] == "TX-1" and "R01" in ret["reasons"][0]
    assert run.proposals == [] and run.queued == 0


def test_a_return_of_an_applied_payment_is_proposed_as_a_reversal(db, clock):
    with db.transaction() as session:
        load_ledger_file(session, FIXTURES / "ledger_globex.json")
    first = _run(db, clock, CREDIT, "credit.csv")
    assert first.rows[0]["status"] == "auto" and first.queued == 1
    apply_id = first.rows[0]["approval"]
    approve(db, apply_id, user="alex", clock=clock)
    execute(db, apply_id, clock=clock)
    with db.session() as session:
        assert session.scalar(select(Invoice.balance).where(Invoice.number == "INV-1042")) == 0
    second = _run(db, clock, RETURN, "return.csv")
    (row,) = second.rows
    assert row["reversal_of"] == "TX-1" and row["status"] == "unmatched"
    (action,) = second.proposals
    assert action.type == "reverse_payment"
    assert action.payload["invoices"] == ["INV-1042"] and action.payload["original"] == "TX-1"
    approve(db, row["approval"], user="alex", clock=clock)
    execute(db, row["approval"], clock=clock)
    with db.session() as session:
        balance = session.scalar(select(Invoice.balance).where(Invoice.number == "INV-1042"))
        assert balance == Decimal("12400.00")
        assert session.scalars(select(Payment.id).where(Payment.id.like("BT-%"))).all() == []
        states = dict(
            session.execute(select(BankTransaction.bank_id, BankTransaction.status)).all()
        )
        assert states == {"TX-1": "returned", "TX-9": "applied"}
        (note,) = session.scalars(select(Communication).where(Communication.channel == "note"))
        assert note.customer_id == "C-001" and "re-opened INV-1042" in (note.subject or "")


def test_a_return_pairs_with_the_credit_its_text_names():
    from datetime import date

    a = Txn("A-1", date(2026, 11, 2), Decimal("500.00"), "USD", payer="INITECH")
    b = Txn("B-7", date(2026, 11, 5), Decimal("500.00"), "USD", payer="HOOLI")
    ret = Txn(
        "R-1",
        date(2026, 11, 9),
        Decimal("500.00"),
        "USD",
        direction="debit",
        reference="RETURN OF A-1",
        return_reason="text says 'RETURN'",
    )
    (pair,) = pair_returns([ret], [a, b])
    assert pair.original.id == "A-1"
    later = Txn("C-1", date(2026, 11, 10), Decimal("500.00"), "USD")
    assert pair_returns([ret], [later]) == []  # a return never sends back a later credit
