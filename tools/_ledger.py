"""Read helpers shared by the tools: open items, overdue days, what blocks dunning."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from core.money import format_money
from ledger.models import (
    Customer,
    Dispute,
    DunningHold,
    Invoice,
    PaymentPlan,
    Promise,
)

PROMISE_GRACE_DAYS = 3


class InvoiceLine(BaseModel):
    """One invoice as the tools show it."""

    number: str
    customer: str
    issue_date: date
    due_date: date
    amount: str
    balance: str
    currency: str
    days_overdue: int
    po_number: str | None = None

    @property
    def balance_text(self) -> str:
        return format_money(Decimal(self.balance), self.currency)


def line(inv: Invoice, today: date) -> InvoiceLine:
    return InvoiceLine(
        number=inv.number,
        customer=inv.customer_id,
        issue_date=inv.issue_date,
        due_date=inv.due_date,
        amount=str(inv.amount),
        balance=str(inv.balance),
        currency=inv.currency,
        days_overdue=(today - inv.due_date).days,
        po_number=inv.po_number,
    )


def open_invoices(session: Session, *, customer_id: str | None = None) -> list[Invoice]:
    """Open invoices (balance > 0), oldest due date first."""
    stmt = select(Invoice).where(Invoice.balance > 0).order_by(Invoice.due_date, Invoice.number)
    if customer_id:
        stmt = stmt.where(Invoice.customer_id == customer_id)
    return list(session.scalars(stmt))


def customer_names(session: Session, ids: Iterable[str] | None = None) -> dict[str, str]:
    """{customer id: name} in one query."""
    stmt = select(Customer.id, Customer.name)
    if ids is not None:
        stmt = stmt.where(Customer.id.in_(list(ids)))
    return dict(session.execute(stmt).all())


def invoices_by_number(session: Session, numbers: Iterable[str]) -> list[Invoice]:
    wanted = [n for n in numbers if n]
    if not wanted:
        return []
    found = {
        i.number.upper(): i
        for i in session.scalars(select(Invoice).where(Invoice.number.in_(wanted)))
    }
    missing = [n for n in wanted if n.upper() not in found]
    if missing:  # tolerate case differences
        upper = {n.upper() for n in missing}
        for inv in session.scalars(select(Invoice)):
            if inv.number.upper() in upper:
                found[inv.number.upper()] = inv
    return [found[n.upper()] for n in wanted if n.upper() in found]


def customer(session: Session, customer_id: str) -> Customer | None:
    return session.get(Customer, customer_id, options=[selectinload(Customer.contacts)])


def total(invoices: Iterable[Invoice]) -> Decimal:
    return sum((i.balance for i in invoices), Decimal("0"))


def currency_of(invoices: Iterable[Invoice], default: str = "USD") -> str:
    for inv in invoices:
        return inv.currency
    return default


def disputed_invoice_ids(session: Session, customer_id: str) -> set[int]:
    return set(
        session.scalars(
            select(Dispute.invoice_id).where(
                Dispute.customer_id == customer_id, Dispute.status == "open"
            )
        )
    )


def promised_invoice_ids(session: Session, customer_id: str, today: date) -> set[int]:
    ids: set[int] = set()
    promises = session.scalars(
        select(Promise).where(Promise.customer_id == customer_id, Promise.status == "open")
    )
    for p in promises:
        if p.date + timedelta(days=PROMISE_GRACE_DAYS) >= today:
            ids.update(i.id for i in p.invoices)
    return ids


def held(session: Session, customer_id: str, today: date) -> tuple[bool, set[int]]:
    """(whole customer held, held invoice ids) for dunning holds active today."""
    whole, ids = False, set()
    for h in session.scalars(
        select(DunningHold).where(
            DunningHold.customer_id == customer_id, DunningHold.active.is_(True)
        )
    ):
        if h.until is not None and h.until < today:
            continue
        if h.invoice_id is None:
            whole = True
        else:
            ids.add(h.invoice_id)
    return whole, ids


def planned_invoice_ids(session: Session, customer_id: str) -> set[int]:
    ids: set[int] = set()
    for plan in session.scalars(
        select(PaymentPlan).where(
            PaymentPlan.customer_id == customer_id, PaymentPlan.status == "active"
        )
    ):
        ids.update(i.id for i in plan.invoices)
    return ids


def dunnable(
    session: Session, cust: Customer, invoices: list[Invoice], today: date
) -> tuple[list[Invoice], dict[str, str]]:
    """Split invoices into those we may remind about and {number: why not} for the rest."""
    skipped: dict[str, str] = {}
    if cust.insolvent:
        return [], {i.number: "customer is insolvent (legal hold)" for i in invoices}
    whole, held_ids = held(session, cust.id, today)
    disputed = disputed_invoice_ids(session, cust.id)
    promised = promised_invoice_ids(session, cust.id, today)
    planned = planned_invoice_ids(session, cust.id)
    keep = []
    for inv in invoices:
        if whole or inv.id in held_ids:
            skipped[inv.number] = "dunning is on hold"
        elif inv.id in disputed:
            skipped[inv.number] = "open dispute"
        elif inv.id in promised:
            skipped[inv.number] = "promise to pay not yet due"
        elif inv.id in planned:
            skipped[inv.number] = "inside an active payment plan"
        else:
            keep.append(inv)
    return keep, skipped
