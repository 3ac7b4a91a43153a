"""Payment-plan arithmetic: instalment schedules and the closest compliant plan.

Pure functions (no ledger): the plan rules use them to recognise a frequency, the
agent uses :func:`closest_compliant_plan` to offer an in-policy plan, or the closest
one when a request is outside the limits (saying what changed in ``notes``).
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict

from core.errors import ValidationError
from core.money import format_money, money_str, quantum
from policies.schema import Policy

INTERVAL_DAYS = {"weekly": 7, "fortnightly": 14, "monthly": 30}
_SYNONYMS = {
    "daily": 1,
    "weekly": 7,
    "biweekly": 14,
    "bi-weekly": 14,
    "fortnightly": 14,
    "every two weeks": 14,
    "semimonthly": 15,
    "semi-monthly": 15,
    "twice a month": 15,
    "monthly": 30,
    "bimonthly": 61,
    "bi-monthly": 61,
    "every two months": 61,
    "quarterly": 91,
    "semiannually": 182,
    "yearly": 365,
    "annually": 365,
}


def add_months(start: date, months: int) -> date:
    """``start`` plus ``months`` calendar months, clamped to the month's last day."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def schedule(start: date, count: int, frequency: str) -> list[date]:
    """``count`` dates from ``start`` (the first instalment) at ``frequency``."""
    if frequency == "monthly":
        return [add_months(start, i) for i in range(count)]
    step = INTERVAL_DAYS[frequency]
    return [start + timedelta(days=step * i) for i in range(count)]


def matches(frequency: str, dates: list[date]) -> bool:
    """Whether ``dates`` follow ``frequency`` exactly from the first one."""
    return (
        frequency in INTERVAL_DAYS
        and bool(dates)
        and (schedule(dates[0], len(dates), frequency) == dates)
    )


def infer_frequency(dates: list[date]) -> str | None:
    """The frequency the dates follow (None for fewer than two dates or none fits)."""
    if len(dates) < 2:
        return None
    return next((f for f in INTERVAL_DAYS if matches(f, dates)), None)


class PlanSuggestion(BaseModel):
    """A compliant plan: amounts sum exactly to ``balance`` (remainder on the last).

    ``notes`` says, in words for the reply, every way the plan differs from the request
    and every condition the policy adds (down payment).
    """

    model_config = ConfigDict(frozen=True)

    balance: Decimal
    currency: str
    down_payment: Decimal
    installments: list[tuple[date, Decimal]]
    frequency: str
    notes: list[str]

    def payload(self, customer: str, invoices: list[str]) -> dict[str, Any]:
        """The ``create_payment_plan`` payload of this plan."""
        return {
            "customer": customer,
            "invoices": invoices,
            "down_payment": money_str(self.down_payment, self.currency),
            "installments": [
                {"date": d.isoformat(), "amount": money_str(a, self.currency)}
                for d, a in self.installments
            ],
            "frequency": self.frequency,
        }


def _pick_frequency(requested: str | None, policy: Policy, notes: list[str]) -> str:
    allowed = policy.payment_plans.frequencies
    if requested is None:
        return policy.payment_plans.default_frequency
    name = " ".join(requested.strip().lower().split())
    if name in allowed:
        return name
    days = _SYNONYMS.get(name)
    if days is None:
        chosen = policy.payment_plans.default_frequency
    else:
        chosen = min(allowed, key=lambda f: abs(INTERVAL_DAYS[f] - days))
    if chosen != name:
        notes.append(
            f"{requested} instalments are outside the policy; {chosen} is the closest "
            f"allowed frequency ({', '.join(allowed)})"
        )
    return chosen


def closest_compliant_plan(
    balance: Decimal,
    currency: str,
    start: date,
    requested_installments: int | None,
    requested_frequency: str | None,
    policy: Policy,
    *,
    today: date | None = None,
) -> PlanSuggestion:
    """The in-policy plan nearest the request; ``start`` is the first instalment's date.

    The span is measured from ``today`` (default: ``start``), as the plan check does.
    """
    if balance <= 0:
        raise ValidationError(f"no payment plan for a balance of {balance} {currency}")
    rules = policy.payment_plans
    notes: list[str] = []
    frequency = _pick_frequency(requested_frequency, policy, notes)
    count = requested_installments if requested_installments is not None else rules.max_installments
    if count > rules.max_installments:
        notes.append(
            f"{count} instalments requested; the policy allows at most {rules.max_installments}"
        )
        count = rules.max_installments
    count = max(count, 1)
    origin = today or start
    if start <= origin and today is not None:
        start = schedule(today, 2, frequency)[1]
        notes.append(
            f"the first instalment moves to {start.isoformat()}: instalments must "
            "fall in the future"
        )
    limit = origin + timedelta(days=rules.max_span_days)
    if start > limit:
        start = limit
        notes.append(
            f"the first instalment moves to {start.isoformat()}: plans end within "
            f"{rules.max_span_days} days"
        )
    wanted = count
    while count > 1 and schedule(start, count, frequency)[-1] > limit:
        count -= 1
    if count < wanted and requested_installments is not None:
        notes.append(
            f"shortened to {count} {frequency} instalments so the last falls "
            f"within {rules.max_span_days} days"
        )
    q = quantum(currency)
    down = Decimal("0")
    if balance > rules.down_payment_required_over:
        down = (balance * rules.min_down_payment_percent / 100).quantize(q, ROUND_CEILING)
        notes.append(
            f"balances over {format_money(rules.down_payment_required_over, currency)} "
            f"need a {rules.min_down_payment_percent}% down payment "
            f"({format_money(down, currency)})"
        )
    rest = balance - down
    count = min(count, int(rest / q)) or 1
    each = (rest / count).quantize(q, ROUND_FLOOR)
    amounts = [each] * (count - 1) + [rest - each * (count - 1)]
    return PlanSuggestion(
        balance=balance,
        currency=currency,
        down_payment=down,
        installments=list(zip(schedule(start, count, frequency), amounts, strict=True)),
        frequency=frequency,
        notes=notes,
    )
