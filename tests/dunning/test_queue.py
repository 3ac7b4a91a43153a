"""run_dunning against the real queue and policy checks: idempotency, send window, dry run."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from core.clock import FrozenClock
from dunning.run import run_dunning
from ledger.models import Approval, Customer
from policies.config import load_policy
from tests.dunning import _ledger as L


@pytest.fixture
def policy():
    return load_policy()


def count(db) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(Approval))


def seed(db) -> None:
    with db.transaction() as s:
        for n, (lang, days) in enumerate(
            [("en", -3), ("de", 1), ("fr", 8), ("es", 15), ("en", 31), ("de", 61)], 1
        ):
            c = L.customer(s, f"C-{n}", language=lang)
            L.contact(s, c, f"controller@c-{n}.example")
            L.invoice(s, c, f"INV-{n}", days, amount="12400.50")
            L.invoice(s, c, f"INV-{n}E", days - 2, amount="99.99", currency="EUR")
        c = L.customer(s, "C-PLAN")
        L.plan(s, [L.invoice(s, c, "INV-P", 40)], [(date(2026, 11, 20), "500.00", "0")])
        c = L.customer(s, "C-PAID")
        inv = L.invoice(s, c, "INV-T", 10, amount="2500.00")
        L.promise(s, [inv], date(2026, 11, 20), made=date(2026, 11, 12))
        L.pay(s, inv, "2500.00", date(2026, 11, 19))
        L.invoice(s, L.customer(s, "C-INS", insolvent=True), "INV-I", 20)


def test_every_drafted_reminder_passes_the_policy_check(db, clock, policy):
    seed(db)
    result = run_dunning(db, clock=clock, policy=policy)
    assert result.blocked == []
    # 6 cadence customers (the 61-day one escalated) + plan reminder + thank-you + insolvent
    assert len(result.queued) == 9
    with db.session() as s:
        kinds = sorted(
            (a.type, a.payload.get("stage") or a.payload.get("kind"))
            for a in s.scalars(select(Approval))
        )
    assert kinds == [
        ("escalate", "escalate"),
        ("escalate", "insolvent"),
        ("send_email", "courtesy"),
        ("send_email", "due"),
        ("send_email", "final"),
        ("send_email", "first"),
        ("send_email", "installment"),
        ("send_email", "second"),
        ("send_email", "thank_you"),
    ]


def test_second_run_the_same_day_queues_nothing_new(db, clock, policy):
    seed(db)
    first = run_dunning(db, clock=clock, policy=policy)
    second = run_dunning(db, clock=clock, policy=policy)
    assert len(first.queued) == 9
    assert second.proposals == [] and second.queued == []
    assert count(db) == 9
    reasons = {s.invoice: s.reason for s in second.skipped}
    assert reasons["INV-3"] == "stage first already queued on 2026-11-23"
    assert reasons["INV-I"] == "customer insolvent: escalated on 2026-11-23"


def test_email_awaiting_approval_counts_for_the_frequency_cap(db, clock, policy):
    with db.transaction() as s:
        L.invoice(s, L.customer(s, "C-1"), "INV-1", 7)
    assert len(run_dunning(db, clock=clock, policy=policy).queued) == 1
    clock.advance(days=1)
    with db.transaction() as s:  # imported late, already 3 days overdue tomorrow
        L.invoice(s, s.get(Customer, "C-1"), "INV-2", 2)
    result = run_dunning(db, clock=clock, policy=policy)
    assert result.proposals == []
    assert {s.invoice: s.reason for s in result.skipped} == {
        "INV-1": "stage first already queued on 2026-11-23",
        "INV-2": "frequency cap: last email 2026-11-23 (awaiting approval)",
    }


def test_rejected_stage_is_not_proposed_again(db, clock, policy):
    with db.transaction() as s:
        L.invoice(s, L.customer(s, "C-1"), "INV-1", 8)
    run_dunning(db, clock=clock, policy=policy)
    with db.transaction() as s:
        s.scalars(select(Approval)).one().status = "rejected"
    clock.advance(days=5)  # +13: still stage first
    result = run_dunning(db, clock=clock, policy=policy)
    assert result.proposals == []
    assert [s.reason for s in result.skipped] == ["stage first rejected on 2026-11-23"]
    clock.advance(days=1)  # +14: the next stage is a new question for the approver
    assert [a.payload["stage"] for a in run_dunning(db, clock=clock, policy=policy).proposals] == [
        "second"
    ]


def test_outside_send_window_the_reminder_is_queued_and_waits(db, policy):
    saturday = FrozenClock(datetime(2026, 11, 28, 10, 0, tzinfo=ZoneInfo("America/Chicago")))
    with db.transaction() as s:
        L.invoice(s, L.customer(s, "C-1", timezone="Europe/Berlin"), "INV-1", 12)
    result = run_dunning(db, clock=saturday, policy=policy)
    assert result.blocked == [] and len(result.queued) == 1
    with db.session() as s:
        approval = s.scalars(select(Approval)).one()
        checks = {c["rule"]: c for c in approval.checks}
    assert checks["send_window"]["passed"] is True
    assert "waits until 2026-11-30T08:00:00+01:00" in checks["send_window"]["detail"]
    assert result.waiting == {
        approval.id: datetime(2026, 11, 30, 8, tzinfo=ZoneInfo("Europe/Berlin"))
    }


def test_dry_run_writes_nothing(db, clock, policy):
    seed(db)
    result = run_dunning(db, clock=clock, policy=policy, dry_run=True)
    assert len(result.proposals) == 9 and result.blocked == []
    assert result.queued == [] and count(db) == 0
