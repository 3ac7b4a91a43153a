"""Payment behaviour per customer: average days to pay, days late, and its trend.

Days to pay are measured per allocation, from the invoice's issue date to the payment
date, weighted by the allocated amount (a 10,000.00 invoice paid late weighs more than
a 50.00 one). The issue date, not the due date, is the base of the trend because a
percentage of "days late" is meaningless around zero (2 → 3 days late is +50%); days
late (payment date minus due date) are reported beside it. The trend compares the
last 90 days of payments with the 275 days before; a rise of more than 15% flags the
account, as credit teams do. Both windows need at least two allocations.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from ledger.models import Allocation, Invoice, Payment

RECENT_DAYS = 90
HISTORY_DAYS = 365
FLAG_RISE = Decimal("0.15")
MIN_SAMPLES = 2
_TENTH = Decimal("0.1")


@dataclass(frozen=True)
class Behaviour:
    customer: str
    days_to_pay: Decimal | None  # all payments in the last year, amount-weighted
    days_late: Decimal | None  # payment date minus due date, amount-weighted
    recent_days_to_pay: Decimal | None
    baseline_days_to_pay: Decimal | None
    trend: Decimal | None  # (recent - baseline) / baseline, e.g. 0.32 for +32%
    samples: int

    @property
    def flagged(self) -> bool:
        return self.trend is not None and self.trend > FLAG_RISE

    def describe(self) -> str:
        if self.trend is None:
            return "not enough payments for a trend"
        return (
            f"days-to-pay {'up' if self.trend >= 0 else 'down'} {abs(self.trend):.0%} "
            f"({self.baseline_days_to_pay} → {self.recent_days_to_pay} days)"
        )


class _Acc:
    __slots__ = ("weight", "days", "late", "n")

    def __init__(self) -> None:
        self.weight = Decimal(0)
        self.days = Decimal(0)
        self.late = Decimal(0)
        self.n = 0

    def add(self, amount: Decimal, days: int, late: int) -> None:
        self.weight += amount
        self.days += amount * days
        self.late += amount * late
        self.n += 1

    def mean(self) -> Decimal | None:
        return (self.days / self.weight).quantize(_TENTH) if self.weight else None

    def mean_late(self) -> Decimal | None:
        return (self.late / self.weight).quantize(_TENTH) if self.weight else None


def allocations_since(session: Session, since: date, until: date | None = None):
    """(customer, payment date, issue date, due date, amount) per allocation, one query."""
    query = (
        select(
            Invoice.customer_id,
            Payment.date,
            Invoice.issue_date,
            Invoice.due_date,
            Allocation.amount,
        )
        .join(Payment, Payment.id == Allocation.payment_id)
        .join(Invoice, Invoice.id == Allocation.invoice_id)
        .where(Payment.date >= since, Allocation.amount > 0)
    )
    if until is not None:
        query = query.where(Payment.date <= until)
    return session.execute(query).all()


def payment_behaviour(session: Session, *, today: date) -> dict[str, Behaviour]:
    """Each paying customer's days-to-pay over the last year and its trend."""
    recent_from = today - timedelta(days=RECENT_DAYS)
    rows = allocations_since(session, today - timedelta(days=HISTORY_DAYS), today)
    return behaviour_from_rows(rows, recent_from=recent_from)


def behaviour_from_rows(rows, *, recent_from: date) -> dict[str, Behaviour]:
    """Aggregate allocation rows (see :func:`allocations_since`) per customer."""
    total: dict[str, _Acc] = defaultdict(_Acc)
    recent: dict[str, _Acc] = defaultdict(_Acc)
    base: dict[str, _Acc] = defaultdict(_Acc)
    for customer, paid, issued, due, amount in rows:
        days, late = (paid - issued).days, (paid - due).days
        total[customer].add(amount, days, late)
        (recent if paid > recent_from else base)[customer].add(amount, days, late)
    out = {}
    for customer, acc in total.items():
        r, b = recent.get(customer), base.get(customer)
        r_mean = r.mean() if r and r.n >= MIN_SAMPLES else None
        b_mean = b.mean() if b and b.n >= MIN_SAMPLES else None
        trend = None
        if r_mean is not None and b_mean:
            trend = ((r_mean - b_mean) / b_mean).quantize(Decimal("0.001"))
        out[customer] = Behaviour(
            customer, acc.mean(), acc.mean_late(), r_mean, b_mean, trend, acc.n
        )
    return out
