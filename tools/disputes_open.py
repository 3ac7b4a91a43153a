"""Tool: the open disputes, across customers or for one."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from pydantic import BaseModel
from sqlalchemy import select

from core.money import format_money
from ledger.models import Customer, Dispute, Invoice
from tools.context import ToolContext, ToolResult
from tools.customers import resolve


class DisputeLine(BaseModel):
    customer: str
    customer_name: str
    invoice: str
    amount: str
    currency: str
    reason: str
    opened: date


class OpenDisputesResult(ToolResult):
    disputes: list[DisputeLine]


def open_disputes(ctx: ToolContext, customer: str | None = None) -> OpenDisputesResult:
    """The disputes still open (invoice, amount, reason, since when), oldest first.

    Args:
        customer: Customer id or name to restrict to one customer; all customers if omitted.
    """
    stmt = (
        select(Dispute, Invoice, Customer)
        .join(Invoice, Invoice.id == Dispute.invoice_id)
        .join(Customer, Customer.id == Dispute.customer_id)
        .where(Dispute.status == "open")
    )
    if customer:
        stmt = stmt.where(Dispute.customer_id == resolve(ctx, customer).id)
    lines = [
        DisputeLine(
            customer=c.id,
            customer_name=c.name,
            invoice=i.number,
            amount=str(i.balance),
            currency=i.currency,
            reason=d.reason,
            opened=d.opened,
        )
        for d, i, c in ctx.session.execute(stmt.order_by(Dispute.opened, Invoice.number))
    ]
    text = "\n".join(
        f"- {d.customer_name}: {d.invoice} ({format_money(Decimal(d.amount), d.currency)}), "
        f"{d.reason}, open since {d.opened.isoformat()}"
        for d in lines
    )
    summary = f"Open disputes ({len(lines)}):\n{text}" if lines else "No open disputes."
    return OpenDisputesResult(disputes=lines, summary=summary)
