"""Four-eyes at approval time: nobody approves their own request, two different people."""

from __future__ import annotations

from sqlalchemy.orm import Session

from core.clock import FrozenClock
from ledger.models import Invoice
from policies.actions import ProposedAction
from policies.check import check, check_approver
from policies.schema import Policy
from tests.policies.helpers import email, failed


def _payment(amount: str) -> ProposedAction:
    return ProposedAction(
        type="apply_payment",
        requested_by="U0CLERK",
        payload={"transaction": "T-1", "customer": "C-001", "invoice": "INV-1", "amount": amount},
    )


def test_requester_cannot_approve(policy: Policy) -> None:
    result = check_approver("U0CLERK", "u0clerk ", [], _payment("100.00"), policy)
    assert not result.passed
    assert result.detail == "u0clerk  requested this change: nobody approves their own request"


def test_single_approval_below_the_threshold(policy: Policy) -> None:
    result = check_approver("U0CLERK", "U0BOSS", [], _payment("50000.00"), policy)
    assert result.passed and result.detail == "approval 1 of 1 by U0BOSS"


def test_four_eyes_needs_a_second_different_person(policy: Policy) -> None:
    action = _payment("50000.01")
    first = check_approver("U0CLERK", "U0BOSS", [], action, policy)
    assert first.passed
    assert first.detail == (
        "approval 1 of 2 by U0BOSS: four-eyes, 1 more by a different person needed"
    )
    again = check_approver("U0CLERK", "U0BOSS", ["U0BOSS"], action, policy)
    assert not again.passed
    assert again.detail == "U0BOSS already approved: the next approval must come from someone else"
    second = check_approver("U0CLERK", "U0CFO", ["U0BOSS"], action, policy)
    assert second.passed and second.detail == "approval 2 of 2 by U0CFO"
    own = check_approver("U0CLERK", "U0CLERK", ["U0BOSS"], action, policy)
    assert not own.passed


def test_blank_approver_is_refused(policy: Policy) -> None:
    assert not check_approver("agent", "  ", [], _payment("1.00"), policy).passed


def test_check_with_approver_refuses_the_requester(
    session: Session, clock: FrozenClock, policy: Policy, inv: Invoice
) -> None:
    action = email().model_copy(update={"requested_by": "U0CTRL"})
    assert check(action, session, clock, policy=policy, approver="U0BOSS").allowed
    verdict = check(action, session, clock, policy=policy, approver="U0CTRL")
    assert failed(verdict) == {
        "approver": "U0CTRL requested this change: nobody approves their own request"
    }


def test_asking_the_agent_counts_as_requesting():
    from policies.approvers import is_own_request

    assert is_own_request("agent:U0CONTROLLER", "U0CONTROLLER")
    assert is_own_request("agent:web:Dana", "web:dana")
    assert not is_own_request("agent:U0CONTROLLER", "U0APPROVER")
    assert not is_own_request("dunning", "U0APPROVER")
