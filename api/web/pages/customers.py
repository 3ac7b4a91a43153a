"""Customers: a searchable list, and one customer's open items and timeline."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from api.escalations import open_counts_by_customer
from api.web.render import page, user_or_login, viewer_locale
from core.clock import today
from core.money import format_money
from ledger import models as m

router = APIRouter(include_in_schema=False)


@router.get("/customers", response_class=HTMLResponse)
def customers(request: Request, q: str = "") -> HTMLResponse:
    user_or_login(request)
    ctx = request.app.state.ctx
    day = today(ctx.clock)
    locale = viewer_locale(request)
    with ctx.db.session() as session:
        if q.strip():
            from tools.context import ToolContext
            from tools.customers import rank_customers

            ids = [c.id for c in rank_customers(ToolContext(session=session, clock=ctx.clock), q)][
                :50
            ]
        else:
            ids = None
        query = select(m.Customer).order_by(m.Customer.name)
        if ids is not None:
            query = query.where(m.Customer.id.in_(ids))
        rows = []
        open_rows = session.execute(
            select(
                m.Invoice.customer_id, m.Invoice.balance, m.Invoice.due_date, m.Invoice.currency
            ).where(m.Invoice.balance > 0)
        ).all()
        totals: dict[str, list[Decimal]] = {}
        for r in open_rows:
            t = totals.setdefault(r.customer_id, [Decimal(0), Decimal(0)])
            t[0] += r.balance
            if r.due_date < day:
                t[1] += r.balance
        for c in session.scalars(query.limit(500)):
            bal, over = totals.get(c.id, [Decimal(0), Decimal(0)])
            flags = ", ".join(
                f for f, on in (("insolvent", c.insolvent), ("credit hold", c.credit_hold)) if on
            )
            rows.append(
                {
                    "id": c.id,
                    "name": c.name,
                    "balance": format_money(bal, c.currency, locale=locale),
                    "overdue": format_money(over, c.currency, locale=locale),
                    "flags": flags,
                    "_sort": over,
                }
            )
        if ids is not None:
            order = {cid: n for n, cid in enumerate(ids)}
            rows.sort(key=lambda r: order.get(r["id"], 999))
        return page(request, "customers.html", active="Customers", session=session, rows=rows, q=q)


def timeline(session: Session, customer_id: str, locale: str = "en") -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = []
    for c in session.scalars(
        select(m.Communication).where(m.Communication.customer_id == customer_id)
    ):
        when = c.sent_at or c.received_at or c.created_at
        kind = "note" if c.channel == "note" else "email_in" if c.direction == "in" else "email_out"
        label = (
            f"{c.subject or '(no subject)'}"
            + (f" — {c.intent}" if c.intent else "")
            + f" [{c.status}]"
        )
        events.append(
            {"when": when.date().isoformat(), "kind": kind, "text": label, "_t": when.isoformat()}
        )
    for p in session.scalars(select(m.Promise).where(m.Promise.customer_id == customer_id)):
        amount = (
            f" {format_money(p.amount, 'USD' if not p.invoices else p.invoices[0].currency, locale=locale)}"
            if p.amount is not None
            else ""
        )
        events.append(
            {
                "when": p.created_at.date().isoformat(),
                "kind": "promise",
                "text": f"to pay{amount} by {p.date} ({', '.join(i.number for i in p.invoices)}) — {p.status}",
                "_t": p.created_at.isoformat(),
            }
        )
    for d in session.scalars(select(m.Dispute).where(m.Dispute.customer_id == customer_id)):
        events.append(
            {
                "when": d.opened.isoformat(),
                "kind": "dispute",
                "text": f"{d.invoice.number}: {d.reason} — {d.status}",
                "_t": d.opened.isoformat(),
            }
        )
    for pay in session.scalars(select(m.Payment).where(m.Payment.customer_id == customer_id)):
        events.append(
            {
                "when": pay.date.isoformat(),
                "kind": "payment",
                "text": f"{format_money(pay.amount, pay.currency, locale=locale)} ({pay.reference or 'no reference'})",
                "_t": pay.date.isoformat(),
            }
        )
    for plan in session.scalars(
        select(m.PaymentPlan).where(m.PaymentPlan.customer_id == customer_id)
    ):
        events.append(
            {
                "when": plan.created_at.date().isoformat(),
                "kind": "payment_plan",
                "text": f"{len(plan.installments)} instalments — {plan.status}",
                "_t": plan.created_at.isoformat(),
            }
        )
    for h in session.scalars(select(m.DunningHold).where(m.DunningHold.customer_id == customer_id)):
        events.append(
            {
                "when": h.created_at.date().isoformat(),
                "kind": "hold",
                "text": f"dunning held until {h.until or 'further notice'}: {h.reason or ''}",
                "_t": h.created_at.isoformat(),
            }
        )
    events.sort(key=lambda e: e["_t"], reverse=True)
    return events


@router.get("/customers/{customer_id}", response_class=HTMLResponse)
def customer(request: Request, customer_id: str) -> HTMLResponse:
    user_or_login(request)
    ctx = request.app.state.ctx
    day = today(ctx.clock)
    locale = viewer_locale(request)
    with ctx.db.session() as session:
        c = session.scalar(
            select(m.Customer)
            .options(selectinload(m.Customer.contacts))
            .where(m.Customer.id == customer_id)
        )
        if c is None:
            raise HTTPException(404, f"Customer {customer_id} not found")
        disputed = set(
            session.scalars(
                select(m.Dispute.invoice_id).where(
                    m.Dispute.customer_id == customer_id, m.Dispute.status == "open"
                )
            )
        )
        invoices = list(
            session.scalars(
                select(m.Invoice)
                .where(m.Invoice.customer_id == customer_id, m.Invoice.balance > 0)
                .order_by(m.Invoice.due_date)
            )
        )
        items = [
            {
                "number": i.number,
                "issue_date": i.issue_date,
                "due_date": i.due_date,
                "days": max((day - i.due_date).days, 0),
                "amount": format_money(i.amount, i.currency, locale=locale),
                "balance": format_money(i.balance, i.currency, locale=locale),
                "status": "disputed"
                if i.id in disputed
                else ("overdue" if i.due_date < day else "current"),
            }
            for i in invoices
        ]
        total = format_money(
            sum((i.balance for i in invoices), Decimal(0)), c.currency, locale=locale
        )
        limit = (
            format_money(c.credit_limit, c.currency, locale=locale)
            if c.credit_limit is not None
            else "none"
        )
        return page(
            request,
            "customer.html",
            active="Customers",
            c=c,
            open_items=items,
            open_total=total,
            credit_limit=limit,
            timeline=timeline(session, customer_id, locale),
            open_escalations=open_counts_by_customer(session).get(customer_id, 0),
            session=session,
        )
