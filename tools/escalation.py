"""Tool: hand a case to a human (no side effect besides notifying)."""

from __future__ import annotations

from tools.context import ToolContext, ToolResult
from tools.customers import resolve


class EscalationResult(ToolResult):
    customer: str | None
    reason: str


def escalate(ctx: ToolContext, reason: str, customer: str | None = None) -> EscalationResult:
    """Escalate to a human collector: calls, agency, legal, unusual requests.

    Args:
        reason: What the human must look at, one sentence.
        customer: Customer id or name, if known.
    """
    cust = resolve(ctx, customer) if customer else None
    payload = {"customer": cust.id if cust else None, "reason": reason[:1000]}
    if payload["customer"] is None:
        del payload["customer"]
    who = cust.name if cust else "unknown customer"
    summary = f"Escalated ({who}): {reason}"
    return EscalationResult(
        customer=cust.id if cust else None,
        reason=reason,
        summary=summary,
        proposals=[ctx.action("escalate", payload, reason=reason)],
    )
