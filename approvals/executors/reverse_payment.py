"""reverse_payment: a payment the bank sent back is taken off the invoices it paid.

The original credit's Payment (``BT-<id>``) and its allocations are removed, each
invoice's balance goes back up by what that payment had applied to it, the original
bank line becomes ``returned`` (so a still-pending ``apply_payment`` for it is refused
when approved) and the return line ``applied``. A note on the customer's timeline says
which payment came back and which invoices are open again. Idempotent: a second run
finds the original already ``returned`` and changes nothing.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select

from approvals.executors.base import ExecContext, Refused, customer, result
from core.money import money_str
from ledger.models import BankTransaction, Communication, Invoice, Payment


def _line(ctx: ExecContext, bank_id: str) -> BankTransaction:
    found = ctx.session.scalars(
        select(BankTransaction).where(BankTransaction.bank_id == bank_id).with_for_update()
    ).first()
    if found is None:
        raise Refused(f"bank transaction {bank_id} does not exist")
    return found


def run(ctx: ExecContext) -> dict[str, Any]:
    p, s = ctx.payload, ctx.session
    customer(s, p.customer)
    original = _line(ctx, p.original)
    returned = _line(ctx, p.transaction)
    if original.direction != "credit":
        raise Refused(f"bank transaction {p.original} is not a payment received")
    if returned.direction != "debit" or returned.amount != original.amount:
        raise Refused(
            f"bank transaction {p.transaction} does not send back {p.original} "
            f"({money_str(original.amount, original.currency)} {original.currency})"
        )
    if original.status == "returned":
        return result(original=p.original, reopened=[], already=True)
    payment = s.get(Payment, f"BT-{original.id}")
    reopened: list[dict[str, str]] = []
    if payment is not None:
        if payment.customer_id != p.customer:
            raise Refused(f"bank transaction {p.original} was applied to {payment.customer_id}")
        for allocation in payment.allocations:
            invoice = s.get(Invoice, allocation.invoice_id)
            assert invoice is not None
            invoice.balance = invoice.balance + allocation.amount
            reopened.append(
                {
                    "invoice": invoice.number,
                    "amount": money_str(allocation.amount, invoice.currency),
                }
            )
        s.delete(payment)
    original.status = "returned"
    returned.status = "applied"
    total = sum((Decimal(r["amount"]) for r in reopened), Decimal("0"))
    text = (
        f"Payment {p.original} of {money_str(original.amount, original.currency)} "
        f"{original.currency} came back ({p.reason})"
    )
    if reopened:
        text += "; re-opened " + ", ".join(f"{r['invoice']} {r['amount']}" for r in reopened)
    s.add(
        Communication(
            customer_id=p.customer,
            direction="in",
            channel="note",
            status="note",
            subject=text,
            body_text=text,
            received_at=ctx.clock.now(),
            meta={"kind": "payment_returned", "original": p.original, "return": p.transaction},
        )
    )
    s.flush()
    return result(
        original=p.original,
        transaction=p.transaction,
        reopened=reopened,
        reopened_total=money_str(total, original.currency),
    )
