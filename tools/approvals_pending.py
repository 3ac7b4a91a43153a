"""Tool: what is waiting in the approval queue."""

from __future__ import annotations

from pydantic import BaseModel
from sqlalchemy import select

from ledger.models import Approval
from tools.context import ToolContext, ToolResult


class PendingApproval(BaseModel):
    id: int
    type: str
    customer: str | None
    reason: str | None


class PendingResult(ToolResult):
    approvals: list[PendingApproval]
    count: int


def pending_approvals(ctx: ToolContext, limit: int = 20) -> PendingResult:
    """Approvals still waiting for a human decision, oldest first.

    Args:
        limit: At most this many (default 20).
    """
    rows = list(
        ctx.session.scalars(
            select(Approval)
            .where(Approval.status == "pending")
            .order_by(Approval.created_at, Approval.id)
        )
    )
    items = [
        PendingApproval(id=a.id, type=a.type, customer=a.customer_id, reason=a.reason)
        for a in rows[: max(1, limit)]
    ]
    text = "; ".join(f"#{a.id} {a.type} {a.customer or ''}".strip() for a in items)
    return PendingResult(
        approvals=items,
        count=len(rows),
        summary=f"{len(rows)} approval(s) pending{': ' + text if text else ''}.",
    )
