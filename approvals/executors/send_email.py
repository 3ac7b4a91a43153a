"""send_email: the outbound Communication row (the outbox), never the SMTP call itself.

The row is written in the same transaction as the approval becoming ``executed``, with
a Message-ID of ours, the conversation's thread token (for the ``ar+<token>@`` Reply-To)
and In-Reply-To / References when it follows an earlier message. ``next_attempt_at`` is
the send window's opening (the verdict's ``wait_until``) or now; ``mail.outbox`` delivers.
"""

from __future__ import annotations

import secrets
import uuid
from email.utils import parseaddr
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from approvals.executors.base import (
    ExecContext,
    Refused,
    customer,
    invoices,
    open_dispute_on,
    require_open,
    result,
)
from ledger.models import Approval, Communication, Contact, Invoice


def message_domain(ctx: ExecContext) -> str:
    if ctx.settings.reply_domain:
        return ctx.settings.reply_domain
    _, addr = parseaddr(ctx.settings.from_address)
    return addr.rpartition("@")[2] or "ar-agent.local"


def _thread(ctx: ExecContext, in_reply_to: str | None) -> tuple[str, str | None, str | None]:
    """(thread_token, in_reply_to, references) for a new message in its conversation."""
    s = ctx.session
    parent = None
    if in_reply_to:
        parent = s.scalars(
            select(Communication).where(Communication.message_id == in_reply_to)
        ).first()
    elif ctx.approval.conversation_id:
        parent = s.scalars(
            select(Communication)
            .join(Approval, Communication.approval_id == Approval.id)
            .where(
                Approval.conversation_id == ctx.approval.conversation_id,
                Communication.message_id.is_not(None),
            )
            .order_by(Communication.id.desc())
        ).first()
        if parent is not None and parent.thread_token:  # the customer may have answered since
            parent = s.scalars(
                select(Communication)
                .where(
                    Communication.thread_token == parent.thread_token,
                    Communication.message_id.is_not(None),
                )
                .order_by(Communication.id.desc())
            ).first()
    if parent is None:
        return secrets.token_hex(8), in_reply_to, in_reply_to
    refs = " ".join(r for r in [parent.references or "", parent.message_id or ""] if r)
    return parent.thread_token or secrets.token_hex(8), parent.message_id, refs or None


def ledger_refusal(
    session: Session,
    customer_id: str,
    recipients: list[str],
    invs: list[Invoice],
    stage: str | None,
) -> None:
    """Raise Refused when the ledger now forbids this email (checked again before sending)."""
    cust = customer(session, customer_id)
    if cust.insolvent:
        raise Refused(f"{cust.id} is flagged insolvent: no email, escalate instead")
    lowered = [a.strip().lower() for a in recipients]
    opted = session.scalars(
        select(Contact.email).where(
            Contact.customer_id == customer_id,
            Contact.opt_out.is_(True),
            func.lower(Contact.email).in_(lowered),
        )
    ).first()
    if opted:
        raise Refused(f"{opted} has opted out of email since this was drafted")
    bouncing = session.execute(
        select(Contact.email, Contact.bounce_reason).where(
            Contact.customer_id == customer_id,
            Contact.bounced_at.is_not(None),
            func.lower(Contact.email).in_(lowered),
        )
    ).first()
    if bouncing:
        raise Refused(f"mail to {bouncing[0]} bounces ({bouncing[1] or 'bounced'})")
    if stage:  # a dunning reminder: the invoices it chases must still be chaseable
        require_open(invs)
        for inv in invs:
            if open_dispute_on(session, inv) is not None:
                raise Refused(f"invoice {inv.number} is disputed since this was drafted")


def still_sendable(session: Session, comm: Communication) -> str | None:
    """The outbox's precheck: why a waiting email must not go out now, or None."""
    if comm.customer_id is None:
        return None
    try:
        ledger_refusal(
            session,
            comm.customer_id,
            [*comm.to_addrs, *comm.cc_addrs],
            list(comm.invoices),
            comm.stage,
        )
    except Refused as exc:
        return str(exc)
    return None


def run(ctx: ExecContext) -> dict[str, Any]:
    p = ctx.payload
    if not p.to:
        raise Refused("send_email has no recipient")
    cust = customer(ctx.session, p.customer)
    invs = invoices(ctx.session, p.customer, p.invoices)
    ledger_refusal(ctx.session, p.customer, [*p.to, *p.cc], invs, p.stage)
    now = ctx.clock.now()
    wait_until = getattr(ctx.verdict, "wait_until", None)
    due = wait_until if wait_until and wait_until > now else now
    token, parent_id, references = _thread(ctx, p.in_reply_to)
    comm = Communication(
        customer_id=cust.id,
        direction="out",
        channel="email",
        status="outbox",
        message_id=f"<{uuid.uuid4().hex}@{message_domain(ctx)}>",
        in_reply_to=parent_id,
        references=references,
        thread_token=token,
        from_addr=ctx.settings.from_address,
        to_addrs=list(p.to),
        cc_addrs=list(p.cc),
        subject=p.subject,
        body_text=p.body,
        stage=p.stage,
        approval_id=ctx.approval.id,
        attempts=0,
        next_attempt_at=due,
        invoices=invs,
        created_at=now,
        meta={"conversation_id": ctx.approval.conversation_id, "language": p.language},
    )
    ctx.session.add(comm)
    ctx.session.flush()
    return result(
        communication_id=comm.id,
        message_id=comm.message_id,
        thread_token=token,
        next_attempt_at=due.isoformat(),
    )
