"""Credit-risk proposals: hold for the riskiest accounts, a limit cut for a slowing payer."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from dunning.credit import credit_proposals, run_credit_review
from policies.config import load_policy
from tests.dunning import _ledger as L
from tests.dunning.test_worklist import paid_invoice


def by_customer(actions):
    return {a.payload["customer"]: a.payload for a in actions}


def seed(db):
    with db.transaction() as s:
        L.invoice(s, L.customer(s, "C-OLD", credit_limit=Decimal("50000")), "O-1", 65)
        over = L.customer(s, "C-OVER", credit_limit=Decimal("1000"))
        L.invoice(s, over, "V-1", 10, amount="900.00")
        L.invoice(s, over, "V-2", -10, amount="900.00")
        slow = L.customer(s, "C-SLOW", credit_limit=Decimal("10000"))
        L.invoice(s, slow, "S-1", 3)
        paid_invoice(s, slow, "S-OLD1", date(2026, 3, 1), date(2026, 3, 31))
        paid_invoice(s, slow, "S-OLD2", date(2026, 4, 1), date(2026, 5, 1))
        paid_invoice(s, slow, "S-NEW1", date(2026, 9, 1), date(2026, 10, 16))
        paid_invoice(s, slow, "S-NEW2", date(2026, 9, 10), date(2026, 10, 25))
        L.invoice(s, L.customer(s, "C-FINE", credit_limit=Decimal("5000")), "F-1", 3)
        L.invoice(s, L.customer(s, "C-HELD", credit_hold=True), "H-1", 90)


def test_flagged_accounts_get_hold_or_limit_cut(db, clock):
    seed(db)
    with db.session() as s:
        got = by_customer(credit_proposals(s, clock=clock, policy=load_policy()))
    assert set(got) == {"C-OLD", "C-OVER", "C-SLOW"}  # C-FINE fine, C-HELD already on hold
    assert got["C-OLD"]["credit_hold"] is True
    assert "65 days overdue" in got["C-OLD"]["reason"]
    assert got["C-OVER"] == {
        "customer": "C-OVER",
        "credit_hold": True,
        "reason": ("credit hold: owes 1,800.00 USD over its 1,000.00 USD limit while overdue"),
    }
    # 10,000 * 0.75 = 7,500 (already a multiple of 100)
    assert got["C-SLOW"]["credit_limit"] == "7500.00"
    assert "days-to-pay up 50%" in got["C-SLOW"]["reason"]
    assert "credit_hold" not in got["C-SLOW"]


def test_credit_review_queues_once(db, clock):
    seed(db)
    first = run_credit_review(db, clock=clock, policy=load_policy())
    assert len(first.queued) == 3 and first.blocked == []
    with db.session() as s:
        from sqlalchemy import select

        from ledger.models import Approval

        queued = {a.customer_id: a.payload for a in s.scalars(select(Approval))}
    assert queued["C-SLOW"]["credit_limit"] == "7500.00"
    second = run_credit_review(db, clock=clock, policy=load_policy())
    assert second.proposals == [] and second.queued == []


def test_rejected_credit_change_is_not_asked_again_for_30_days(db, clock):
    from datetime import UTC, datetime

    from sqlalchemy import select

    from ledger.models import Approval

    seed(db)
    run_credit_review(db, clock=clock, policy=load_policy())
    with db.transaction() as s:
        for a in s.scalars(select(Approval)):
            a.status, a.decided_at = "rejected", datetime(2026, 11, 23, 16, tzinfo=UTC)
    assert run_credit_review(db, clock=clock, policy=load_policy()).proposals == []
    clock.advance(days=31)
    assert len(run_credit_review(db, clock=clock, policy=load_policy()).proposals) == 3
