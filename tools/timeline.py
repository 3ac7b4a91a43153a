"""Tool: a customer's history: emails, promises, disputes, payments, plans, holds."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel
from sqlalchemy import select

from core.money import format_money
from ledger.models import (
    Communication,
    Dispute,
    DunningHold,
    Invoice,
    Payment,
    PaymentPlan,
    Promise,
)
from tools.context import ToolContext, ToolResult
from tools.customers import resolve


class TimelineEvent(BaseModel):
    date: date
    kind: str  # email_in | email_out | note | promise | dispute | payment | plan | hold
    text: str


class TimelineResult(ToolResult):
    customer: str
    customer_name: str
    events: list[TimelineEvent]


def customer_timeline(ctx: ToolContext, customer: str, limit: int = 20) -> TimelineResult:
    """The customer's recent history, newest first: invoices, emails in and out, promises,
    disputes, payments, payment plans and dunning holds.

    Args:
        customer: Customer id or name.
        limit: At most this many events (default 20).
    """
    cust = resolve(ctx, customer)
    s, cid, events = ctx.session, cust.id, []
    for c in s.scalars(select(Communication).where(Communication.customer_id == cid)):
        when = (c.received_at or c.sent_at or c.created_at).date()
        if c.channel == "note":  # e.g. a returned payment, written by its reversal
            events.append(TimelineEvent(date=when, kind="note", text=c.subject or ""))
            continue
        kind = "email_in" if c.direction == "in" else "email_out"
        label = f"{'from' if c.direction == 'in' else 'to'} customer: {c.subject or '(no subject)'}"
        if c.intent:
            label += f" [{c.intent}]"
        events.append(TimelineEvent(date=when, kind=kind, text=label))
    for inv in s.scalars(select(Invoice).where(Invoice.customer_id == cid)):
        state = f"open {format_money(inv.balance, inv.currency)}" if inv.balance > 0 else "paid"
        events.append(
            TimelineEvent(
                date=inv.issue_date,
                kind="invoice",
                text=f"invoice {inv.number} issued, "
                f"{format_money(inv.amount, inv.currency)}, due "
                f"{inv.due_date.isoformat()} ({state})",
            )
        )
    for p in s.scalars(select(Promise).where(Promise.customer_id == cid)):
        amount = f" {format_money(p.amount, cust.currency)}" if p.amount is not None else ""
        nums = ", ".join(i.number for i in p.invoices)
        events.append(
            TimelineEvent(
                date=p.created_at.date(),
                kind="promise",
                text=f"promised{amount} by {p.date.isoformat()} {nums} ({p.status})",
            )
        )
    for d in s.scalars(select(Dispute).where(Dispute.customer_id == cid)):
        events.append(
            TimelineEvent(
                date=d.opened,
                kind="dispute",
                text=f"dispute on {d.invoice.number}: {d.reason} ({d.status})",
            )
        )
    for pay in s.scalars(select(Payment).where(Payment.customer_id == cid)):
        nums = ", ".join(a.invoice.number for a in pay.allocations)
        events.append(
            TimelineEvent(
                date=pay.date,
                kind="payment",
                text=f"payment {format_money(pay.amount, pay.currency)}"
                f"{' ref ' + pay.reference if pay.reference else ''}"
                f"{' on ' + nums if nums else ''}",
            )
        )
    for plan in s.scalars(select(PaymentPlan).where(PaymentPlan.customer_id == cid)):
        events.append(
            TimelineEvent(
                date=plan.created_at.date(),
                kind="plan",
                text=f"payment plan, {len(plan.installments)} instalments ({plan.status})",
            )
        )
    for h in s.scalars(select(DunningHold).where(DunningHold.customer_id == cid)):
        until = h.until.isoformat() if h.until else "further notice"
        events.append(
            TimelineEvent(
                date=h.created_at.date(),
                kind="hold",
                text=f"dunning hold until {until}: {h.reason or ''}".strip(),
            )
        )
    events.sort(key=lambda e: e.date, reverse=True)
    events = events[: max(1, limit)]
    text = "; ".join(f"{e.date.isoformat()} {e.text}" for e in events[:8])
    return TimelineResult(
        customer=cid,
        customer_name=cust.name,
        events=events,
        summary=f"{cust.name}: {text or 'no history yet'}.",
    )
