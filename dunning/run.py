"""The dunning run: apply the policy's cadence and never-contact rules, queue the reminders.

``plan_dunning`` is a pure read: one message per customer grouping its due invoices
(stage = the most advanced among them), ``escalate`` instead of email at the escalate
stage or for insolvent customers, instalment reminders for active payment plans and a
thank-you once a promised payment has arrived. Every open overdue invoice that gets no
message says why in ``skipped``. ``run_dunning`` queues the plan through
``approvals.queue.propose_many`` (which runs the policy checks again).

Decisions (see also docs in README):
- an invoice is due for a stage when it has reached that stage's day and neither that
  stage nor a later one was sent, queued (pending/approved) or rejected for it; a
  rejected stage is a human's "not this one" and is not proposed again;
- the frequency cap is checked here as well as in the policy check, so a capped
  customer shows up as skipped ("frequency cap: last email ...") instead of as a
  blocked proposal; emails waiting for approval count as sent for the cap;
- the send window is left to the policy check: a reminder drafted at night is queued
  and waits for the customer's window when approved;
- a dunning hold applies while ``today < until`` (dunning resumes on ``until``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from core.clock import Clock, today
from dunning.drafts import render_email
from dunning.phrases import PhraseRule, apply_phrases, load_phrase_rules
from dunning.proposals import (
    email_action,
    escalate_action,
    line_item,
    no_contact_reason,
    recipients,
)
from dunning.rules import DunningRules, Stage, rules_from_policy
from dunning.snapshot import (
    CustomerRow,
    InstallmentRow,
    InvoiceRow,
    Snapshot,
    load_snapshot,
)
from policies.actions import ProposedAction


@dataclass(frozen=True)
class Skip:
    invoice: str
    reason: str
    customer: str | None = None


@dataclass
class DunningPlan:
    proposals: list[ProposedAction] = field(default_factory=list)
    skipped: list[Skip] = field(default_factory=list)
    run_id: str = ""
    phrases: list[PhraseRule] = field(default_factory=list)  # approved phrase changes


@dataclass
class DunningResult:
    run_id: str
    dry_run: bool
    proposals: list[ProposedAction]
    skipped: list[Skip]
    queued: list[int] = field(default_factory=list)  # approval ids
    duplicates: list[int] = field(default_factory=list)
    blocked: list[tuple[ProposedAction, list[str]]] = field(default_factory=list)
    approval_ids: list[int | None] = field(default_factory=list)  # per proposal, None if not queued
    waiting: dict[int, datetime] = field(default_factory=dict)  # approval id -> send window


def plan_dunning(session: Session, *, clock: Clock, policy: Any) -> DunningPlan:
    """Decide what the run would queue and why every other overdue invoice is left out."""
    rules = rules_from_policy(policy)
    day = today(clock)
    snap = load_snapshot(session, today=day, first_day=rules.first_day)
    plan = DunningPlan(run_id=f"dunning-{day.isoformat()}", phrases=load_phrase_rules(session))
    by_customer: dict[str, list[InvoiceRow]] = defaultdict(list)
    for inv in snap.invoices:
        by_customer[inv.customer_id].append(inv)
    installments: dict[str, list[InstallmentRow]] = defaultdict(list)
    for inst in snap.installments:
        installments[snap.plan_customer[inst.plan_id]].append(inst)
    messaged: set[str] = set()
    for cust_id in sorted(set(by_customer) | set(installments)):
        customer = snap.customers[cust_id]
        if _plan_customer(plan, snap, rules, customer, by_customer[cust_id], installments[cust_id]):
            messaged.add(cust_id)
    for promise, invoices, paid_on in snap.paid_promises:
        customer = snap.customers[promise.customer_id]
        if customer.id in messaged or customer.insolvent:
            continue  # one message per customer per run; never email an insolvent customer
        if (f"promise:{promise.id}", "thank_you") in snap.customer_marks:
            continue
        to, _ = recipients(snap, customer)
        if not to or _frequency_cap(snap, rules, customer.id):
            continue  # retried on a later run while the payment is recent
        lines = [line_item(i, day) for i in invoices]
        draft = render_email(
            "thank_you", customer, lines, [], paid_on=paid_on, level="thank_you", tone="thank you"
        )
        draft = apply_phrases(plan.phrases, "thank_you", draft)
        numbers = [i.number for i in invoices]
        plan.proposals.append(
            email_action(
                plan.run_id,
                customer,
                to,
                draft,
                stage=None,
                invoices=[],
                extra={"kind": "thank_you", "promise": promise.id, "paid_invoices": numbers},
                why=f"promised payment for {', '.join(numbers)} received on {paid_on}",
            )
        )
    return plan


def _plan_customer(
    plan: DunningPlan,
    snap: Snapshot,
    rules: DunningRules,
    customer: CustomerRow,
    invoices: list[InvoiceRow],
    installments: list[InstallmentRow],
) -> bool:
    """Plan one customer's message; return True when a message was proposed."""
    day = snap.today

    def skip(inv: InvoiceRow, reason: str) -> None:
        if inv.due_date < day:  # only overdue invoices are reported
            plan.skipped.append(Skip(inv.number, reason, customer.id))

    if customer.insolvent:
        why = "customer is insolvent (legal hold): no email, a human decides on the claim"
        for inv, reason in _escalate_once(
            plan,
            snap,
            customer,
            "insolvent",
            invoices,
            why,
            "customer insolvent: escalated",
            again_if_rejected=False,
        ):
            skip(inv, reason)
        return False
    hold = _active_hold(snap.customer_holds.get(customer.id, []), day)
    if hold is not None:
        for inv in invoices:
            skip(inv, f"customer {hold}")
        return False

    escalated = _pending_escalation(snap, rules, customer.id)
    if escalated is not None:
        for inv in invoices:
            skip(inv, escalated)
        return False

    due: list[tuple[InvoiceRow, Stage]] = []
    for inv in invoices:
        reason = _never_contact(snap, rules, inv)
        if reason is None:
            stage = rules.stage_for((day - inv.due_date).days)
            assert stage is not None  # invoices were loaded from the first stage day on
            reason = _already_handled(snap, rules, inv, stage)
            if reason is None:
                due.append((inv, stage))
                continue
        skip(inv, reason)
    due_inst = [
        i
        for i in installments
        if (kind := _installment_stage(i, day)) is not None
        and (i.id, kind) not in snap.installment_marks
    ]
    if not due and not due_inst:
        return False

    due_invoices = [inv for inv, _ in due]
    stage = max((s for _, s in due), key=lambda s: s.rank, default=None)
    if stage is not None and not stage.sends_email:
        why = f"{stage.day}+ days past due: calls, agency or legal steps are a human decision"
        plan.proposals.append(escalate_action(plan.run_id, customer, stage.name, due_invoices, why))
        return False
    capped = _frequency_cap(snap, rules, customer.id)
    if capped:
        for inv in due_invoices:
            skip(inv, capped)
        return False
    to, cc = recipients(snap, customer)
    if not to:
        why = no_contact_reason(snap, customer)
        for inv, reason in _escalate_once(
            plan,
            snap,
            customer,
            "no_contact",
            due_invoices,
            why,
            "no contact left (mail bounced): escalated"
            if "bounced" in why
            else "all contacts opted out: escalated",
            again_if_rejected=True,
        ):
            skip(inv, reason)
        return False
    if stage is None:  # only instalment reminders: about the plan's invoices, plan stage
        kind = _installment_stage(due_inst[0], day) or "upcoming"
        plans = sorted({i.plan_id for i in due_inst})
        numbers = sorted({n for p in plans for n in snap.plan_numbers.get(p, [])})
        draft = render_email(
            kind,
            customer,
            [],
            due_inst,
            tone=f"instalment {kind}",
            level="installment",
            plan_invoices=numbers,
        )
        draft = apply_phrases(plan.phrases, rules.installment_stage, draft)
        plan.proposals.append(
            email_action(
                plan.run_id,
                customer,
                to,
                draft,
                stage=rules.installment_stage,
                invoices=numbers,
                extra={"installments": [i.id for i in due_inst], "reminder": kind},
                why=f"instalment reminder ({kind}) for plan " + ", ".join(f"#{p}" for p in plans),
            )
        )
        return True
    lines = [line_item(inv, day) for inv in due_invoices]
    draft = render_email(
        stage.name, customer, lines, due_inst, tone=stage.tone, level=_level(stage)
    )
    draft = apply_phrases(plan.phrases, stage.name, draft)
    extra: dict[str, Any] = {}
    if stage.attach_copies:  # the policy sends the invoice PDFs with this stage
        extra["attachments"] = [
            {"kind": "invoice", "invoice": i.number, "filename": f"{i.number}.pdf"}
            for i in due_invoices
        ]
    if due_inst:  # instalments due too: listed in the same message
        extra |= {
            "installments": [i.id for i in due_inst],
            "reminder": _installment_stage(due_inst[0], day),
        }
    plan.proposals.append(
        email_action(
            plan.run_id,
            customer,
            to,
            draft,
            stage=stage.name,
            invoices=[i.number for i in due_invoices],
            cc=cc if stage.cc_secondary else [],
            extra=extra,
            notify_owner=stage.heads_up_to_owner,
            why=f"stage {stage.name} for {', '.join(i.number for i in due_invoices)}",
        )
    )
    return True


def _level(stage: Stage) -> str:
    """The template wording for a cadence stage (custom stage names map by their day)."""
    if stage.name in ("courtesy", "due", "first", "second", "final"):
        return stage.name
    for day, level in ((0, "courtesy"), (6, "due"), (13, "first"), (29, "second")):
        if stage.day <= day:
            return level
    return "final"


def _pending_escalation(snap: Snapshot, rules: DunningRules, customer_id: str) -> str | None:
    """While an escalation waits for a human, the account is theirs: no more emails."""
    for stage in rules.stages:
        mark = snap.customer_marks.get((customer_id, stage.name))
        if not stage.sends_email and mark is not None and mark.how == "queued":
            return f"escalated to a human on {mark.on} (awaiting a decision)"
    return None


def _escalate_once(
    plan: DunningPlan,
    snap: Snapshot,
    customer: Any,
    kind: str,
    invoices: list[Any],
    why: str,
    reason: str,
    *,
    again_if_rejected: bool,
) -> list[tuple[Any, str]]:
    """Propose one escalation per customer and kind (none while an earlier one stands);
    return each invoice with the skip reason to report."""
    mark = snap.customer_marks.get((customer.id, kind))
    if mark is None or (again_if_rejected and mark.how == "rejected"):
        plan.proposals.append(escalate_action(plan.run_id, customer, kind, invoices, why))
    else:
        reason += f" on {mark.on}"
    return [(inv, reason) for inv in invoices]


def _never_contact(snap: Snapshot, rules: DunningRules, inv: InvoiceRow) -> str | None:
    if inv.id in snap.disputes:
        return f"disputed ({snap.disputes[inv.id]})"
    grace = rules.promise_grace_days
    live = [
        p for p in snap.promises.get(inv.id, []) if p.date + timedelta(days=grace) >= snap.today
    ]
    if live:
        until = max(p.date for p in live)
        return f"promise to pay until {until} (+{grace} days grace)"
    hold = _active_hold(snap.invoice_holds.get(inv.id, []), snap.today)
    if hold is not None:
        return hold
    if inv.id in snap.plan_of_invoice:
        return f"in payment plan #{snap.plan_of_invoice[inv.id]}"
    return None


def _active_hold(holds: list[tuple[date | None, str | None]], day: date) -> str | None:
    live = [(until, why) for until, why in holds if until is None or day < until]
    if not live:
        return None
    if any(until is None for until, _ in live):
        why = next(w for u, w in live if u is None)
        text = "on hold (no end date)"
    else:
        until, why = max(live, key=lambda h: h[0])  # type: ignore[arg-type,return-value]
        text = f"on hold until {until}"
    return f"{text}: {why}" if why else text


def _already_handled(
    snap: Snapshot, rules: DunningRules, inv: InvoiceRow, stage: Stage
) -> str | None:
    done = [m for m in snap.marks.get(inv.id, []) if rules.rank(m.stage) >= stage.rank]
    if not done:
        return None
    mark = max(done, key=lambda m: (rules.rank(m.stage), m.on))
    verb = {"sent": "already sent", "queued": "already queued", "rejected": "rejected"}[mark.how]
    return f"stage {mark.stage} {verb} on {mark.on}"


def _installment_stage(inst: InstallmentRow, day: date) -> str | None:
    """ "upcoming" from 3 days before an instalment's due date, "overdue" from the day after."""
    days = (day - inst.due_date).days
    if days >= 1:
        return "overdue"
    return "upcoming" if days >= -3 else None


def _frequency_cap(snap: Snapshot, rules: DunningRules, customer_id: str) -> str | None:
    """Why the customer may not get another email today (POLICY.md frequency caps), or None."""
    sent = sorted(snap.emails.get(customer_id, []))
    if not sent:
        return None
    last = sent[-1]
    if (snap.today - last.on).days < rules.min_days_between_emails:
        note = "" if last.how == "sent" else f" ({last.how})"
        return f"frequency cap: last email {last.on}{note}"
    since = snap.today - timedelta(days=rules.max_emails_window_days)
    recent = [m.on for m in sent if m.on > since]
    if len(recent) >= rules.max_emails:
        return (
            f"frequency cap: {len(recent)} emails in {rules.max_emails_window_days} days "
            f"(since {recent[0]})"
        )
    return None


def run_dunning(db: Any, *, clock: Clock, policy: Any, dry_run: bool = False) -> DunningResult:
    """Plan and queue the reminders in one transaction; ``dry_run`` only plans and checks.

    A proposal the policy check refuses is reported in ``blocked`` with the check's
    reasons (on a dry run too, so the preview shows what would really be queued).
    """
    if dry_run:
        with db.session() as session:
            plan = plan_dunning(session, clock=clock, policy=policy)
            result = DunningResult(plan.run_id, True, plan.proposals, plan.skipped)
            from policies.check import check, prefetch

            normal = [action.normalised() for action in plan.proposals]
            rows = prefetch(session, normal, clock=clock, policy=policy)
            for action, checked in zip(plan.proposals, normal, strict=True):
                verdict = check(checked, session, clock, policy=policy, prefetched=rows)
                if not verdict.allowed:
                    result.blocked.append((action, [str(r) for r in verdict.reasons]))
            session.rollback()
        return result

    from approvals.queue import propose_many

    with db.transaction() as session:
        plan = plan_dunning(session, clock=clock, policy=policy)
        result = DunningResult(plan.run_id, False, plan.proposals, plan.skipped)
        outcomes = propose_many(session, plan.proposals, clock=clock, policy=policy)
        for action, outcome in zip(plan.proposals, outcomes, strict=True):
            approval = outcome.approval
            result.approval_ids.append(approval.id if approval is not None else None)
            if outcome.blocked:
                reasons = [str(r) for r in (getattr(outcome.verdict, "reasons", None) or [])]
                result.blocked.append((action, reasons))
            elif outcome.duplicate:
                result.duplicates.append(approval.id)
            else:
                result.queued.append(approval.id)
            if approval is not None and getattr(outcome.verdict, "wait_until", None):
                result.waiting[approval.id] = outcome.verdict.wait_until
    return result
