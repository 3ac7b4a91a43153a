"""Open credit notes take part in matching: a payment of several invoices net of a credit
note is allocated to all of them, summing exactly to the payment, and applied so."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from approvals.executor import execute
from approvals.queue import approve
from ledger.importer import load_ledger_file
from ledger.models import Invoice
from matching.engine import Matcher
from matching.statement_run import CashApplicationRequest, StatementUpload, run_cash_application
from matching.types import CustomerProfile, MatchSettings, OpenItem, Txn
from policies.config import load_policy

D = Decimal
DAY = date(2026, 11, 20)
ITEMS = [
    OpenItem("INV-501", "C1", D("1000.00"), "USD", date(2026, 10, 1)),
    OpenItem("INV-502", "C1", D("500.00"), "USD", date(2026, 10, 5)),
    OpenItem("INV-503", "C1", D("275.40"), "USD", date(2026, 10, 9)),
    OpenItem("CN-17", "C1", D("-200.00"), "USD", date(2026, 10, 12)),
    OpenItem("INV-900", "C2", D("1300.00"), "USD", date(2026, 10, 3)),
]
PROFILES = [CustomerProfile("C1", "Globex Corporation"), CustomerProfile("C2", "Initech LLC")]


def _allocs(result) -> list[tuple[str, Decimal]]:  # type: ignore[no-untyped-def]
    return [(a.invoice, a.amount) for a in result.allocations]


def test_referenced_invoices_net_of_an_open_credit_note():
    r = Matcher(ITEMS, PROFILES).match_one(
        Txn("T1", DAY, D("1300.00"), "USD", payer="GLOBEX CORP", reference="INV-501 INV-502")
    )
    assert r.status == "auto" and r.customer == "C1"
    assert _allocs(r) == [
        ("INV-501", D("1000.00")),
        ("INV-502", D("500.00")),
        ("CN-17", D("-200.00")),
    ]
    assert r.allocated == D("1300.00") and r.short_by is None


def test_unreferenced_payment_net_of_a_credit_note_is_found_but_not_trusted_blindly():
    r = Matcher(ITEMS, PROFILES).match_one(
        Txn("T2", DAY, D("1575.40"), "USD", payer="GLOBEX CORPORATION")
    )
    assert r.customer == "C1" and r.status in ("auto", "review")
    assert ("CN-17", D("-200.00")) in _allocs(r) and r.allocated == D("1575.40")


def test_a_credit_note_set_is_applied_and_the_note_used_up(db, clock, tmp_path):
    ledger = {
        "currency": "USD",
        "customers": [{"id": "C1", "name": "Globex Corporation"}],
        "invoices": [
            {
                "number": "INV-501",
                "customer": "C1",
                "issue_date": "2026-09-01",
                "due_date": "2026-10-01",
                "amount": "1000.00",
            },
            {
                "number": "INV-502",
                "customer": "C1",
                "issue_date": "2026-09-05",
                "due_date": "2026-10-05",
                "amount": "500.00",
            },
            {
                "number": "CN-17",
                "customer": "C1",
                "issue_date": "2026-09-12",
                "due_date": "2026-09-12",
                "amount": "-200.00",
            },
        ],
    }
    path = tmp_path / "ledger.json"
    path.write_text(json.dumps(ledger))
    with db.transaction() as session:
        load_ledger_file(session, path)
    bank = b"Date,Amount,Currency,Payer,Reference,Transaction ID\n2026-11-20,1300.00,USD,GLOBEX CORP,INV-501 INV-502,TX-5\n"
    policy = load_policy()
    with db.transaction() as session:
        run = run_cash_application(
            session,
            CashApplicationRequest(upload=StatementUpload(bank, "b.csv")),
            settings=MatchSettings.from_policy(policy),
            clock=clock,
            policy=policy,
        )
    (row,) = run.rows
    assert row["status"] == "auto" and row["allocations"][-1] == {
        "invoice": "CN-17",
        "amount": "-200.00",
    }
    assert "blocked" not in row, row.get("blocked")
    approve(db, row["approval"], user="alex", clock=clock)
    assert execute(db, row["approval"], clock=clock).status == "executed"
    with db.session() as session:
        balances = dict(session.execute(select(Invoice.number, Invoice.balance)).all())
    assert balances == {"INV-501": 0, "INV-502": 0, "CN-17": 0}
