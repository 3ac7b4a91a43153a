"""Tool: look for a customer's claimed payment among the imported bank transactions."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from pydantic import BaseModel
from rapidfuzz import fuzz
from sqlalchemy import select

from core.money import format_money
from ledger.models import BankTransaction, Customer, Invoice, Payment
from tools import _ledger
from tools.context import ToolContext, ToolResult
from tools.customers import normalise, resolve


class Allocation(BaseModel):
    invoice: str
    amount: str


class BankSearchResult(ToolResult):
    customer: str
    found: bool
    transaction: str | None = None
    amount: str | None = None
    allocations: list[Allocation] = []
    why: str = ""


def _squash(text: str) -> str:
    return re.sub(r"[^A-Z0-9]", "", text.upper())


def amount_close(a: Decimal, b: Decimal) -> bool:
    """Within 1% or 50.00, whichever is smaller (the policy's amount-match tolerance)."""
    return abs(a - b) <= min(abs(b) * Decimal("0.01"), Decimal("50"))


def _payer_matches(cust: Customer, payer: str | None) -> bool:
    if not payer:
        return False
    p = normalise(payer)
    return any(
        fuzz.token_set_ratio(p, normalise(n)) >= 85 for n in [cust.name, *(cust.aliases or [])]
    )


def _score(
    tx: BankTransaction,
    cust: Customer,
    open_: list[Invoice],
    named: list[Invoice],
    amount: Decimal | None,
    reference: str | None,
) -> tuple[int, list[Invoice], str]:
    ref = _squash(" ".join(filter(None, [tx.reference, tx.end_to_end_id])))
    by_ref = [i for i in open_ if _squash(i.number) and _squash(i.number) in ref]
    targets = [amount] if amount is not None else []
    if named:
        targets.append(_ledger.total(named))
    amount_hit = any(amount_close(tx.amount, t) for t in targets if t)
    payer_hit = _payer_matches(cust, tx.payer_name)
    stated = bool(reference) and len(_squash(reference)) >= 4 and _squash(reference) in ref
    if stated:
        return 3, by_ref or named, f"reference {reference} found on the bank line"
    if by_ref:
        return 2, by_ref, "invoice number in the bank reference"
    if amount_hit and payer_hit:
        return 1, named, "amount and payer name match"
    if amount_hit and not (tx.payer_name or "").strip():
        return 1, named, "amount matches (no payer name on the bank line)"
    return 0, [], ""


def allocate(amount: Decimal, invoices: list[Invoice]) -> list[Allocation]:
    """Spread ``amount`` over ``invoices`` oldest first; never more than each balance."""
    out, left = [], amount
    for inv in sorted(invoices, key=lambda i: (i.due_date, i.number)):
        if left <= 0:
            break
        part = min(left, inv.balance)
        out.append(Allocation(invoice=inv.number, amount=str(part)))
        left -= part
    return out


def find_bank_payment(
    ctx: ToolContext,
    customer: str,
    amount: Decimal | None = None,
    reference: str | None = None,
    invoices: list[str] | None = None,
    paid_on: date | None = None,
) -> BankSearchResult:
    """Search unapplied bank credits for a payment the customer says it made; when one
    matches (reference, invoice number, or amount plus payer), propose applying it.

    Args:
        customer: Customer id or name.
        amount: Amount the customer says it paid.
        reference: Payment reference the customer quoted (e.g. "ACH 88213").
        invoices: Invoice numbers the customer says it paid.
        paid_on: Date the customer says it paid.
    """
    cust = resolve(ctx, customer)
    open_ = _ledger.open_invoices(ctx.session, customer_id=cust.id)
    named = [i for i in open_ if invoices and i.number.upper() in {n.upper() for n in invoices}]
    used = select(Payment.bank_transaction_id).where(Payment.bank_transaction_id.is_not(None))
    txs = ctx.session.scalars(
        select(BankTransaction)
        .where(
            BankTransaction.direction == "credit",
            BankTransaction.status.in_(("new", "proposed")),
            BankTransaction.id.not_in(used),
        )
        .order_by(BankTransaction.booking_date.desc())
    )
    best: tuple[int, BankTransaction | None, list[Invoice], str] = (0, None, [], "")
    for tx in txs:
        if paid_on is not None and abs((tx.booking_date - paid_on).days) > 10:
            continue
        score, hit, why = _score(tx, cust, open_, named, amount, reference)
        if score > best[0]:
            best = (score, tx, hit, why)
    score, tx, hit, why = best
    if tx is None:
        return BankSearchResult(
            customer=cust.id,
            found=False,
            summary=f"No matching credit from {cust.name} in the bank transactions.",
        )
    targets = hit or named or [i for i in open_ if amount_close(tx.amount, i.balance)][:1] or open_
    allocations = allocate(tx.amount, targets)
    proposals = [
        ctx.action(
            "apply_payment",
            {
                "transaction": tx.bank_id,
                "customer": cust.id,
                "invoice": a.invoice,
                "amount": a.amount,
            },
            reason=f"{cust.name} says it paid; bank line {tx.bank_id} matches ({why})",
        )
        for a in allocations
    ]
    text = ", ".join(
        f"{a.invoice} {format_money(Decimal(a.amount), tx.currency)}" for a in allocations
    )
    return BankSearchResult(
        customer=cust.id,
        found=True,
        transaction=tx.bank_id,
        amount=str(tx.amount),
        allocations=allocations,
        why=why,
        proposals=proposals,
        summary=(
            f"Found bank credit {tx.bank_id} of {format_money(tx.amount, tx.currency)} on "
            f"{tx.booking_date.isoformat()} ({why}); apply to {text}."
        ),
    )
