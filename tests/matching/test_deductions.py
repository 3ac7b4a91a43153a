"""Short payments: a discount the terms allow, withholding tax or a bank fee is applied
with a typed deduction line; any other shortfall becomes a deduction to resolve."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from approvals.executor import execute
from approvals.queue import approve
from ledger.importer import load_ledger_file
from ledger.models import Invoice
from matching.deductions import classify
from matching.engine import Matcher
from matching.statement_run import CashApplicationRequest, StatementUpload, run_cash_application
from matching.types import CustomerProfile, MatchSettings, OpenItem, Txn
from policies.config import load_policy

D = Decimal
ITEMS = [
    OpenItem(
        "INV-701",
        "C1",
        D("4250.00"),
        "USD",
        date(2026, 12, 10),
        None,
        D("4250.00"),
        date(2026, 11, 10),
    ),
    OpenItem(
        "INV-702",
        "C1",
        D("980.00"),
        "USD",
        date(2026, 12, 12),
        None,
        D("980.00"),
        date(2026, 11, 12),
    ),
    OpenItem(
        "INV-801",
        "C2",
        D("10000.00"),
        "USD",
        date(2026, 12, 1),
        None,
        D("10000.00"),
        date(2026, 10, 1),
    ),
]
PROFILES = [CustomerProfile("C1", "Globex Corporation"), CustomerProfile("C2", "Umbrella Pte Ltd")]


def test_discount_taken_within_the_terms_without_a_reference():
    r = Matcher(ITEMS, PROFILES).match_one(
        Txn("T1", date(2026, 11, 18), D("4165.00"), "USD", payer="GLOBEX CORPORATION")
    )
    assert (r.customer, [a.invoice for a in r.allocations]) == ("C1", ["INV-701"])
    assert r.status in ("auto", "review")
    (d,) = r.deductions
    assert (d.type, d.amount, d.within_policy) == ("early_payment_discount", D("85.00"), True)


def test_discount_taken_after_its_days_is_not_a_policy_deduction():
    items = [ITEMS[0]]
    d = classify(D("85.00"), items, date(2026, 12, 30), MatchSettings())
    assert (d.type, d.within_policy, d.owner) == ("unexplained", False, "accounts-receivable")


def test_withholding_tax_on_a_referenced_invoice_is_applied_with_a_tax_line():
    r = Matcher(ITEMS, PROFILES).match_one(
        Txn(
            "T2",
            date(2026, 11, 20),
            D("8500.00"),
            "USD",
            payer="UMBRELLA PTE LTD",
            reference="INV-801",
        )
    )
    assert r.status == "auto" and r.allocated == D("8500.00")
    (d,) = r.deductions
    assert (d.type, d.amount, d.reason) == ("withholding_tax", D("1500.00"), "withholding tax 15%")


def _ledger(tmp_path) -> dict:  # type: ignore[type-arg]
    return {
        "currency": "USD",
        "customers": [{"id": "C1", "name": "Globex Corporation"}],
        "invoices": [
            {
                "number": "INV-701",
                "customer": "C1",
                "issue_date": "2026-11-10",
                "due_date": "2026-12-10",
                "amount": "4250.00",
            },
            {
                "number": "INV-702",
                "customer": "C1",
                "issue_date": "2026-11-12",
                "due_date": "2026-12-12",
                "amount": "980.00",
            },
        ],
    }


def _run(db, clock, bank: str):  # type: ignore[no-untyped-def]
    policy = load_policy()
    with db.transaction() as session:
        return run_cash_application(
            session,
            CashApplicationRequest(upload=StatementUpload(bank.encode(), "b.csv")),
            settings=MatchSettings.from_policy(policy),
            clock=clock,
            policy=policy,
        )


def test_discount_line_closes_the_invoice_when_approved(db, clock, tmp_path):
    path = tmp_path / "l.json"
    path.write_text(json.dumps(_ledger(tmp_path)))
    with db.transaction() as session:
        load_ledger_file(session, path)
    run = _run(
        db,
        clock,
        "Date,Amount,Currency,Payer,Reference,Transaction ID\n"
        "2026-11-18,4165.00,USD,GLOBEX CORP,INV-701,TX-1\n",
    )
    (row,) = run.rows
    assert row["status"] == "auto"
    assert row["deductions"][0]["type"] == "early_payment_discount"
    approve(db, row["approval"], user="alex", clock=clock)
    assert execute(db, row["approval"], clock=clock).status == "executed"
    with db.session() as session:
        assert session.scalar(select(Invoice.balance).where(Invoice.number == "INV-701")) == 0


def test_unexplained_short_payment_becomes_a_deduction_to_resolve(db, clock, tmp_path):
    path = tmp_path / "l.json"
    path.write_text(json.dumps(_ledger(tmp_path)))
    with db.transaction() as session:
        load_ledger_file(session, path)
    run = _run(
        db,
        clock,
        "Date,Amount,Currency,Payer,Reference,Transaction ID\n"
        "2026-11-18,3900.00,USD,GLOBEX CORP,INV-701,TX-2\n",
    )
    (row,) = run.rows
    (d,) = row["deductions"]
    assert (d["type"], d["amount"], d["within_policy"]) == ("unexplained", "350.00", False)
    types = sorted(p.type for p in run.proposals)
    assert types == ["apply_payment", "open_dispute"]
    dispute = next(p for p in run.proposals if p.type == "open_dispute")
    assert (
        dispute.payload["invoice"] == "INV-701"
        and "accounts-receivable" in dispute.payload["detail"]
    )
    apply = next(p for p in run.proposals if p.type == "apply_payment")
    assert "deductions" not in apply.payload  # nothing closed: the 350.00 stays open


def test_the_deduction_is_shown_on_the_approval_card(db, clock, tmp_path):
    from fastapi.testclient import TestClient

    from api.main import create_app
    from api.server import build_context
    from tests.api.conftest import make_settings

    path = tmp_path / "l.json"
    path.write_text(json.dumps(_ledger(tmp_path)))
    with db.transaction() as session:
        load_ledger_file(session, path)
    _run(
        db,
        clock,
        "Date,Amount,Currency,Payer,Reference,Transaction ID\n"
        "2026-11-18,3900.00,USD,GLOBEX CORP,INV-701,TX-2\n",
    )
    ctx = build_context(make_settings(), db=db, clock=clock)
    client = TestClient(create_app(ctx.settings, ctx=ctx))
    page = client.get("/approvals", headers={"Authorization": "Bearer test-token"})
    assert "Deduction unexplained 350.00 on INV-701" in page.text
    assert "to resolve by accounts-receivable" in page.text
