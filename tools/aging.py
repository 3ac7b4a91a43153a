"""Tool: aging buckets (current, 1-30, 31-60, 61-90, 90+), per customer and in total.

Amounts are never added across currencies: rows are per customer and currency, totals
per currency.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from pydantic import BaseModel

from core.money import format_money
from tools import _ledger
from tools.context import ToolContext, ToolResult
from tools.customers import resolve

BUCKETS = ("current", "1-30", "31-60", "61-90", "90+")


def bucket_of(days_overdue: int) -> str:
    if days_overdue <= 0:
        return "current"
    if days_overdue <= 30:
        return "1-30"
    if days_overdue <= 60:
        return "31-60"
    if days_overdue <= 90:
        return "61-90"
    return "90+"


class AgingRow(BaseModel):
    customer: str
    customer_name: str
    currency: str
    buckets: dict[str, str]
    total: str


class AgedInvoice(BaseModel):
    number: str
    bucket: str
    balance: str
    currency: str
    due_date: str


class AgingResult(ToolResult):
    currency: str
    rows: list[AgingRow]
    invoices: list[AgedInvoice] = []  # one customer's report lists its invoices
    totals: dict[str, str]  # of ``currency``, the ledger's main currency
    total: str
    totals_by_currency: dict[str, dict[str, str]]


def _zero() -> dict[str, Decimal]:
    return {b: Decimal("0") for b in BUCKETS}


def aging_report(ctx: ToolContext, customer: str | None = None) -> AgingResult:
    """Open balances by age bucket: current, 1-30, 31-60, 61-90 and 90+ days past due.

    Args:
        customer: Customer id or name for one customer; leave empty for the whole ledger.
    """
    cust = resolve(ctx, customer) if customer else None
    invoices = _ledger.open_invoices(ctx.session, customer_id=cust.id if cust else None)
    per: dict[tuple[str, str], dict[str, Decimal]] = defaultdict(_zero)
    totals: dict[str, dict[str, Decimal]] = defaultdict(_zero)
    for inv in invoices:
        bucket = bucket_of((ctx.today - inv.due_date).days)
        per[(inv.customer_id, inv.currency)][bucket] += inv.balance
        totals[inv.currency][bucket] += inv.balance
    names = _ledger.customer_names(ctx.session, {i.customer_id for i in invoices})
    counts: dict[str, int] = defaultdict(int)
    for inv in invoices:
        counts[inv.currency] += 1
    main = max(counts, key=lambda c: counts[c]) if counts else (cust.currency if cust else "USD")
    rows = sorted(
        (
            AgingRow(
                customer=cid,
                customer_name=names[cid],
                currency=cur,
                buckets={b: str(v) for b, v in row.items()},
                total=str(sum(row.values())),
            )
            for (cid, cur), row in per.items()
        ),
        key=lambda r: (r.currency != main, r.currency, -Decimal(r.total)),
    )
    main_totals = totals.get(main, _zero())
    who = cust.name if cust else "All customers"
    parts = []
    for cur, buckets in sorted(totals.items(), key=lambda kv: kv[0] != main):
        parts.append(
            ", ".join(f"{b}: {format_money(v, cur)}" for b, v in buckets.items())
            + f"; total {format_money(sum(buckets.values()), cur)}"
        )
    listed = [
        AgedInvoice(
            number=inv.number,
            bucket=bucket_of((ctx.today - inv.due_date).days),
            balance=str(inv.balance),
            currency=inv.currency,
            due_date=inv.due_date.isoformat(),
        )
        for inv in invoices
    ]
    lines = "".join(
        f"\n- {i.number}: {format_money(Decimal(i.balance), i.currency)}, due {i.due_date} ({i.bucket})"
        for i in listed
    )
    return AgingResult(
        currency=main,
        rows=rows,
        invoices=listed if cust else [],
        totals={b: str(v) for b, v in main_totals.items()},
        total=str(sum(main_totals.values())),
        totals_by_currency={c: {b: str(v) for b, v in t.items()} for c, t in totals.items()},
        summary=f"{who}: "
        + (" | ".join(parts) if parts else "nothing open")
        + "."
        + (lines if cust else ""),
    )
