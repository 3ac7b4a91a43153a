"""The few policy numbers the tools need, read from the loaded policy.

The policy object (``policies.config.Policy``) is the authority; POLICY.md's defaults
apply only to a key the object does not carry, so a tool never crashes on an older or
partial policy. ``policies.check`` re-checks every proposal anyway.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

STAGES = ("courtesy", "due", "first", "second", "final", "escalate")
DEFAULT_CADENCE = {"courtesy": -3, "due": 1, "first": 7, "second": 14, "final": 30, "escalate": 60}


@dataclass(frozen=True)
class PlanLimits:
    max_installments: int = 6
    max_span_days: int = 180
    frequencies: tuple[str, ...] = ("weekly", "fortnightly", "monthly")
    down_payment_threshold: Decimal = Decimal("10000.00")
    min_down_payment_pct: Decimal = Decimal("20")


def plan_limits(policy: Any) -> PlanLimits:
    """Payment-plan limits of ``policies.schema.PaymentPlans`` (POLICY.md defaults if absent)."""
    plans = getattr(policy, "payment_plans", None)
    if plans is None:
        return PlanLimits()
    return PlanLimits(
        max_installments=plans.max_installments,
        max_span_days=plans.max_span_days,
        frequencies=tuple(plans.frequencies),
        down_payment_threshold=Decimal(plans.down_payment_required_over),
        min_down_payment_pct=Decimal(plans.min_down_payment_percent),
    )


def claims_paid_hold_days(policy: Any) -> int:
    return int(getattr(policy, "claims_paid_hold_days", 7))


def stage_for(policy: Any, days_past_due: int) -> str | None:
    """The cadence stage an invoice this many days past due has reached (None: too early)."""
    fn = getattr(policy, "stage_for", None)
    if callable(fn):
        stage = fn(days_past_due)
        if stage is None:
            return None
        name = getattr(stage, "name", stage)
        return str(name)
    reached = None
    for name in STAGES:
        if days_past_due >= DEFAULT_CADENCE[name]:
            reached = name
    return reached


def stage_rank(stage: str | None) -> int:
    return STAGES.index(stage) if stage in STAGES else -1


def never_for(policy: Any, intent: str) -> list[str]:
    """Action types the policy's reply table forbids for a reply of ``intent``."""
    table = getattr(policy, "reply_intents", None) or {}
    plan = table.get(intent)
    return list(plan.never) if plan is not None else []
