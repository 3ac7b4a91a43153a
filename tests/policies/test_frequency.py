"""Frequency caps: 5 days between emails, 4 in 30 days, counted in the customer's days."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.orm import Session

from core.clock import FrozenClock
from ledger.models import Approval, Communication, Invoice
from policies.actions import ProposedAction
from policies.check import check
from policies.schema import Policy
from tests.policies.helpers import email, failed

CHICAGO = ZoneInfo("America/Chicago")


def _sent(
    session: Session,
    on: date,
    *,
    status: str = "sent",
    direction: str = "out",
    customer: str = "C-001",
    in_reply_to: str | None = None,
    approval_id: int | None = None,
) -> Communication:
    at = datetime.combine(on, time(10, 0), tzinfo=CHICAGO)
    row = Communication(
        customer_id=customer,
        direction=direction,
        status=status,
        sent_at=at if status == "sent" else None,
        created_at=at,
        updated_at=at,
        in_reply_to=in_reply_to,
        approval_id=approval_id,
        to_addrs=["dana@globex.example"],
        subject="reminder",
    )
    session.add(row)
    session.flush()
    return row


@pytest.mark.parametrize(
    ("last", "blocked"),
    [
        (date(2026, 11, 19), True),  # 4 days ago
        (date(2026, 11, 18), False),
    ],
)  # 5 days ago
def test_min_days_between_emails(
    session: Session, clock: FrozenClock, policy: Policy, inv: Invoice, last: date, blocked: bool
) -> None:
    _sent(session, last)
    verdict = check(email(), session, clock, policy=policy)
    assert ("min_days_between_emails" in failed(verdict)) is blocked


def test_min_days_message_names_the_next_date(
    session: Session, clock: FrozenClock, policy: Policy, inv: Invoice
) -> None:
    _sent(session, date(2026, 11, 19))
    assert failed(check(email(), session, clock, policy=policy))["min_days_between_emails"] == (
        "last email to C-001 went on 2026-11-19: at most one every 5 days, next on 2026-11-24"
    )


@pytest.mark.parametrize(
    ("dates", "blocked"),
    [
        ([date(2026, 11, 1), date(2026, 11, 8), date(2026, 11, 15)], False),  # 3
        ([date(2026, 10, 25), date(2026, 11, 1), date(2026, 11, 8), date(2026, 11, 15)], True),  # 4
        (
            [date(2026, 10, 24), date(2026, 11, 1), date(2026, 11, 8), date(2026, 11, 15)],
            False,
        ),  # oldest is 30 days ago
    ],
)
def test_max_emails_in_30_days(
    session: Session,
    clock: FrozenClock,
    policy: Policy,
    inv: Invoice,
    dates: list[date],
    blocked: bool,
) -> None:
    for d in dates:
        _sent(session, d)
    verdict = check(email(), session, clock, policy=policy)
    assert ("max_emails_in_window" in failed(verdict)) is blocked
    assert "min_days_between_emails" not in failed(verdict)


def test_max_emails_message_names_the_next_date(
    session: Session, clock: FrozenClock, policy: Policy, inv: Invoice
) -> None:
    for d in (date(2026, 10, 25), date(2026, 11, 1), date(2026, 11, 8), date(2026, 11, 15)):
        _sent(session, d)
    assert failed(check(email(), session, clock, policy=policy))["max_emails_in_window"] == (
        "4 emails to C-001 in the last 30 days: at most 4, next on 2026-11-24"
    )


@pytest.mark.parametrize("status", ["outbox", "sending"])
def test_waiting_emails_count_as_today(
    session: Session, clock: FrozenClock, policy: Policy, inv: Invoice, status: str
) -> None:
    _sent(session, date(2026, 11, 1), status=status)
    assert "min_days_between_emails" in failed(check(email(), session, clock, policy=policy))


@pytest.mark.parametrize(
    "row",
    [
        {"status": "failed"},
        {"direction": "in", "status": "received"},
        {"customer": "C-002"},
        {"in_reply_to": "<m1@globex.example>"},
    ],
)
def test_rows_that_do_not_count(
    session: Session, clock: FrozenClock, policy: Policy, inv: Invoice, row: dict
) -> None:
    from tests.support import factories

    factories.customer(session, "C-002", "Initech")
    _sent(session, date(2026, 11, 22), **row)
    assert check(email(), session, clock, policy=policy).allowed


def test_reply_is_exempt_from_the_caps(
    session: Session, clock: FrozenClock, policy: Policy, inv: Invoice
) -> None:
    _sent(session, date(2026, 11, 22))
    reply = email(
        stage=None, in_reply_to="<m1@globex.example>", subject="RE: INV-1042", body="Thanks, noted."
    )
    assert check(reply, session, clock, policy=policy).allowed


def test_replies_count_when_the_policy_says_so(
    session: Session, clock: FrozenClock, policy: Policy, inv: Invoice
) -> None:
    strict = policy.with_changes({"frequency": {"replies_exempt": False}})
    _sent(session, date(2026, 11, 22), in_reply_to="<m0@globex.example>")
    reply = email(stage=None, in_reply_to="<m1@globex.example>", body="Thanks, noted.")
    assert "min_days_between_emails" in failed(check(reply, session, clock, policy=strict))


def test_own_outbox_row_is_not_counted_at_execution(
    session: Session, clock: FrozenClock, policy: Policy, inv: Invoice
) -> None:
    approval = Approval(type="send_email", payload={}, requested_by="agent", idempotency_key="k-1")
    session.add(approval)
    session.flush()
    _sent(session, date(2026, 11, 23), status="outbox", approval_id=approval.id)
    action = email()
    assert "min_days_between_emails" in failed(check(action, session, clock, policy=policy))
    own = ProposedAction(
        type="send_email", payload=action.payload, context={"approval_id": approval.id}
    )
    assert check(own, session, clock, policy=policy).allowed


def test_days_are_counted_in_the_customer_time_zone(
    session: Session, clock: FrozenClock, policy: Policy, inv: Invoice
) -> None:
    # Sent 2026-11-18 23:30 Chicago = 2026-11-19 05:30 UTC: still the 18th for the customer.
    at = datetime(2026, 11, 18, 23, 30, tzinfo=CHICAGO)
    session.add(
        Communication(
            customer_id="C-001", direction="out", status="sent", sent_at=at, created_at=at
        )
    )
    session.flush()
    assert check(email(), session, clock, policy=policy).allowed


def test_an_email_whose_delivery_is_unknown_counts_on_its_day(
    session: Session, clock: FrozenClock, policy: Policy, inv: Invoice
) -> None:
    _sent(session, date(2026, 11, 19), status="delivery_unknown")  # it may have arrived
    verdict = check(email(), session, clock, policy=policy)
    assert "2026-11-19" in failed(verdict)["min_days_between_emails"]
