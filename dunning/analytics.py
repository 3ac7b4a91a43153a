"""Collections analytics: DSO, CEI, aging, promise-kept rate, reminder effectiveness.

Definitions (period ``start`` .. ``end`` inclusive, ``days`` its length; balances are
as of the end of a day, see :mod:`dunning.book`; "current" means not yet past due):

- DSO, simple method = AR at end / credit sales of the period × days;
- DSO, countback = walk back month by month from ``end``, consuming each month's
  credit sales until the AR at end is used up; whole months count their days, the
  last one the fraction (AR left / that month's sales) of its days;
- best possible DSO = current AR at end / credit sales × days;
- average days delinquent = DSO (simple) − best possible DSO;
- CEI = (AR at start + sales − AR at end) / (AR at start + sales − current AR at end) × 100;
- aging buckets by days past due: current, 1-30, 31-60, 61-90, 91+;
- promise-kept rate = kept / (kept + broken) among promises whose date + grace passed;
- reminder effectiveness = share of sent dunning emails followed by a payment on one of
  their invoices within 7 days, by stage and tone;
- approval edit rate = decided ``send_email`` approvals with ``edits`` / decided ones.

Figures assume one reporting currency: pass ``currency`` to restrict to it.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.clock import Clock, today
from dunning.book import Book, load_book
from dunning.forecast import backtest_forecast, forecast_cash_in
from ledger.models import Approval, Communication, Promise, communication_invoices
from ledger.models import promise_invoices as promise_links

__all__ = [
    "BUCKETS",
    "Kpis",
    "MonthRow",
    "PromiseStats",
    "ReminderStat",
    "EditStats",
    "aging",
    "approval_edit_rate",
    "backtest_forecast",
    "forecast_cash_in",
    "kpis",
    "monthly_series",
    "promise_kept_rate",
    "reminder_effectiveness",
]

BUCKETS = ("current", "1-30", "31-60", "61-90", "91+")
_TENTH = Decimal("0.1")
DECIDED = ("approved", "executed", "failed", "rejected")


def _r(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(_TENTH, ROUND_HALF_UP)


@dataclass(frozen=True)
class Kpis:
    start: date
    end: date
    days: int
    credit_sales: Decimal
    ar_start: Decimal
    ar_end: Decimal
    current_end: Decimal
    dso_simple: Decimal | None
    dso_countback: Decimal | None
    best_possible_dso: Decimal | None
    avg_days_delinquent: Decimal | None
    cei: Decimal | None


def _ar(book: Book, day: date) -> tuple[Decimal, Decimal]:
    """(total AR, current AR) at the end of ``day``."""
    total = current = Decimal(0)
    for inv, amount in book.open_at(day):
        total += amount
        if inv.due_date >= day:
            current += amount
    return total, current


def countback_dso(book: Book, end: date, ar: Decimal, max_months: int = 24) -> Decimal | None:
    """Days of sales, counted back month by month from ``end``, that make up ``ar``."""
    if ar <= 0:
        return Decimal(0)
    days = Decimal(0)
    month_end = end
    for _ in range(max_months):
        month_start = month_end.replace(day=1)
        length = (month_end - month_start).days + 1
        sales = book.sales(month_start, month_end)
        if sales >= ar:
            return days + ar / sales * length
        days += length
        ar -= sales
        month_end = month_start - timedelta(days=1)
    return None  # AR older than the look-back: not meaningful


def kpis(
    session: Session | None = None,
    *,
    start: date,
    end: date,
    book: Book | None = None,
    currency: str | None = None,
) -> Kpis:
    """DSO (simple, countback), best possible DSO, average days delinquent and CEI."""
    book = book or load_book(session, currency=currency)
    days = (end - start).days + 1
    sales = book.sales(start, end)
    ar_start, _ = _ar(book, start - timedelta(days=1))
    ar_end, current_end = _ar(book, end)
    dso = ar_end / sales * days if sales else None
    best = current_end / sales * days if sales else None
    denominator = ar_start + sales - current_end
    cei = (ar_start + sales - ar_end) / denominator * 100 if denominator else None
    return Kpis(
        start,
        end,
        days,
        sales,
        ar_start,
        ar_end,
        current_end,
        _r(dso),
        _r(countback_dso(book, end, ar_end)),
        _r(best),
        _r(dso - best) if dso is not None and best is not None else None,
        _r(cei),
    )


def aging(
    session: Session | None = None,
    *,
    day: date,
    book: Book | None = None,
    currency: str | None = None,
) -> dict[str, Decimal]:
    """Open amounts at the end of ``day`` by days past due."""
    book = book or load_book(session, currency=currency)
    out = {b: Decimal(0) for b in BUCKETS}
    for inv, amount in book.open_at(day):
        late = (day - inv.due_date).days
        key = (
            "current"
            if late <= 0
            else "1-30"
            if late <= 30
            else "31-60"
            if late <= 60
            else "61-90"
            if late <= 90
            else "91+"
        )
        out[key] += amount
    return out


@dataclass(frozen=True)
class PromiseStats:
    kept: int
    broken: int
    pending: int

    @property
    def rate(self) -> Decimal | None:
        decided = self.kept + self.broken
        return _r(Decimal(self.kept) / decided * 100) if decided else None


def promise_outcomes(
    session: Session, *, day: date, grace_days: int = 3, book: Book | None = None
) -> list[tuple[Any, str]]:
    """Each promise (not cancelled) with "kept", "broken" or "pending" as of ``day``.

    An explicit status wins. An open promise is kept when its invoices received, from
    the day it was made to its date + grace, at least the promised amount (or, without
    an amount, what was open on them when it was made); pending until then.
    """
    book = book or load_book(session)
    invoices = book.by_id
    links: dict[int, list[int]] = defaultdict(list)
    for pid, inv_id in session.execute(
        select(promise_links.c.promise_id, promise_links.c.invoice_id)
    ):
        links[pid].append(inv_id)
    out = []
    for p in session.scalars(select(Promise).where(Promise.status != "cancelled")):
        if p.status in ("kept", "broken"):
            out.append((p, p.status))
            continue
        deadline = p.date + timedelta(days=grace_days)
        made = p.created_at.date()
        linked = [invoices[i] for i in links.get(p.id, []) if i in invoices]
        paid = sum((i.paid_between(made, min(deadline, day)) for i in linked), Decimal(0))
        target = (
            p.amount
            if p.amount is not None
            else sum((i.open_at(made - timedelta(days=1)) for i in linked), Decimal(0))
        )
        if target > 0 and paid >= target:
            out.append((p, "kept"))
        else:
            out.append((p, "broken" if deadline < day else "pending"))
    return out


def promise_kept_rate(
    session: Session,
    *,
    clock: Clock,
    grace_days: int = 3,
    since: date | None = None,
    until: date | None = None,
    book: Book | None = None,
    outcomes: list[tuple[Any, str]] | None = None,
) -> PromiseStats:
    """Kept vs broken promises (dated ``since`` .. ``until`` when given)."""
    counts = {"kept": 0, "broken": 0, "pending": 0}
    if outcomes is None:
        outcomes = promise_outcomes(session, day=today(clock), grace_days=grace_days, book=book)
    for p, outcome in outcomes:
        if (since and p.date < since) or (until and p.date > until):
            continue
        counts[outcome] += 1
    return PromiseStats(**counts)


@dataclass(frozen=True)
class ReminderStat:
    stage: str
    tone: str
    sent: int
    paid_within: int

    @property
    def rate(self) -> Decimal | None:
        return _r(Decimal(self.paid_within) / self.sent * 100) if self.sent else None


def reminder_outcomes(
    session: Session, *, policy: Any = None, window_days: int = 7, book: Book | None = None
) -> list[tuple[str, str, date, bool]]:
    """(stage, tone, sent day, paid within the window) per sent dunning email."""
    from dunning.rules import rules_from_policy

    tones = {s.name: s.tone for s in rules_from_policy(policy).stages}
    book = book or load_book(session)
    invoices = book.by_id
    links: dict[int, list[int]] = defaultdict(list)
    rows = session.execute(
        select(
            Communication.id,
            Communication.stage,
            Communication.sent_at,
            Communication.meta,
            communication_invoices.c.invoice_id,
        )
        .join(
            communication_invoices,
            communication_invoices.c.communication_id == Communication.id,
            isouter=True,
        )
        .where(
            Communication.direction == "out",
            Communication.status == "sent",
            Communication.stage.is_not(None),
            Communication.sent_at.is_not(None),
        )
    ).all()
    info = {}
    for cid, stage, sent_at, meta, inv_id in rows:
        info[cid] = (stage, (meta or {}).get("tone") or tones.get(stage, stage), sent_at.date())
        if inv_id is not None:
            links[cid].append(inv_id)
    out = []
    for cid, (stage, tone, sent) in info.items():
        end = sent + timedelta(days=window_days)
        paid = any(invoices[i].paid_between(sent, end) > 0 for i in links[cid] if i in invoices)
        out.append((stage, tone, sent, paid))
    return out


def reminder_effectiveness(
    session: Session,
    *,
    policy: Any = None,
    window_days: int = 7,
    since: date | None = None,
    until: date | None = None,
    book: Book | None = None,
    outcomes: list[tuple[str, str, date, bool]] | None = None,
) -> list[ReminderStat]:
    """Sent dunning emails followed by a payment on one of their invoices within 7 days."""
    from dunning.rules import rules_from_policy

    if outcomes is None:
        outcomes = reminder_outcomes(session, policy=policy, window_days=window_days, book=book)
    stats: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for stage, tone, sent, paid in outcomes:
        if (since and sent < since) or (until and sent > until):
            continue
        stats[(stage, tone)][0] += 1
        stats[(stage, tone)][1] += int(paid)
    order = {s.name: n for n, s in enumerate(rules_from_policy(policy).stages)}
    return [
        ReminderStat(stage, tone, sent, paid)
        for (stage, tone), (sent, paid) in sorted(
            stats.items(), key=lambda kv: (order.get(kv[0][0], 99), kv[0])
        )
    ]


@dataclass(frozen=True)
class EditStats:
    decided: int
    edited: int
    rejected: int

    @property
    def edit_rate(self) -> Decimal | None:
        return _r(Decimal(self.edited) / self.decided * 100) if self.decided else None

    @property
    def rejection_rate(self) -> Decimal | None:
        return _r(Decimal(self.rejected) / self.decided * 100) if self.decided else None


def approval_edit_rate(
    session: Session, *, since: date | None = None, until: date | None = None
) -> EditStats:
    """Among decided ``send_email`` approvals: how many an approver edited or rejected."""
    decided = edited = rejected = 0
    for status, edits, decided_at in session.execute(
        select(Approval.status, Approval.edits, Approval.decided_at).where(
            Approval.type == "send_email", Approval.status.in_(DECIDED)
        )
    ):
        day = decided_at.date() if decided_at else None
        if day and ((since and day < since) or (until and day > until)):
            continue
        decided += 1
        edited += int(bool(edits))
        rejected += int(status == "rejected")
    return EditStats(decided, edited, rejected)


@dataclass(frozen=True)
class MonthRow:
    month: str  # YYYY-MM
    kpis: Kpis
    aging: dict[str, Decimal]
    promises: PromiseStats
    reminders_sent: int
    reminders_paid_within_7_days: int
    edits: EditStats


def monthly_series(
    session: Session,
    *,
    clock: Clock,
    months: int = 12,
    policy: Any = None,
    currency: str | None = None,
) -> list[MonthRow]:
    """One row per calendar month, oldest first; the current month runs to today."""
    day = today(clock)
    book = load_book(session, currency=currency)
    rows = []
    year, month = day.year, day.month
    spans = []
    for _ in range(months):
        start = date(year, month, 1)
        end = min(date(year, month, calendar.monthrange(year, month)[1]), day)
        spans.append((start, end))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    sent = reminder_outcomes(session, policy=policy, book=book)
    promises = promise_outcomes(session, day=day, book=book)
    for start, end in reversed(spans):
        reminders = reminder_effectiveness(
            session, policy=policy, since=start, until=end, outcomes=sent
        )
        rows.append(
            MonthRow(
                month=f"{start:%Y-%m}",
                kpis=kpis(start=start, end=end, book=book),
                aging=aging(day=end, book=book),
                promises=promise_kept_rate(
                    session, clock=clock, since=start, until=end, outcomes=promises
                ),
                reminders_sent=sum(r.sent for r in reminders),
                reminders_paid_within_7_days=sum(r.paid_within for r in reminders),
                edits=approval_edit_rate(session, since=start, until=end),
            )
        )
    return rows
