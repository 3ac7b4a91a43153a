"""Decide an approval: approve (with edits) then execute, or reject; or save edits.

The one path every front end takes (web, REST, Slack, CLI). The caller passes an
``Identity`` proven by a credential; the role is enforced here (an approver or an admin
decides), the queue enforces four-eyes and "nobody approves their own request" on the
identity's username, and the audit log records that username.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from accounts.roles import Identity
from approvals import queue
from approvals.executor import Execution, approve_and_execute
from core.clock import Clock
from core.settings import Settings
from ledger.db import Database
from policies.schema import Policy


@dataclass(frozen=True)
class Decision:
    """What the person decided: approve (optionally with edits and a note) or reject."""

    approval_id: int
    approve: bool
    edits: dict[str, Any] | None = None
    note: str | None = None
    reason: str | None = None  # required to reject


@dataclass(frozen=True)
class DecisionResult:
    approval_id: int
    status: str  # pending (another approver needed) | executed | failed | rejected
    message: str
    execution: Execution | None = None

    @property
    def ok(self) -> bool:
        return self.status != "failed"


def decide_approval(
    db: Database,
    decision: Decision,
    *,
    actor: Identity,
    clock: Clock,
    settings: Settings | None = None,
    policy: Policy | None = None,
    on_decided: Callable[[int], None] | None = None,
) -> DecisionResult:
    """Record ``actor``'s decision and, once enough people approved, execute the action.

    Raises PermissionDenied (role, own request), ConflictError (already decided, or this
    person already approved), ValidationError or PolicyViolation (edits, missing reason).
    """
    actor.require("decide")
    number = decision.approval_id
    if not decision.approve:
        queue.reject(db, number, user=actor.username, clock=clock, reason=decision.reason or "")
        result = DecisionResult(number, "rejected", f"#{number} rejected")
    else:
        outcome = approve_and_execute(
            db,
            number,
            user=actor.username,
            clock=clock,
            edits=decision.edits,
            note=decision.note,
            policy=policy,
            settings=settings,
            replay_ok=False,  # deciding what was already decided is a conflict, said so
        )
        result = DecisionResult(number, outcome.status, _describe(outcome), outcome)
    if on_decided is not None:
        on_decided(number)
    return result


def save_edits(
    db: Database,
    approval_id: int,
    edits: dict[str, Any],
    *,
    actor: Identity,
    clock: Clock,
    policy: Policy | None = None,
    on_decided: Callable[[int], None] | None = None,
) -> None:
    """Edit a pending approval without deciding it (re-validated; approvals start again)."""
    actor.require("decide")
    queue.save_edits(db, approval_id, user=actor.username, clock=clock, edits=edits, policy=policy)
    if on_decided is not None:
        on_decided(approval_id)


def _describe(outcome: Execution) -> str:
    number = outcome.approval_id
    if outcome.status == "pending":
        return f"#{number}: your approval is recorded; a second approver is needed"
    if outcome.status == "failed":
        return f"#{number} could not run: {outcome.error}"
    if outcome.already:
        return f"#{number} was already executed"
    queued = outcome.result and "communication_id" in outcome.result
    return f"#{number} approved and {'queued for sending' if queued else 'applied'}"
