"""Escalations are tasks, not approvals: assign, comment, snooze, resolve with an outcome.

An ``escalate`` approval asks a human to look (calls, agency, legal). Its task row
(:class:`ledger.models.EscalationTask`) says who has it, what was said and until when it
sleeps. Resolving records the outcome and closes the approval through the queue (approve,
then execute: an escalation's only effect is the notice), so the audit log has it and the
dunning run sees it handled. The web page, Slack's App Home and the worklist read here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from accounts.roles import Identity
from application import decisions
from core.clock import Clock, today
from core.errors import ConflictError, NotFound, ValidationError
from ledger.models import Approval, Customer, EscalationTask

OUTCOMES = {
    "contacted": "customer contacted, collections continue",
    "payment_arranged": "payment arranged",
    "agency": "sent to a collection agency",
    "legal": "passed to legal",
    "written_off": "written off by finance (outside the agent)",
    "no_action": "no action needed",
}
MAX_COMMENT = 2000


@dataclass
class Task:
    approval: Approval
    task: EscalationTask | None
    customer_name: str

    @property
    def assignee(self) -> str:
        return self.task.assignee if self.task and self.task.assignee else ""

    @property
    def snoozed_until(self) -> date | None:
        return self.task.snoozed_until if self.task else None

    @property
    def comments(self) -> list[dict[str, Any]]:
        return list(self.task.comments) if self.task else []


def open_tasks(
    session: Session,
    clock: Clock,
    *,
    assignee: str = "",
    customer: str = "",
    include_snoozed: bool = False,
) -> list[Task]:
    """Pending escalations, oldest first; snoozed ones only when asked."""
    rows = session.execute(
        select(Approval, EscalationTask, Customer.name)
        .outerjoin(EscalationTask, EscalationTask.approval_id == Approval.id)
        .outerjoin(Customer, Customer.id == Approval.customer_id)
        .where(Approval.status == "pending", Approval.type == "escalate")
        .order_by(Approval.created_at, Approval.id)
    ).all()
    day = today(clock)
    tasks = [Task(a, t, name or a.customer_id or "—") for a, t, name in rows]
    if not include_snoozed:
        tasks = [t for t in tasks if not (t.snoozed_until and t.snoozed_until > day)]
    if assignee:
        tasks = [t for t in tasks if t.assignee == assignee]
    if customer:
        tasks = [t for t in tasks if t.approval.customer_id == customer]
    return tasks


def open_counts_by_customer(session: Session) -> dict[str, int]:
    """Pending escalations per customer (the worklist links to them)."""
    counts: dict[str, int] = {}
    for (cust,) in session.execute(
        select(Approval.customer_id).where(
            Approval.status == "pending", Approval.type == "escalate"
        )
    ):
        if cust:
            counts[cust] = counts.get(cust, 0) + 1
    return counts


def _task(session: Session, approval_id: int) -> EscalationTask:
    approval = session.get(Approval, approval_id)
    if approval is None or approval.type != "escalate":
        raise NotFound(f"escalation #{approval_id} not found")
    if approval.status != "pending":
        raise ConflictError(f"escalation #{approval_id} is already {approval.status}")
    task = session.get(EscalationTask, approval_id)
    if task is None:
        task = EscalationTask(approval_id=approval_id, comments=[])
        session.add(task)
    return task


def assign(session: Session, approval_id: int, *, assignee: str, by: str, clock: Clock) -> None:
    task = _task(session, approval_id)
    task.assignee = assignee.strip()[:128] or None
    _note(task, by, clock, f"assigned to {task.assignee}" if task.assignee else "unassigned")


def comment(session: Session, approval_id: int, *, text: str, by: str, clock: Clock) -> None:
    body = text.strip()
    if not body:
        raise ValidationError("comment: write something")
    _note(_task(session, approval_id), by, clock, body[:MAX_COMMENT])


def snooze(session: Session, approval_id: int, *, until: date, by: str, clock: Clock) -> None:
    if until <= today(clock):
        raise ValidationError(f"snooze: {until.isoformat()} is not in the future")
    task = _task(session, approval_id)
    task.snoozed_until = until
    _note(task, by, clock, f"snoozed until {until.isoformat()}")


def _note(task: EscalationTask, by: str, clock: Clock, text: str) -> None:
    entry = {"at": clock.now().isoformat(timespec="minutes"), "by": by, "text": text}
    task.comments = [*(task.comments or []), entry]


def resolve(ctx: Any, approval_id: int, *, outcome: str, note: str, by: Identity) -> str:
    """Close the escalation through the one decision function (audited, role-checked),
    then record the outcome on its task."""
    if outcome not in OUTCOMES:
        raise ValidationError(f"outcome: {outcome!r} is not one of {', '.join(OUTCOMES)}")
    with ctx.db.session() as session:
        _task(session, approval_id)  # exists, is an escalation, still pending
    said = OUTCOMES[outcome] + (f" ({note.strip()[:MAX_COMMENT]})" if note.strip() else "")
    decided = decisions.decide_approval(
        ctx.db,
        decisions.Decision(approval_id, approve=True, note=f"resolved: {said}"),
        actor=by,
        clock=ctx.clock,
        settings=ctx.settings,
        on_decided=ctx.extras.get("after_execute"),
    )
    if not decided.ok:
        raise ConflictError(decided.message)
    with ctx.db.transaction() as session:
        task = session.get(EscalationTask, approval_id) or EscalationTask(
            approval_id=approval_id, comments=[]
        )
        session.add(task)
        task.outcome = outcome
        task.resolved_by = by.username
        task.resolved_at = ctx.clock.now()
        _note(task, by.username, ctx.clock, f"resolved: {said}")
    return f"#{approval_id} resolved: {OUTCOMES[outcome]}"
