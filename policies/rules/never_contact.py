"""Never-dun rules on invoices: open dispute, promise within grace, hold, payment plan."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from sqlalchemy import or_, select

from ledger.models import (
    Dispute,
    DunningHold,
    Invoice,
    PaymentPlan,
    Promise,
    plan_invoices,
    promise_invoices,
)
from policies.results import CheckResult
from policies.rules.context import RuleContext


def _invoices(ctx: RuleContext, numbers: list[str]) -> list[Invoice]:
    return [inv for n in numbers if (inv := ctx.invoice(n)) is not None]


def _promise_rows(ctx: RuleContext, ids: dict[int, str]) -> list[tuple[int, date]]:
    """(invoice id, promised date) of the open promises on these invoices."""
    return list(
        ctx.session.execute(
            select(promise_invoices.c.invoice_id, Promise.date)
            .join(Promise, Promise.id == promise_invoices.c.promise_id)
            .where(promise_invoices.c.invoice_id.in_(list(ids)), Promise.status == "open")
        ).all()
        if ids
        else []
    )


def _plan_rows(ctx: RuleContext, ids: dict[int, str]) -> list[tuple[int, int]]:
    """(invoice id, plan id) of the active payment plans holding these invoices."""
    if (pf := ctx.batch(list(ids))) is not None:
        return [(i, p) for i in ids for p in pf.plans[i]]
    if not ids:
        return []
    return list(
        ctx.session.execute(
            select(plan_invoices.c.invoice_id, PaymentPlan.id)
            .join(PaymentPlan, PaymentPlan.id == plan_invoices.c.plan_id)
            .where(plan_invoices.c.invoice_id.in_(list(ids)), PaymentPlan.status == "active")
        ).all()
    )


def not_disputed(ctx: RuleContext, numbers: list[str]) -> CheckResult:
    """No listed invoice has an open dispute."""
    ids = {inv.id: inv.number for inv in _invoices(ctx, numbers)}
    if (pf := ctx.batch(list(ids))) is not None:
        disputes: Sequence[Dispute] = sorted(
            (d for i in ids for d in pf.disputes[i]), key=lambda d: d.id
        )
    else:
        disputes = (
            ctx.session.scalars(
                select(Dispute)
                .where(Dispute.invoice_id.in_(list(ids)), Dispute.status == "open")
                .order_by(Dispute.id)
            ).all()
            if ids
            else []
        )
    if disputes:
        found = "; ".join(
            f"{ids[d.invoice_id]} has an open dispute ({d.reason}, opened {d.opened.isoformat()})"
            for d in disputes
        )
        return CheckResult.fail("not_disputed", found)
    return CheckResult.ok("not_disputed", "no open dispute on the invoices")


def not_promised(ctx: RuleContext, numbers: list[str]) -> CheckResult:
    """No listed invoice is under an open promise whose date + grace days has not passed."""
    grace = ctx.policy.never_contact.promise_grace_days
    ids = {inv.id: inv.number for inv in _invoices(ctx, numbers)}
    if (pf := ctx.batch(list(ids))) is not None:
        rows = [(i, d) for i in ids for d in pf.promises[i]]
    else:
        rows = _promise_rows(ctx, ids)
    active = [(ids[i], d) for i, d in rows if ctx.today <= d + timedelta(days=grace)]
    if active:
        found = "; ".join(
            f"{number} is promised for {d.isoformat()} (no dunning until "
            f"{(d + timedelta(days=grace + 1)).isoformat()}, {grace} grace days)"
            for number, d in sorted(active)
        )
        return CheckResult.fail("not_promised", found)
    return CheckResult.ok("not_promised", "no promise to pay within its grace period")


def not_held(ctx: RuleContext, numbers: list[str]) -> CheckResult:
    """Neither the customer nor a listed invoice is on an active dunning hold.

    A hold with ``until`` lifts on that date (an out-of-office hold until the return
    date allows email on the return date); a hold without ``until`` lasts until removed.
    """
    ids = {inv.id: inv.number for inv in _invoices(ctx, numbers)}
    if (pf := ctx.batch(list(ids))) is not None:
        holds: Sequence[DunningHold] = [
            h for h in pf.holds[ctx.customer_id] if h.invoice_id is None or h.invoice_id in ids
        ]
    else:
        holds = ctx.session.scalars(
            select(DunningHold)
            .where(
                DunningHold.customer_id == ctx.customer_id,
                DunningHold.active.is_(True),
                or_(DunningHold.invoice_id.is_(None), DunningHold.invoice_id.in_(list(ids))),
                or_(DunningHold.until.is_(None), DunningHold.until > ctx.today),
            )
            .order_by(DunningHold.id)
        ).all()
    if holds:
        found = "; ".join(
            f"{ids[h.invoice_id] if h.invoice_id else 'customer ' + ctx.customer_id} is on hold "
            f"{'until ' + h.until.isoformat() if h.until else 'until lifted'}"
            f"{' (' + h.reason + ')' if h.reason else ''}"
            for h in holds
        )
        return CheckResult.fail("not_held", found)
    return CheckResult.ok("not_held", "no active dunning hold")


def not_in_plan(ctx: RuleContext, numbers: list[str], *, suffix: str = "") -> CheckResult:
    """No listed invoice is inside an active payment plan; ``suffix`` ends the reason."""
    ids = {inv.id: inv.number for inv in _invoices(ctx, numbers)}
    rows = _plan_rows(ctx, ids)
    if rows:
        found = "; ".join(f"{ids[i]} is in active payment plan #{p}" for i, p in sorted(rows))
        return CheckResult.fail("not_in_plan", found + suffix)
    return CheckResult.ok("not_in_plan", "no invoice inside an active payment plan")


def in_active_plan(ctx: RuleContext, numbers: list[str]) -> CheckResult:
    """An instalment reminder is only about invoices inside an active payment plan."""
    ids = {inv.id: inv.number for inv in _invoices(ctx, numbers)}
    planned = {i for i, _ in _plan_rows(ctx, ids)}
    outside = sorted(n for i, n in ids.items() if i not in planned)
    if outside or not ids:
        what = ", ".join(outside) or "no invoice"
        return CheckResult.fail(
            "in_active_plan", f"instalment reminder for {what} outside an active payment plan"
        )
    return CheckResult.ok("in_active_plan", "every invoice is inside an active payment plan")
