"""Tool: open invoices across customers, filtered (age, amount, currency, language,
customers left out, disputed or promised ones left out)."""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel

from core.money import format_money
from tools import _ledger
from tools.context import ToolContext, ToolResult
from tools.customers import resolve


class ListedInvoice(BaseModel):
    number: str
    customer: str
    customer_name: str
    balance: str
    currency: str
    due_date: str
    days_overdue: int
    disputed: bool
    promised: bool


class InvoiceListResult(ToolResult):
    invoices: list[ListedInvoice]


def list_invoices(
    ctx: ToolContext,
    customer: str | None = None,
    min_days_overdue: int | None = None,
    max_days_overdue: int | None = None,
    min_amount: Decimal | None = None,
    currency: str | None = None,
    language: str | None = None,
    exclude: list[str] | None = None,
    without_disputed: bool = False,
    without_promised: bool = False,
) -> InvoiceListResult:
    """Open invoices, oldest first, with filters: e.g. "every invoice more than 60 days late
    except the disputed ones", "overdue invoices over 10,000 EUR excluding Sartori".

    Args:
        customer: One customer's invoices only (id or name).
        min_days_overdue: At least this many days past due (0 = every overdue invoice).
        max_days_overdue: At most this many days past due.
        min_amount: Open balance at least this much.
        currency: Only this currency (ISO code).
        language: Only customers with this language (ISO 639-1, e.g. "it").
        exclude: Customer ids or names to leave out.
        without_disputed: Leave out invoices in open dispute.
        without_promised: Leave out invoices under an active promise to pay.
    """
    only = resolve(ctx, customer).id if customer else None
    left_out = {resolve(ctx, c).id for c in exclude or []}
    invoices = [
        i
        for i in _ledger.open_invoices(ctx.session, customer_id=only)
        if i.customer_id not in left_out
    ]
    customers = {c: _ledger.customer(ctx.session, c) for c in {i.customer_id for i in invoices}}
    disputed: set[int] = set()
    promised: set[int] = set()
    for cid in customers:
        disputed |= _ledger.disputed_invoice_ids(ctx.session, cid)
        promised |= _ledger.promised_invoice_ids(ctx.session, cid, ctx.today)
    out = []
    for inv in invoices:
        late = (ctx.today - inv.due_date).days
        cust = customers[inv.customer_id]
        if (
            (min_days_overdue is not None and late < max(min_days_overdue, 1))
            or (max_days_overdue is not None and late > max_days_overdue)
            or (min_amount is not None and inv.balance < min_amount)
            or (currency and inv.currency.upper() != currency.upper())
            or (language and (cust.language if cust else "") != language)
            or (without_disputed and inv.id in disputed)
            or (without_promised and inv.id in promised)
        ):
            continue
        out.append(
            ListedInvoice(
                number=inv.number,
                customer=inv.customer_id,
                customer_name=cust.name if cust else inv.customer_id,
                balance=str(inv.balance),
                currency=inv.currency,
                due_date=inv.due_date.isoformat(),
                days_overdue=late,
                disputed=inv.id in disputed,
                promised=inv.id in promised,
            )
        )
    lines = "\n".join(
        f"- {i.number} · {i.customer_name} · {format_money(Decimal(i.balance), i.currency)} · "
        f"due {i.due_date}"
        + (f" ({i.days_overdue} days overdue)" if i.days_overdue > 0 else " (not yet due)")
        + (" · disputed" if i.disputed else "")
        + (" · promised" if i.promised else "")
        for i in out
    )
    summary = f"{len(out)} invoice(s):\n{lines}" if out else "No open invoice matches."
    return InvoiceListResult(invoices=out, summary=summary)
