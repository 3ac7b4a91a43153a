from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from ledger.models import Approval, BankTransaction
from tools.remittance import match_bank_statement


def add_line(session, bank_id: str, amount: str, payer: str, ref: str, direction: str = "credit"):
    session.add(
        BankTransaction(
            bank_id=bank_id,
            booking_date=date(2026, 11, 20),
            amount=Decimal(amount),
            currency="USD",
            direction=direction,
            payer_name=payer,
            reference=ref,
        )
    )
    session.flush()


def test_matches_unapplied_credits_and_returns_proposals_without_writing(ctx, session, globex):
    add_line(session, "B-1", "12400.00", "GLOBEX CORP", "INV-1042")
    add_line(session, "B-2", "42.00", "UNKNOWN", "interest")
    add_line(session, "B-3", "10.00", "BANK", "fee", direction="debit")
    result = match_bank_statement(ctx)
    assert (result.auto, result.unmatched) == (1, 1)
    assert "1 auto-matched" in result.summary and "await approval" in result.summary
    (proposal,) = result.proposals
    assert proposal.type == "apply_payment"
    assert proposal.payload["transaction"] == "B-1" and proposal.payload["invoice"] == "INV-1042"
    assert session.scalar(select(func.count()).select_from(Approval)) == 0
    assert {t.status for t in session.scalars(select(BankTransaction))} == {"new"}


def test_remittance_text_from_the_customer_is_used(ctx, session, globex):
    add_line(session, "B-1", "15500.00", "GLOBEX", "ACH 88213")
    result = match_bank_statement(
        ctx, remittance_text="Paid INV-1042 12,400.00 and INV-1077 3,100.00"
    )
    assert result.auto == 1
    assert [a.invoice for a in result.lines[0].allocations] == ["INV-1042", "INV-1077"]


def test_named_transactions_only(ctx, session, globex):
    add_line(session, "B-1", "12400.00", "GLOBEX CORP", "INV-1042")
    add_line(session, "B-2", "3100.00", "GLOBEX CORP", "INV-1077")
    result = match_bank_statement(ctx, transactions=["B-2"])
    assert [line.transaction for line in result.lines] == ["B-2"]


def test_nothing_to_match_says_so(ctx, globex):
    assert match_bank_statement(ctx).summary == "No unapplied bank transactions to match."
