"""The two halves of a decision: applying edits and recording one approver's yes.

Both run inside the transaction of :func:`approvals.queue.approve` (or ``save_edits``)
after the row has been claimed. An edited payload is validated again and checked
against the policy again; four-eyes counts distinct approvers of the same payload.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from approvals import audit, guard
from core.clock import Clock
from core.errors import PermissionDenied, PolicyViolation, ValidationError
from ledger.models import Approval
from policies.actions import EDITABLE_FIELDS, ProposedAction, locked_changes, validate_payload


def as_action(approval: Approval, payload: dict[str, Any] | None = None) -> ProposedAction:
    """The approval's (or an edited) payload as a ProposedAction for the policy checks."""
    return ProposedAction(
        type=approval.type,
        payload=payload if payload is not None else approval.payload,
        requested_by=approval.requested_by,
        reason=approval.reason,
        context=approval.context or {},
        conversation_id=approval.conversation_id,
        run_id=approval.run_id,
    )


def apply_edits(
    session: Session,
    approval: Approval,
    edits: dict[str, Any],
    *,
    user: str,
    clock: Clock,
    policy: Any,
) -> PolicyViolation | None:
    """Re-validate and re-check the edited payload; return the refusal, or None if applied.

    ``Approval.edits`` keeps the payload as first drafted in ``before`` across several edits.
    """
    current = dict(approval.payload)
    if "customer" in edits and edits["customer"] != current.get("customer"):
        raise ValidationError(
            f"approval {approval.id}: the customer cannot be edited; reject it and propose anew"
        )
    after = validate_payload(approval.type, {**current, **edits})
    if after == current:
        return None  # nothing changed
    locked = locked_changes(approval.type, current, after)
    if locked:  # the type, customer, stage, thread and invoices are what was approved for
        allowed = ", ".join(sorted(EDITABLE_FIELDS.get(approval.type, ()))) or "nothing"
        raise ValidationError(
            f"approval {approval.id}: {', '.join(locked)} of a {approval.type} cannot be "
            f"edited (editable: {allowed}); reject it and propose anew"
        )
    before = (approval.edits or {}).get("before", current)
    verdict = guard.check(as_action(approval, after), session, clock, policy=policy, approver=user)
    if not verdict.allowed:
        why = guard.reasons(verdict)
        # Recorded for the audit trail; the transaction still commits this one event.
        audit.record(
            session,
            clock=clock,
            actor=user,
            event="edit_refused",
            approval=approval,
            from_status="pending",
            to_status="pending",
            detail={"edits": guard.to_json(edits), "reasons": why},
        )
        return PolicyViolation(f"edited approval {approval.id} refused: {'; '.join(why)}", why)
    approval.payload = after
    approval.checks = guard.checks_json(verdict)
    approval.edits = {"before": before, "after": after, "by": user}
    audit.record(
        session,
        clock=clock,
        actor=user,
        event="edited",
        approval=approval,
        from_status="pending",
        to_status="pending",
        detail={"before": current, "after": after},
    )
    return None


def record_approval(
    session: Session,
    approval: Approval,
    previous: list[str],
    *,
    user: str,
    clock: Clock,
    note: str | None,
    policy: Any,
) -> None:
    action = as_action(approval)
    result = guard.check_approver(approval.requested_by, user, previous, action, policy)
    if not getattr(result, "passed", True):
        raise PermissionDenied(
            getattr(result, "detail", None) or f"{user} may not approve approval {approval.id}"
        )
    needed = guard.approvals_required(action, policy, session)
    approvals_by = [*previous, user]
    approval.approvals_by = approvals_by
    if len(approvals_by) < needed:
        approval.decision_note = (
            note or f"{len(approvals_by)} of {needed} approvals; waiting for a different approver"
        )
        audit.record(
            session,
            clock=clock,
            actor=user,
            event="approved_partial",
            approval=approval,
            from_status="pending",
            to_status="pending",
            detail={"approvals_by": approvals_by, "needed": needed, "note": note},
        )
        return
    approval.status = "approved"
    approval.decided_by = user
    approval.decided_at = clock.now()
    approval.decision_note = note
    audit.record(
        session,
        clock=clock,
        actor=user,
        event="approved",
        approval=approval,
        from_status="pending",
        to_status="approved",
        detail={"approvals_by": approvals_by, "note": note, "edited": approval.edits is not None},
    )
