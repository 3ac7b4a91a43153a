"""Tool: propose recording a promise to pay."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from core.errors import ValidationError
from core.money import format_money
from tools import _ledger
from tools.context import ToolContext, ToolResult
from tools.customers import resolve


class PromiseResult(ToolResult):
    customer: str
    invoices: list[str]
    date: date
    amount: str | None = None


def pick_invoices(ctx: ToolContext, customer_id: str, numbers: list[str] | None) -> list:
    """Named open invoices of the customer, else its undisputed overdue ones, else all its
    undisputed open ones."""
    open_ = _ledger.open_invoices(ctx.session, customer_id=customer_id)
    if numbers:
        wanted = {n.upper() for n in numbers}
        named = [i for i in open_ if i.number.upper() in wanted]
        if named:
            return named
    disputed = _ledger.disputed_invoice_ids(ctx.session, customer_id)
    open_ = [i for i in open_ if i.id not in disputed]
    overdue = [i for i in open_ if i.due_date < ctx.today]
    return overdue or open_


def record_promise(
    ctx: ToolContext,
    customer: str,
    date: date,
    invoices: list[str] | None = None,
    amount: Decimal | None = None,
) -> PromiseResult:
    """Propose recording the customer's promise to pay by a date (queued for approval).

    Args:
        customer: Customer id or name.
        date: The promised payment date (ISO, e.g. 2026-11-27).
        invoices: Invoice numbers the promise covers; empty means all overdue invoices
            that are not disputed.
        amount: Promised amount, if the customer named one.
    """
    cust = resolve(ctx, customer)
    chosen = pick_invoices(ctx, cust.id, invoices)
    if not chosen:
        raise ValidationError(f"{cust.name} has no open invoices to promise against")
    if date < ctx.today:
        raise ValidationError(f"the promised date {date.isoformat()} is in the past")
    numbers = [i.number for i in chosen]
    payload = {"customer": cust.id, "invoices": numbers, "date": date.isoformat()}
    if amount is not None:
        payload["amount"] = str(amount)
    currency = _ledger.currency_of(chosen, cust.currency)
    what = format_money(amount, currency) if amount is not None else "payment"
    summary = f"Promise from {cust.name}: {what} by {date.isoformat()} for {', '.join(numbers)}."
    return PromiseResult(
        customer=cust.id,
        invoices=numbers,
        date=date,
        amount=str(amount) if amount is not None else None,
        summary=summary,
        proposals=[ctx.action("record_promise", payload, reason=summary)],
    )
