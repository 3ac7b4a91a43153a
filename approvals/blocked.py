"""Blocked proposals: what the policy refused, kept as ``blocked`` audit events.

Never queued, always explainable: the eval runner asserts on them and the web page
lists them next to the queue.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from approvals import audit, guard
from core.clock import Clock
from ledger.models import AuditEvent
from policies.actions import ProposedAction


@dataclass(frozen=True)
class BlockedProposal:
    at: datetime
    type: str
    payload: dict[str, Any]
    reasons: list[str]
    requested_by: str
    conversation_id: str | None
    run_id: str | None


def record_blocked(session: Session, action: ProposedAction, verdict: Any, *, clock: Clock) -> None:
    """Append the refused proposal, its reasons and its checks to the audit log."""
    audit.record(
        session,
        clock=clock,
        actor=action.requested_by,
        event="blocked",
        detail={
            "type": action.type,
            "payload": action.payload,
            "reasons": guard.reasons(verdict),
            "requested_by": action.requested_by,
            "conversation_id": action.conversation_id,
            "run_id": action.run_id,
            "checks": guard.checks_json(verdict),
        },
    )


def record_refusal(
    session: Session,
    *,
    type_: str,
    payload: dict[str, Any],
    reasons: list[str],
    requested_by: str,
    conversation_id: str | None,
    clock: Clock,
) -> None:
    """A request the agent may never propose (a write-off, a credit note, a discount),
    refused before it is an action: logged like any blocked proposal, with its reason."""
    audit.record(
        session,
        clock=clock,
        actor=requested_by,
        event="blocked",
        detail={
            "type": type_,
            "payload": payload,
            "reasons": reasons,
            "requested_by": requested_by,
            "conversation_id": conversation_id,
            "run_id": None,
            "checks": [{"rule": "no_write_off", "passed": False, "detail": r} for r in reasons],
        },
    )


def blocked_proposals(
    session: Session, *, since: datetime | None = None, conversation_id: str | None = None
) -> list[BlockedProposal]:
    """Proposals the policy refused (never queued), oldest first."""
    query = select(AuditEvent).where(AuditEvent.event == "blocked")
    if since is not None:
        query = query.where(AuditEvent.at >= since)
    out = []
    for ev in session.scalars(query.order_by(AuditEvent.at, AuditEvent.id)):
        d = ev.detail or {}
        if conversation_id is not None and d.get("conversation_id") != conversation_id:
            continue
        out.append(
            BlockedProposal(
                at=ev.at,
                type=d.get("type", ""),
                payload=d.get("payload", {}),
                reasons=list(d.get("reasons", [])),
                requested_by=d.get("requested_by", ev.actor),
                conversation_id=d.get("conversation_id"),
                run_id=d.get("run_id"),
            )
        )
    return out
