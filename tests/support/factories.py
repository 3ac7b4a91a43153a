"""Small factories for test ledgers."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from itertools import count
from typing import Any

from sqlalchemy.orm import Session

from ledger.models import Contact, Customer, Invoice

_seq = count(1)


def customer(
    session: Session,
    id: str | None = None,
    name: str | None = None,
    *,
    email: str | None = None,
    **fields: Any,
) -> Customer:
    n = next(_seq)
    c = Customer(id=id or f"C-{n:03d}", name=name or f"Customer {n}", **fields)
    session.add(c)
    domain = (name or f"customer{n}").split()[0].lower() + ".example"
    c.contacts.append(
        Contact(name="Accounts Payable", email=email or f"ap@{domain}", role="ap", primary=True)
    )
    session.flush()
    return c


def invoice(
    session: Session,
    cust: Customer,
    number: str | None = None,
    *,
    amount: str = "1000.00",
    balance: str | None = None,
    due: date = date(2026, 10, 1),
    issued: date | None = None,
    currency: str = "USD",
    **fields: Any,
) -> Invoice:
    n = next(_seq)
    inv = Invoice(
        number=number or f"INV-{n:04d}",
        customer=cust,
        issue_date=issued or date(due.year, due.month, 1) if issued is None else issued,
        due_date=due,
        amount=Decimal(amount),
        balance=Decimal(balance if balance is not None else amount),
        currency=currency,
        **fields,
    )
    session.add(inv)
    session.flush()
    return inv
