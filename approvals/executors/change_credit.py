"""change_credit: the customer's credit limit and/or credit hold."""

from __future__ import annotations

from typing import Any

from approvals.executors.base import ExecContext, Refused, customer, result
from core.money import money_str


def run(ctx: ExecContext) -> dict[str, Any]:
    p = ctx.payload
    if p.credit_limit is None and p.credit_hold is None:
        raise Refused("change_credit changes neither the credit limit nor the credit hold")
    if p.credit_limit is not None and p.credit_limit < 0:
        raise Refused("a credit limit cannot be negative")
    cust = customer(ctx.session, p.customer, lock=True)
    before = {
        "credit_limit": money_str(cust.credit_limit, cust.currency)
        if cust.credit_limit is not None
        else None,
        "credit_hold": cust.credit_hold,
    }
    if p.credit_limit is not None:
        cust.credit_limit = p.credit_limit
    if p.credit_hold is not None:
        cust.credit_hold = p.credit_hold
    ctx.session.flush()
    return result(
        customer=cust.id,
        before=before,
        credit_limit=money_str(cust.credit_limit, cust.currency)
        if cust.credit_limit is not None
        else None,
        credit_hold=cust.credit_hold,
    )
