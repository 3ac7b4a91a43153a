"""create_payment_plan limits and the closest compliant plan."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy.orm import Session

from core.clock import FrozenClock
from core.errors import ValidationError
from ledger.models import Customer, Dispute, Invoice
from policies.actions import ProposedAction
from policies.check import check, closest_compliant_plan
from policies.plans import add_months, infer_frequency, schedule
from policies.schema import Policy
from tests.policies.helpers import failed
from tests.support import factories

TODAY = date(2026, 11, 23)


def _plan(
    invoices: list[str],
    down: str,
    installments: list[tuple[date, str]],
    frequency: str | None = None,
) -> ProposedAction:
    payload = {
        "customer": "C-001",
        "invoices": invoices,
        "down_payment": down,
        "installments": [{"date": d.isoformat(), "amount": a} for d, a in installments],
    }
    if frequency:
        payload["frequency"] = frequency
    return ProposedAction(type="create_payment_plan", payload=payload)


@pytest.fixture
def small(session: Session, globex: Customer) -> Invoice:
    return factories.invoice(session, globex, "INV-2001", amount="6000.00", due=date(2026, 9, 1))


def _monthly(n: int, total: str, first: date = date(2026, 12, 1)) -> list[tuple[date, str]]:
    each = Decimal(total) / n
    return [(d, str(each)) for d in schedule(first, n, "monthly")]


def test_in_policy_plan_is_allowed(
    session: Session, clock: FrozenClock, policy: Policy, small: Invoice
) -> None:
    verdict = check(_plan(["INV-2001"], "0", _monthly(6, "6000.00")), session, clock, policy=policy)
    assert verdict.allowed, verdict.reasons


@pytest.mark.parametrize(("count", "ok"), [(6, True), (7, False)])
def test_max_installments(
    session: Session, clock: FrozenClock, policy: Policy, small: Invoice, count: int, ok: bool
) -> None:
    dates = schedule(date(2026, 12, 1), count, "weekly")
    each = Decimal("6000.00") / count
    amounts = [each.quantize(Decimal("0.01"))] * (count - 1)
    amounts.append(Decimal("6000.00") - sum(amounts))
    plan = _plan(["INV-2001"], "0", [(d, str(a)) for d, a in zip(dates, amounts, strict=True)])
    verdict = check(plan, session, clock, policy=policy)
    assert verdict.allowed is ok, verdict.reasons
    if not ok:
        assert failed(verdict) == {"installments": "7 instalments: the policy allows at most 6"}


@pytest.mark.parametrize(("days", "ok"), [(180, True), (181, False)])
def test_max_span_days(
    session: Session, clock: FrozenClock, policy: Policy, small: Invoice, days: int, ok: bool
) -> None:
    last = TODAY + timedelta(days=days)
    plan = _plan(["INV-2001"], "0", [(last, "6000.00")])
    verdict = check(plan, session, clock, policy=policy)
    assert verdict.allowed is ok, verdict.reasons
    if not ok:
        assert failed(verdict)["plan_span"] == (
            "last instalment 2027-05-23 is 181 days away: the policy allows at most 180"
        )


@pytest.mark.parametrize(
    ("frequency", "step", "ok"),
    [
        ("weekly", 7, True),
        ("fortnightly", 14, True),
        (None, 7, True),
        (None, 14, True),
        (None, 10, False),
        ("quarterly", 91, False),
        ("weekly", 14, False),
    ],
)
def test_frequency(
    session: Session,
    clock: FrozenClock,
    policy: Policy,
    small: Invoice,
    frequency: str | None,
    step: int,
    ok: bool,
) -> None:
    dates = [date(2026, 12, 1) + timedelta(days=step * i) for i in range(2)]
    plan = _plan(["INV-2001"], "0", [(dates[0], "3000.00"), (dates[1], "3000.00")], frequency)
    verdict = check(plan, session, clock, policy=policy)
    assert ("plan_frequency" not in failed(verdict)) is ok


def test_monthly_is_inferred_across_month_ends() -> None:
    assert infer_frequency([date(2027, 1, 31), date(2027, 2, 28), date(2027, 3, 31)]) == "monthly"
    assert add_months(date(2027, 1, 31), 1) == date(2027, 2, 28)
    assert infer_frequency([date(2027, 1, 1), date(2027, 1, 29)]) is None


def test_frequency_not_allowed_by_this_policy(
    session: Session, clock: FrozenClock, policy: Policy, small: Invoice
) -> None:
    monthly_only = policy.with_changes({"payment_plans": {"frequencies": ["monthly"]}})
    dates = schedule(date(2026, 12, 1), 2, "weekly")
    plan = _plan(["INV-2001"], "0", [(dates[0], "3000.00"), (dates[1], "3000.00")])
    assert "plan_frequency" in failed(check(plan, session, clock, policy=monthly_only))


@pytest.mark.parametrize(
    ("down", "first", "second", "rule", "detail"),
    [
        (
            "0",
            "2999.99",
            "3000.00",
            "plan_sum",
            "the plan covers 5,999.99 USD of 6,000.00 USD: a discount, which only a controller "
            "can grant",
        ),
        (
            "0",
            "3000.00",
            "3000.01",
            "plan_sum",
            "the plan asks 6,000.01 USD, more than the open balance 6,000.00 USD",
        ),
        ("0", "3000.005", "2999.995", "plan_amounts", "amounts have more decimals than USD allows"),
        (
            "0",
            "6000.00",
            "0.00",
            "plan_amounts",
            "instalments must be positive and the down payment not negative",
        ),
    ],
)
def test_amounts_sum_exactly_without_discount(
    session: Session,
    clock: FrozenClock,
    policy: Policy,
    small: Invoice,
    down: str,
    first: str,
    second: str,
    rule: str,
    detail: str,
) -> None:
    plan = _plan(["INV-2001"], down, [(date(2026, 12, 1), first), (date(2027, 1, 1), second)])
    assert failed(check(plan, session, clock, policy=policy))[rule] == detail


@pytest.mark.parametrize(
    ("balance", "down", "ok"),
    [
        ("10000.00", "0", True),  # exactly 10,000.00: no down payment needed
        ("10000.01", "2000.00", False),  # 19.99..% of 10,000.01
        ("10000.01", "2000.01", True),  # >= 20%
        ("50000.00", "9999.99", False),
        ("50000.00", "10000.00", True),
    ],
)
def test_down_payment_over_10000(
    session: Session,
    clock: FrozenClock,
    policy: Policy,
    globex: Customer,
    balance: str,
    down: str,
    ok: bool,
) -> None:
    factories.invoice(session, globex, "INV-3001", amount=balance)
    rest = Decimal(balance) - Decimal(down)
    plan = _plan(["INV-3001"], down, [(date(2026, 12, 1), str(rest))])
    verdict = check(plan, session, clock, policy=policy)
    assert ("down_payment" not in failed(verdict)) is ok, verdict.reasons
    assert verdict.allowed is ok


def test_down_payment_message(
    session: Session, clock: FrozenClock, policy: Policy, globex: Customer
) -> None:
    factories.invoice(session, globex, "INV-3001", amount="10000.01")
    plan = _plan(["INV-3001"], "2000.00", [(date(2026, 12, 1), "8000.01")])
    assert failed(check(plan, session, clock, policy=policy))["down_payment"] == (
        "balances over 10,000.00 USD need a 20% down payment (at least 2,000.01 USD)"
    )


def test_balance_is_the_sum_of_the_listed_invoices(
    session: Session, clock: FrozenClock, policy: Policy, small: Invoice, globex: Customer
) -> None:
    factories.invoice(session, globex, "INV-2002", amount="1000.00", balance="400.00")
    plan = _plan(
        ["INV-2001", "INV-2002"],
        "0",
        [(date(2026, 12, 1), "3200.00"), (date(2027, 1, 1), "3200.00")],
    )
    assert check(plan, session, clock, policy=policy).allowed


@pytest.mark.parametrize(
    ("dates", "detail"),
    [
        ([TODAY, TODAY + timedelta(days=7)], "first instalment 2026-11-23 is not in the future"),
        ([date(2026, 12, 8), date(2026, 12, 1)], "instalment dates must increase"),
        ([date(2026, 12, 1), date(2026, 12, 1)], "instalment dates must increase"),
    ],
)
def test_dates_in_the_future_and_increasing(
    session: Session,
    clock: FrozenClock,
    policy: Policy,
    small: Invoice,
    dates: list[date],
    detail: str,
) -> None:
    plan = _plan(["INV-2001"], "0", [(dates[0], "3000.00"), (dates[1], "3000.00")])
    assert failed(check(plan, session, clock, policy=policy))["installment_dates"] == detail


def test_invoices_must_be_open_undisputed_and_the_customers(
    session: Session, clock: FrozenClock, policy: Policy, small: Invoice
) -> None:
    other = factories.customer(session, "C-002", "Initech")
    factories.invoice(session, other, "INV-9000")
    plan = _plan(["INV-9000"], "0", [(date(2026, 12, 1), "1000.00")])
    assert "invoices_open" in failed(check(plan, session, clock, policy=policy))
    session.add(Dispute(customer_id="C-001", invoice_id=small.id, reason="pricing", opened=TODAY))
    session.flush()
    plan = _plan(["INV-2001"], "0", [(date(2026, 12, 1), "6000.00")])
    assert "not_disputed" in failed(check(plan, session, clock, policy=policy))


def test_no_plan_for_insolvent_customer(
    session: Session, clock: FrozenClock, policy: Policy, small: Invoice, globex: Customer
) -> None:
    globex.insolvent = True
    session.flush()
    plan = _plan(["INV-2001"], "0", [(date(2026, 12, 1), "6000.00")])
    assert "not_insolvent" in failed(check(plan, session, clock, policy=policy))


# --- closest_compliant_plan ------------------------------------------------------------


def _total(s) -> Decimal:
    return s.down_payment + sum(a for _, a in s.installments)


def test_in_policy_request_is_kept(policy: Policy) -> None:
    s = closest_compliant_plan(
        Decimal("6000.00"), "USD", date(2026, 12, 1), 4, "monthly", policy, today=TODAY
    )
    assert s.frequency == "monthly" and s.down_payment == 0 and s.notes == []
    assert s.installments == [
        (date(2026, 12, 1), Decimal("1500.00")),
        (date(2027, 1, 1), Decimal("1500.00")),
        (date(2027, 2, 1), Decimal("1500.00")),
        (date(2027, 3, 1), Decimal("1500.00")),
    ]


def test_rounding_remainder_goes_on_the_last_instalment(policy: Policy) -> None:
    s = closest_compliant_plan(
        Decimal("1000.00"), "USD", date(2026, 12, 1), 3, "weekly", policy, today=TODAY
    )
    assert [a for _, a in s.installments] == [
        Decimal("333.33"),
        Decimal("333.33"),
        Decimal("333.34"),
    ]
    assert _total(s) == Decimal("1000.00")


def test_outside_request_is_brought_within_limits(policy: Policy) -> None:
    s = closest_compliant_plan(
        Decimal("12400.00"), "USD", date(2026, 12, 1), 12, "quarterly", policy, today=TODAY
    )
    assert s.frequency == "monthly"
    assert len(s.installments) == 6
    assert s.down_payment == Decimal("2480.00")
    assert _total(s) == Decimal("12400.00")
    assert any("12 instalments requested" in n for n in s.notes)
    assert any("quarterly" in n and "monthly" in n for n in s.notes)
    assert any("20% down payment (2,480.00 USD)" in n for n in s.notes)


def test_span_shortens_the_plan(policy: Policy) -> None:
    s = closest_compliant_plan(
        Decimal("6000.00"), "USD", date(2027, 3, 1), 6, "monthly", policy, today=TODAY
    )
    assert s.installments[-1][0] <= TODAY + timedelta(days=180)
    assert len(s.installments) == 3
    assert any("shortened to 3 monthly instalments" in n for n in s.notes)


def test_down_payment_rounds_up_to_stay_at_least_20_percent(policy: Policy) -> None:
    s = closest_compliant_plan(Decimal("10000.01"), "USD", date(2026, 12, 1), 2, None, policy)
    assert s.down_payment == Decimal("2000.01")
    assert _total(s) == Decimal("10000.01")


def test_no_down_payment_at_exactly_10000(policy: Policy) -> None:
    s = closest_compliant_plan(Decimal("10000.00"), "USD", date(2026, 12, 1), 2, None, policy)
    assert s.down_payment == 0


@pytest.mark.parametrize("requested", ["biweekly", "daily", "every two weeks", "fortnightly"])
def test_frequency_synonyms(policy: Policy, requested: str) -> None:
    s = closest_compliant_plan(Decimal("600.00"), "USD", date(2026, 12, 1), 2, requested, policy)
    assert s.frequency == ("weekly" if requested == "daily" else "fortnightly")


def test_suggestion_passes_the_check(
    session: Session, clock: FrozenClock, policy: Policy, globex: Customer
) -> None:
    factories.invoice(session, globex, "INV-4001", amount="12400.00")
    s = closest_compliant_plan(
        Decimal("12400.00"), "USD", date(2026, 12, 1), 9, "quarterly", policy, today=TODAY
    )
    action = ProposedAction(type="create_payment_plan", payload=s.payload("C-001", ["INV-4001"]))
    verdict = check(action, session, clock, policy=policy)
    assert verdict.allowed, verdict.reasons


def test_tiny_balance_gets_fewer_instalments(policy: Policy) -> None:
    s = closest_compliant_plan(Decimal("0.03"), "USD", date(2026, 12, 1), 6, None, policy)
    assert [a for _, a in s.installments] == [Decimal("0.01")] * 3


def test_zero_balance_is_an_error(policy: Policy) -> None:
    with pytest.raises(ValidationError, match="no payment plan for a balance of 0"):
        closest_compliant_plan(Decimal("0"), "USD", date(2026, 12, 1), 2, None, policy)


def test_start_not_in_the_future_moves_one_period_on(policy: Policy) -> None:
    s = closest_compliant_plan(Decimal("600.00"), "USD", TODAY, 2, "weekly", policy, today=TODAY)
    assert s.installments[0][0] == TODAY + timedelta(days=7)
    assert "the first instalment moves to 2026-11-30" in s.notes[0]


def test_start_beyond_the_span_moves_to_its_end(policy: Policy) -> None:
    s = closest_compliant_plan(
        Decimal("600.00"), "USD", date(2027, 12, 1), 3, None, policy, today=TODAY
    )
    assert s.installments == [(TODAY + timedelta(days=180), Decimal("600.00"))]


def test_unrequested_count_fills_the_span_without_notes(policy: Policy) -> None:
    s = closest_compliant_plan(
        Decimal("600.00"), "USD", date(2027, 3, 1), None, None, policy, today=TODAY
    )
    assert len(s.installments) == 3 and s.notes == []
