"""Frequency caps: at most one email every N days and M emails in a rolling window.

Decision: the caps limit what *we* start. Emails sent as replies in a thread the
customer opened (``in_reply_to`` set) neither count nor are capped when
``frequency.replies_exempt`` is true: acknowledging a dispute the day after a reminder
is service, not pressure. Every other email (cadence stages, instalment reminders,
one-off drafts) counts. Days are calendar days in the customer's time zone, so a daily
run at 07:00 can send on day 5 even if the last email left at 10:00. Emails waiting in
the outbox (``outbox``/``sending``) count as going out today.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from sqlalchemy import select

from ledger.models import Communication
from policies.results import CheckResult
from policies.rules.context import RuleContext


def _sent_dates(ctx: RuleContext) -> list[date]:
    caps = ctx.policy.frequency
    own = ctx.action.context.get("approval_id")
    pf = ctx.prefetched
    if own is None and pf is not None and ctx.customer_id in pf.sent:
        return _local_dates(ctx, pf.sent[ctx.customer_id])
    query = select(Communication).where(
        Communication.customer_id == ctx.customer_id,
        Communication.direction == "out",
        Communication.channel == "email",
        Communication.status.in_(caps.counted_statuses),
    )
    if caps.replies_exempt:
        query = query.where(Communication.in_reply_to.is_(None))
    if own is not None:  # at execution time the email's own outbox row is not "another" email
        query = query.where(
            (Communication.approval_id.is_(None)) | (Communication.approval_id != own)
        )
    return _local_dates(ctx, ctx.session.scalars(query))


def _local_dates(ctx: RuleContext, rows: Iterable[Communication]) -> list[date]:
    """The customer-local day each counted email went (or goes, when still queued) out."""
    now = ctx.clock.now()
    dates = []
    for row in rows:
        gone = row.status in ("sent", "delivery_unknown")  # went out, or may have
        when = (row.sent_at or row.updated_at or row.created_at) if gone else now
        dates.append((when or now).astimezone(ctx.timezone).date())
    return sorted(dates)


def frequency_caps(ctx: RuleContext, *, is_reply: bool) -> list[CheckResult]:
    """No email within ``min_days_between_emails``; fewer than ``max_emails`` in the window."""
    caps = ctx.policy.frequency
    if is_reply and caps.replies_exempt:
        detail = "a reply in the customer's thread is not capped"
        return [
            CheckResult.ok("min_days_between_emails", detail),
            CheckResult.ok("max_emails_in_window", detail),
        ]
    local_today = ctx.clock.now().astimezone(ctx.timezone).date()
    dates = _sent_dates(ctx)
    results = []
    if dates and (local_today - dates[-1]).days < caps.min_days_between_emails:
        nxt = dates[-1] + timedelta(days=caps.min_days_between_emails)
        results.append(
            CheckResult.fail(
                "min_days_between_emails",
                f"last email to {ctx.customer_id} went on {dates[-1].isoformat()}: at most one every "
                f"{caps.min_days_between_emails} days, next on {nxt.isoformat()}",
            )
        )
    else:
        results.append(
            CheckResult.ok(
                "min_days_between_emails",
                f"last email {dates[-1].isoformat()}" if dates else "no earlier email",
            )
        )
    start = local_today - timedelta(days=caps.window_days - 1)
    recent = [d for d in dates if d >= start]
    if len(recent) >= caps.max_emails:
        nxt = recent[len(recent) - caps.max_emails] + timedelta(days=caps.window_days)
        results.append(
            CheckResult.fail(
                "max_emails_in_window",
                f"{len(recent)} emails to {ctx.customer_id} in the last {caps.window_days} days: "
                f"at most {caps.max_emails}, next on {nxt.isoformat()}",
            )
        )
    else:
        results.append(
            CheckResult.ok(
                "max_emails_in_window",
                f"{len(recent)} of {caps.max_emails} emails in {caps.window_days} days",
            )
        )
    return results
