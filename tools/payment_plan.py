"""Tool: propose a payment plan (instalments that sum exactly to the balance, within policy)."""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from decimal import ROUND_DOWN, ROUND_UP, Decimal
from typing import Literal

from pydantic import BaseModel

from core.errors import ValidationError
from core.money import format_money, money_str, quantum
from tools import _ledger, _policy
from tools.context import ToolContext, ToolResult
from tools.customers import resolve

Frequency = Literal["weekly", "fortnightly", "monthly"]
FIRST_INSTALMENT_AFTER = timedelta(days=7)


class PlanInstallment(BaseModel):
    date: date
    amount: str


class Plan(BaseModel):
    down_payment: str
    installments: list[PlanInstallment]
    frequency: str

    def describe(self, currency: str) -> str:
        n = len(self.installments)
        first, last = self.installments[0], self.installments[-1]
        down = Decimal(self.down_payment)
        head = f"a down payment of {format_money(down, currency)} then " if down else ""
        amounts = sorted({i.amount for i in self.installments})
        each = (
            format_money(Decimal(amounts[0]), currency)
            if len(amounts) == 1
            else f"{format_money(Decimal(first.amount), currency)} (last {format_money(Decimal(last.amount), currency)})"
        )
        return (
            f"{head}{n} {self.frequency} instalment{'s' if n != 1 else ''} of {each}, from "
            f"{first.date.isoformat()} to {last.date.isoformat()}"
        )


class PaymentPlanResult(ToolResult):
    customer: str
    customer_name: str
    invoices: list[str]
    currency: str
    total: str
    requested: Plan
    violations: list[str]
    closest: Plan | None = None
    proposed: Plan | None = None


def add_months(d: date, months: int) -> date:
    month = d.month - 1 + months
    year, month = d.year + month // 12, month % 12 + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def schedule_dates(start: date, n: int, frequency: str) -> list[date]:
    if frequency == "monthly":
        return [add_months(start, k) for k in range(n)]
    step = 7 if frequency == "weekly" else 14
    return [start + timedelta(days=step * k) for k in range(n)]


def build_plan(
    total: Decimal, currency: str, n: int, frequency: str, down: Decimal, start: date
) -> Plan:
    """Split ``total - down`` into ``n`` instalments; the last absorbs rounding, so it sums exactly."""
    rest = total - down
    each = (rest / n).quantize(quantum(currency), rounding=ROUND_DOWN)
    amounts = [each] * (n - 1) + [rest - each * (n - 1)]
    return Plan(
        down_payment=money_str(Decimal(down), currency),
        frequency=frequency,
        installments=[
            PlanInstallment(date=d, amount=str(a))
            for d, a in zip(schedule_dates(start, n, frequency), amounts, strict=True)
        ],
    )


def min_down_payment(total: Decimal, currency: str, limits: _policy.PlanLimits) -> Decimal:
    if total <= limits.down_payment_threshold:
        return Decimal("0")
    return (total * limits.min_down_payment_pct / 100).quantize(
        quantum(currency), rounding=ROUND_UP
    )


def violations(
    plan: Plan, total: Decimal, currency: str, today: date, limits: _policy.PlanLimits
) -> list[str]:
    """Every way ``plan`` breaks the policy, in words a controller understands."""
    out = []
    n = len(plan.installments)
    if n > limits.max_installments:
        out.append(
            f"{n} instalments is more than the policy's maximum of {limits.max_installments}"
        )
    span = (plan.installments[-1].date - today).days
    if span > limits.max_span_days:
        out.append(
            f"the plan would run {span} days, longer than the policy's {limits.max_span_days}"
        )
    if plan.frequency not in limits.frequencies:
        out.append(
            f"{plan.frequency} instalments are not allowed ({', '.join(limits.frequencies)} only)"
        )
    need = min_down_payment(total, currency, limits)
    if Decimal(plan.down_payment) < need:
        out.append(
            f"a balance over {format_money(limits.down_payment_threshold, currency)} needs a "
            f"down payment of at least {format(limits.min_down_payment_pct.normalize(), 'f')}% "
            f"({format_money(need, currency)})"
        )
    return out


def closest_plan(
    total: Decimal,
    currency: str,
    n: int,
    frequency: str,
    down: Decimal,
    start: date,
    today: date,
    limits: _policy.PlanLimits,
) -> Plan:
    """The compliant plan nearest the ask: same frequency if allowed, fewer instalments."""
    if frequency not in limits.frequencies:
        frequency = "monthly" if "monthly" in limits.frequencies else limits.frequencies[-1]
    down = max(down, min_down_payment(total, currency, limits))
    n = max(1, min(n, limits.max_installments))
    while n > 1 and (schedule_dates(start, n, frequency)[-1] - today).days > limits.max_span_days:
        n -= 1
    return build_plan(total, currency, n, frequency, down, start)


def limits_text(limits: _policy.PlanLimits, currency: str) -> str:
    pct = format(limits.min_down_payment_pct.normalize(), "f")
    return (
        f"at most {limits.max_installments} instalments within {limits.max_span_days} days, "
        f"{', '.join(limits.frequencies)}; balances over "
        f"{format_money(limits.down_payment_threshold, currency)} need a {pct}% down payment"
    )


def infer_frequency(installments: int | None, months: int | None) -> Frequency:
    if installments and months and installments > months:
        per_month = installments / months
        return "weekly" if per_month >= 3 else "fortnightly"
    return "monthly"


def propose_payment_plan(
    ctx: ToolContext,
    customer: str,
    installments: int | None = None,
    months: int | None = None,
    frequency: Frequency | None = None,
    down_payment: Decimal | None = None,
    down_payment_percent: Decimal | None = None,
    invoices: list[str] | None = None,
    start_date: date | None = None,
    outside_policy: Literal["refuse", "closest"] = "refuse",
) -> PaymentPlanResult:
    """Propose an instalment plan for a customer's open invoices. Instalments sum exactly
    to the balance. A plan outside the policy (max instalments, span, frequency, down
    payment) is refused with the reason and the closest compliant plan described.

    Args:
        customer: Customer id or name.
        installments: Number of instalments asked for.
        months: Length of the plan in months, if given instead of (or with) instalments.
        frequency: weekly, fortnightly or monthly (default monthly).
        down_payment: Down payment asked for, if any (an amount).
        down_payment_percent: Down payment asked for as a percentage of the balance.
        invoices: Invoice numbers to include; empty means all open invoices that are not
            disputed or already in a plan.
        start_date: Date of the first instalment (default one week from today).
        outside_policy: "refuse" (a controller's explicit ask) or "closest" (offer the
            closest compliant plan instead, e.g. answering a customer).
    """
    cust = resolve(ctx, customer)
    chosen = _ledger.open_invoices(ctx.session, customer_id=cust.id)
    if invoices:
        wanted = {n.upper() for n in invoices}
        chosen = [i for i in chosen if i.number.upper() in wanted] or chosen
    else:  # disputed invoices and those already in a plan cannot go in a new one
        excluded = _ledger.disputed_invoice_ids(ctx.session, cust.id) | (
            _ledger.planned_invoice_ids(ctx.session, cust.id)
        )
        chosen = [i for i in chosen if i.id not in excluded]
    if not chosen:
        raise ValidationError(f"{cust.name} has no open invoices to put in a plan")
    currency = _ledger.currency_of(chosen, cust.currency)
    total = _ledger.total(chosen)
    limits = _policy.plan_limits(ctx.policy)
    freq = frequency or infer_frequency(installments, months)
    n = installments or months or 3
    start = start_date or ctx.today + FIRST_INSTALMENT_AFTER
    if down_payment is None and down_payment_percent is not None:
        down_payment = (total * Decimal(down_payment_percent) / 100).quantize(
            quantum(currency), rounding=ROUND_UP
        )
    down = down_payment if down_payment is not None else min_down_payment(total, currency, limits)
    if down < 0 or down >= total:
        raise ValidationError("the down payment must be at least zero and less than the balance")
    requested = build_plan(total, currency, n, freq, down, start)
    broken = violations(requested, total, currency, ctx.today, limits)
    closest = (
        closest_plan(total, currency, n, freq, down, start, ctx.today, limits) if broken else None
    )
    offer = requested if not broken or outside_policy == "refuse" else closest
    assert offer is not None
    numbers = [i.number for i in chosen]
    payload = {
        "customer": cust.id,
        "invoices": numbers,
        "down_payment": offer.down_payment,
        "installments": [i.model_dump(mode="json") for i in offer.installments],
        "frequency": offer.frequency,
    }
    result = PaymentPlanResult(
        customer=cust.id,
        customer_name=cust.name,
        invoices=numbers,
        currency=currency,
        total=str(total),
        requested=requested,
        violations=broken,
        closest=closest,
        proposed=offer,
    )
    if broken and outside_policy == "refuse":
        # Submitted as asked so the guardrail records it as blocked; never a silent change.
        result.refusal = (
            f"A plan of {requested.describe(currency)} is outside the policy: "
            f"{'; '.join(broken)}. The closest compliant plan is "
            f"{closest.describe(currency) if closest else 'none'}. Nothing was queued. "
            f"(Policy: {limits_text(limits, currency)}.)"
        )
        result.summary = result.refusal
        result.proposed = None
    else:
        note = f" (the ask was outside policy: {'; '.join(broken)})" if broken else ""
        result.summary = (
            f"Payment plan for {cust.name} ({format_money(total, currency)}): "
            f"{offer.describe(currency)}{note}."
        )
    result.proposals = [ctx.action("create_payment_plan", payload, reason=result.summary)]
    return result
