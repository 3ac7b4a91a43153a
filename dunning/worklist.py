"""The prioritised worklist: which customers a collector should work first, and why.

Each customer with an overdue balance gets a score out of 100 from five parts, each
with a reason a collector can read:

- amount at risk (40): overdue balance on a log scale, full points at 1,000,000;
- days overdue (25): amount-weighted average days past due, full points at 90 days;
- broken promises (15): in the last 180 days, full points at 2;
- payment trend (10): days-to-pay up more than 15% (see :mod:`dunning.behaviour`);
- dispute history (10): disputes opened in the last 365 days, full points at 3.

Amounts of different currencies are not converted (no FX rates in the ledger): the
amount part uses the number as it is, and each entry states its currency.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.clock import Clock, today
from core.money import format_money
from dunning.behaviour import Behaviour, payment_behaviour
from ledger.models import Approval, Customer, Dispute, Invoice, Promise, promise_invoices

WEIGHTS = {"amount": 40, "days": 25, "promises": 15, "trend": 10, "disputes": 10}
FULL_AMOUNT = 1_000_000
FULL_DAYS = 90
FULL_BROKEN = 2
FULL_DISPUTES = 3
PROMISE_LOOKBACK = 180
DISPUTE_LOOKBACK = 365


@dataclass
class WorklistEntry:
    customer: str
    name: str
    currency: str
    score: float
    overdue: Decimal
    open_balance: Decimal
    oldest_days: int
    avg_days_overdue: Decimal
    broken_promises: int
    disputes_12m: int
    open_disputes: int
    behaviour: Behaviour | None
    insolvent: bool = False
    open_escalations: int = 0  # pending escalate tasks (the Escalations page)
    reasons: list[str] = field(default_factory=list)

    @property
    def flagged(self) -> bool:
        return self.behaviour is not None and self.behaviour.flagged

    def as_dict(self) -> dict:
        b = self.behaviour
        return {
            "customer": self.customer,
            "name": self.name,
            "score": self.score,
            "currency": self.currency,
            "overdue": str(self.overdue),
            "open_balance": str(self.open_balance),
            "oldest_days_overdue": self.oldest_days,
            "avg_days_overdue": str(self.avg_days_overdue),
            "broken_promises": self.broken_promises,
            "disputes_12m": self.disputes_12m,
            "open_disputes": self.open_disputes,
            "flagged": self.flagged,
            "days_to_pay_recent": str(b.recent_days_to_pay) if b and b.recent_days_to_pay else None,
            "days_to_pay_baseline": (
                str(b.baseline_days_to_pay) if b and b.baseline_days_to_pay else None
            ),
            "trend": str(b.trend) if b and b.trend is not None else None,
            "insolvent": self.insolvent,
            "open_escalations": self.open_escalations,
            "escalations_page": f"/escalations?customer={self.customer}"
            if self.open_escalations
            else None,
            "reasons": self.reasons,
        }


def broken_promises(
    session: Session, *, day: date, grace_days: int = 3, lookback: int = PROMISE_LOOKBACK
) -> dict[str, int]:
    """Promises broken per customer: status "broken", or open past date + grace with money owed."""
    since = day - timedelta(days=lookback)
    rows = session.execute(
        select(Promise.id, Promise.customer_id, Promise.status, Promise.date, Invoice.balance)
        .join(promise_invoices, promise_invoices.c.promise_id == Promise.id)
        .join(Invoice, Invoice.id == promise_invoices.c.invoice_id)
        .where(Promise.date >= since, Promise.status.in_(("open", "broken")))
    ).all()
    owed: dict[int, tuple[str, str, date, bool]] = {}
    for pid, cust, status, on, balance in rows:
        prev = owed.get(pid)
        owed[pid] = (cust, status, on, (prev[3] if prev else False) or balance > 0)
    counts: dict[str, int] = defaultdict(int)
    for cust, status, on, still_owed in owed.values():
        lapsed = status == "open" and on + timedelta(days=grace_days) < day and still_owed
        if status == "broken" or lapsed:
            counts[cust] += 1
    return counts


def build_worklist(
    session: Session, *, clock: Clock, limit: int | None = None, grace_days: int = 3
) -> list[WorklistEntry]:
    """Customers with an overdue balance, highest score first (ties: larger amount first)."""
    day = today(clock)
    customers = {
        r[0]: r
        for r in session.execute(
            select(Customer.id, Customer.name, Customer.currency, Customer.insolvent)
        )
    }
    overdue: dict[str, list[tuple[int, Decimal]]] = defaultdict(list)
    open_balance: dict[str, Decimal] = defaultdict(Decimal)
    currency: dict[str, str] = {}
    for cust, due, balance, cur in session.execute(
        select(Invoice.customer_id, Invoice.due_date, Invoice.balance, Invoice.currency).where(
            Invoice.balance > 0
        )
    ):
        open_balance[cust] += balance
        currency.setdefault(cust, cur)
        if due < day:
            overdue[cust].append(((day - due).days, balance))
    broken = broken_promises(session, day=day, grace_days=grace_days)
    disputes: dict[str, list[str]] = defaultdict(list)
    for cust, status in session.execute(
        select(Dispute.customer_id, Dispute.status).where(
            Dispute.opened >= day - timedelta(days=DISPUTE_LOOKBACK)
        )
    ):
        disputes[cust].append(status)
    behaviour = payment_behaviour(session, today=day)
    escalations: dict[str, int] = defaultdict(int)
    for (cust,) in session.execute(
        select(Approval.customer_id).where(
            Approval.status == "pending", Approval.type == "escalate"
        )
    ):
        escalations[cust] += 1

    entries = []
    for cust, items in overdue.items():
        _, name, cust_currency, insolvent = customers[cust]
        amount = sum((b for _, b in items), Decimal(0))
        avg_days = (sum(Decimal(d) * b for d, b in items) / amount).quantize(Decimal("0.1"))
        entry = WorklistEntry(
            customer=cust,
            name=name,
            currency=currency.get(cust, cust_currency),
            score=0.0,
            overdue=amount,
            open_balance=open_balance[cust],
            oldest_days=max(d for d, _ in items),
            avg_days_overdue=avg_days,
            broken_promises=broken.get(cust, 0),
            disputes_12m=len(disputes.get(cust, [])),
            open_disputes=sum(1 for s in disputes.get(cust, []) if s == "open"),
            behaviour=behaviour.get(cust),
            insolvent=insolvent,
            open_escalations=escalations.get(cust, 0),
        )
        _score(entry)
        entries.append(entry)
    entries.sort(key=lambda e: (-e.score, -e.overdue, e.customer))
    return entries[:limit] if limit else entries


def _score(e: WorklistEntry) -> None:
    """Fill ``score`` and ``reasons`` (largest contribution first)."""
    parts = [
        (
            WEIGHTS["amount"]
            * min(1.0, math.log10(1 + float(e.overdue)) / math.log10(FULL_AMOUNT)),
            f"{format_money(e.overdue, e.currency)} overdue",
        ),
        (
            WEIGHTS["days"] * min(1.0, float(e.avg_days_overdue) / FULL_DAYS),
            f"{e.avg_days_overdue} days overdue on average (oldest {e.oldest_days})",
        ),
        (
            WEIGHTS["promises"] * min(1.0, e.broken_promises / FULL_BROKEN),
            f"{e.broken_promises} broken promise{'s' if e.broken_promises != 1 else ''}",
        ),
        (WEIGHTS["trend"] if e.flagged else 0.0, e.behaviour.describe() if e.behaviour else ""),
        (
            WEIGHTS["disputes"] * min(1.0, e.disputes_12m / FULL_DISPUTES),
            f"{e.disputes_12m} dispute{'s' if e.disputes_12m != 1 else ''} in 12 months"
            + (f" ({e.open_disputes} open)" if e.open_disputes else ""),
        ),
    ]
    e.score = round(sum(p for p, _ in parts), 1)
    e.reasons = [why for points, why in sorted(parts, key=lambda p: -p[0]) if points > 0]
    if e.insolvent:
        e.reasons.insert(0, "insolvent: legal hold, no emails")
