"""decide_approval: roles enforced, four-eyes on accounts, reject with a reason, notify."""

from __future__ import annotations

import pytest

from accounts.roles import Identity
from application.decisions import Decision, decide_approval, save_edits
from approvals.queue import propose
from core.errors import ConflictError, PermissionDenied, ValidationError
from ledger.models import Approval
from policies.actions import ProposedAction
from tests.support import factories as f

ALICE = Identity("alice", "approver", "password")
BOB = Identity("bob", "approver", "api_token")


@pytest.fixture
def books(db, clock):
    with db.transaction() as s:
        c = f.customer(s, "C-001", "Globex", email="dana@globex.example")
        c.credit_limit = 50000
        f.invoice(s, c, "INV-1042", amount="12400.00")
    return db


def queue(db, clock, type_: str, requested_by: str = "agent", **payload) -> int:
    with db.transaction() as s:
        return propose(
            s,
            ProposedAction(
                type=type_, payload={"customer": "C-001", **payload}, requested_by=requested_by
            ),
            clock=clock,
        ).approval.id


def state(db, approval_id: int) -> Approval:
    with db.session() as s:
        return s.get(Approval, approval_id)


@pytest.mark.parametrize("role", ["viewer", "controller"])
def test_only_approvers_and_admins_decide(books, clock, role):
    number = queue(books, clock, "escalate", reason="look")
    with pytest.raises(PermissionDenied, match="may not approve"):
        decide_approval(
            books, Decision(number, approve=True), actor=Identity("x", role, "t"), clock=clock
        )
    with pytest.raises(PermissionDenied):
        save_edits(books, number, {"reason": "x"}, actor=Identity("x", role, "t"), clock=clock)
    assert state(books, number).status == "pending"
    admin = decide_approval(
        books, Decision(number, approve=True), actor=Identity("root", "admin", "t"), clock=clock
    )
    assert admin.status == "executed" and state(books, number).decided_by == "root"


def test_four_eyes_counts_accounts_not_credentials(books, clock):
    number = queue(books, clock, "change_credit", credit_limit="5000000.00", reason="100x")
    first = decide_approval(books, Decision(number, approve=True), actor=ALICE, clock=clock)
    assert first.status == "pending" and "second approver" in first.message
    same_person = Identity("alice", "approver", "slack")  # alice again, another channel
    with pytest.raises(ConflictError, match="alice already approved"):
        decide_approval(books, Decision(number, approve=True), actor=same_person, clock=clock)
    done = decide_approval(books, Decision(number, approve=True), actor=BOB, clock=clock)
    assert done.status == "executed" and state(books, number).approvals_by == ["alice", "bob"]


def test_nobody_approves_what_they_asked_the_agent_for(books, clock):
    number = queue(books, clock, "escalate", requested_by="agent:alice", reason="asked")
    with pytest.raises(PermissionDenied, match="someone else must approve"):
        decide_approval(books, Decision(number, approve=True), actor=ALICE, clock=clock)


def test_reject_needs_a_reason_and_notifies(books, clock):
    number = queue(books, clock, "escalate", reason="look")
    seen: list[int] = []
    with pytest.raises(ValidationError):
        decide_approval(books, Decision(number, approve=False), actor=BOB, clock=clock)
    result = decide_approval(
        books,
        Decision(number, approve=False, reason="handled by phone"),
        actor=BOB,
        clock=clock,
        on_decided=seen.append,
    )
    assert result.status == "rejected" and seen == [number]
    assert state(books, number).decided_by == "bob"
