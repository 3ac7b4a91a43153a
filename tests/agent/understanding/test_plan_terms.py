"""Payment-plan terms: instalments, duration, frequency, amounts."""

from __future__ import annotations

from decimal import Decimal

import pytest

from agent.understanding.plan_terms import find_plan_terms


@pytest.mark.parametrize(
    ("text", "installments", "months", "frequency"),
    [
        ("propose a 4-month plan", None, 4, None),
        ("6 monthly payments", 6, None, "monthly"),
        ("three monthly installments", 3, None, "monthly"),
        ("split it into four", 4, None, None),
        ("over 6 months", None, 6, None),
        ("weekly over 8 weeks", None, None, "weekly"),
        ("every two weeks", None, None, "fortnightly"),
        ("in vier Raten", 4, None, None),
        ("über 6 Monate", None, 6, None),
        ("en 3 fois", 3, None, None),
        ("sur six mois", None, 6, None),
        ("4 pagos mensuales", 4, None, "monthly"),
        ("en cuatro cuotas", 4, None, None),
        ("durante 6 meses", None, 6, None),
        ("quarterly payments", None, None, "quarterly"),
    ],
)
def test_plan_terms(text, installments, months, frequency):
    terms = find_plan_terms(text)
    assert (terms.installments, terms.months, terms.frequency) == (installments, months, frequency)


def test_plan_amounts_down_payment_and_per_installment():
    terms = find_plan_terms("$5,000 down and then $2,000 a month")
    assert terms.down_payment == Decimal("5000")
    assert terms.installment_amount == Decimal("2000")
    assert find_plan_terms("20% down, rest over 6 months").down_payment_percent == Decimal("20")
    assert find_plan_terms("weekly over 8 weeks").weeks == 8
