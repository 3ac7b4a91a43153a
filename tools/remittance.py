"""Tool: match imported bank credits to open invoices (cash application) and propose applying them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from pydantic import BaseModel

from core.money import format_money
from matching.remittance_advice import parse_advice
from matching.statement_run import CashApplicationRequest, run_cash_application
from matching.types import MatchSettings
from tools.context import ToolContext, ToolResult


class AllocationOut(BaseModel):
    invoice: str
    amount: str


class MatchedLine(BaseModel):
    transaction: str
    date: str
    amount: str
    currency: str
    payer: str | None
    status: str
    customer: str | None
    allocations: list[AllocationOut]
    confidence: float
    why: str


class RemittanceResult(ToolResult):
    auto: int = 0
    review: int = 0
    unmatched: int = 0
    lines: list[MatchedLine] = []


def _settings(ctx: ToolContext) -> MatchSettings:
    return MatchSettings.from_policy(ctx.policy) if ctx.policy is not None else MatchSettings()


def match_bank_statement(
    ctx: ToolContext,
    transactions: list[str] | None = None,
    since: date | None = None,
    remittance_text: str | None = None,
    limit: int = 50,
) -> RemittanceResult:
    """Match incoming bank payments to open invoices (cash application) and propose
    applying each confident or plausible match; a human approves every one.

    Each credit is "auto" (confident), "review" (plausible, a human should check the
    ranked alternatives) or "unmatched". Debits are never matched. Short payments are
    applied to the named invoices and flagged; nothing is written off.

    Args:
        transactions: Bank transaction ids to match. Leave empty to match every
            imported credit not yet applied or proposed.
        since: Only transactions booked on or after this date.
        remittance_text: Remittance advice the customer sent (email text or a CSV/PDF
            text listing invoice numbers and amounts), used as extra evidence.
        limit: At most this many transactions are listed in the answer.
    """
    run = run_cash_application(
        ctx.session,
        CashApplicationRequest(
            transactions=transactions or None,
            since=since,
            advice=[parse_advice(remittance_text)] if remittance_text else [],
            requested_by=ctx.requester,
            queue=False,  # the agent queues what its tools propose, in its conversation
        ),
        settings=_settings(ctx),
        clock=ctx.clock,
        policy=ctx.policy,
    )
    results = run.results
    proposals = [
        action.model_copy(update={"conversation_id": ctx.conversation_id})
        for action in run.proposals
    ]
    counts = run.counts()
    lines = [
        MatchedLine(
            transaction=r.txn.id,
            date=r.txn.date.isoformat(),
            amount=str(r.txn.amount),
            currency=r.txn.currency,
            payer=r.txn.payer,
            status=r.status,
            customer=r.customer,
            allocations=[
                AllocationOut(invoice=a.invoice, amount=str(a.amount)) for a in r.allocations
            ],
            confidence=round(r.confidence, 3),
            why="; ".join(r.reasons),
        )
        for r in results[:limit]
    ]
    applied = sum((r.allocated for r in results if r.status == "auto"), Decimal("0"))
    currency = results[0].txn.currency if results else "USD"
    if not results:
        summary = "No unapplied bank transactions to match."
    else:
        summary = (
            f"{len(results)} bank transaction(s): {counts['auto']} auto-matched "
            f"({format_money(applied, currency)}), {counts['review']} to review, "
            f"{counts['unmatched']} unmatched; {len(proposals)} apply_payment proposal(s) "
            "await approval."
        )
    return RemittanceResult(
        summary=summary,
        proposals=proposals,
        lines=lines,
        auto=counts["auto"],
        review=counts["review"],
        unmatched=counts["unmatched"],
    )
