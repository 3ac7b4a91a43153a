"""open_dispute: a Dispute on one invoice (refused when one is already open)."""

from __future__ import annotations

from typing import Any

from approvals.executors.base import (
    ExecContext,
    Refused,
    customer,
    invoices,
    open_dispute_on,
    result,
)
from core.clock import today
from ledger.models import Dispute


def run(ctx: ExecContext) -> dict[str, Any]:
    p = ctx.payload
    customer(ctx.session, p.customer)
    (inv,) = invoices(ctx.session, p.customer, [p.invoice], lock=True)
    existing = open_dispute_on(ctx.session, inv)
    if existing is not None:
        raise Refused(f"invoice {inv.number} already has an open dispute (#{existing.id})")
    dispute = Dispute(
        customer_id=p.customer,
        invoice_id=inv.id,
        reason=p.reason,
        detail=p.detail,
        opened=today(ctx.clock),
        status="open",
    )
    ctx.session.add(dispute)
    ctx.session.flush()
    return result(dispute_id=dispute.id, invoice=inv.number)
