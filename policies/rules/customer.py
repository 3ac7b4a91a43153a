"""Rules about the customer and its invoices: exists, solvent, owns the invoices, open."""

from __future__ import annotations

from collections.abc import Iterable

from policies.results import CheckResult
from policies.rules.context import RuleContext


def customer_exists(ctx: RuleContext) -> CheckResult:
    """The payload's customer is in the ledger."""
    if ctx.customer is None:
        return CheckResult.fail("customer_exists", f"customer {ctx.customer_id!r} not found")
    return CheckResult.ok("customer_exists", f"customer {ctx.customer.id} ({ctx.customer.name})")


def not_insolvent(ctx: RuleContext) -> CheckResult:
    """An insolvent customer is on legal hold: nothing but escalate."""
    if ctx.customer is not None and ctx.customer.insolvent:
        return CheckResult.fail(
            "not_insolvent",
            f"customer {ctx.customer.id} is flagged insolvent (legal hold): escalate instead",
        )
    return CheckResult.ok("not_insolvent", "customer is not flagged insolvent")


def invoices_owned(
    ctx: RuleContext, numbers: Iterable[str], *, require_open: bool = True
) -> CheckResult:
    """Every invoice exists, belongs to the customer and (optionally) is still open: a
    positive balance, or an open credit note (a negative amount not used up yet)."""
    numbers = list(numbers)
    problems: list[str] = []
    for number in numbers:
        inv = ctx.invoice(number)
        if inv is None:
            problems.append(f"invoice {number} not found")
        elif inv.customer_id != ctx.customer_id:
            problems.append(f"invoice {number} belongs to another customer")
        elif require_open and inv.balance == 0:
            problems.append(f"invoice {number} is already paid (balance {inv.balance})")
        elif require_open and inv.amount > 0 > inv.balance:
            problems.append(f"invoice {number} is overpaid (balance {inv.balance})")
    rule = "invoices_open" if require_open else "invoices_exist"
    if problems:
        return CheckResult.fail(rule, "; ".join(problems))
    if not numbers:
        return CheckResult.ok(rule, "no invoices listed")
    state = "open invoices" if require_open else "invoices"
    return CheckResult.ok(rule, f"{state} of {ctx.customer_id}: {', '.join(numbers)}")


def invoices_listed(ctx: RuleContext, numbers: list[str]) -> CheckResult:
    """At least one invoice is named."""
    if not numbers:
        return CheckResult.fail("invoices_listed", f"{ctx.action.type} names no invoice")
    return CheckResult.ok("invoices_listed", f"{len(numbers)} invoice(s)")
