"""The rules of a ``send_email`` proposal, in the order a reviewer would read them.

Replies in a thread the customer started (``in_reply_to`` set) may talk about a
disputed, promised, held or planned invoice (acknowledging the dispute, thanking for
the promise) and may mention a paid one; they are still refused for insolvent
customers, opted-out or unknown recipients, and forbidden wording.
"""

from __future__ import annotations

from datetime import datetime

from policies.actions import SendEmail
from policies.results import CheckResult
from policies.rules import customer, elements, frequency, never_contact, recipients, timing
from policies.rules.context import RuleContext
from policies.rules.wording import forbidden_wording


def _stage(ctx: RuleContext, email: SendEmail) -> CheckResult:
    """A stage, when given, is a cadence stage that emails or the instalment reminder."""
    if email.stage is None:
        return CheckResult.ok("stage", "not a cadence email")
    if email.stage == ctx.policy.dunning_run.installment_reminder_stage:
        return CheckResult.ok("stage", "instalment reminder")
    stage = ctx.policy.stage(email.stage)
    if stage is None:
        known = ", ".join(s.name for s in ctx.policy.cadence)
        return CheckResult.fail("stage", f"unknown stage {email.stage!r} (known: {known})")
    if not stage.sends_email:
        return CheckResult.fail("stage", f"stage {stage.name} sends no email: escalate instead")
    return CheckResult.ok("stage", f"stage {stage.name} ({stage.tone})")


def send_email_rules(ctx: RuleContext) -> tuple[list[CheckResult], datetime | None]:
    """Every check of a draft email, and when it may leave (None: now)."""
    email: SendEmail = ctx.payload
    gate = customer.customer_exists(ctx)
    if not gate.passed:
        return [gate], None
    is_reply = bool(email.in_reply_to)
    installment = email.stage == ctx.policy.dunning_run.installment_reminder_stage
    numbers = list(dict.fromkeys(email.invoices))
    everyone = [*email.to, *email.cc]
    checks = [
        gate,
        customer.not_insolvent(ctx),
        recipients.recipients_known(ctx, everyone),
        recipients.recipients_not_opted_out(ctx, everyone),
        recipients.recipients_not_bouncing(ctx, everyone),
        _stage(ctx, email),
        customer.invoices_owned(ctx, numbers, require_open=not is_reply),
    ]
    if not is_reply:
        checks += [
            never_contact.not_disputed(ctx, numbers),
            never_contact.not_promised(ctx, numbers),
            never_contact.not_held(ctx, numbers),
            never_contact.in_active_plan(ctx, numbers)
            if installment
            else never_contact.not_in_plan(ctx, numbers, suffix=" (only instalment reminders)"),
        ]
    checks += frequency.frequency_caps(ctx, is_reply=is_reply)
    text = f"{email.subject}\n{email.body}"
    checks += forbidden_wording(ctx, text, None if installment else email.stage)
    if email.stage is not None:
        checks.append(customer.invoices_listed(ctx, numbers))
        checks += elements.required_elements(ctx, text, numbers, installment=installment)
    window, wait_until = timing.send_window(ctx)
    checks.append(window)
    return checks, wait_until
