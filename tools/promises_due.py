"""Tool: open promises to pay falling due (or already past due) soon."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from pydantic import BaseModel
from sqlalchemy import select

from core.money import format_money
from ledger.models import Customer, Promise
from tools.context import ToolContext, ToolResult
from tools.customers import resolve


class PromiseLine(BaseModel):
    customer: str
    customer_name: str
    date: date
    amount: str | None
    currency: str
    invoices: list[str]
    status: str  # due | overdue | upcoming


class PromisesDueResult(ToolResult):
    promises: list[PromiseLine]


def promises_due(
    ctx: ToolContext, within_days: int = 7, customer: str | None = None
) -> PromisesDueResult:
    """Open promises to pay dated on or before today + within_days (missed ones included).

    Args:
        within_days: Look this many days ahead (default 7).
        customer: Customer id or name to restrict to one customer.
    """
    horizon = ctx.today + timedelta(days=max(0, within_days))
    stmt = select(Promise).where(Promise.status == "open", Promise.date <= horizon)
    if customer:
        stmt = stmt.where(Promise.customer_id == resolve(ctx, customer).id)
    out = []
    for p in ctx.session.scalars(stmt.order_by(Promise.date)):
        cust = ctx.session.get(Customer, p.customer_id)
        status = "overdue" if p.date < ctx.today else "due" if p.date == ctx.today else "upcoming"
        out.append(
            PromiseLine(
                customer=p.customer_id,
                customer_name=cust.name if cust else p.customer_id,
                date=p.date,
                amount=str(p.amount) if p.amount is not None else None,
                currency=(
                    p.invoices[0].currency if p.invoices else (cust.currency if cust else "USD")
                ),
                invoices=[i.number for i in p.invoices],
                status=status,
            )
        )
    text = "; ".join(
        f"{p.customer_name} {p.date.isoformat()}"
        + (f" {format_money(Decimal(p.amount), p.currency)}" if p.amount else "")
        + (f" ({', '.join(p.invoices)})" if p.invoices else "")
        for p in out
    )
    return PromisesDueResult(promises=out, summary=f"Promises due: {text or 'none'}.")
