"""What a guardrail check returns: one CheckResult per rule, one Verdict per action."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class CheckResult(BaseModel):
    """The outcome of one rule, with a reason a human (and the model) can read."""

    model_config = ConfigDict(frozen=True)

    rule: str
    passed: bool
    detail: str

    @classmethod
    def ok(cls, rule: str, detail: str) -> CheckResult:
        return cls(rule=rule, passed=True, detail=detail)

    @classmethod
    def fail(cls, rule: str, detail: str) -> CheckResult:
        return cls(rule=rule, passed=False, detail=detail)


class Verdict(BaseModel):
    """Whether an action may be queued / executed, why not, and when an email may go.

    ``allowed`` is True when every check passed. ``wait_until`` is set for an allowed
    email outside the send window: it is not a refusal, the outbox waits until then.
    """

    model_config = ConfigDict(frozen=True)

    allowed: bool
    reasons: list[str] = Field(default_factory=list)
    checks: list[CheckResult] = Field(default_factory=list)
    wait_until: datetime | None = None

    @classmethod
    def from_checks(cls, checks: list[CheckResult], wait_until: datetime | None = None) -> Verdict:
        failed = [c.detail for c in checks if not c.passed]
        return cls(
            allowed=not failed,
            reasons=failed,
            checks=checks,
            wait_until=wait_until if not failed else None,
        )
