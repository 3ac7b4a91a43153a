"""The approval queue: propose, approve (with edits, four-eyes), reject, expire, list.

State machine (``Approval.status``)::

    pending ──approve──> approved ──execute──> executed | failed
    pending ──reject───> rejected
    pending ──expire───> expired
    pending ──a newer pending proposal for the same thing──> superseded (approvals.supersede)

Every transition is one transaction that claims the row with a compare-and-set (see
:mod:`approvals._db`) and appends an AuditEvent. An illegal transition raises
:class:`core.errors.ConflictError`. Blocked proposals are never queued; they are kept
as ``blocked`` audit events (:mod:`approvals.blocked`).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from approvals import audit, guard
from approvals._db import conflict, load, lock_if, transaction
from approvals.blocked import BlockedProposal, blocked_proposals, record_blocked
from approvals.decide import apply_edits, as_action, record_approval
from approvals.supersede import supersede_older
from core.clock import Clock
from core.errors import ConflictError, PermissionDenied, PolicyViolation, ValidationError
from core.logs import bind
from ledger.models import Approval
from policies.actions import ProposedAction
from policies.approvers import is_own_request

# A proposal identical to one in these states is a replay, not a new request.
__all__ = [
    "BlockedProposal",
    "ProposeResult",
    "approve",
    "as_action",
    "blocked_proposals",
    "expire_stale",
    "get_approval",
    "idempotency_key",
    "list_approvals",
    "propose",
    "propose_many",
    "reject",
    "save_edits",
]

_LIVE = ("pending", "approved", "executed")
DEFAULT_TTL = timedelta(days=14)


@dataclass(frozen=True)
class ProposeResult:
    approval: Approval | None
    verdict: Any
    blocked: bool
    duplicate: bool


def idempotency_key(action: ProposedAction) -> str:
    """Hash of type, canonical payload, run and conversation."""
    canonical = json.dumps(
        [action.type, action.payload, action.run_id or "", action.conversation_id or ""],
        sort_keys=True,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def propose(
    session: Session, action: ProposedAction, *, clock: Clock, policy: Any = None
) -> ProposeResult:
    """Validate and check ``action``; queue it when allowed, record it as blocked when not.

    The same proposal again (same type, payload, run and conversation: a replayed graph
    step, a double submit) returns the queued one with ``duplicate=True``, even when
    the policy would now refuse it because the first one already went out.
    """
    action = action.normalised()
    policy = guard.load_policy(policy)
    verdict = guard.check(action, session, clock, policy=policy)
    key = idempotency_key(action)
    existing = _by_key(session, key)
    if existing is not None and existing.status in _LIVE:
        return ProposeResult(existing, verdict, blocked=False, duplicate=True)
    if not verdict.allowed:
        record_blocked(session, action, verdict, clock=clock)
        session.flush()
        return ProposeResult(None, verdict, blocked=True, duplicate=False)
    if existing is not None:  # rejected, expired or failed: the same ask may come back
        existing.idempotency_key = f"{key}:{existing.id}"
    approval = _new_approval(action, verdict, key, clock)
    try:
        with session.begin_nested():
            session.add(approval)
            session.flush()
    except IntegrityError:  # the same proposal committed concurrently
        existing = _by_key(session, key)
        if existing is None:
            raise
        return ProposeResult(existing, verdict, blocked=False, duplicate=True)
    _record_proposed(session, action, approval, clock)
    supersede_older(session, approval, clock=clock)
    session.flush()
    return ProposeResult(approval, verdict, blocked=False, duplicate=False)


def propose_many(
    session: Session, actions: list[ProposedAction], *, clock: Clock, policy: Any = None
) -> list[ProposeResult]:
    """``[propose(session, a, ...) for a in actions]`` with one idempotency lookup per
    chunk and one flush for all new approvals (a dunning run queues thousands).

    Same verdicts, duplicates (also within ``actions``), blocked records and audit
    events in the same order; the policy checks never read the queue, so checking every
    action before queueing any gives the answers ``propose`` gives one by one.
    """
    policy = guard.load_policy(policy)
    normal = [a.normalised() for a in actions]
    rows = guard.prefetch(session, normal, clock, policy) if normal else None
    verdicts = [guard.check(a, session, clock, policy=policy, prefetched=rows) for a in normal]
    keys = [idempotency_key(a) for a in normal]
    known = _by_keys(session, set(keys))
    queued: dict[str, Approval] = {}
    renamed: list[Approval] = []
    # (action, verdict, approval or None, outcome) in order: "duplicate", "blocked", "new"
    steps: list[tuple[ProposedAction, Any, Approval | None, str]] = []
    for action, verdict, key in zip(normal, verdicts, keys, strict=True):
        existing = queued.get(key) or known.get(key)
        if existing is not None and existing.status in _LIVE:
            steps.append((action, verdict, existing, "duplicate"))
            continue
        if not verdict.allowed:
            steps.append((action, verdict, None, "blocked"))
            continue
        if existing is not None:  # rejected, expired or failed: the same ask may come back
            renamed.append(existing)
            del known[key]
        approval = _new_approval(action, verdict, key, clock)
        queued[key] = approval
        steps.append((action, verdict, approval, "new"))
    new = [a for _, _, a, how in steps if how == "new"]
    try:
        with session.begin_nested():
            for existing in renamed:
                existing.idempotency_key = f"{existing.idempotency_key}:{existing.id}"
            session.add_all(new)
            session.flush()
    except IntegrityError:  # a proposal committed concurrently: settle them one by one
        return [propose(session, a, clock=clock, policy=policy) for a in actions]
    results = []
    for action, verdict, row, how in steps:
        if how == "duplicate":
            results.append(ProposeResult(row, verdict, blocked=False, duplicate=True))
        elif how == "blocked":
            record_blocked(session, action, verdict, clock=clock)
            results.append(ProposeResult(None, verdict, blocked=True, duplicate=False))
        else:
            assert row is not None
            _record_proposed(session, action, row, clock)
            supersede_older(session, row, clock=clock)
            results.append(ProposeResult(row, verdict, blocked=False, duplicate=False))
    session.flush()
    return results


def _new_approval(action: ProposedAction, verdict: Any, key: str, clock: Clock) -> Approval:
    return Approval(
        type=action.type,
        payload=action.payload,
        customer_id=action.customer,
        status="pending",
        requested_by=action.requested_by,
        reason=action.reason,
        context=action.context,
        checks=guard.checks_json(verdict),
        run_id=action.run_id,
        conversation_id=action.conversation_id,
        idempotency_key=key,
        approvals_by=[],
        created_at=clock.now(),
    )


def _record_proposed(
    session: Session, action: ProposedAction, approval: Approval | None, clock: Clock
) -> None:
    audit.record(
        session,
        clock=clock,
        actor=action.requested_by,
        event="proposed",
        approval=approval,
        to_status="pending",
        detail={"type": action.type, "reason": action.reason},
    )


def approve(
    db: Any,
    approval_id: int,
    *,
    user: str,
    clock: Clock,
    edits: dict[str, Any] | None = None,
    note: str | None = None,
    policy: Any = None,
) -> Approval:
    """Approve (optionally with edited fields). Stays pending until enough people approved."""
    bind(approval_id=approval_id)
    policy = guard.load_policy(policy)
    refused: PolicyViolation | None = None
    with transaction(db) as session:
        if not lock_if(session, approval_id, "pending"):
            raise conflict(session, approval_id, "approve")
        approval = load(session, approval_id)
        if is_own_request(approval.requested_by, user):
            raise PermissionDenied(
                f"{user} requested approval {approval_id}; someone else must approve it"
            )
        previous = list(approval.approvals_by or [])
        if user in previous:
            raise ConflictError(
                f"{user} already approved {approval_id}; a different approver is needed"
            )
        if edits:
            drafted = approval.payload
            refused = apply_edits(session, approval, edits, user=user, clock=clock, policy=policy)
            if refused is None and approval.payload != drafted:
                previous = []  # earlier approvers saw a different payload
        if refused is None:
            record_approval(
                session, approval, previous, user=user, clock=clock, note=note, policy=policy
            )
    if refused is not None:
        raise refused
    return approval


def save_edits(
    db: Any,
    approval_id: int,
    *,
    user: str,
    clock: Clock,
    edits: dict[str, Any],
    policy: Any = None,
) -> Approval:
    """Edit a pending approval without deciding it; the edited payload is re-validated and
    re-checked, and a refused edit changes nothing (PolicyViolation says why)."""
    policy = guard.load_policy(policy)
    refused: PolicyViolation | None = None
    with transaction(db) as session:
        if not lock_if(session, approval_id, "pending"):
            raise conflict(session, approval_id, "edit")
        approval = load(session, approval_id)
        if not edits:
            raise ValidationError(f"approval {approval_id}: no field to change")
        drafted = approval.payload
        refused = apply_edits(session, approval, edits, user=user, clock=clock, policy=policy)
        if refused is None and approval.payload != drafted and approval.approvals_by:
            approval.approvals_by = []  # earlier approvers saw a different payload
            approval.decision_note = "edited after a first approval: approvals start again"
    if refused is not None:
        raise refused
    return approval


def reject(db: Any, approval_id: int, *, user: str, clock: Clock, reason: str) -> Approval:
    """Reject a pending approval; the reason is required and kept."""
    bind(approval_id=approval_id)
    if not reason or not reason.strip():
        raise ValidationError("a rejection needs a reason")
    with transaction(db) as session:
        if not lock_if(
            session,
            approval_id,
            "pending",
            status="rejected",
            decided_by=user,
            decided_at=clock.now(),
            decision_note=reason.strip(),
        ):
            raise conflict(session, approval_id, "reject")
        approval = load(session, approval_id)
        audit.record(
            session,
            clock=clock,
            actor=user,
            event="rejected",
            approval=approval,
            from_status="pending",
            to_status="rejected",
            detail={"reason": reason.strip()},
        )
    return approval


def expire_stale(
    db: Any, *, clock: Clock, older_than: timedelta = DEFAULT_TTL, actor: str = "system"
) -> list[int]:
    """Expire pending approvals created before ``now - older_than``; return their ids."""
    cutoff = clock.now() - older_than
    with transaction(db) as session:
        ids = list(
            session.scalars(
                select(Approval.id).where(
                    Approval.status == "pending", Approval.created_at < cutoff
                )
            )
        )
    expired: list[int] = []
    for approval_id in ids:
        with transaction(db) as session:
            if not lock_if(
                session,
                approval_id,
                "pending",
                status="expired",
                decided_by=actor,
                decided_at=clock.now(),
            ):
                continue  # decided meanwhile
            approval = load(session, approval_id)
            audit.record(
                session,
                clock=clock,
                actor=actor,
                event="expired",
                approval=approval,
                from_status="pending",
                to_status="expired",
                detail={"older_than_days": older_than.days},
            )
            expired.append(approval_id)
    return expired


def get_approval(session: Session, approval_id: int) -> Approval:
    return load(session, approval_id)


def list_approvals(
    session: Session,
    status: str | None = None,
    *,
    customer: str | None = None,
    type: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[Approval]:
    """Approvals oldest first, optionally filtered by status, customer and type."""
    query = select(Approval).order_by(Approval.created_at, Approval.id)
    if status:
        query = query.where(Approval.status == status)
    if customer:
        query = query.where(Approval.customer_id == customer)
    if type:
        query = query.where(Approval.type == type)
    return list(session.scalars(query.limit(limit).offset(offset)))


def _by_keys(session: Session, keys: set[str], chunk: int = 500) -> dict[str, Approval]:
    ordered = sorted(keys)
    found: dict[str, Approval] = {}
    for i in range(0, len(ordered), chunk):
        query = select(Approval).where(Approval.idempotency_key.in_(ordered[i : i + chunk]))
        for approval in session.scalars(query):
            found.setdefault(approval.idempotency_key, approval)
    return found


def _by_key(session: Session, key: str) -> Approval | None:
    return session.scalars(select(Approval).where(Approval.idempotency_key == key)).first()
