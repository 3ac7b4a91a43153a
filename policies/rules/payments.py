"""Rules of ``apply_payment``: a real incoming bank transaction, open invoices of the
customer, no over-allocation, and four eyes above the policy's amount."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import func, select

from core.money import parse_amount
from ledger.models import Allocation, BankTransaction, Payment
from policies.approvers import approvals_required
from policies.results import CheckResult
from policies.rules import customer
from policies.rules.context import RuleContext


def find_transaction(ctx: RuleContext, ref: str) -> BankTransaction | None:
    """The bank transaction whose ``bank_id`` (or numeric ``id``) is ``ref``."""
    txn = ctx.session.scalars(select(BankTransaction).where(BankTransaction.bank_id == ref)).first()
    if txn is None and ref.strip().isdigit():
        txn = ctx.session.get(BankTransaction, int(ref))
    return txn


def _allocations(ctx: RuleContext) -> list[tuple[str, Decimal]]:
    payload = ctx.payload
    if not payload.allocations:
        return [(payload.invoice, payload.amount)]
    return [(str(a["invoice"]), parse_amount(a["amount"])) for a in payload.allocations]


def _applied(ctx: RuleContext, txn: BankTransaction) -> Decimal:
    total = ctx.session.scalar(
        select(func.coalesce(func.sum(Allocation.amount), 0))
        .join(Payment, Payment.id == Allocation.payment_id)
        .where(Payment.bank_transaction_id == txn.id)
    )
    return Decimal(str(total or 0)) if not isinstance(total, Decimal) else total


def _fx(ctx: RuleContext) -> dict[str, Any] | None:
    fx = getattr(ctx.payload, "fx", None)
    return fx if isinstance(fx, dict) and fx.get("rate") else None


def _fx_allows(ctx: RuleContext, invoice_ccy: str, payment_ccy: str) -> bool:
    """An ``fx`` line converts the invoices' currency into the payment's."""
    fx = _fx(ctx)
    return fx is not None and (fx.get("invoice_currency"), fx.get("payment_currency")) == (
        invoice_ccy,
        payment_ccy,
    )


def apply_payment_rules(ctx: RuleContext) -> list[CheckResult]:
    gate = customer.customer_exists(ctx)
    if not gate.passed:
        return [gate]
    checks = [gate]
    txn = find_transaction(ctx, ctx.payload.transaction)
    if txn is None:
        return [
            *checks,
            CheckResult.fail(
                "bank_transaction",
                f"bank transaction {ctx.payload.transaction!r} not found: "
                "apply_payment needs a bank transaction",
            ),
        ]
    if txn.status == "ignored":
        return [
            *checks,
            CheckResult.fail(
                "bank_transaction", f"bank transaction {txn.bank_id} is marked ignored"
            ),
        ]
    if txn.direction != "credit":
        return [
            *checks,
            CheckResult.fail(
                "bank_transaction",
                f"bank transaction {txn.bank_id} is a {txn.direction}, not money in",
            ),
        ]
    checks.append(
        CheckResult.ok(
            "bank_transaction", f"bank transaction {txn.bank_id}: {txn.amount} {txn.currency} in"
        )
    )
    try:
        allocations = _allocations(ctx)
    except (KeyError, TypeError, ValueError) as exc:
        return [*checks, CheckResult.fail("allocations", f"bad allocation: {exc}")]
    numbers = [n for n, _ in allocations]
    owned = customer.invoices_owned(ctx, numbers)
    checks.append(owned)
    total = sum((a for _, a in allocations), Decimal("0"))
    problems = []
    if len(set(numbers)) != len(numbers):
        problems.append("an invoice appears twice in the allocations")
    if ctx.payload.allocations and ctx.payload.amount != total:
        problems.append(f"amount {ctx.payload.amount} differs from the allocations' sum {total}")
    for number, amount in allocations:
        inv = ctx.invoice(number)
        credit_note = inv is not None and inv.balance < 0
        if amount == 0 or (amount < 0 and not credit_note):
            problems.append(f"{number}: amount {amount} must be positive")
        elif amount > 0 and credit_note:
            problems.append(f"{number} is a credit note: it can only be taken off (negative)")
        elif owned.passed and inv is not None:
            if abs(amount) > abs(inv.balance):
                problems.append(f"{number}: {amount} exceeds its open balance {inv.balance}")
            if inv.currency != txn.currency and not _fx_allows(ctx, inv.currency, txn.currency):
                problems.append(f"{number} is in {inv.currency}, the payment in {txn.currency}")
    available = txn.amount - _applied(ctx, txn)
    fx = _fx(ctx)
    if fx is not None:  # allocations in the invoices' currency, converted at the line's rate
        total = (total * Decimal(str(fx["rate"]))).quantize(Decimal("0.01"))
        slack = txn.amount * ctx.policy.cash_application.fx.tolerance_percent / 100
        if total > available + slack:
            problems.append(f"allocations {total} {txn.currency} at the rate exceed the payment")
    elif total > available:
        problems.append(
            f"allocations {total} exceed what is left of the transaction "
            f"({available} {txn.currency})"
        )
    if problems:
        checks.append(CheckResult.fail("allocations", "; ".join(problems)))
    else:
        checks.append(
            CheckResult.ok("allocations", f"{total} {txn.currency} of {available} available")
        )
    needed = approvals_required(ctx.action, ctx.policy)
    checks.append(
        CheckResult.ok(
            "four_eyes",
            f"over {ctx.policy.approvals.apply_payment_over}: needs {needed} approvals "
            "by different people"
            if needed > 1
            else "needs 1 approval",
        )
    )
    return checks
