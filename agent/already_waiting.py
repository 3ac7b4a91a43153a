"""A proposal equal to one already waiting for approval is not queued again.

The dunning run queues escalations and final reminders; a controller asking for the
same in chat gets a pointer to the waiting one instead of a second card (approving the
second copy used to end as "failed"). "Equal" means the same type for the same
customer about the same thing: the same invoices (and stage, date or address where the
type has one); an escalation is equal to any escalation of that customer still waiting.
Where a newer proposal replaces the waiting one instead (:mod:`approvals.supersede`: a
promise, hold or plan on the same invoices, a reply in the same email conversation), only
an identical proposal counts as waiting.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from approvals.supersede import SUBJECT_FIELDS
from ledger.models import Approval
from policies.actions import ProposedAction


def _invoices(payload: dict[str, Any]) -> frozenset[str]:
    named = list(payload.get("invoices") or [])
    if payload.get("invoice"):
        named.append(payload["invoice"])
    return frozenset(str(n).upper() for n in named)


def _subject_of(type_: str, payload: dict[str, Any]) -> tuple[Any, ...]:
    """What two proposals of ``type_`` must share to be the same ask."""
    if type_ in ("escalate", "change_credit"):
        return ()
    if type_ == "send_email":
        return (payload.get("stage") or payload.get("subject"), _invoices(payload))
    if type_ == "record_promise":
        return (_invoices(payload), str(payload.get("date")))
    if type_ == "update_contact":
        return (str(payload.get("email") or "").lower(), bool(payload.get("opt_out")))
    if type_ == "apply_payment":
        return (payload.get("transaction"), _invoices(payload))
    return (_invoices(payload),)


def _supersedes(action: ProposedAction) -> bool:
    """Whether a newer proposal of this kind replaces the waiting one instead
    (:mod:`approvals.supersede`: a promise, hold or plan on the same invoices, a reply in
    the same email conversation): then only an identical proposal counts as waiting."""
    if action.type not in SUBJECT_FIELDS:
        return False
    if action.type == "send_email":
        return (action.conversation_id or "").startswith("email:") and not action.run_id
    return True


def already_waiting(session: Session, action: ProposedAction) -> Approval | None:
    """The pending approval ``action`` would duplicate, if there is one."""
    if not action.customer:
        return None
    rows = session.scalars(
        select(Approval)
        .where(
            Approval.status == "pending",
            Approval.type == action.type,
            Approval.customer_id == action.customer,
        )
        .order_by(Approval.id)
    )
    if _supersedes(action):
        same = action.normalised().payload
        return next((row for row in rows if (row.payload or {}) == same), None)
    wanted = _subject_of(action.type, action.payload)
    return next((row for row in rows if _subject_of(row.type, row.payload or {}) == wanted), None)
