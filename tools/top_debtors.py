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
    total: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    overdue: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    oldest: dict[tuple[str, str], int] = {}
    names = _ledger.customer_names(ctx.session)
    for inv in _ledger.open_invoices(ctx.session):
        k, days = (inv.customer_id, inv.currency), (ctx.today - inv.due_date).days
        total[k] += inv.balance
        if days > 0:
            overdue[k] += inv.balance
        oldest[k] = max(oldest.get(k, days), days)
    # Amounts in different currencies are ranked by face value: no FX rates in the ledger.
    key = overdue if overdue_only else total
    ranked = sorted((k for k in total if key.get(k, 0) > 0), key=lambda k: -key[k])
    debtors = [
        Debtor(
            customer=cid,
            customer_name=names[cid],
            total=str(total[(cid, cur)]),
            overdue=str(overdue.get((cid, cur), Decimal("0"))),
            currency=cur,
            oldest_days_overdue=oldest[(cid, cur)],
        )
        for cid, cur in ranked[: max(1, limit)]
    ]
    text = "; ".join(
        f"{d.customer_name} {format_money(Decimal(d.total), d.currency)}" for d in debtors
    )
    return TopDebtorsResult(debtors=debtors, summary=f"Top debtors: {text or 'none'}.")
