"""record_promise: a Promise row linked to its invoices."""

from __future__ import annotations

from typing import Any

from approvals.executors.base import ExecContext, customer, invoices, require_open, result
from ledger.models import Promise


def run(ctx: ExecContext) -> dict[str, Any]:
    p = ctx.payload
    customer(ctx.session, p.customer)
    invs = invoices(ctx.session, p.customer, p.invoices)
    require_open(invs)
    promise = Promise(
        customer_id=p.customer,
        date=p.date,
        amount=p.amount,
        status="open",
        source=ctx.approval.requested_by,
        note=ctx.approval.reason,
        invoices=invs,
    )
    ctx.session.add(promise)
    ctx.session.flush()
    return result(promise_id=promise.id, invoices=[i.number for i in invs])
