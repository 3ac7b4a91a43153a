"""apply_payment: one Payment per bank transaction, Allocations reducing invoice balances.

Idempotent by transaction: the Payment's id derives from the bank transaction, so a
second approval for the same money adds allocations to the same Payment and can never
allocate more than the transaction brought in; no balance ever goes below zero.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select

from approvals.executors.base import ExecContext, Refused, customer, invoices, result
from core.money import money_str
from ledger.models import Allocation, BankTransaction, Payment


def _allocations(p: Any) -> list[tuple[str, Decimal]]:
    if p.allocations:
        try:
            return [(str(a["invoice"]), Decimal(str(a["amount"]))) for a in p.allocations]
        except (KeyError, ArithmeticError) as exc:
            raise Refused(f"apply_payment.allocations: malformed entry ({exc})") from exc
    return [(p.invoice, p.amount)]


def run(ctx: ExecContext) -> dict[str, Any]:
    p = ctx.payload
    s = ctx.session
    bt = s.scalars(
        select(BankTransaction).where(BankTransaction.bank_id == p.transaction).with_for_update()
    ).first()
    if bt is None:
        raise Refused(f"bank transaction {p.transaction} does not exist")
    if bt.direction != "credit":
        raise Refused(f"bank transaction {p.transaction} is a debit, not a payment received")
    if bt.status == "ignored":
        raise Refused(f"bank transaction {p.transaction} is marked ignored")
    if bt.status == "returned":
        raise Refused(f"bank transaction {p.transaction} came back (returned): nothing to apply")
    customer(s, p.customer)
    wanted = _allocations(p)
    invs = {i.number: i for i in invoices(s, p.customer, [n for n, _ in wanted], lock=True)}
    payment_id = f"BT-{bt.id}"
    payment = s.get(Payment, payment_id)
    if payment is not None and payment.customer_id != p.customer:
        raise Refused(f"bank transaction {p.transaction} was applied to {payment.customer_id}")
    applied = (
        sum((a.amount for a in payment.allocations), Decimal("0")) if payment else Decimal("0")
    )
    total = sum((amount for _, amount in wanted), Decimal("0"))
    fx_line = getattr(p, "fx", None)
    fx: dict[str, Any] = fx_line if isinstance(fx_line, dict) else {}
    rate = Decimal(str(fx["rate"])) if fx.get("rate") else None
    if rate is not None and applied:
        raise Refused(f"bank transaction {p.transaction} is already partly applied")
    if rate is None and total > bt.amount - applied:
        raise Refused(
            f"bank transaction {p.transaction} has only "
            f"{money_str(bt.amount - applied, bt.currency)} {bt.currency} unapplied, "
            f"not {money_str(total, bt.currency)}"
        )
    for number, amount in wanted:
        inv = invs[number]
        credit_note = inv.balance < 0  # an open credit note is taken off the payment's set
        if amount == 0 or (amount < 0) != credit_note:
            raise Refused(
                f"allocation to {number} must be "
                f"{'negative (a credit note)' if credit_note else 'positive'}, not {amount}"
            )
        if inv.currency != bt.currency and (
            rate is None
            or (fx.get("invoice_currency"), fx.get("payment_currency"))
            != (inv.currency, bt.currency)
        ):
            raise Refused(f"invoice {number} is in {inv.currency}, the payment in {bt.currency}")
        if abs(amount) > abs(inv.balance):
            raise Refused(
                f"invoice {number} has {money_str(inv.balance, inv.currency)} open; "
                f"cannot apply {money_str(amount, inv.currency)}"
            )
    if payment is None:
        payment = Payment(
            id=payment_id,
            customer_id=p.customer,
            date=bt.booking_date,
            amount=bt.amount,
            currency=bt.currency,
            reference=bt.reference,
            payer_name=bt.payer_name,
            bank_transaction_id=bt.id,
        )
        s.add(payment)
    for number, amount in wanted:
        invs[number].balance = invs[number].balance - amount
        payment.allocations.append(Allocation(invoice_id=invs[number].id, amount=amount))
    deducted = _deduct(s, p, invs)
    # in another currency the whole payment settles the invoices; the difference at the
    # rate is the FX gain or loss line the approver saw
    applied = bt.amount if rate is not None else applied + total
    bt.status = "applied" if applied >= bt.amount else "partially"
    s.flush()
    return result(
        payment_id=payment.id,
        transaction=bt.bank_id,
        allocations=[{"invoice": n, "amount": money_str(a, bt.currency)} for n, a in wanted],
        unapplied=money_str(bt.amount - applied, bt.currency),
        transaction_status=bt.status,
        deductions=deducted,
        **({"fx": fx} if rate is not None else {}),
    )


def _deduct(s: Any, p: Any, invs: dict[str, Any]) -> list[dict[str, str]]:
    """Close the policy-allowed deductions (discount, withholding tax, bank fee) on their
    invoices, after the allocations; a deduction larger than what is left is refused."""
    out = []
    for line in p.deductions or []:
        inv = invs.get(line.invoice) or next(
            iter(invoices(s, p.customer, [line.invoice], lock=True)), None
        )
        if inv is None or line.amount > inv.balance:
            left = "nothing" if inv is None else money_str(inv.balance, inv.currency)
            raise Refused(
                f"deduction {line.type} of {line.amount} on {line.invoice}: only {left} is open"
            )
        inv.balance = inv.balance - line.amount
        out.append(
            {
                "type": line.type,
                "invoice": inv.number,
                "amount": money_str(line.amount, inv.currency),
            }
        )
    return out
