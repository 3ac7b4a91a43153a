"""apply_payment: a real credit, open invoices, no over-allocation, four eyes over 50,000."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy.orm import Session

from core.clock import FrozenClock
from ledger.models import Allocation, BankTransaction, Customer, Invoice, Payment
from policies.actions import ProposedAction
from policies.check import approvals_required, check
from policies.schema import Policy
from tests.policies.helpers import failed
from tests.support import factories


def _txn(
    session: Session,
    amount: str = "12400.00",
    direction: str = "credit",
    bank_id: str = "2026-11-20/0007",
    currency: str = "USD",
) -> BankTransaction:
    txn = BankTransaction(
        bank_id=bank_id,
        booking_date=date(2026, 11, 20),
        amount=Decimal(amount),
        currency=currency,
        direction=direction,
        payer_name="GLOBEX CORP",
    )
    session.add(txn)
    session.flush()
    return txn


def _apply(**overrides: Any) -> ProposedAction:
    payload = {
        "transaction": "2026-11-20/0007",
        "customer": "C-001",
        "invoice": "INV-1042",
        "amount": "12400.00",
    }
    payload.update(overrides)
    return ProposedAction(type="apply_payment", payload=payload, requested_by="matcher")


def test_matching_payment_is_allowed(
    session: Session, clock: FrozenClock, policy: Policy, inv: Invoice
) -> None:
    _txn(session)
    verdict = check(_apply(), session, clock, policy=policy)
    assert verdict.allowed, verdict.reasons


def test_transaction_found_by_numeric_id(
    session: Session, clock: FrozenClock, policy: Policy, inv: Invoice
) -> None:
    txn = _txn(session)
    assert check(_apply(transaction=str(txn.id)), session, clock, policy=policy).allowed


def test_missing_transaction_is_refused(
    session: Session, clock: FrozenClock, policy: Policy, inv: Invoice
) -> None:
    assert check(_apply(), session, clock, policy=policy).reasons == [
        "bank transaction '2026-11-20/0007' not found: apply_payment needs a bank transaction"
    ]


def test_debit_is_refused(
    session: Session, clock: FrozenClock, policy: Policy, inv: Invoice
) -> None:
    _txn(session, direction="debit")
    assert failed(check(_apply(), session, clock, policy=policy))["bank_transaction"] == (
        "bank transaction 2026-11-20/0007 is a debit, not money in"
    )


def test_short_payment_is_allowed(
    session: Session, clock: FrozenClock, policy: Policy, inv: Invoice
) -> None:
    _txn(session, amount="12385.00")
    assert check(_apply(amount="12385.00"), session, clock, policy=policy).allowed


@pytest.mark.parametrize(
    ("txn_amount", "amount", "detail"),
    [
        ("20000.00", "12400.01", "INV-1042: 12400.01 exceeds its open balance 12400.00"),
        (
            "12000.00",
            "12400.00",
            "allocations 12400.00 exceed what is left of the transaction (12000.00 USD)",
        ),
        ("12400.00", "0", "INV-1042: amount 0 must be positive"),
    ],
)
def test_over_allocation_is_refused(
    session: Session,
    clock: FrozenClock,
    policy: Policy,
    inv: Invoice,
    txn_amount: str,
    amount: str,
    detail: str,
) -> None:
    _txn(session, amount=txn_amount)
    assert (
        failed(check(_apply(amount=amount), session, clock, policy=policy))["allocations"] == detail
    )


def test_already_applied_part_is_not_available(
    session: Session, clock: FrozenClock, policy: Policy, inv: Invoice, globex: Customer
) -> None:
    txn = _txn(session, amount="15000.00")
    other = factories.invoice(session, globex, "INV-0988", amount="5000.00", balance="0.00")
    pay = Payment(
        id="P-1",
        customer_id="C-001",
        date=date(2026, 11, 20),
        amount=Decimal("5000.00"),
        bank_transaction_id=txn.id,
    )
    pay.allocations.append(Allocation(invoice_id=other.id, amount=Decimal("5000.00")))
    session.add(pay)
    session.flush()
    assert "allocations" in failed(check(_apply(), session, clock, policy=policy))
    assert check(_apply(amount="10000.00"), session, clock, policy=policy).allowed


def test_several_allocations(
    session: Session, clock: FrozenClock, policy: Policy, inv: Invoice, globex: Customer
) -> None:
    factories.invoice(session, globex, "INV-1077", amount="12400.00")
    _txn(session, amount="24800.00")
    allocations = [
        {"invoice": "INV-1042", "amount": "12400.00"},
        {"invoice": "INV-1077", "amount": "12400.00"},
    ]
    assert check(
        _apply(amount="24800.00", allocations=allocations), session, clock, policy=policy
    ).allowed
    verdict = check(
        _apply(amount="12400.00", allocations=allocations), session, clock, policy=policy
    )
    assert failed(verdict)["allocations"] == (
        "amount 12400.00 differs from the allocations' sum 24800.00"
    )


def test_invoice_of_another_customer_or_paid(
    session: Session, clock: FrozenClock, policy: Policy, globex: Customer
) -> None:
    _txn(session)
    factories.invoice(session, globex, "INV-1042", amount="12400.00", balance="0.00")
    assert "invoices_open" in failed(check(_apply(), session, clock, policy=policy))
    other = factories.customer(session, "C-002", "Initech")
    factories.invoice(session, other, "INV-5000", amount="12400.00")
    assert "invoices_open" in failed(
        check(_apply(invoice="INV-5000"), session, clock, policy=policy)
    )


def test_currency_must_match(
    session: Session, clock: FrozenClock, policy: Policy, inv: Invoice
) -> None:
    _txn(session, currency="EUR")
    assert failed(check(_apply(), session, clock, policy=policy))["allocations"] == (
        "INV-1042 is in USD, the payment in EUR"
    )


@pytest.mark.parametrize(("amount", "needed"), [("50000.00", 1), ("50000.01", 2)])
def test_four_eyes_over_50000(
    session: Session, clock: FrozenClock, policy: Policy, globex: Customer, amount: str, needed: int
) -> None:
    factories.invoice(session, globex, "INV-7000", amount="60000.00")
    _txn(session, amount="60000.00")
    action = _apply(invoice="INV-7000", amount=amount)
    assert approvals_required(action, policy) == needed
    verdict = check(action, session, clock, policy=policy)
    assert verdict.allowed
    four_eyes = next(c for c in verdict.checks if c.rule == "four_eyes")
    assert ("needs 2 approvals" in four_eyes.detail) is (needed == 2)


def test_four_eyes_counts_the_allocations_total(policy: Policy) -> None:
    action = _apply(
        amount="50000.02",
        allocations=[
            {"invoice": "A", "amount": "25000.01"},
            {"invoice": "B", "amount": "25000.01"},
        ],
    )
    assert approvals_required(action, policy) == 2


def test_ignored_transaction_is_refused(
    session: Session, clock: FrozenClock, policy: Policy, inv: Invoice
) -> None:
    _txn(session).status = "ignored"
    session.flush()
    assert failed(check(_apply(), session, clock, policy=policy))["bank_transaction"] == (
        "bank transaction 2026-11-20/0007 is marked ignored"
    )
