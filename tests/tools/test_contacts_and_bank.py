from datetime import date
from decimal import Decimal

from ledger.models import BankTransaction
from tools.bank_search import amount_close, find_bank_payment
from tools.contacts import update_contact


def test_contact_on_a_known_domain_is_proposed(ctx, globex):
    result = update_contact(ctx, "C-001", "payables@globex.example")
    assert [p.type for p in result.proposals] == ["update_contact"]


def test_contact_on_a_new_domain_is_escalated(ctx, globex):
    result = update_contact(ctx, "C-001", "pay@globex-billing.com")
    assert result.escalated and [p.type for p in result.proposals] == ["escalate"]


def test_amount_tolerance_is_the_smaller_of_one_percent_and_fifty():
    assert amount_close(Decimal("12350.00"), Decimal("12400.00"))
    assert not amount_close(Decimal("12349.99"), Decimal("12400.00"))
    assert not amount_close(Decimal("98.00"), Decimal("100.00"))


def _tx(session, bank_id, amount, payer, ref):
    session.add(
        BankTransaction(
            bank_id=bank_id,
            booking_date=date(2026, 11, 20),
            amount=Decimal(amount),
            currency="USD",
            direction="credit",
            payer_name=payer,
            reference=ref,
        )
    )
    session.flush()


def test_payment_found_by_stated_reference(ctx, session, globex):
    _tx(session, "BT-1", "3100.00", "GLOBEX CORP", "ACH 88213")
    result = find_bank_payment(ctx, "C-001", reference="88213")
    assert result.found and result.transaction == "BT-1"
    assert [(p.type, p.payload["invoice"], p.payload["amount"]) for p in result.proposals] == [
        ("apply_payment", "INV-1077", "3100.00")
    ]


def test_someone_elses_credit_is_not_found(ctx, session, globex):
    _tx(session, "BT-2", "4750.00", "WAYNE ENTERPRISES", "INV7001")
    assert not find_bank_payment(ctx, "C-001", invoices=["INV-1042"]).found
