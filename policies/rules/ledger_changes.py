"""Rules of the smaller ledger changes: promises, disputes, holds, contacts, credit,
escalations, and the standing refusal of write-offs and credit notes."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from ledger.models import Dispute
from policies.approvers import approvals_required
from policies.results import CheckResult
from policies.rules import customer
from policies.rules.context import RuleContext
from policies.rules.recipients import address
from policies.schema import Policy


def _norm(name: str) -> str:
    return name.strip().lower().replace("-", "_").replace(" ", "_")


def no_write_off(action_type: str, payload: dict[str, Any], policy: Policy) -> CheckResult:
    """Write-offs, credit notes, discounts and waivers are the controller's, never the agent's."""
    rules = policy.ledger_changes
    if _norm(action_type) in {_norm(a) for a in rules.forbidden_actions}:
        return CheckResult.fail("no_write_off", rules.refusal)
    keys = {_norm(k) for k in rules.forbidden_payload_keys}
    hits = [
        k for k, v in payload.items() if _norm(str(k)) in keys and v not in (None, False, 0, "")
    ]
    if hits:
        return CheckResult.fail("no_write_off", f"{rules.refusal} (payload asks for {hits[0]})")
    return CheckResult.ok("no_write_off", "no write-off, credit note or waiver")


def record_promise_rules(ctx: RuleContext) -> list[CheckResult]:
    gate = customer.customer_exists(ctx)
    if not gate.passed:
        return [gate]
    promise = ctx.payload
    checks = [
        gate,
        customer.invoices_listed(ctx, promise.invoices),
        customer.invoices_owned(ctx, promise.invoices),
    ]
    limit = ctx.policy.promises.max_days_ahead
    if promise.date < ctx.today:
        checks.append(
            CheckResult.fail("promise_date", f"promise date {promise.date} is in the past")
        )
    elif promise.date > ctx.today + timedelta(days=limit):
        checks.append(
            CheckResult.fail(
                "promise_date",
                f"promise date {promise.date} is more than {limit} days ahead: "
                "escalate or propose a payment plan",
            )
        )
    else:
        checks.append(CheckResult.ok("promise_date", f"promise date {promise.date}"))
    if promise.amount is not None:
        balance = sum(
            (inv.balance for n in promise.invoices if (inv := ctx.invoice(n))), Decimal("0")
        )
        if promise.amount <= 0:
            checks.append(
                CheckResult.fail("promise_amount", "the promised amount must be positive")
            )
        elif promise.amount > balance:
            checks.append(
                CheckResult.fail(
                    "promise_amount",
                    f"promised {promise.amount} exceeds the open balance {balance}",
                )
            )
        else:
            checks.append(CheckResult.ok("promise_amount", f"promised {promise.amount}"))
    return checks


def open_dispute_rules(ctx: RuleContext) -> list[CheckResult]:
    gate = customer.customer_exists(ctx)
    if not gate.passed:
        return [gate]
    number = ctx.payload.invoice
    owned = customer.invoices_owned(ctx, [number], require_open=False)
    checks = [gate, owned]
    if not ctx.payload.reason.strip():
        checks.append(CheckResult.fail("dispute_reason", "a dispute needs a reason"))
    inv = ctx.invoice(number)
    if owned.passed and inv is not None:
        open_ = ctx.session.scalars(
            select(Dispute).where(Dispute.invoice_id == inv.id, Dispute.status == "open")
        ).first()
        if open_ is not None:
            checks.append(
                CheckResult.fail(
                    "not_already_disputed",
                    f"invoice {number} already has an open dispute "
                    f"({open_.reason}, opened {open_.opened.isoformat()})",
                )
            )
        else:
            checks.append(CheckResult.ok("not_already_disputed", f"no open dispute on {number}"))
    return checks


def hold_dunning_rules(ctx: RuleContext) -> list[CheckResult]:
    gate = customer.customer_exists(ctx)
    if not gate.passed:
        return [gate]
    hold = ctx.payload
    checks = [gate, customer.invoices_owned(ctx, hold.invoices, require_open=False)]
    if hold.until is None:
        if hold.reason.strip():
            checks.append(CheckResult.ok("hold_until", f"indefinite hold: {hold.reason.strip()}"))
        else:
            checks.append(CheckResult.fail("hold_until", "an indefinite hold needs a reason"))
    elif hold.until <= ctx.today:
        checks.append(
            CheckResult.fail("hold_until", f"hold date {hold.until} is not in the future")
        )
    else:
        checks.append(CheckResult.ok("hold_until", f"hold until {hold.until}"))
    return checks


def update_contact_rules(ctx: RuleContext) -> list[CheckResult]:
    """A new address must be on a domain the customer already uses (else: escalate)."""
    gate = customer.customer_exists(ctx)
    if not gate.passed:
        return [gate]
    email = address(ctx.payload.email)
    checks = [gate]
    if "@" not in email or "." not in email.rsplit("@", 1)[-1]:
        return [
            *checks,
            CheckResult.fail("contact_email", f"{ctx.payload.email!r} is not an email address"),
        ]
    domain = email.rsplit("@", 1)[1]
    on_file = {c.email.strip().lower() for c in ctx.contacts}
    free = {d.lower() for d in ctx.policy.contacts.free_mail_domains}
    known = {c.domain for c in ctx.contacts if c.domain not in free}
    if email in on_file or domain in known:
        checks.append(
            CheckResult.ok("contact_domain", f"{domain} is a known domain of {ctx.customer_id}")
        )
    else:
        why = (
            "a free-mail address not on file"
            if domain in free
            else f"{domain} is not a domain of {ctx.customer_id}'s contacts"
        )
        checks.append(CheckResult.fail("contact_domain", f"unknown domain: escalate ({why})"))
    if ctx.payload.replaces and address(ctx.payload.replaces) not in on_file:
        checks.append(
            CheckResult.fail(
                "contact_replaces", f"{ctx.payload.replaces} is not a contact of {ctx.customer_id}"
            )
        )
    return checks


def escalate_rules(ctx: RuleContext) -> list[CheckResult]:
    return [CheckResult.ok("escalate", "escalating to a human is always allowed")]


def change_template_rules(ctx: RuleContext) -> list[CheckResult]:
    """A learnt phrase change: a real phrase replaced, and no forbidden words brought in."""
    change = ctx.payload
    if change.removed.startswith("("):  # "(a long passage)": nothing precise to replace
        return [CheckResult.fail("template_change", "a rewritten passage is not a phrase change")]
    for name, category in ctx.policy.wording.forbidden.items():
        if category.pattern is not None and category.pattern.search(change.added or ""):
            return [CheckResult.fail("template_change", f"the new words are {name} language")]
    return [CheckResult.ok("template_change", "a phrase change in drafts, no forbidden words")]


def reverse_payment_rules(ctx: RuleContext) -> list[CheckResult]:
    """Undoing a returned payment re-opens invoices: the customer must exist; the bank
    lines are checked by the executor against the ledger as it is then."""
    gate = customer.customer_exists(ctx)
    return [gate, CheckResult.ok("reversal", "a returned payment is never left applied")]


def change_credit_rules(ctx: RuleContext) -> list[CheckResult]:
    """Lowering a limit or setting a hold: one approval; raising or lifting: four eyes."""
    gate = customer.customer_exists(ctx)
    if not gate.passed:
        return [gate]
    change = ctx.payload
    checks = [gate]
    if change.credit_limit is None and change.credit_hold is None:
        checks.append(CheckResult.fail("credit_change", "change_credit changes nothing"))
    if change.credit_limit is not None and change.credit_limit < 0:
        checks.append(CheckResult.fail("credit_limit", "a credit limit must be >= 0"))
    if not change.reason.strip():
        checks.append(CheckResult.fail("credit_reason", "a credit change needs a reason"))
    needed = approvals_required(ctx.action, ctx.policy, ctx.session)
    checks.append(
        CheckResult.ok(
            "four_eyes",
            f"needs {needed} approval(s) by different people" if needed > 1 else "needs 1 approval",
        )
    )
    return checks
