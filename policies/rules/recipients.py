"""Email recipient rules: every address is a contact of the customer, none opted out or bouncing."""

from __future__ import annotations

from email.utils import parseaddr
from functools import lru_cache

from policies.results import CheckResult
from policies.rules.context import RuleContext


@lru_cache(maxsize=8192)
def address(value: str) -> str:
    """The bare lower-cased address of ``"Name <a@b>"`` or ``"a@b"``."""
    return parseaddr(value)[1].strip().lower() or value.strip().lower()


def recipients_known(ctx: RuleContext, recipients: list[str]) -> CheckResult:
    """Every recipient is a contact on file for this customer (unknown: refused)."""
    if not recipients:
        return CheckResult.fail("recipients_known", "the email has no recipient")
    known = {c.email.strip().lower() for c in ctx.contacts}
    unknown = [address(r) for r in recipients if address(r) not in known]
    if unknown:
        return CheckResult.fail(
            "recipients_known",
            f"{', '.join(unknown)} is not a contact of {ctx.customer_id}: "
            "add the contact first or escalate",
        )
    return CheckResult.ok("recipients_known", "every recipient is a contact of the customer")


def recipients_not_opted_out(ctx: RuleContext, recipients: list[str]) -> CheckResult:
    """No recipient asked not to be contacted."""
    opted = {c.email.strip().lower() for c in ctx.contacts if c.opt_out}
    hits = [address(r) for r in recipients if address(r) in opted]
    if hits:
        return CheckResult.fail(
            "not_opted_out",
            f"{', '.join(hits)} opted out: use another contact of {ctx.customer_id} or escalate",
        )
    return CheckResult.ok("not_opted_out", "no recipient opted out")


def recipients_not_bouncing(ctx: RuleContext, recipients: list[str]) -> CheckResult:
    """No recipient's address was refused for good (a bounce, a 5xx to RCPT)."""
    bouncing = {c.email.strip().lower(): c for c in ctx.contacts if c.bounced_at is not None}
    hits = [bouncing[address(r)] for r in recipients if address(r) in bouncing]
    if hits:
        said = ", ".join(f"{c.email} ({c.bounce_reason or 'bounced'})" for c in hits)
        return CheckResult.fail(
            "not_bouncing",
            f"mail to {said} bounced: use another contact of {ctx.customer_id} or escalate",
        )
    return CheckResult.ok("not_bouncing", "no recipient's address bounces")
