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


def _get(obj: Any, *path: str) -> Any:
    for name in path:
        if obj is None:
            return None
        obj = obj.get(name) if isinstance(obj, dict) else getattr(obj, name, None)
    return obj


def _first(obj: Any, *paths: tuple[str, ...]) -> Any:
    for path in paths:
        value = _get(obj, *path)
        if value is not None:
            return value
    return None


def plan_limits(policy: Any) -> PlanLimits:
    plans = _first(policy, ("payment_plans",), ("plans",))
    d = PlanLimits()
    if plans is None:
        return d
    pct = _first(plans, ("min_down_payment_pct",), ("down_payment_pct",), ("min_down_payment_percent",),
                 ("down_payment_percent",))
    ratio = _first(plans, ("min_down_payment_ratio",), ("down_payment_ratio",))
    if pct is None and ratio is not None:
        pct = Decimal(str(ratio)) * 100
    freqs = _first(plans, ("frequencies",), ("allowed_frequencies",))
    return PlanLimits(
        max_installments=int(_first(plans, ("max_installments",), ("max_instalments",))
                             or d.max_installments),
        max_span_days=int(_first(plans, ("max_span_days",), ("max_days",)) or d.max_span_days),
        frequencies=tuple(freqs) if freqs else d.frequencies,
        down_payment_threshold=Decimal(str(_first(
            plans, ("down_payment_threshold",), ("down_payment_over",),
            ("down_payment_above",)) or d.down_payment_threshold)),
        min_down_payment_pct=Decimal(str(pct)) if pct is not None else d.min_down_payment_pct,
    )


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
