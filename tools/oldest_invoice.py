"""Tool: the oldest open invoice of a customer (or of the whole ledger)."""

from __future__ import annotations

from decimal import Decimal

from core.money import format_money
from tools import _ledger
from tools.context import ToolContext, ToolResult
from tools.customers import resolve


class OldestInvoiceResult(ToolResult):
    invoice: _ledger.InvoiceLine | None = None
    customer_name: str | None = None


def oldest_invoice(ctx: ToolContext, customer: str | None = None) -> OldestInvoiceResult:
    """The open invoice with the earliest due date.

    Args:
        customer: Customer id or name; leave empty to search every customer.
    """
    cust = resolve(ctx, customer) if customer else None
    invoices = _ledger.open_invoices(ctx.session, customer_id=cust.id if cust else None)
    if not invoices:
        who = cust.name if cust else "Nobody"
        return OldestInvoiceResult(
            customer_name=cust.name if cust else None, summary=f"{who} has no open invoices."
        )
    inv = invoices[0]
    ln = _ledger.line(inv, ctx.today)
    late = (
        f"{ln.days_overdue} days overdue"
        if ln.days_overdue > 0
        else f"due in {-ln.days_overdue} days"
    )
    return OldestInvoiceResult(
        invoice=ln,
        customer_name=inv.customer.name,
        summary=(
            f"Oldest open invoice of {inv.customer.name}: {inv.number}, "
            f"{format_money(Decimal(ln.balance), ln.currency)}, due {inv.due_date.isoformat()} "
            f"({late})."
        ),
    )
