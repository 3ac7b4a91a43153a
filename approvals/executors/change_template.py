"""change_template: add an approved phrase change to the drafts' phrase rules.

The rules live in the kv table (``template-phrases``) and the dunning run applies them to
every draft of that stage and language (:mod:`dunning.phrases`); the suggestion it came
from is marked applied so it is not suggested again.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from approvals.executors.base import ExecContext, result
from ledger.models import KeyValue, SuggestionDecision

PHRASES_KEY = "template-phrases"  # read by dunning.phrases


def run(ctx: ExecContext) -> dict[str, Any]:
    p = ctx.payload
    rule = {
        "field": p.field,
        "stage": p.stage,
        "language": p.language,
        "removed": p.removed,
        "added": p.added,
        "approval": ctx.approval.id,
    }
    row = ctx.session.scalar(select(KeyValue).where(KeyValue.key == PHRASES_KEY))
    if row is None:
        row = KeyValue(key=PHRASES_KEY, value={"rules": []})
        ctx.session.add(row)
    kept = [r for r in (row.value or {}).get("rules", []) if r.get("approval") != ctx.approval.id]
    row.value = {"rules": [*kept, rule]}
    decision = ctx.session.get(SuggestionDecision, p.suggestion)
    if decision is None:
        decision = SuggestionDecision(key=p.suggestion, decision="applied", detail={})
        ctx.session.add(decision)
    decision.decision = "applied"
    decision.decided_by = ctx.approval.decided_by or "approver"
    decision.decided_at = ctx.clock.now()
    decision.approval_id = ctx.approval.id
    return result(suggestion=p.suggestion, template=p.template, rule=rule)
