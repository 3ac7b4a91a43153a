"""The append-only audit log: one AuditEvent per queue transition or blocked proposal.

Rows are only ever inserted here; nothing in ar-agent updates or deletes them.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from core.clock import Clock
from ledger.models import Approval, AuditEvent


def record(
    session: Session,
    *,
    clock: Clock,
    actor: str,
    event: str,
    approval: Approval | None = None,
    from_status: str | None = None,
    to_status: str | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to the audit log (in the caller's transaction)."""
    row = AuditEvent(
        at=clock.now(),
        approval_id=approval.id if approval is not None else None,
        actor=actor,
        event=event,
        from_status=from_status,
        to_status=to_status,
        detail=detail or {},
    )
    session.add(row)
    return row


def history(session: Session, approval_id: int) -> list[AuditEvent]:
    """Every event of one approval, oldest first."""
    from sqlalchemy import select

    return list(
        session.scalars(
            select(AuditEvent)
            .where(AuditEvent.approval_id == approval_id)
            .order_by(AuditEvent.at, AuditEvent.id)
        )
    )
