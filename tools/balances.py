"""Tool: what a customer owes, with its open items."""

from __future__ import annotations

from decimal import Decimal

from core.money import format_money
from tools import _ledger
from tools.context import ToolContext, ToolResult
from tools.customers import resolve


class BalanceResult(ToolResult):
    customer: str
    customer_name: str
    currency: str
    total: str
    overdue: str
    open_items: list[_ledger.InvoiceLine]


def customer_balance(ctx: ToolContext, customer: str) -> BalanceResult:
    """The customer's open balance, overdue part and every open invoice.

    Args:
        customer: Customer id or name (as returned by find_customer).
    """
    cust = resolve(ctx, customer)
    invoices = _ledger.open_invoices(ctx.session, customer_id=cust.id)
    lines = [_ledger.line(i, ctx.today) for i in invoices]
    currency = _ledger.currency_of(invoices, cust.currency)
    total = _ledger.total(invoices)
    overdue = sum((i.balance for i in invoices if i.due_date < ctx.today), Decimal("0"))
    return BalanceResult(
        customer=cust.id,
        customer_name=cust.name,
        currency=currency,
        total=str(total),
        overdue=str(overdue),
        open_items=lines,
        summary=(
            f"{cust.name} owes {format_money(total, currency)} across {len(lines)} open "
            f"invoice(s); {format_money(overdue, currency)} overdue."
        ),
    )
