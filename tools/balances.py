"""Tool: what a customer owes, with its open items (per currency, never added across)."""

from __future__ import annotations

from decimal import Decimal

from core.money import format_money
from tools import _ledger
from tools.context import ToolContext, ToolResult
from tools.customers import resolve


class BalanceResult(ToolResult):
    customer: str
    customer_name: str
    currency: str
    total: str
    overdue: str
    open_items: list[_ledger.InvoiceLine]
    by_currency: dict[str, dict[str, str]] = {}


def customer_balance(ctx: ToolContext, customer: str) -> BalanceResult:
    """The customer's open balance, overdue part and every open invoice.

    Args:
        customer: Customer id or name (as returned by find_customer).
    """
    cust = resolve(ctx, customer)
    invoices = _ledger.open_invoices(ctx.session, customer_id=cust.id)
    lines = [_ledger.line(i, ctx.today) for i in invoices]
    sums: dict[str, dict[str, Decimal]] = {}
    for inv in invoices:
        cur = sums.setdefault(inv.currency, {"total": Decimal("0"), "overdue": Decimal("0")})
        cur["total"] += inv.balance
        if inv.due_date < ctx.today:
            cur["overdue"] += inv.balance
    currency = _ledger.currency_of(invoices, cust.currency)
    main = sums.get(currency, {"total": Decimal("0"), "overdue": Decimal("0")})
    owed = " and ".join(
        f"{format_money(v['total'], c)} ({format_money(v['overdue'], c)} overdue)"
        for c, v in sums.items()
    ) or format_money(Decimal("0"), currency)
    n = len(lines)
    return BalanceResult(
        customer=cust.id,
        customer_name=cust.name,
        currency=currency,
        total=str(main["total"]),
        overdue=str(main["overdue"]),
        open_items=lines,
        by_currency={c: {k: str(v) for k, v in t.items()} for c, t in sums.items()},
        summary=f"{cust.name} owes {owed} across {n} open invoice{'s' if n != 1 else ''}.",
    )
