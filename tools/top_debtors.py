"""Tool: the customers who owe the most."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from pydantic import BaseModel

from core.money import format_money
from tools import _ledger
from tools.context import ToolContext, ToolResult


class Debtor(BaseModel):
    customer: str
    customer_name: str
    total: str
    overdue: str
    currency: str
    oldest_days_overdue: int


class TopDebtorsResult(ToolResult):
    debtors: list[Debtor]


def top_debtors(ctx: ToolContext, limit: int = 5, overdue_only: bool = False) -> TopDebtorsResult:
    """The customers with the largest open (or overdue) balances, largest first.

    Args:
        limit: How many customers to list (default 5).
        overdue_only: Rank by overdue balance only.
    """
    total: dict[str, Decimal] = defaultdict(Decimal)
    overdue: dict[str, Decimal] = defaultdict(Decimal)
    oldest: dict[str, int] = {}
    names, currency = _ledger.customer_names(ctx.session), {}
    for inv in _ledger.open_invoices(ctx.session):
        days = (ctx.today - inv.due_date).days
        total[inv.customer_id] += inv.balance
        if days > 0:
            overdue[inv.customer_id] += inv.balance
        oldest[inv.customer_id] = max(oldest.get(inv.customer_id, days), days)
        currency[inv.customer_id] = inv.currency
    key = overdue if overdue_only else total
    ranked = sorted((c for c in total if key.get(c, 0) > 0), key=lambda c: -key[c])
    debtors = [
        Debtor(
            customer=c,
            customer_name=names[c],
            total=str(total[c]),
            overdue=str(overdue.get(c, Decimal("0"))),
            currency=currency[c],
            oldest_days_overdue=oldest[c],
        )
        for c in ranked[: max(1, limit)]
    ]
    text = "; ".join(
        f"{d.customer_name} {format_money(Decimal(d.total), d.currency)}" for d in debtors
    )
    return TopDebtorsResult(debtors=debtors, summary=f"Top debtors: {text or 'none'}.")
