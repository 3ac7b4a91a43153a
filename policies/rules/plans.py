"""Rules of ``create_payment_plan``: the policy's limits and an exact, discount-free sum."""

from __future__ import annotations

from datetime import timedelta
from decimal import ROUND_CEILING, Decimal

from core.money import format_money, quantum
from policies.plans import infer_frequency, matches
from policies.results import CheckResult
from policies.rules import customer, never_contact
from policies.rules.context import RuleContext


def _limits(ctx: RuleContext) -> list[CheckResult]:
    rules, plan = ctx.policy.payment_plans, ctx.payload
    dates = [i.date for i in plan.installments]
    out = []
    if not plan.installments:
        out.append(CheckResult.fail("installments", "a payment plan needs at least one instalment"))
    elif len(plan.installments) > rules.max_installments:
        out.append(
            CheckResult.fail(
                "installments",
                f"{len(plan.installments)} instalments: the "
                f"policy allows at most {rules.max_installments}",
            )
        )
    else:
        out.append(CheckResult.ok("installments", f"{len(plan.installments)} instalment(s)"))
    if dates and dates[0] <= ctx.today:
        out.append(
            CheckResult.fail(
                "installment_dates", f"first instalment {dates[0]} is not in the future"
            )
        )
    elif any(b <= a for a, b in zip(dates, dates[1:], strict=False)):
        out.append(CheckResult.fail("installment_dates", "instalment dates must increase"))
    elif dates:
        out.append(CheckResult.ok("installment_dates", f"{dates[0]} to {dates[-1]}"))
    if dates and dates[-1] > ctx.today + timedelta(days=rules.max_span_days):
        days = (dates[-1] - ctx.today).days
        out.append(
            CheckResult.fail(
                "plan_span",
                f"last instalment {dates[-1]} is {days} days "
                f"away: the policy allows at most {rules.max_span_days}",
            )
        )
    elif dates:
        out.append(CheckResult.ok("plan_span", f"ends within {rules.max_span_days} days"))
    out.append(_frequency(ctx, dates))
    return out


def _frequency(ctx: RuleContext, dates: list) -> CheckResult:
    allowed = ctx.policy.payment_plans.frequencies
    given = ctx.payload.frequency
    if given is not None and given not in allowed:
        return CheckResult.fail(
            "plan_frequency", f"{given} instalments are not allowed ({', '.join(allowed)})"
        )
    if len(dates) < 2:
        return CheckResult.ok("plan_frequency", "a single instalment")
    if given is not None:
        if matches(given, dates):
            return CheckResult.ok("plan_frequency", given)
        return CheckResult.fail("plan_frequency", f"the instalment dates are not {given}")
    inferred = infer_frequency(dates)
    if inferred is None or inferred not in allowed:
        return CheckResult.fail(
            "plan_frequency", f"the instalment dates are not {', '.join(allowed)}"
        )
    return CheckResult.ok("plan_frequency", f"{inferred} (from the dates)")


def _amounts(ctx: RuleContext, balance: Decimal, currency: str) -> list[CheckResult]:
    rules, plan = ctx.policy.payment_plans, ctx.payload
    q = quantum(currency)
    amounts = [plan.down_payment, *(i.amount for i in plan.installments)]
    if plan.down_payment < 0 or any(i.amount <= 0 for i in plan.installments):
        return [
            CheckResult.fail(
                "plan_amounts", "instalments must be positive and the down payment not negative"
            )
        ]
    if any(a != a.quantize(q) for a in amounts):
        return [
            CheckResult.fail("plan_amounts", f"amounts have more decimals than {currency} allows")
        ]
    total = sum(amounts, Decimal("0"))
    out = []
    if total < balance:
        out.append(
            CheckResult.fail(
                "plan_sum",
                f"the plan covers {format_money(total, currency)} of "
                f"{format_money(balance, currency)}: a discount, which only a controller "
                "can grant",
            )
        )
    elif total > balance:
        out.append(
            CheckResult.fail(
                "plan_sum",
                f"the plan asks {format_money(total, currency)}, more than the open "
                f"balance {format_money(balance, currency)}",
            )
        )
    else:
        out.append(CheckResult.ok("plan_sum", f"sums exactly to {format_money(total, currency)}"))
    if balance > rules.down_payment_required_over:
        needed = balance * rules.min_down_payment_percent / 100
        if plan.down_payment < needed:
            out.append(
                CheckResult.fail(
                    "down_payment",
                    f"balances over "
                    f"{format_money(rules.down_payment_required_over, currency)} need a "
                    f"{rules.min_down_payment_percent}% down payment (at least "
                    f"{format_money(needed.quantize(q, ROUND_CEILING), currency)})",
                )
            )
        else:
            out.append(
                CheckResult.ok(
                    "down_payment", f"down payment {format_money(plan.down_payment, currency)}"
                )
            )
    else:
        out.append(CheckResult.ok("down_payment", "no down payment required"))
    return out


def payment_plan_rules(ctx: RuleContext) -> list[CheckResult]:
    gate = customer.customer_exists(ctx)
    if not gate.passed:
        return [gate]
    numbers = list(dict.fromkeys(ctx.payload.invoices))
    owned = customer.invoices_owned(ctx, numbers)
    checks = [
        gate,
        customer.not_insolvent(ctx),
        customer.invoices_listed(ctx, numbers),
        owned,
        never_contact.not_disputed(ctx, numbers),
        never_contact.not_in_plan(ctx, numbers),
    ]
    checks += _limits(ctx)
    if not (owned.passed and numbers):
        return checks
    invoices = [inv for n in numbers if (inv := ctx.invoice(n)) is not None]
    currencies = {inv.currency for inv in invoices}
    if len(currencies) > 1:
        return [
            *checks,
            CheckResult.fail(
                "plan_currency", f"the invoices are in several currencies: {sorted(currencies)}"
            ),
        ]
    balance = sum((inv.balance for inv in invoices), Decimal("0"))
    return checks + _amounts(ctx, balance, currencies.pop())
