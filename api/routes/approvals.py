"""REST: the approval queue (list, show, approve with optional edits, reject)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

from api.deps import ContextDep, SessionDep, UserDep
from application import decisions
from approvals import queue
from ledger.models import Approval

router = APIRouter(prefix="/api/approvals", tags=["approvals"])


class ApprovalOut(BaseModel):
    id: int
    type: str
    status: str
    customer: str | None
    payload: dict[str, Any]
    requested_by: str
    reason: str | None
    checks: list[Any]
    approvals_by: list[str]
    decided_by: str | None
    decided_at: str | None
    error: str | None
    result: dict[str, Any] | None
    edited: bool

    @classmethod
    def of(cls, a: Approval) -> ApprovalOut:
        return cls(
            id=a.id,
            type=a.type,
            status=a.status,
            customer=a.customer_id,
            payload=a.payload,
            requested_by=a.requested_by,
            reason=a.reason,
            checks=a.checks or [],
            approvals_by=a.approvals_by or [],
            decided_by=a.decided_by,
            decided_at=a.decided_at.isoformat() if a.decided_at else None,
            error=a.error,
            result=a.result,
            edited=bool(a.edits),
        )


class Decision(BaseModel):
    edits: dict[str, Any] | None = Field(
        None, description="fields of the payload to change before approving"
    )
    note: str | None = None


class Rejection(BaseModel):
    reason: str


@router.get("", response_model=list[ApprovalOut])
def list_approvals(
    session: SessionDep, _: UserDep, status: str | None = "pending", limit: int = 200
) -> list[ApprovalOut]:
    return [ApprovalOut.of(a) for a in queue.list_approvals(session, status=status)[:limit]]


@router.get("/{approval_id}", response_model=ApprovalOut)
def get(approval_id: int, session: SessionDep, _: UserDep) -> ApprovalOut:
    return ApprovalOut.of(queue.get_approval(session, approval_id))


@router.post("/{approval_id}/approve", response_model=ApprovalOut)
def approve(approval_id: int, body: Decision, ctx: ContextDep, user: UserDep) -> ApprovalOut:
    """Approve (with edits, re-validated); executes at once when enough approvers agreed."""
    decisions.decide_approval(
        ctx.db,
        decisions.Decision(approval_id, approve=True, edits=body.edits, note=body.note),
        actor=user,
        clock=ctx.clock,
        settings=ctx.settings,
        on_decided=ctx.extras.get("after_execute"),
    )
    with ctx.db.session() as session:
        return ApprovalOut.of(queue.get_approval(session, approval_id))


@router.post("/{approval_id}/reject", response_model=ApprovalOut)
def reject(approval_id: int, body: Rejection, ctx: ContextDep, user: UserDep) -> ApprovalOut:
    decisions.decide_approval(
        ctx.db,
        decisions.Decision(approval_id, approve=False, reason=body.reason),
        actor=user,
        clock=ctx.clock,
        settings=ctx.settings,
        on_decided=ctx.extras.get("after_execute"),
    )
    with ctx.db.session() as session:
        return ApprovalOut.of(queue.get_approval(session, approval_id))
