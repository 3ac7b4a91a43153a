"""Tool: propose pausing dunning for a customer or some of its invoices."""

from __future__ import annotations

from datetime import date

from core.errors import ValidationError
from tools import _ledger
from tools.context import ToolContext, ToolResult
from tools.customers import resolve


class HoldResult(ToolResult):
    customer: str
    invoices: list[str]
    until: date | None


def hold_dunning(
    ctx: ToolContext,
    customer: str,
    reason: str,
    until: date | None = None,
    invoices: list[str] | None = None,
) -> HoldResult:
    """Propose pausing reminders (no dunning emails) until a date.

    Args:
        customer: Customer id or name.
        reason: Why, in a few words ("out of office until 2026-12-01").
        until: Last day of the pause (ISO date); empty means until further notice.
        invoices: Only these invoice numbers; empty means the whole customer.
    """
    cust = resolve(ctx, customer)
    if until is not None and until < ctx.today:
        raise ValidationError(f"the hold date {until.isoformat()} is in the past")
    numbers: list[str] = []
    if invoices:
        numbers = [
            i.number
            for i in _ledger.invoices_by_number(ctx.session, invoices)
            if i.customer_id == cust.id
        ]
    payload = {"customer": cust.id, "invoices": numbers, "reason": reason}
    if until is not None:
        payload["until"] = until.isoformat()
    scope = ", ".join(numbers) if numbers else "all invoices"
    when = until.isoformat() if until else "further notice"
    summary = f"Hold dunning for {cust.name} ({scope}) until {when}: {reason}."
    return HoldResult(
        customer=cust.id,
        invoices=numbers,
        until=until,
        summary=summary,
        proposals=[ctx.action("hold_dunning", payload, reason=summary)],
    )
