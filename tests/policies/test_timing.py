"""The send window: never a refusal, a wait until the next opening in the customer's zone."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.orm import Session

from core.clock import FrozenClock
from ledger.models import Customer, Invoice
from policies.check import check
from policies.rules.timing import next_send_time
from policies.schema import Policy
from tests.policies.helpers import email

CHICAGO = ZoneInfo("America/Chicago")
BERLIN = ZoneInfo("Europe/Berlin")


@pytest.mark.parametrize(
    ("local", "expected"),
    [
        (datetime(2026, 11, 23, 7, 59), datetime(2026, 11, 23, 8, 0)),  # Monday 07:59
        (datetime(2026, 11, 23, 8, 0), None),  # Monday 08:00
        (datetime(2026, 11, 23, 17, 59), None),  # Monday 17:59
        (datetime(2026, 11, 23, 18, 0), datetime(2026, 11, 24, 8, 0)),  # Monday 18:00
        (datetime(2026, 11, 27, 17, 59, 59), None),  # Friday 17:59:59
        (datetime(2026, 11, 27, 18, 0), datetime(2026, 11, 30, 8, 0)),  # Friday 18:00
        (datetime(2026, 11, 28, 12, 0), datetime(2026, 11, 30, 8, 0)),  # Saturday noon
        (datetime(2026, 11, 29, 23, 59), datetime(2026, 11, 30, 8, 0)),  # Sunday night
        (datetime(2026, 11, 24, 0, 30), datetime(2026, 11, 24, 8, 0)),  # Tuesday 00:30
    ],
)
def test_next_send_time(policy: Policy, local: datetime, expected: datetime | None) -> None:
    now = local.replace(tzinfo=CHICAGO)
    got = next_send_time(now, CHICAGO, policy.send_window)
    assert got == (expected.replace(tzinfo=CHICAGO) if expected else None)


def test_friday_evening_over_the_dst_change_waits_until_monday_8_local(policy: Policy) -> None:
    # US daylight saving time ends on Sunday 2026-11-01: Friday is UTC-5, Monday UTC-6.
    friday = datetime(2026, 10, 30, 18, 0, tzinfo=CHICAGO)
    assert friday.utcoffset().total_seconds() == -5 * 3600
    got = next_send_time(friday, CHICAGO, policy.send_window)
    assert got is not None
    assert (got.year, got.month, got.day, got.hour, got.minute) == (2026, 11, 2, 8, 0)
    assert got.utcoffset().total_seconds() == -6 * 3600
    assert got.astimezone(ZoneInfo("UTC")).hour == 14


def test_spring_forward_keeps_8_local(policy: Policy) -> None:
    friday = datetime(2027, 3, 26, 19, 0, tzinfo=BERLIN)  # CET; CEST from Sunday 28 March
    got = next_send_time(friday, BERLIN, policy.send_window)
    assert got == datetime(2027, 3, 29, 8, 0, tzinfo=BERLIN)
    assert got.astimezone(ZoneInfo("UTC")).hour == 6


def _at(clock: FrozenClock, local: datetime, tz: ZoneInfo) -> FrozenClock:
    clock.at = local.replace(tzinfo=tz)
    return clock


def test_outside_window_is_allowed_with_wait_until(
    session: Session, clock: FrozenClock, policy: Policy, inv: Invoice
) -> None:
    _at(clock, datetime(2026, 11, 27, 18, 0), CHICAGO)
    verdict = check(email(), session, clock, policy=policy)
    assert verdict.allowed and verdict.reasons == []
    assert verdict.wait_until == datetime(2026, 11, 30, 8, 0, tzinfo=CHICAGO)
    window = next(c for c in verdict.checks if c.rule == "send_window")
    assert window.passed and "waits until 2026-11-30T08:00:00-06:00" in window.detail


def test_window_is_in_the_customer_time_zone(
    session: Session, clock: FrozenClock, policy: Policy, inv: Invoice, globex: Customer
) -> None:
    globex.timezone = "Europe/Berlin"
    session.flush()
    # 09:00 in Chicago is 16:00 in Berlin: inside.
    assert check(email(), session, clock, policy=policy).wait_until is None
    # 11:00 in Chicago is 18:00 in Berlin: waits for Tuesday 08:00 Berlin.
    _at(clock, datetime(2026, 11, 23, 11, 0), CHICAGO)
    verdict = check(email(), session, clock, policy=policy)
    assert verdict.allowed
    assert verdict.wait_until == datetime(2026, 11, 24, 8, 0, tzinfo=BERLIN)


def test_customer_without_valid_zone_uses_the_policy_default(
    session: Session, clock: FrozenClock, policy: Policy, inv: Invoice, globex: Customer
) -> None:
    globex.timezone = "Nowhere/Land"
    session.flush()
    _at(clock, datetime(2026, 11, 23, 7, 30), ZoneInfo("UTC"))
    verdict = check(email(), session, clock, policy=policy)
    assert verdict.wait_until == datetime(2026, 11, 23, 8, 0, tzinfo=ZoneInfo("UTC"))


def test_refused_email_has_no_wait_until(
    session: Session, clock: FrozenClock, policy: Policy, inv: Invoice
) -> None:
    _at(clock, datetime(2026, 11, 28, 12, 0), CHICAGO)
    verdict = check(email(to=["x@elsewhere.example"]), session, clock, policy=policy)
    assert not verdict.allowed and verdict.wait_until is None
