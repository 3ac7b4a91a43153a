from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from ledger.bankfiles.model import StatementLine
from ledger.models import Allocation, BankTransaction, Payment
from matching.service import (
    load_profiles,
    match_transactions,
    pending_transactions,
    queue_proposals,
    to_actions,
    txn_from_line,
)
from policies.config import load_policy
from tests.support import factories as f

D = Decimal


@pytest.fixture
def session(db):
    with db.transaction() as s:
        globex = f.customer(s, "C-001", "Globex Corporation", email="dana@globex.example")
        f.invoice(s, globex, "INV-1042", amount="12400.00")
        f.invoice(s, globex, "INV-1080", amount="3150.25")
        f.invoice(s, globex, "INV-0900", amount="100.00", balance="0")
        hooli = f.customer(s, "C-003", "Hooli Inc")
        old = f.invoice(s, hooli, "INV-0988", amount="5000.00", balance="0")
        bt = BankTransaction(
            bank_id="OLD-1",
            booking_date=date(2026, 8, 20),
            amount=D("5000.00"),
            currency="USD",
            direction="credit",
            payer_name="KRAMERICA TREASURY",
            payer_account="DE89370400440532013000",
            status="applied",
        )
        s.add(bt)
        s.flush()
        p = Payment(
            id="P-77",
            customer_id="C-003",
            date=date(2026, 8, 20),
            amount=D("5000.00"),
            bank_transaction_id=bt.id,
        )
        p.allocations.append(Allocation(invoice=old, amount=D("5000.00")))
        s.add(p)
        f.invoice(s, hooli, "INV-3002", amount="8812.40")
        s.flush()
        yield s


def line(
    amount: str, payer: str, ref: str, bank_id: str = "B-1", direction: str = "credit"
) -> StatementLine:
    return StatementLine(
        bank_id, date(2026, 11, 20), D(amount), "USD", direction, payer_name=payer, reference=ref
    )  # type: ignore[arg-type]


def test_profiles_learn_past_payers_accounts_and_contact_domains(session):
    profiles = {p.id: p for p in load_profiles(session)}
    assert profiles["C-003"].past_payers == ["KRAMERICA TREASURY"]
    assert profiles["C-003"].accounts == ["DE89370400440532013000"]
    assert "globex.example" in profiles["C-001"].domains


def test_learned_payer_name_matches_a_later_payment(session):
    (r,) = match_transactions(session, [txn_from_line(line("8812.40", "KRAMERICA TREASURY", ""))])
    assert (r.status, r.customer, [a.invoice for a in r.allocations]) == (
        "auto",
        "C-003",
        ["INV-3002"],
    )


def test_paid_invoices_are_not_candidates(session):
    (r,) = match_transactions(session, [txn_from_line(line("100.00", "GLOBEX", "INV-0900"))])
    assert r.status == "unmatched"


def test_actions_carry_transaction_first_invoice_total_and_allocations(session):
    results = match_transactions(
        session,
        [
            txn_from_line(line("15525.25", "GLOBEX CORP", "INV-1042 INV-1080", "B-1")),
            txn_from_line(line("7.00", "BANK", "INTEREST", "B-2")),
            txn_from_line(line("99.00", "X", "", "B-3", direction="debit")),
        ],
    )
    (action,) = to_actions(results)
    assert action.type == "apply_payment"
    assert action.payload == {
        "transaction": "B-1",
        "customer": "C-001",
        "invoice": "INV-1042",
        "amount": "15525.25",
        "allocations": [
            {"invoice": "INV-1042", "amount": "12400.00"},
            {"invoice": "INV-1080", "amount": "3125.25"},
        ],
        # 25.00 short is within the policy's bank-fee maximum: a typed deduction line
        "deductions": [
            {
                "type": "bank_fee",
                "invoice": "INV-1080",
                "amount": "25.00",
                "reason": "bank fee up to 50.00",
            }
        ],
    }
    assert "SHORT-PAY 25.00" in action.reason and action.context["short_pay"] == "25.00"
    action.normalised()  # the payload validates as CONTRACTS §3 apply_payment


def test_queue_proposals_goes_through_the_approval_queue(session, clock):
    session.add(
        BankTransaction(
            bank_id="B-9",
            booking_date=date(2026, 11, 20),
            amount=D("3150.25"),
            currency="USD",
            direction="credit",
            payer_name="GLOBEX CORP",
            reference="INV-1080",
        )
    )
    session.flush()
    txns = pending_transactions(session)
    assert [t.id for t in txns] == ["B-9"]
    results = match_transactions(session, txns)
    (outcome,) = queue_proposals(session, results, clock=clock, policy=load_policy())
    assert not outcome.blocked and outcome.approval.type == "apply_payment"
    assert outcome.approval.payload["invoice"] == "INV-1080"
    assert pending_transactions(session) == []  # now "proposed"
