"""Credit risk: flagged accounts get a proposed credit-limit cut or credit hold.

A credit change is a ledger change, so it is proposed as a ``change_credit`` approval
(payload: ``customer``, ``credit_limit`` and/or ``credit_hold``, ``reason``) and a human
decides. Rules, strongest first (one proposal per customer):

- **credit hold** when the customer is insolvent, has an invoice at the escalate stage
  (60+ days), has broken 2+ promises in 180 days, or owes more than its limit while
  overdue;
- **limit cut of 25%** (rounded down to 100) when days-to-pay rose more than 15%
  (:mod:`dunning.behaviour`) and the account has a limit.

Accounts already on hold, with a ``change_credit`` still waiting for a decision, or
with one rejected in the last 30 days are left alone, so a daily run neither stacks
proposals nor asks again what a human just declined.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import ROUND_DOWN, Decimal
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from core.clock import Clock
from core.money import format_money
from dunning.rules import rules_from_policy
from dunning.worklist import WorklistEntry, build_worklist
from ledger.models import Approval, Customer
from policies.actions import ProposedAction

LIMIT_CUT = Decimal("0.25")
ROUND_TO = Decimal(100)
HOLD_BROKEN_PROMISES = 2
REJECTED_QUIET_DAYS = 30


@dataclass(frozen=True)
class CreditResult:
    proposals: list[ProposedAction]
    queued: list[int]
    blocked: list[tuple[ProposedAction, list[str]]]


def credit_proposals(session: Session, *, clock: Clock, policy: Any = None) -> list[ProposedAction]:
    """The credit changes the worklist's risk signals call for (pure read)."""
    rules = rules_from_policy(policy)
    escalate_day = next((s.day for s in rules.stages if not s.sends_email), 60)
    customers = {c.id: c for c in session.scalars(select(Customer))}
    since = clock.now() - timedelta(days=REJECTED_QUIET_DAYS)
    waiting = set(
        session.scalars(
            select(Approval.customer_id).where(
                Approval.type == "change_credit",
                or_(
                    Approval.status.in_(("pending", "approved")),
                    (Approval.status == "rejected") & (Approval.decided_at >= since),
                ),
            )
        )
    )
    out = []
    for entry in build_worklist(session, clock=clock, grace_days=rules.promise_grace_days):
        customer = customers[entry.customer]
        if customer.credit_hold or customer.id in waiting:
            continue
        action = _decide(entry, customer, escalate_day)
        if action is not None:
            out.append(action)
    return out


def _decide(e: WorklistEntry, customer: Customer, escalate_day: int) -> ProposedAction | None:
    limit = customer.credit_limit
    hold_reasons = []
    if e.insolvent:
        hold_reasons.append("customer is insolvent")
    if e.oldest_days >= escalate_day:
        hold_reasons.append(f"an invoice is {e.oldest_days} days overdue")
    if e.broken_promises >= HOLD_BROKEN_PROMISES:
        hold_reasons.append(f"{e.broken_promises} broken promises in 180 days")
    if limit is not None and e.open_balance > limit:
        hold_reasons.append(
            f"owes {format_money(e.open_balance, e.currency)} over its "
            f"{format_money(limit, e.currency)} limit while overdue"
        )
    if hold_reasons:
        return _action(customer, {"credit_hold": True}, "credit hold: " + "; ".join(hold_reasons))
    if e.flagged and limit:
        cut = (limit * (1 - LIMIT_CUT) / ROUND_TO).to_integral_value(ROUND_DOWN) * ROUND_TO
        new_limit = cut.quantize(Decimal("0.01"))
        assert e.behaviour is not None
        why = (
            f"reduce credit limit from {format_money(limit, e.currency)} to "
            f"{format_money(new_limit, e.currency)}: {e.behaviour.describe()}"
        )
        return _action(customer, {"credit_limit": str(new_limit)}, why)
    return None


def _action(customer: Customer, change: dict[str, Any], why: str) -> ProposedAction:
    return ProposedAction(
        type="change_credit",
        payload={"customer": customer.id, **change, "reason": why},
        requested_by="dunning",
        reason=f"credit risk: {why}",
        context={"source": "credit_risk"},
    )


def run_credit_review(db: Any, *, clock: Clock, policy: Any = None) -> CreditResult:
    """Propose the credit changes and queue them for approval in one transaction."""
    from approvals.queue import propose

    queued, blocked = [], []
    with db.transaction() as session:
        proposals = credit_proposals(session, clock=clock, policy=policy)
        for action in proposals:
            outcome = propose(session, action, clock=clock, policy=policy)
            if outcome.blocked:
                blocked.append((action, [str(r) for r in outcome.verdict.reasons]))
            elif not outcome.duplicate:
                queued.append(outcome.approval.id)
    return CreditResult(proposals, queued, blocked)
