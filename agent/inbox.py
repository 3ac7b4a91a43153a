"""Customer email in: store it, link it, let the agent read it, record what it proposed.

The raw message is stored first (``mail.inbound``), so nothing is lost whatever happens
next; duplicates (same Message-ID) stop there. Then the agent reads the customer's new
words only (quoted history and signature stripped) and proposes per the policy. A
message that links to no customer, or that cannot be parsed, is escalated, never dropped.
A delivery-status report (a bounce) flags the failed addresses' contacts as bouncing and
is escalated saying which address bounced and why; the agent does not read it.
"""

from __future__ import annotations

import logging
from typing import Any

from core.clock import Clock
from ledger.db import Database
from ledger.models import Communication
from mail.bounces import BounceOutcome, apply_bounce
from mail.dsn import parse_dsn
from mail.inbound import ingest

log = logging.getLogger("ar_agent.inbox")


def process_inbound(
    db: Database,
    raw: bytes,
    *,
    clock: Clock,
    service: Any = None,
    policy: Any = None,
    source: str | None = None,
) -> dict[str, Any]:
    """Ingest one raw RFC 822 message; returns the ``email ingest --json`` object."""
    from agent.service import AgentService

    with db.transaction() as session:
        stored = ingest(session, raw, clock=clock, source=source)
        comm = stored.communication
        comm_id, duplicate = comm.id, stored.duplicate
        msg, parts, auto, link = stored.message, stored.parts, stored.auto_reply, stored.link
        status, error = comm.status, comm.error
    base = {"message_id": comm.message_id, "communication": comm_id, "source": source}
    if duplicate:
        return base | {
            "customer": comm.customer_id,
            "invoices": [],
            "intent": comm.intent,
            "reply_text": comm.reply_text or "",
            "proposals": [],
            "duplicate": True,
        }
    customer = link.customer_id if link else None

    def escalated(reason: str, text: str, problem: str | None) -> dict[str, Any]:
        """Nothing automatic: a human reads the stored message."""
        proposals = _escalate(db, clock, policy, customer, reason, comm_id)
        return base | {
            "customer": customer,
            "invoices": [],
            "intent": "other",
            "reply_text": text,
            "proposals": proposals,
            "error": problem,
        }

    if msg is None:  # could not be parsed at all: stored and escalated
        return escalated(f"unreadable email ({error})", "", error)
    if auto is not None and auto.kind == "bounce":
        bounce = _bounce(db, raw, comm_id, clock, link)
        if bounce is not None:  # a delivery-status report saying who bounced
            customer = bounce.customer_id
            return escalated(bounce.escalation, "", None) | {"bounced": bounce.bounced}
    service = service or AgentService(db, clock=clock, policy=policy, checkpointer=False)
    reply_text = parts.reply if parts else msg.text
    if msg.malformed and not reply_text.strip():
        return escalated(f"malformed email: {msg.malformed_reason}", reply_text, error)
    try:
        outcome = _read(service, msg, reply_text, link, auto, comm_id)
    except Exception as exc:  # the message is stored; a human reads it instead
        log.exception("the agent could not read %s", source or msg.message_id)
        return escalated(
            f"the agent could not read this email ({type(exc).__name__}); please read it",
            reply_text,
            str(exc),
        )
    with db.transaction() as session:
        row = session.get(Communication, comm_id)
        if row is not None:
            row.intent = outcome.get("intent")
            row.customer_id = row.customer_id or outcome.get("customer")
            if status == "received":
                row.status = "processed"
            row.meta = {
                **(row.meta or {}),
                "proposals": [
                    p.get("id") for p in outcome.get("proposals", []) if isinstance(p, dict)
                ],
            }
    return (
        base
        | {
            k: outcome.get(k)
            for k in ("customer", "invoices", "intent", "reply_text", "proposals", "blocked")
        }
        | ({"escalated": error} if status == "escalated" else {})
    )


def _bounce(
    db: Database, raw: bytes, comm_id: int, clock: Clock, link: Any
) -> BounceOutcome | None:
    """Flag the contacts a delivery-status report says failed; None when it names none."""
    report = parse_dsn(raw)
    if report is None or not report.failed:
        return None
    with db.transaction() as session:
        row = session.get(Communication, comm_id)
        if row is None:
            return None
        outcome = apply_bounce(
            session,
            row,
            report,
            clock.now(),
            thread_communication_id=link.thread_communication_id if link else None,
        )
        row.status = "processed"
    return outcome


def _read(
    service: Any, msg: Any, reply_text: str, link: Any, auto: Any, comm_id: int
) -> dict[str, Any]:
    return service.handle_customer_reply(
        sender=msg.from_addr or "",
        subject=msg.subject or "",
        text=reply_text,
        customer=link.customer_id if link else None,
        invoices=link.invoice_numbers if link else [],
        auto_reply_kind=auto.kind if auto else None,
        conversation_id=f"email:{link.thread_communication_id}"
        if link and link.thread_communication_id
        else f"email:{msg.message_id or comm_id}",
        message_id=msg.message_id,
        headers=msg.headers if hasattr(msg, "headers") else None,
    )


def _escalate(
    db: Database, clock: Clock, policy: Any, customer: str | None, reason: str, comm_id: int
) -> list[dict[str, Any]]:
    from approvals.queue import propose
    from policies.actions import ProposedAction

    action = ProposedAction(
        type="escalate",
        payload={"customer": customer, "reason": reason},
        reason=reason,
        context={"communication": comm_id},
    )
    with db.transaction() as session:
        result = propose(session, action, clock=clock, policy=policy)
        approval = result.approval
        return (
            [{"id": approval.id, "type": "escalate", "payload": approval.payload}]
            if approval
            else []
        )
