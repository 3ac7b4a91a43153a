"""Small builders for dunning test ledgers (on top of tests/support/factories)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from decimal import Decimal

from sqlalchemy.orm import Session

from ledger.models import (
    Allocation,
    Communication,
    Contact,
    Customer,
    Dispute,
    DunningHold,
    Installment,
    Invoice,
    Payment,
    PaymentPlan,
    Promise,
)
from tests.support import factories as f

TODAY = date(2026, 11, 23)  # the conftest clock: Monday 2026-11-23 09:00 America/Chicago


def at(day: date, hour: int = 15) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


def customer(s: Session, cid: str, name: str | None = None, **fields) -> Customer:
    fields.setdefault("timezone", "America/Chicago")
    return f.customer(
        s, cid, name or f"Customer {cid}", email=f"ap@{cid.lower()}.example", **fields
    )


def invoice(
    s: Session, cust: Customer, number: str, days_past_due: int, amount: str = "1000.00", **fields
) -> Invoice:
    due = date.fromordinal(TODAY.toordinal() - days_past_due)
    return f.invoice(
        s,
        cust,
        number,
        amount=amount,
        due=due,
        issued=date.fromordinal(due.toordinal() - 30),
        **fields,
    )


def contact(
    s: Session,
    cust: Customer,
    email: str,
    *,
    primary: bool = False,
    opt_out: bool = False,
    role: str = "finance",
) -> Contact:
    c = Contact(
        customer_id=cust.id,
        name=email.split("@")[0],
        email=email,
        role=role,
        primary=primary,
        opt_out=opt_out,
    )
    s.add(c)
    s.flush()
    return c


def dispute(s: Session, inv: Invoice, reason: str = "pricing") -> Dispute:
    d = Dispute(
        customer_id=inv.customer_id, invoice_id=inv.id, reason=reason, opened=date(2026, 11, 2)
    )
    s.add(d)
    s.flush()
    return d


def promise(
    s: Session,
    invoices: list[Invoice],
    on: date,
    *,
    made: date = date(2026, 11, 10),
    amount: str | None = None,
    status: str = "open",
) -> Promise:
    p = Promise(
        customer_id=invoices[0].customer_id,
        date=on,
        status=status,
        amount=Decimal(amount) if amount else None,
        created_at=at(made),
    )
    p.invoices = list(invoices)
    s.add(p)
    s.flush()
    return p


def hold(
    s: Session,
    cust: Customer,
    until: date | None,
    *,
    inv: Invoice | None = None,
    reason: str = "out of office",
) -> DunningHold:
    h = DunningHold(
        customer_id=cust.id, invoice_id=inv.id if inv else None, until=until, reason=reason
    )
    s.add(h)
    s.flush()
    return h


def plan(s: Session, invoices: list[Invoice], dues: list[tuple[date, str, str]]) -> PaymentPlan:
    """An active plan; ``dues`` are (due date, amount, paid amount) per instalment."""
    p = PaymentPlan(customer_id=invoices[0].customer_id, status="active")
    p.invoices = list(invoices)
    p.installments = [
        Installment(seq=n, due_date=d, amount=Decimal(a), paid_amount=Decimal(paid))
        for n, (d, a, paid) in enumerate(dues, 1)
    ]
    s.add(p)
    s.flush()
    return p


def sent_email(
    s: Session,
    cust: Customer,
    on: date,
    *,
    stage: str | None = None,
    invoices: list[Invoice] | None = None,
    status: str = "sent",
) -> Communication:
    c = Communication(
        customer_id=cust.id,
        direction="out",
        channel="email",
        status=status,
        to_addrs=[f"ap@{cust.id.lower()}.example"],
        subject="reminder",
        stage=stage,
        sent_at=at(on) if status == "sent" else None,
        created_at=at(on),
    )
    c.invoices = list(invoices or [])
    s.add(c)
    s.flush()
    return c


def pay(s: Session, inv: Invoice, amount: str, on: date, pid: str | None = None) -> Payment:
    """A payment fully allocated to ``inv`` (its balance goes down by ``amount``)."""
    p = Payment(
        id=pid or f"P-{inv.number}-{on.isoformat()}",
        customer_id=inv.customer_id,
        date=on,
        amount=Decimal(amount),
    )
    p.allocations = [Allocation(invoice_id=inv.id, amount=Decimal(amount))]
    inv.balance = inv.balance - Decimal(amount)
    s.add(p)
    s.flush()
    return p
