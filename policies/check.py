"""``check(action, ledger, clock) -> Verdict``: every guardrail of the policy, per action type.

Pure: it reads the ledger through the given SQLAlchemy session and never writes.
Call it when a proposal is made (blocked proposals are explained, never queued) and
again at execution time (the ledger may have changed since). The rules themselves are
small functions in :mod:`policies.rules`; this module only picks them per type.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from pydantic import ValidationError
from sqlalchemy.orm import Session

from core.clock import Clock
from policies.actions import PAYLOAD_MODELS, ProposedAction
from policies.approvers import approvals_required, check_approver, not_own_request
from policies.config import load_policy
from policies.plans import PlanSuggestion, closest_compliant_plan
from policies.results import CheckResult, Verdict
from policies.rules import ledger_changes, payments, plans
from policies.rules.context import RuleContext
from policies.rules.email import send_email_rules
from policies.rules.prefetch import Prefetched, prefetch
from policies.schema import Policy

__all__ = [
    "CheckResult",
    "PlanSuggestion",
    "Prefetched",
    "Verdict",
    "approvals_required",
    "check",
    "check_approver",
    "closest_compliant_plan",
    "prefetch",
]

Rules = Callable[[RuleContext], list[CheckResult]]

RULES: dict[str, Rules] = {
    "record_promise": ledger_changes.record_promise_rules,
    "open_dispute": ledger_changes.open_dispute_rules,
    "create_payment_plan": plans.payment_plan_rules,
    "apply_payment": payments.apply_payment_rules,
    "update_contact": ledger_changes.update_contact_rules,
    "hold_dunning": ledger_changes.hold_dunning_rules,
    "escalate": ledger_changes.escalate_rules,
    "change_credit": ledger_changes.change_credit_rules,
    "change_template": ledger_changes.change_template_rules,
    "reverse_payment": ledger_changes.reverse_payment_rules,
}


def check(
    action: ProposedAction,
    ledger: Session,
    clock: Clock,
    *,
    policy: Policy | None = None,
    approver: str | None = None,
    prefetched: Prefetched | None = None,
) -> Verdict:
    """Run every rule for ``action`` against the ledger as it is now.

    ``approver``, when given (execution / approval time), must not be the requester.
    An email outside the send window is allowed with ``wait_until`` set.
    ``prefetched`` (from ``prefetch(session, actions, ...)`` over a batch that holds
    ``action``, with the ledger unchanged since) saves the rules their own queries.
    """
    policy = policy or load_policy()
    action_type = str(action.type)
    refusal = ledger_changes.no_write_off(action_type, action.payload, policy)
    if not refusal.passed:
        return Verdict.from_checks([refusal])
    if action_type not in PAYLOAD_MODELS:
        return Verdict.from_checks(
            [CheckResult.fail("action_type", f"unknown action type {action_type!r}")]
        )
    try:
        payload = PAYLOAD_MODELS[action_type].model_validate(action.payload)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or action_type
        return Verdict.from_checks(
            [CheckResult.fail("payload", f"{action_type}.{where}: {first['msg']}")]
        )
    ctx = RuleContext(
        action=action,
        payload=payload,
        session=ledger,
        clock=clock,
        policy=policy,
        approver=approver,
        prefetched=prefetched,
    )
    wait_until: datetime | None = None
    if action_type == "send_email":
        checks, wait_until = send_email_rules(ctx)
    else:
        checks = RULES[action_type](ctx)
    checks = [refusal, *checks]
    if approver is not None:
        checks.append(not_own_request(action.requested_by, approver))
    return Verdict.from_checks(checks, wait_until)
