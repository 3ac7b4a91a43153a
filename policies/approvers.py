"""Four-eyes: how many approvals an action needs, and whether a given person may approve.

Nobody approves a change they requested, and the approvals of a four-eyes action come
from different people. Identities compare case-insensitively (Slack ids, emails).
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy.orm import Session

from ledger.models import Customer
from policies.actions import ProposedAction
from policies.results import CheckResult
from policies.schema import Policy


def _same(a: str | None, b: str | None) -> bool:
    return (a or "").strip().casefold() == (b or "").strip().casefold()


def requester_person(requested_by: str) -> str:
    """The person behind a request: the agent acting on someone's ask (``agent:<user>``)
    counts as that user, so nobody approves what they asked the agent for."""
    return requested_by.removeprefix("agent:")


def is_own_request(requested_by: str, approver: str) -> bool:
    return _same(requester_person(requested_by), approver)


def payment_total(payload: dict) -> Decimal:
    """What an ``apply_payment`` applies: the sum of its allocations, else its amount."""
    allocations = payload.get("allocations")
    if allocations:
        return sum((Decimal(str(a.get("amount", "0"))) for a in allocations), Decimal("0"))
    return Decimal(str(payload.get("amount", "0")))


def raises_credit(payload: dict, ledger: Session | None) -> bool:
    """Whether a ``change_credit`` raises a limit or lifts a credit hold.

    Without a ledger a new limit is assumed to be a raise (the safe side).
    """
    if payload.get("credit_hold") is False:
        return True
    if payload.get("credit_limit") is None:
        return False
    if ledger is None:
        return True
    cust = ledger.get(Customer, payload.get("customer"))
    current = cust.credit_limit if cust is not None else None
    return current is None or Decimal(str(payload["credit_limit"])) > current


def approvals_required(
    action: ProposedAction, policy: Policy, ledger: Session | None = None
) -> int:
    """1, or ``approvals.four_eyes_approvals`` for a four-eyes action."""
    rules = policy.approvals
    four_eyes = action.type in rules.always_four_eyes
    if action.type == "apply_payment":
        four_eyes = four_eyes or payment_total(action.payload) > rules.apply_payment_over
    if action.type == "change_credit" and rules.credit_limit_increase_four_eyes:
        four_eyes = four_eyes or raises_credit(action.payload, ledger)
    return rules.four_eyes_approvals if four_eyes else 1


def not_own_request(requested_by: str, approver: str) -> CheckResult:
    """The approver is not the person (or agent run) who requested the change."""
    if not approver.strip():
        return CheckResult.fail("approver", "an approval needs a named approver")
    if is_own_request(requested_by, approver):
        return CheckResult.fail(
            "approver", f"{approver} requested this change: nobody approves their own request"
        )
    return CheckResult.ok("approver", f"{approver} did not request this change")


def check_approver(
    approval_requested_by: str,
    approver: str,
    previous_approvers: list[str],
    action: ProposedAction,
    policy: Policy,
) -> CheckResult:
    """May ``approver`` add an approval now? Says how many remain when it may."""
    own = not_own_request(approval_requested_by, approver)
    if not own.passed:
        return own
    if any(_same(approver, p) for p in previous_approvers):
        return CheckResult.fail(
            "approver",
            f"{approver} already approved: the next approval must come from someone else",
        )
    needed = approvals_required(action, policy)
    given = len(previous_approvers) + 1
    if given < needed:
        return CheckResult.ok(
            "approver",
            f"approval {given} of {needed} by {approver}: four-eyes, "
            f"{needed - given} more by a different person needed",
        )
    return CheckResult.ok("approver", f"approval {given} of {needed} by {approver}")
