"""hold_dunning: DunningHold rows, one per invoice or one for the whole customer."""

from __future__ import annotations

from typing import Any

from approvals.executors.base import ExecContext, customer, invoices, result
from ledger.models import DunningHold


def run(ctx: ExecContext) -> dict[str, Any]:
    p = ctx.payload
    customer(ctx.session, p.customer)
    invs = invoices(ctx.session, p.customer, p.invoices)
    targets: list[int | None] = [inv.id for inv in invs] or [None]
    holds = [
        DunningHold(
            customer_id=p.customer, invoice_id=target, until=p.until, reason=p.reason, active=True
        )
        for target in targets
    ]
    ctx.session.add_all(holds)
    ctx.session.flush()
    return result(
        hold_ids=[h.id for h in holds],
        invoices=[i.number for i in invs],
        until=p.until.isoformat() if p.until else None,
    )
