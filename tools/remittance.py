"""Tool: match imported bank credits to open invoices (cash application) and propose applying them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from pydantic import BaseModel

from core.money import format_money
from matching.remittance_advice import parse_advice
from matching.service import match_transactions, pending_transactions, to_action
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
    txns = pending_transactions(ctx.session, bank_ids=transactions or None)
    if since is not None:
        txns = [t for t in txns if t.date >= since]
    advice = [parse_advice(remittance_text)] if remittance_text else []
    results = match_transactions(ctx.session, txns, settings=_settings(ctx), advice=advice)
    proposals = []
    for r in results:
        action = to_action(r, requested_by=ctx.requester)
        if action is not None:
            proposals.append(action.model_copy(update={"conversation_id": ctx.conversation_id}))
    counts = {
        s: sum(1 for r in results if r.status == s and r.txn.direction == "credit")
        for s in ("auto", "review", "unmatched")
    }
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
