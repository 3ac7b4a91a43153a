"""Tool: draft payment reminders (one email per customer grouping its due invoices)."""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel
from sqlalchemy import select

from core.money import format_money
from ledger.models import Customer, Invoice
from tools import _ledger, _policy, _templates
from tools.context import ToolContext, ToolResult
from tools.customers import resolve


class Draft(BaseModel):
    customer: str
    customer_name: str
    stage: str
    language: str
    to: list[str]
    invoices: list[str]
    total: str
    currency: str
    subject: str = ""
    escalated: bool = False


class RemindersResult(ToolResult):
    drafts: list[Draft]
    skipped: dict[str, str]


def recipients(cust: Customer) -> tuple[list[str], list[str]]:
    """(to, possible cc): the primary contact that may be emailed, then the others."""
    usable = [c for c in cust.contacts if c.mailable]
    usable.sort(key=lambda c: (not c.primary, c.role not in ("ap", "billing", "accounts"), c.id))
    emails = [c.email for c in usable]
    return emails[:1], emails[1:2]


def no_contact_left(cust: Customer) -> str:
    """Why nobody of ``cust`` may be emailed, naming bouncing addresses and why."""
    bouncing = [
        f"{c.email} ({c.bounce_reason or 'bounced'})" for c in cust.contacts if c.bounced_at
    ]
    if bouncing:
        return f"no contact left to email (mail to {', '.join(bouncing)} bounced)"
    return "no contact left to email (all opted out)"


def _candidates(
    ctx: ToolContext,
    invoices: list[Invoice],
    named: bool,
    min_days: int | None,
    explicit_customer: bool,
    max_days: int | None = None,
) -> list[Invoice]:
    if named:
        return invoices
    if min_days is not None or max_days is not None:
        low = min_days if min_days is not None else 1
        high = max_days if max_days is not None else 10**6
        return [i for i in invoices if low <= (ctx.today - i.due_date).days <= high]
    staged = [
        i
        for i in invoices
        if _policy.stage_for(ctx.policy, (ctx.today - i.due_date).days) is not None
    ]
    if staged or not explicit_customer:
        return staged
    return invoices


def draft_for_customer(
    ctx: ToolContext, cust: Customer, invoices: list[Invoice]
) -> tuple[Draft | None, list, dict[str, str]]:
    """The reminder (or escalation) for one customer's chosen invoices."""
    keep, skipped = _ledger.dunnable(ctx.session, cust, invoices, ctx.today)
    if not keep:
        return None, [], skipped
    stages = [
        _policy.stage_for(ctx.policy, (ctx.today - i.due_date).days) or "courtesy" for i in keep
    ]
    stage = max(stages, key=_policy.stage_rank)
    currency = _ledger.currency_of(keep, cust.currency)
    total = _ledger.total(keep)
    numbers = [i.number for i in keep]
    to, cc = recipients(cust)
    base = dict(
        customer=cust.id,
        customer_name=cust.name,
        stage=stage,
        language=cust.language,
        to=to,
        invoices=numbers,
        total=str(total),
        currency=currency,
    )
    if stage == "escalate" or not to:
        why = (
            "more than 60 days overdue: calls, agency or legal are a human decision"
            if stage == "escalate"
            else no_contact_left(cust)
        )
        reason = f"{cust.name}: {', '.join(numbers)} ({format_money(total, currency)}) {why}."
        action = ctx.action("escalate", {"customer": cust.id, "reason": reason}, reason=reason)
        return Draft(**base, escalated=True), [action], skipped
    contact = next((c for c in cust.contacts if c.email == to[0]), None)
    lines = [
        {
            "number": i.number,
            "balance": format_money(i.balance, i.currency),
            "due_date": i.due_date.isoformat(),
            "days_overdue": (ctx.today - i.due_date).days,
        }
        for i in keep
    ]
    subject, body, lang = _templates.render(
        f"reminder_{stage}",
        cust.language,
        invoices=lines,
        total=format_money(total, currency),
        contact_name=(contact.name if contact and contact.name else cust.name),
        customer_name=cust.name,
        company=ctx.company_name,
        pay_link=ctx.pay_link,
    )
    payload = {
        "customer": cust.id,
        "to": to,
        "subject": subject,
        "body": body,
        "invoices": numbers,
        "stage": stage,
        "language": lang,
    }
    if stage == "final" and cc:
        payload["cc"] = cc
    action = ctx.action("send_email", payload, reason=f"{stage} reminder to {cust.name}")
    return Draft(**{**base, "language": lang}, subject=subject), [action], skipped


def draft_reminders(
    ctx: ToolContext,
    customer: str | None = None,
    invoices: list[str] | None = None,
    min_days_overdue: int | None = None,
    max_days_overdue: int | None = None,
    exclude: list[str] | None = None,
) -> RemindersResult:
    """Draft reminder emails for approval: one per customer, listing its due invoices, in
    the tone of the most advanced cadence stage and the customer's language. Invoices in
    dispute, on hold, promised or in a payment plan are skipped; 60+ days is escalated.

    Args:
        customer: Customer id or name; empty means every customer.
        invoices: Only these invoice numbers.
        min_days_overdue: Only invoices at least this many days past due (e.g. 30).
        max_days_overdue: Only invoices at most this many days past due (e.g. 30 for "1-30").
        exclude: Customer ids or names to leave out ("everything except Contoso").
    """
    cust = resolve(ctx, customer) if customer else None
    if invoices:
        chosen = [i for i in _ledger.invoices_by_number(ctx.session, invoices) if i.is_open]
        if cust is not None:
            chosen = [i for i in chosen if i.customer_id == cust.id]
    else:
        chosen = _ledger.open_invoices(ctx.session, customer_id=cust.id if cust else None)
    left_out = {resolve(ctx, c).id for c in exclude or []}
    chosen = [i for i in chosen if i.customer_id not in left_out]
    by_customer: dict[str, list[Invoice]] = {}
    for inv in chosen:
        by_customer.setdefault(inv.customer_id, []).append(inv)
    drafts, proposals, skipped = [], [], {}
    customers = {
        c.id: c
        for c in ctx.session.scalars(select(Customer).where(Customer.id.in_(list(by_customer))))
    }
    for cid in sorted(by_customer, key=lambda c: customers[c].name.lower()):
        picked = _candidates(
            ctx,
            by_customer[cid],
            bool(invoices),
            min_days_overdue,
            cust is not None,
            max_days_overdue,
        )
        if not picked:
            continue
        draft, actions, skip = draft_for_customer(ctx, customers[cid], picked)
        skipped.update(skip)
        if draft is not None:
            drafts.append(draft)
            proposals.extend(actions)
    emails = [d for d in drafts if not d.escalated]
    text = "; ".join(
        (
            f"{d.customer_name}: {', '.join(d.invoices)} "
            f"({format_money(Decimal(d.total), d.currency)}) escalated to a human"
            if d.escalated
            else f"{d.customer_name}: {d.stage} reminder for {', '.join(d.invoices)} "
            f"({format_money(Decimal(d.total), d.currency)})"
        )
        for d in drafts
    )
    summary = (
        f"Drafted {len(emails)} reminder(s), {len(drafts) - len(emails)} escalation(s). {text}"
        if drafts
        else "Nothing to remind: no open invoice qualifies."
    )
    if skipped:
        summary += " Skipped: " + "; ".join(f"{n} ({why})" for n, why in skipped.items()) + "."
    return RemindersResult(drafts=drafts, skipped=skipped, proposals=proposals, summary=summary)
