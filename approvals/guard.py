"""The queue's view of the policy engine (``policies.check``), imported lazily.

Keeps the calls in one place and turns the engine's results into JSON for the
``Approval.checks`` column and the audit log.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from sqlalchemy.orm import Session

from core.clock import Clock
from policies.actions import ProposedAction


def load_policy(policy: Any = None) -> Any:
    """The given policy, or the configured one (``AR_AGENT_POLICY``)."""
    if policy is not None:
        return policy
    from policies.config import load_policy as _load

    return _load()


def check(
    action: ProposedAction,
    session: Session,
    clock: Clock,
    *,
    policy: Any,
    approver: str | None = None,
    prefetched: Any = None,
) -> Any:
    """Run every guardrail on ``action`` against the ledger as it is now."""
    from policies.check import check as _check

    if prefetched is None:
        return _check(action, session, clock, policy=policy, approver=approver)
    return _check(action, session, clock, policy=policy, approver=approver, prefetched=prefetched)


def prefetch(session: Session, actions: list[ProposedAction], clock: Clock, policy: Any) -> Any:
    """What checking all of ``actions`` reads from the ledger, loaded in a few queries."""
    from policies.check import prefetch as _prefetch

    return _prefetch(session, actions, clock=clock, policy=policy)


def approvals_required(action: ProposedAction, policy: Any, session: Session | None = None) -> int:
    """How many distinct people must approve (2 for four-eyes actions)."""
    from policies.check import approvals_required as _required

    return int(_required(action, policy, session))


def check_approver(
    requested_by: str, approver: str, previous: list[str], action: ProposedAction, policy: Any
) -> Any:
    from policies.check import check_approver as _check_approver

    return _check_approver(requested_by, approver, previous, action, policy)


def to_json(value: Any) -> Any:
    """A CheckResult / Verdict (dataclass, pydantic model or dict) as plain JSON data."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        value = dataclasses.asdict(value)
    elif hasattr(value, "model_dump"):
        value = value.model_dump(mode="json")
    if isinstance(value, dict):
        return {str(k): to_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_json(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def checks_json(verdict: Any) -> list[Any]:
    return [to_json(c) for c in (getattr(verdict, "checks", None) or [])]


def reasons(verdict: Any) -> list[str]:
    return [str(r) for r in (getattr(verdict, "reasons", None) or [])]
