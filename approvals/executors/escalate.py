"""escalate: no ledger change; the notification hooks (Slack) tell a human."""

from __future__ import annotations

from typing import Any

from approvals.executors.base import ExecContext, result


def run(ctx: ExecContext) -> dict[str, Any]:
    return result(customer=ctx.payload.customer, reason=ctx.payload.reason, notify=True)
