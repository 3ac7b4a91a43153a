"""The receivables book in memory, able to say what was open on any past day.

Analytics and the forecast need balances as of past dates. They are rebuilt from the
present: an invoice's open amount at the end of day ``d`` is its balance today plus
every allocation paid after ``d`` (zero before its issue date). That stays consistent
with today's balances even when a ledger was imported with balances but without the
payments that reduced them. Two bulk queries load everything.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from ledger.models import Allocation, Invoice, Payment


@dataclass
class BookInvoice:
    id: int
    number: str
    customer: str
    issue_date: date
    due_date: date
    amount: Decimal
    balance: Decimal
    currency: str
    payments: list[tuple[date, Decimal]] = field(default_factory=list)  # sorted by date
    _cumulative: list[Decimal] = field(default_factory=list)

    def open_at(self, day: date) -> Decimal:
        """Open amount at the end of ``day``."""
        if day < self.issue_date:
            return Decimal(0)
        if not self.payments or day >= self.payments[-1][0]:
            return self.balance  # nothing paid after ``day``
        paid_by = bisect_right(self.payments, day, key=lambda p: p[0])
        total = self._cumulative[-1]
        paid_until = self._cumulative[paid_by - 1] if paid_by else Decimal(0)
        return self.balance + (total - paid_until)

    def paid_between(self, start: date, end: date) -> Decimal:
        """Allocated to this invoice by payments dated ``start`` .. ``end`` inclusive."""
        return sum((a for d, a in self.payments if start <= d <= end), Decimal(0))


@dataclass
class Book:
    invoices: list[BookInvoice]
    _by_id: dict[int, BookInvoice] | None = None
    _issued: list[date] = field(default_factory=list)  # sorted issue dates
    _sales_running: list[Decimal] = field(default_factory=list)  # prefix sums of amounts

    @property
    def by_id(self) -> dict[int, BookInvoice]:
        if self._by_id is None:
            self._by_id = {i.id: i for i in self.invoices}
        return self._by_id

    def open_at(self, day: date) -> list[tuple[BookInvoice, Decimal]]:
        """Invoices with an open amount at the end of ``day``, with that amount."""
        out = []
        for inv in self.invoices:
            if inv.issue_date <= day:
                amount = inv.open_at(day)
                if amount > 0:
                    out.append((inv, amount))
        return out

    def sales(self, start: date, end: date) -> Decimal:
        """Credit sales: invoices issued ``start`` .. ``end`` inclusive (prefix sums, O(log n))."""
        if not self._issued and self.invoices:
            running = Decimal(0)
            for inv in sorted(self.invoices, key=lambda i: i.issue_date):
                running += inv.amount
                self._issued.append(inv.issue_date)
                self._sales_running.append(running)

        def upto(day: date) -> Decimal:
            n = bisect_right(self._issued, day)
            return self._sales_running[n - 1] if n else Decimal(0)

        return upto(end) - upto(start - timedelta(days=1))


def load_book(session: Session, *, currency: str | None = None) -> Book:
    """Every invoice (of ``currency``, or all) with its dated allocations."""
    query = select(
        Invoice.id,
        Invoice.number,
        Invoice.customer_id,
        Invoice.issue_date,
        Invoice.due_date,
        Invoice.amount,
        Invoice.balance,
        Invoice.currency,
    )
    if currency:
        query = query.where(Invoice.currency == currency)
    invoices = {r[0]: BookInvoice(*r) for r in session.execute(query)}
    paid: dict[int, list[tuple[date, Decimal]]] = defaultdict(list)
    for inv_id, day, amount in session.execute(
        select(Allocation.invoice_id, Payment.date, Allocation.amount).join(
            Payment, Payment.id == Allocation.payment_id
        )
    ):
        if inv_id in invoices:
            paid[inv_id].append((day, amount))
    for inv_id, rows in paid.items():
        rows.sort(key=lambda r: r[0])
        inv = invoices[inv_id]
        inv.payments = rows
        running = Decimal(0)
        for _, amount in rows:
            running += amount
            inv._cumulative.append(running)
    return Book(list(invoices.values()))
