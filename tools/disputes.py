"""Tool: propose opening a dispute on one or more invoices."""

from __future__ import annotations

from core.errors import ValidationError
from tools import _ledger
from tools.context import ToolContext, ToolResult
from tools.customers import resolve

REASONS = (
    "pricing",
    "quantity",
    "quality",
    "not_received",
    "duplicate",
    "already_paid",
    "wrong_customer",
    "tax",
    "other",
)


class DisputeResult(ToolResult):
    customer: str
    invoices: list[str]
    reason: str


def open_dispute(
    ctx: ToolContext,
    customer: str,
    invoices: list[str],
    reason: str = "other",
    detail: str | None = None,
) -> DisputeResult:
    """Propose opening a dispute on each named invoice (stops dunning on it once approved).

    Args:
        customer: Customer id or name.
        invoices: The disputed invoice numbers.
        reason: Category, e.g. pricing, quantity, quality, not_received, duplicate,
            already_paid, wrong_customer, tax or other.
        detail: The customer's own words, short.
    """
    cust = resolve(ctx, customer)
    reason = "_".join(str(reason or "").strip().lower().split()) or "other"
    chosen = [
        i for i in _ledger.invoices_by_number(ctx.session, invoices) if i.customer_id == cust.id
    ]
    if not chosen:
        raise ValidationError(
            f"none of {', '.join(invoices) or 'the invoices'} belongs to {cust.name}"
        )
    proposals = []
    for inv in chosen:
        payload = {"customer": cust.id, "invoice": inv.number, "reason": reason}
        if detail:
            payload["detail"] = detail[:500]
        proposals.append(
            ctx.action(
                "open_dispute", payload, reason=f"{cust.name} disputes {inv.number} ({reason})"
            )
        )
    numbers = [i.number for i in chosen]
    return DisputeResult(
        customer=cust.id,
        invoices=numbers,
        reason=reason,
        proposals=proposals,
        summary=f"Dispute ({reason}) on {', '.join(numbers)} for {cust.name}.",
    )
