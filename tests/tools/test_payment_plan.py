from datetime import date
from decimal import Decimal

import pytest

from core.errors import ValidationError
from tests.support import factories as f
from tools.payment_plan import build_plan, propose_payment_plan


def _sum(plan) -> Decimal:
    return Decimal(plan.down_payment) + sum(Decimal(i.amount) for i in plan.installments)


def test_instalments_sum_exactly_with_rounding_in_the_last():
    plan = build_plan(Decimal("1000.00"), "USD", 3, "monthly", Decimal("0"), date(2026, 12, 1))
    assert [i.amount for i in plan.installments] == ["333.33", "333.33", "333.34"]
    assert [i.date for i in plan.installments] == [
        date(2026, 12, 1),
        date(2027, 1, 1),
        date(2027, 2, 1),
    ]
    assert _sum(plan) == Decimal("1000.00")


def test_plan_over_threshold_gets_the_minimum_down_payment(ctx, globex):
    result = propose_payment_plan(ctx, "C-001", installments=4)
    assert result.violations == []
    assert result.proposed.down_payment == "3100.00"  # 20% of 15,500.00
    assert _sum(result.proposed) == Decimal("15500.00")
    payload = result.proposals[0].payload
    assert payload["customer"] == "C-001" and len(payload["installments"]) == 4


def test_controller_ask_outside_policy_is_refused_with_the_closest_plan(ctx, globex):
    result = propose_payment_plan(ctx, "Globex", months=12, outside_policy="refuse")
    assert result.refusal and "6" in result.refusal
    assert any("maximum of 6" in v for v in result.violations)
    assert len(result.closest.installments) == 6
    assert _sum(result.closest) == Decimal("15500.00")
    # the ask itself is handed to the guardrail so it is recorded as blocked
    assert len(result.proposals[0].payload["installments"]) == 12


def test_customer_ask_outside_policy_offers_the_closest(ctx, globex):
    result = propose_payment_plan(ctx, "C-001", installments=12, outside_policy="closest")
    assert result.refusal is None
    assert len(result.proposals[0].payload["installments"]) == 6


def test_too_small_down_payment_is_a_violation(ctx, globex):
    result = propose_payment_plan(ctx, "C-001", installments=3, down_payment=Decimal("100"))
    assert any("down payment" in v for v in result.violations)


def test_no_open_invoices_is_an_error(ctx, session):
    f.customer(session, "C-9", "Paid Up Ltd")
    with pytest.raises(ValidationError):
        propose_payment_plan(ctx, "C-9", installments=2)
