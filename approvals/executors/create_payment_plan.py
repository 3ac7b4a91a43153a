"""create_payment_plan: a PaymentPlan with its Installments, linked to its invoices."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from approvals.executors.base import (
    ExecContext,
    Refused,
    customer,
    invoices,
    require_open,
    result,
)
from ledger.models import Installment, PaymentPlan, plan_invoices


def run(ctx: ExecContext) -> dict[str, Any]:
    p = ctx.payload
    cust = customer(ctx.session, p.customer)
    invs = invoices(ctx.session, p.customer, p.invoices, lock=True)
    require_open(invs)
    in_plan = ctx.session.scalars(
        select(plan_invoices.c.invoice_id)
        .join(PaymentPlan, PaymentPlan.id == plan_invoices.c.plan_id)
        .where(PaymentPlan.status == "active", plan_invoices.c.invoice_id.in_([i.id for i in invs]))
    ).first()
    if in_plan is not None:
        number = next(i.number for i in invs if i.id == in_plan)
        raise Refused(f"invoice {number} is already in an active payment plan")
    currency = invs[0].currency if invs else cust.currency
    plan = PaymentPlan(
        customer_id=p.customer,
        status="active",
        down_payment=p.down_payment,
        currency=currency,
        invoices=invs,
    )
    for seq, inst in enumerate(sorted(p.installments, key=lambda i: i.date), start=1):
        plan.installments.append(Installment(seq=seq, due_date=inst.date, amount=inst.amount))
    ctx.session.add(plan)
    ctx.session.flush()
    return result(
        plan_id=plan.id, installments=len(plan.installments), invoices=[i.number for i in invs]
    )
