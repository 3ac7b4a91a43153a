"""What a dunning run remembers: stages already handled, recent emails, paid promises.

Filled into a :class:`~dunning.snapshot.Snapshot` from outbound communications (sent
stages per invoice, emails per customer for the frequency caps), the approval queue
(stages and emails waiting for a decision, rejected stages, escalations, thank-yous)
and payments that settled a promise in the last 14 days. A few bulk queries.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from dunning.snapshot import (
    EMAIL_SENT,
    IN_FLIGHT,
    LIVE_APPROVAL,
    EmailMark,
    InvoiceRow,
    PromiseRow,
    Snapshot,
    StageMark,
    _zone,
)
from ledger.models import (
    Allocation,
    Approval,
    Communication,
    Invoice,
    Payment,
    Promise,
    communication_invoices,
    promise_invoices,
)


def load_history(session: Session, snap: Snapshot) -> None:
    """Fill the snapshot's marks, emails and paid promises."""
    _load_marks(session, snap)
    _load_paid_promises(session, snap)


def _load_marks(session: Session, snap: Snapshot) -> None:
    """Stages already sent/queued per invoice, and recent emails per customer."""
    wanted = {inv.id for inv in snap.invoices}
    for inv_id, stage, sent_at, created_at in session.execute(
        select(
            communication_invoices.c.invoice_id,
            Communication.stage,
            Communication.sent_at,
            Communication.created_at,
        )
        .join(Communication, Communication.id == communication_invoices.c.communication_id)
        .where(
            Communication.direction == "out",
            Communication.stage.is_not(None),
            Communication.status.in_(EMAIL_SENT),
        )
    ):
        if inv_id in wanted:
            snap.marks[inv_id].append(StageMark(stage, (sent_at or created_at).date(), "sent"))

    since = datetime.combine(snap.today - timedelta(days=60), time(0), tzinfo=UTC)
    for cust, status, sent_at, created_at in session.execute(
        select(
            Communication.customer_id,
            Communication.status,
            Communication.sent_at,
            Communication.created_at,
        ).where(
            Communication.direction == "out",
            Communication.channel == "email",
            Communication.status.in_(EMAIL_SENT),
            Communication.customer_id.is_not(None),
            Communication.in_reply_to.is_(None),  # replies in the customer's thread are exempt
            or_(
                Communication.sent_at >= since,
                and_(Communication.sent_at.is_(None), Communication.created_at >= since),
            ),
        )
    ):
        if status not in ("sent", "delivery_unknown"):  # waiting in the outbox: goes out today
            snap.emails[cust].append(EmailMark(snap.today, "outbox"))
        else:
            when = (sent_at or created_at).astimezone(_zone(snap.customers.get(cust)))
            snap.emails[cust].append(EmailMark(when.date(), "sent"))

    number_to_id = {inv.number: inv.id for inv in snap.invoices}
    for a_type, status, cust, payload, created_at in session.execute(
        select(
            Approval.type,
            Approval.status,
            Approval.customer_id,
            Approval.payload,
            Approval.created_at,
        ).where(Approval.type.in_(("send_email", "escalate")), Approval.status.in_(LIVE_APPROVAL))
    ):
        payload = payload or {}
        stage = payload.get("stage")
        on = created_at.date()
        how = {"executed": "sent", "rejected": "rejected"}.get(status, "queued")
        if (
            a_type == "send_email"
            and status in IN_FLIGHT
            and cust
            and not payload.get("in_reply_to")
        ):
            snap.emails[cust].append(EmailMark(on, "awaiting approval"))
        if payload.get("kind") == "thank_you" and payload.get("promise") is not None:
            mark = StageMark("thank_you", on, how)
            _keep(snap.customer_marks, (f"promise:{payload['promise']}", "thank_you"), mark)
        if not stage:
            continue
        mark = StageMark(stage, on, how)
        for inst_id in payload.get("installments") or []:
            _keep(snap.installment_marks, (int(inst_id), str(payload.get("reminder"))), mark)
        if cust and a_type == "escalate":
            _keep(snap.customer_marks, (cust, stage), mark)
        for number in payload.get("invoices") or []:
            inv_id = number_to_id.get(number)
            if inv_id is not None:
                snap.marks[inv_id].append(mark)


def _keep(marks: dict[Any, StageMark], key: Any, mark: StageMark) -> None:
    """Keep the newest mark per key; on the same day one still waiting for approval wins."""
    old = marks.get(key)
    if old is None or (mark.on, mark.how == "queued") > (old.on, old.how == "queued"):
        marks[key] = mark


def _load_paid_promises(session: Session, snap: Snapshot, lookback_days: int = 14) -> None:
    """Promises (open or kept) whose invoices are all paid, by a payment in the last 14 days."""
    since = snap.today - timedelta(days=lookback_days)
    recent = (
        select(promise_invoices.c.promise_id)
        .join(Allocation, Allocation.invoice_id == promise_invoices.c.invoice_id)
        .join(Payment, Payment.id == Allocation.payment_id)
        .where(Payment.date >= since)
    )
    rows = session.execute(
        select(
            Promise.id,
            Promise.customer_id,
            Promise.date,
            Promise.amount,
            Promise.status,
            Promise.created_at,
            Invoice.id,
            Invoice.number,
            Invoice.customer_id,
            Invoice.due_date,
            Invoice.amount,
            Invoice.balance,
            Invoice.currency,
        )
        .join(promise_invoices, promise_invoices.c.promise_id == Promise.id)
        .join(Invoice, Invoice.id == promise_invoices.c.invoice_id)
        .where(Promise.status.in_(("open", "kept")), Promise.id.in_(recent))
        .order_by(Promise.id, Invoice.number)
    ).all()
    grouped: dict[int, tuple[PromiseRow, list[InvoiceRow]]] = {}
    for r in rows:
        promise = PromiseRow(*r[:5], created=r[5].date())
        grouped.setdefault(promise.id, (promise, []))[1].append(InvoiceRow(*r[6:]))
    if not grouped:
        return
    last_paid: dict[int, date] = {}
    for pid, paid_on in session.execute(
        select(promise_invoices.c.promise_id, Payment.date)
        .join(Allocation, Allocation.invoice_id == promise_invoices.c.invoice_id)
        .join(Payment, Payment.id == Allocation.payment_id)
        .where(promise_invoices.c.promise_id.in_(list(grouped)))
    ):
        last_paid[pid] = max(paid_on, last_paid.get(pid, paid_on))
    for pid, (promise, invoices) in grouped.items():
        paid_on = last_paid.get(pid)
        if paid_on and paid_on >= promise.created and all(i.balance <= 0 for i in invoices):
            snap.paid_promises.append((promise, invoices, paid_on))
