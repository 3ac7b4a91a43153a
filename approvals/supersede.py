"""A newer pending proposal for the same thing supersedes the older pending one.

"The same thing" is the proposal's subject: its type, customer and the fields in
``SUBJECT_FIELDS`` (a promise for the same invoices, a hold on the same invoices, a
dispute on the same invoice, a change of the same contact). A reply email drafted in an
email conversation is superseded by a newer draft in that conversation for the same
invoices; dunning's own emails and escalations never are. The older approval becomes
``superseded`` with ``superseded_by`` pointing at the newer one (audited); the newer
one's ``context["supersedes"]`` lists what it replaced, so both cards can say so.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from approvals import audit
from approvals._db import load, lock_if
from core.clock import Clock
from ledger.models import Approval

SUBJECT_FIELDS: dict[str, tuple[str, ...]] = {
    "record_promise": ("invoices",),
    "hold_dunning": ("invoices",),
    "create_payment_plan": ("invoices",),
    "open_dispute": ("invoice",),
    "update_contact": ("email",),
    "send_email": ("invoices",),  # only replies in an email conversation (see subject)
}
ACTOR = "system"


def subject(approval: Approval) -> str | None:
    """What ``approval`` is about, or None when nothing may supersede it."""
    fields = SUBJECT_FIELDS.get(approval.type)
    if fields is None or approval.customer_id is None:
        return None
    scope: list[Any] = [approval.type, approval.customer_id]
    if approval.type == "send_email":
        conversation = approval.conversation_id or ""
        if not conversation.startswith("email:") or approval.run_id:
            return None
        scope.append(conversation)
    for name in fields:
        value = (approval.payload or {}).get(name)
        if isinstance(value, list):
            value = sorted(str(v).strip().upper() for v in value)
        elif isinstance(value, str):
            value = value.strip().lower() if name == "email" else value.strip().upper()
        scope.append(value)
    return json.dumps(scope, default=str)


def supersede_older(session: Session, newer: Approval, *, clock: Clock) -> list[int]:
    """Mark every older pending approval with ``newer``'s subject as superseded by it."""
    key = subject(newer)
    if key is None:
        return []
    older = session.scalars(
        select(Approval).where(
            Approval.status == "pending",
            Approval.type == newer.type,
            Approval.customer_id == newer.customer_id,
            Approval.id < newer.id,
        )
    )
    replaced = []
    for candidate in [a for a in older if subject(a) == key]:
        note = f"superseded by #{newer.id}: a newer proposal for the same thing"
        if not lock_if(
            session,
            candidate.id,
            "pending",
            status="superseded",
            superseded_by=newer.id,
            decided_by=ACTOR,
            decided_at=clock.now(),
            decision_note=note,
        ):
            continue  # decided meanwhile
        audit.record(
            session,
            clock=clock,
            actor=ACTOR,
            event="superseded",
            approval=load(session, candidate.id),
            from_status="pending",
            to_status="superseded",
            detail={"superseded_by": newer.id},
        )
        replaced.append(candidate.id)
    if replaced:
        newer.context = {**(newer.context or {}), "supersedes": replaced}
    return replaced
