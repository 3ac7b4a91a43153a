"""Execute approved actions: claim, re-check, apply, in one transaction.

:func:`execute` moves the row from ``approved`` to ``executed`` with a compare-and-set
as the transaction's first write, re-runs the policy against the ledger as it is now,
and applies the ledger change (or writes the outbox row) in that same transaction. A
crash halfway rolls everything back, leaving the approval ``approved`` for a retry; a
second caller (double click, retry, another process) finds it already executed and
changes nothing. A policy or ledger refusal marks it ``failed`` with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError as PydanticValidationError
from sqlalchemy import select

from approvals import audit, guard, hooks
from approvals._db import load, lock_if, transaction
from approvals.executors import EXECUTORS, ExecContext, Refused
from approvals.queue import approve, as_action
from core.clock import Clock
from core.errors import ConflictError
from core.logs import bind
from core.settings import Settings, get_settings
from ledger.models import Approval, Customer
from policies.actions import PAYLOAD_MODELS

DONE = ("executed", "failed")


@dataclass(frozen=True)
class Execution:
    approval_id: int
    status: str  # executed | failed | pending (still needs another approver)
    result: dict[str, Any] | None = None
    error: str | None = None
    already: bool = False  # True when an earlier call did the work
    note: str | None = None  # for "pending": who else must approve

    @property
    def ok(self) -> bool:
        return self.status == "executed"


def execute(
    db: Any,
    approval_id: int,
    *,
    clock: Clock,
    policy: Any = None,
    settings: Settings | None = None,
    actor: str = "executor",
) -> Execution:
    """Execute one approved action at most once; return what happened."""
    bind(approval_id=approval_id)
    policy = guard.load_policy(policy)
    settings = settings or get_settings()
    with transaction(db) as session:
        if not lock_if(
            session, approval_id, "approved", status="executed", executed_at=clock.now()
        ):
            return _not_claimed(load(session, approval_id))
        approval = load(session, approval_id)
        _serialise_per_customer(session, approval)
        try:
            verdict = guard.check(as_action(approval), session, clock, policy=policy)
            if not verdict.allowed:
                raise Refused("; ".join(guard.reasons(verdict)) or "the policy refused it")
            ctx = ExecContext(
                session=session,
                clock=clock,
                approval=approval,
                payload=_parsed(approval),
                verdict=verdict,
                settings=settings,
            )
            with session.begin_nested():  # a refusal mid-way leaves no partial write
                result = EXECUTORS[approval.type](ctx)
        except Refused as exc:
            approval.status, approval.error, approval.executed_at = "failed", str(exc), None
            audit.record(
                session,
                clock=clock,
                actor=actor,
                event="failed",
                approval=approval,
                from_status="approved",
                to_status="failed",
                detail={"error": str(exc)},
            )
            outcome = Execution(approval_id, "failed", error=str(exc))
        else:
            approval.result = result
            audit.record(
                session,
                clock=clock,
                actor=actor,
                event="executed",
                approval=approval,
                from_status="approved",
                to_status="executed",
                detail={"result": result},
            )
            outcome = Execution(approval_id, "executed", result=result)
        snapshot = snapshot_of(approval)
    hooks.emit(outcome.status, snapshot)
    if outcome.ok and approval.type == "escalate":
        hooks.emit("escalated", snapshot)
    return outcome


def approve_and_execute(
    db: Any,
    approval_id: int,
    *,
    user: str,
    clock: Clock,
    edits: dict[str, Any] | None = None,
    note: str | None = None,
    policy: Any = None,
    settings: Settings | None = None,
    replay_ok: bool = True,
) -> Execution:
    """Approve, then execute when no further approver is needed. Safe to double-click:
    approving an action already decided returns its outcome with ``already=True``, or, with
    ``replay_ok=False``, raises the ConflictError that says it was decided before."""
    policy = guard.load_policy(policy)
    try:
        approval = approve(
            db, approval_id, user=user, clock=clock, edits=edits, note=note, policy=policy
        )
    except ConflictError:
        if not replay_ok:
            raise
        with transaction(db) as session:
            status = load(session, approval_id).status
        if status not in ("approved", *DONE):
            raise
    else:
        if approval.status == "pending":
            return Execution(approval_id, "pending", note=approval.decision_note)
    return execute(db, approval_id, clock=clock, policy=policy, settings=settings, actor=user)


def snapshot_of(approval: Approval) -> dict[str, Any]:
    """The approval as plain JSON (for hooks, the CLI and the API)."""
    return {
        "id": approval.id,
        "type": approval.type,
        "status": approval.status,
        "customer": approval.customer_id,
        "payload": approval.payload,
        "requested_by": approval.requested_by,
        "reason": approval.reason,
        "approvals_by": list(approval.approvals_by or []),
        "decided_by": approval.decided_by,
        "decided_at": approval.decided_at.isoformat() if approval.decided_at else None,
        "executed_at": approval.executed_at.isoformat() if approval.executed_at else None,
        "conversation_id": approval.conversation_id,
        "result": approval.result,
        "error": approval.error,
        "edits": approval.edits,
        "created_at": approval.created_at.isoformat() if approval.created_at else None,
    }


def _serialise_per_customer(session: Any, approval: Approval) -> None:
    """Lock the customer row: two actions for one customer never re-check side by side.

    Otherwise two reminders approved at once could both pass the frequency cap. SQLite
    already serialises writers; on PostgreSQL this is a row lock until commit.
    """
    if approval.customer_id:
        session.execute(
            select(Customer.id).where(Customer.id == approval.customer_id).with_for_update()
        )


def _parsed(approval: Approval) -> Any:
    try:
        return PAYLOAD_MODELS[approval.type].model_validate(approval.payload)
    except (KeyError, PydanticValidationError) as exc:
        raise Refused(f"approval {approval.id} has an invalid {approval.type} payload") from exc


def _not_claimed(approval: Approval) -> Execution:
    if approval.status in DONE:
        return Execution(
            approval.id, approval.status, result=approval.result, error=approval.error, already=True
        )
    hint = "; approve it first" if approval.status == "pending" else ""
    raise ConflictError(f"cannot execute approval {approval.id}: it is {approval.status}{hint}")


def give_up(db: Any, approval_id: int, *, clock: Clock, error: str, actor: str = "worker") -> bool:
    """Mark an approved action ``failed`` after repeated crashes; False if it moved on."""
    with transaction(db) as session:
        if not lock_if(session, approval_id, "approved", status="failed", error=error):
            return False
        approval = load(session, approval_id)
        audit.record(
            session,
            clock=clock,
            actor=actor,
            event="failed",
            approval=approval,
            from_status="approved",
            to_status="failed",
            detail={"error": error},
        )
        snapshot = snapshot_of(approval)
    hooks.emit("failed", snapshot)
    return True
