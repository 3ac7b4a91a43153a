"""Cash-in forecast for the next weeks, and its backtest on history.

A forecast made on day ``d`` starts from what was open at the end of ``d - 1`` and
places each invoice's cash in a week (week 1 = ``d`` .. ``d + 6``):

- the part under an open promise (date + grace not passed) arrives on the promise
  date, weighted by the historical promise-kept rate (promises whose deadline passed
  before ``d``; 1 when there is none);
- the rest arrives on the due date plus the customer's average days late (amount-
  weighted over its payments before ``d``; the portfolio's when it has none), never
  before ``d``, weighted by a collectability factor by age at ``d``: up to 30 days
  late 1, 31-60 0.75, 61-90 0.5, older 0.25;
- invoices with an open dispute and insolvent customers are left out.

The backtest replays the forecast at past weekly cutoffs whose whole horizon is in
the past and compares it with the cash actually allocated to the same invoices:
WAPE (sum of absolute errors / actual cash, per cutoff-week and for each cutoff's
total) and MAPE (mean of per-cutoff total errors).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.clock import Clock, today
from dunning.book import Book, BookInvoice, load_book
from ledger.models import Customer, Dispute, Promise
from ledger.models import promise_invoices as promise_links

_CENT = Decimal("0.01")
_TENTH = Decimal("0.1")


@dataclass(frozen=True)
class Week:
    start: date
    end: date
    expected: Decimal
    from_promises: Decimal


@dataclass(frozen=True)
class Forecast:
    as_of: date
    weeks: list[Week]
    promise_kept_rate: Decimal

    @property
    def total(self) -> Decimal:
        return sum((w.expected for w in self.weeks), Decimal(0))


@dataclass(frozen=True)
class BacktestPoint:
    cutoff: date
    forecast: list[Decimal]
    actual: list[Decimal]


@dataclass(frozen=True)
class Backtest:
    points: list[BacktestPoint] = field(default_factory=list)

    def _pairs(self, weekly: bool) -> list[tuple[Decimal, Decimal]]:
        if weekly:
            return [(f, a) for p in self.points for f, a in zip(p.forecast, p.actual, strict=True)]
        return [(sum(p.forecast, Decimal(0)), sum(p.actual, Decimal(0))) for p in self.points]

    def wape(self, *, weekly: bool = False) -> Decimal | None:
        """Sum of absolute errors over actual cash, in percent."""
        pairs = self._pairs(weekly)
        actual = sum((a for _, a in pairs), Decimal(0))
        if not actual:
            return None
        return (sum((abs(f - a) for f, a in pairs), Decimal(0)) / actual * 100).quantize(_TENTH)

    @property
    def mape(self) -> Decimal | None:
        """Mean absolute percentage error of the horizon totals (cutoffs with cash only)."""
        errors = [abs(f - a) / a for f, a in self._pairs(False) if a > 0]
        if not errors:
            return None
        return (sum(errors, Decimal(0)) / len(errors) * 100).quantize(_TENTH)


@dataclass
class _Inputs:
    promises: list[tuple[Promise, list[int]]]
    disputes: list[Any]
    insolvent: set[str]


def _load_inputs(session: Session) -> _Inputs:
    links: dict[int, list[int]] = defaultdict(list)
    for pid, inv in session.execute(select(promise_links.c.promise_id, promise_links.c.invoice_id)):
        links[pid].append(inv)
    promises = [
        (p, links.get(p.id, []))
        for p in session.scalars(select(Promise).where(Promise.status != "cancelled"))
    ]
    disputes = list(
        session.execute(select(Dispute.invoice_id, Dispute.opened, Dispute.resolved_on)).all()
    )
    insolvent = set(session.scalars(select(Customer.id).where(Customer.insolvent.is_(True))))
    return _Inputs(promises, disputes, insolvent)


def _days_late(book: Book, before: date) -> tuple[dict[str, int], int]:
    """Average days late per customer (and for the portfolio) from payments before a day."""
    acc: dict[str, list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0)])
    for inv in book.invoices:
        for paid, amount in inv.payments:
            if paid < before and amount > 0:
                acc[inv.customer][0] += amount * (paid - inv.due_date).days
                acc[inv.customer][1] += amount

    def days(total: Decimal, weight: Decimal) -> int:
        return int((total / weight).to_integral_value(ROUND_HALF_UP)) if weight else 0

    per = {c: days(t, w) for c, (t, w) in acc.items()}
    portfolio = days(
        sum((t for t, _ in acc.values()), Decimal(0)), sum((w for _, w in acc.values()), Decimal(0))
    )
    return per, portfolio


def _kept_rate(book: Book, inputs: _Inputs, day: date, grace: int) -> Decimal:
    invoices = book.by_id
    kept = decided = 0
    for p, inv_ids in inputs.promises:
        deadline = p.date + timedelta(days=grace)
        if deadline >= day:
            continue
        if p.status in ("kept", "broken"):
            ok = p.status == "kept"
        else:
            made = p.created_at.date()
            linked = [invoices[i] for i in inv_ids if i in invoices]
            paid = sum((i.paid_between(made, deadline) for i in linked), Decimal(0))
            target = (
                p.amount
                if p.amount is not None
                else sum((i.open_at(made - timedelta(days=1)) for i in linked), Decimal(0))
            )
            ok = target > 0 and paid >= target
        decided += 1
        kept += int(ok)
    return (Decimal(kept) / decided).quantize(Decimal("0.0001")) if decided else Decimal(1)


def _collectability(age: int) -> Decimal:
    if age <= 30:
        return Decimal(1)
    return Decimal("0.75") if age <= 60 else Decimal("0.5") if age <= 90 else Decimal("0.25")


def forecast_at(
    book: Book, inputs: _Inputs, day: date, *, weeks: int = 4, grace: int = 3
) -> Forecast:
    """The forecast as it would have been made on ``day``."""
    opened = book.open_at(day - timedelta(days=1))
    late, portfolio = _days_late(book, day)
    rate = _kept_rate(book, inputs, day, grace)
    disputed = {
        i
        for i, opened_on, resolved in inputs.disputes
        if opened_on <= day and (resolved is None or resolved > day)
    }
    open_amount = {inv.id: amount for inv, amount in opened}
    promised: dict[int, list[tuple[date, Decimal]]] = defaultdict(list)
    for p, inv_ids in inputs.promises:
        # open on ``day``: still open, or kept/broken only later (replays of the past)
        was_open = p.status == "open" or p.updated_at.date() >= day
        live = was_open and p.created_at.date() <= day <= p.date + timedelta(days=grace)
        ids = [i for i in inv_ids if i in open_amount]
        total = sum((open_amount[i] for i in ids), Decimal(0))
        if not live or not total:
            continue
        amount = min(p.amount, total) if p.amount is not None else total
        for i in ids:
            promised[i].append((p.date, amount * open_amount[i] / total))
    horizon = [Decimal(0)] * weeks
    from_promises = [Decimal(0)] * weeks

    def place(when: date, amount: Decimal, *, promise: bool) -> None:
        week = (max(when, day) - day).days // 7
        if week < weeks:
            horizon[week] += amount
            if promise:
                from_promises[week] += amount

    for inv, amount in opened:
        if inv.id in disputed or inv.customer in inputs.insolvent:
            continue
        rest = amount
        for when, share in promised.get(inv.id, []):
            place(when, share * rate, promise=True)
            rest -= share * rate
        expected = inv.due_date + timedelta(days=late.get(inv.customer, portfolio))
        place(expected, rest * _collectability((day - inv.due_date).days), promise=False)
    out = [
        Week(
            day + timedelta(days=7 * k),
            day + timedelta(days=7 * k + 6),
            horizon[k].quantize(_CENT),
            from_promises[k].quantize(_CENT),
        )
        for k in range(weeks)
    ]
    return Forecast(day, out, rate)


def forecast_cash_in(
    session: Session,
    *,
    clock: Clock,
    weeks: int = 4,
    currency: str | None = None,
    grace_days: int = 3,
) -> Forecast:
    """Expected cash per week for the next ``weeks`` weeks, starting today."""
    book = load_book(session, currency=currency)
    return forecast_at(book, _load_inputs(session), today(clock), weeks=weeks, grace=grace_days)


def backtest_forecast(
    session: Session,
    *,
    clock: Clock,
    weeks: int = 4,
    count: int = 8,
    cutoffs: list[date] | None = None,
    currency: str | None = None,
    grace_days: int = 3,
) -> Backtest:
    """Replay the forecast at past weekly cutoffs and compare with the cash that came."""
    book = load_book(session, currency=currency)
    inputs = _load_inputs(session)
    day = today(clock)
    if cutoffs is None:
        last = day - timedelta(days=7 * weeks)
        cutoffs = [last - timedelta(days=7 * k) for k in reversed(range(count))]
    points = []
    for cutoff in cutoffs:
        forecast = forecast_at(book, inputs, cutoff, weeks=weeks, grace=grace_days)
        actual = _actual(book, cutoff, weeks)
        points.append(BacktestPoint(cutoff, [w.expected for w in forecast.weeks], actual))
    return Backtest(points)


def _actual(book: Book, day: date, weeks: int) -> list[Decimal]:
    """Cash allocated in each week from ``day`` on, to invoices open at the end of ``day - 1``."""
    out = [Decimal(0)] * weeks
    opened: list[BookInvoice] = [inv for inv, _ in book.open_at(day - timedelta(days=1))]
    for inv in opened:
        for paid, amount in inv.payments:
            week = (paid - day).days // 7
            if paid >= day and week < weeks:
                out[week] += amount
    return [a.quantize(_CENT) for a in out]
