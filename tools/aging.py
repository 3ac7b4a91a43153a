"""Tool: aging buckets (current, 1-30, 31-60, 61-90, 90+), per customer and in total."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from pydantic import BaseModel

from core.money import format_money
from tools import _ledger
from tools.context import ToolContext, ToolResult
from tools.customers import resolve

BUCKETS = ("current", "1-30", "31-60", "61-90", "90+")


def bucket_of(days_overdue: int) -> str:
    if days_overdue <= 0:
        return "current"
    if days_overdue <= 30:
        return "1-30"
    if days_overdue <= 60:
        return "31-60"
    if days_overdue <= 90:
        return "61-90"
    return "90+"


class AgingRow(BaseModel):
    customer: str
    customer_name: str
    buckets: dict[str, str]
    total: str


class AgingResult(ToolResult):
    currency: str
    rows: list[AgingRow]
    totals: dict[str, str]
    total: str


def aging_report(ctx: ToolContext, customer: str | None = None) -> AgingResult:
    """Open balances by age bucket: current, 1-30, 31-60, 61-90 and 90+ days past due.

    Args:
        customer: Customer id or name for one customer; leave empty for the whole ledger.
    """
    cust = resolve(ctx, customer) if customer else None
    invoices = _ledger.open_invoices(ctx.session, customer_id=cust.id if cust else None)
    per: dict[str, dict[str, Decimal]] = defaultdict(lambda: {b: Decimal("0") for b in BUCKETS})
    names = _ledger.customer_names(ctx.session, {i.customer_id for i in invoices})
    for inv in invoices:
        per[inv.customer_id][bucket_of((ctx.today - inv.due_date).days)] += inv.balance
    totals = {b: sum((row[b] for row in per.values()), Decimal("0")) for b in BUCKETS}
    grand = sum(totals.values(), Decimal("0"))
    currency = _ledger.currency_of(invoices, cust.currency if cust else "USD")
    rows = sorted(
        (AgingRow(customer=cid, customer_name=names[cid],
                  buckets={b: str(v) for b, v in row.items()}, total=str(sum(row.values())))
         for cid, row in per.items()),
        key=lambda r: -Decimal(r.total),
    )
    parts = ", ".join(f"{b}: {format_money(totals[b], currency)}" for b in BUCKETS)
    who = cust.name if cust else "All customers"
    return AgingResult(currency=currency, rows=rows, totals={b: str(v) for b, v in totals.items()},
                       total=str(grand),
                       summary=f"{who}: {parts}; total {format_money(grand, currency)}.")
