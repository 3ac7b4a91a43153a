"""Plain data the matching engine reads and returns (no database, no I/O).

``MatchResult.to_dict()`` is the CONTRACTS.md §4 JSON object for one bank transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Literal

from core.money import money_str

Status = Literal["auto", "review", "unmatched"]


@dataclass(frozen=True)
class MatchSettings:
    """Policy numbers for cash application (POLICY.md "Ledger changes").

    ``auto_threshold``: confidence at or above which a match is proposed as ``auto``.
    ``tolerance_pct`` / ``tolerance_abs``: an amount within this share or this absolute
    amount of an open balance (whichever is smaller) is an amount match.
    ``review_threshold``: below it a transaction is ``unmatched`` (suggestions kept).
    ``max_fee``: the largest shortfall treated as a bank fee rather than a partial payment.
    """

    auto_threshold: float = 0.95
    tolerance_pct: Decimal = Decimal("0.01")
    tolerance_abs: Decimal = Decimal("50.00")
    tolerance_rule: Literal["smaller", "larger"] = "smaller"
    review_threshold: float = 0.30
    max_fee: Decimal = Decimal("50.00")
    max_subset_items: int = 6
    max_suggestions: int = 5
    #: deductions the policy allows (``cash_application.deductions``)
    discount_percent: Decimal = Decimal("2")
    discount_days: int = 10
    withholding_percents: tuple[Decimal, ...] = tuple(
        Decimal(x) for x in ("5", "10", "15", "20", "25", "30")
    )
    deduction_owner: str = "accounts-receivable"
    #: payments in another currency (``cash_application.fx``)
    fx_tolerance_percent: Decimal = Decimal("2")
    fx_rates: tuple[tuple[str, Decimal], ...] = ()

    def tolerance(self, amount: Decimal) -> Decimal:
        """The amount-match tolerance around ``amount``: 1% or 50.00, whichever is smaller."""
        pick = min if self.tolerance_rule == "smaller" else max
        return pick(abs(amount) * self.tolerance_pct, self.tolerance_abs)

    @classmethod
    def from_policy(cls, policy: Any) -> MatchSettings:
        """Settings from a loaded policy (``policies.config.load_policy()``)."""
        cash = policy.cash_application
        deductions, fx = cash.deductions, cash.fx
        return cls(
            auto_threshold=float(cash.auto_match_confidence),
            tolerance_pct=Decimal(cash.amount_tolerance_percent) / 100,
            tolerance_abs=Decimal(cash.amount_tolerance_absolute),
            tolerance_rule=cash.amount_tolerance_rule,
            max_fee=Decimal(deductions.bank_fee_max),
            discount_percent=Decimal(deductions.early_payment_discount_percent),
            discount_days=deductions.early_payment_discount_days,
            withholding_percents=tuple(Decimal(r) for r in deductions.withholding_tax_percents),
            deduction_owner=deductions.owner,
            fx_tolerance_percent=Decimal(fx.tolerance_percent),
            fx_rates=tuple(sorted((k.upper(), Decimal(v)) for k, v in fx.rates.items())),
        )


@dataclass(frozen=True)
class OpenItem:
    """One open invoice as matching sees it."""

    invoice: str
    customer: str
    balance: Decimal
    currency: str = "USD"
    due_date: date | None = None
    po_number: str | None = None
    amount: Decimal | None = None
    issue_date: date | None = None


@dataclass
class CustomerProfile:
    """Everything that can identify a payer: names, aliases, domains, past payers, accounts."""

    id: str
    name: str
    aliases: list[str] = field(default_factory=list)
    domains: list[str] = field(default_factory=list)
    past_payers: list[str] = field(default_factory=list)
    accounts: list[str] = field(default_factory=list)
    #: the group parent's customer id (ledger ``parent``): its payments may pay this one
    parent: str | None = None


@dataclass(frozen=True)
class Txn:
    """One bank transaction to match. ``amount`` is positive; ``direction`` says which way."""

    id: str
    date: date
    amount: Decimal
    currency: str
    direction: Literal["credit", "debit"] = "credit"
    payer: str | None = None
    reference: str = ""
    payer_account: str | None = None
    #: why the bank marked this line a return / reversal (``ledger.bankfiles.returns``)
    return_reason: str | None = None
    #: the amount the payer instructed in another currency (camt ``InstdAmt``)
    instructed: tuple[Decimal, str] | None = None
    #: the bank's exchange rate: (rate, source currency, target currency) (camt ``CcyXchg``)
    exchange: tuple[Decimal, str | None, str | None] | None = None


@dataclass(frozen=True)
class Alloc:
    invoice: str
    amount: Decimal


@dataclass
class Suggestion:
    """One candidate allocation set with its confidence and the evidence behind it."""

    customer: str
    allocations: list[Alloc]
    confidence: float
    reasons: list[str] = field(default_factory=list)

    def to_dict(self, currency: str) -> dict[str, Any]:
        return {
            "customer": self.customer,
            "allocations": [
                {"invoice": a.invoice, "amount": money_str(a.amount, currency)}
                for a in self.allocations
            ],
            "confidence": round(self.confidence, 4),
            "reasons": self.reasons,
        }


@dataclass
class MatchResult:
    txn: Txn
    status: Status
    customer: str | None = None
    allocations: list[Alloc] = field(default_factory=list)
    confidence: float = 0.0
    suggestions: list[Suggestion] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    short_by: Decimal | None = None
    unapplied: Decimal | None = None
    #: on a return: the transaction id of the payment it sends back
    reversal_of: str | None = None
    #: on a payment: the transaction id of the return that sent it back
    returned_by: str | None = None
    #: typed deduction lines for a short payment (``matching.deductions.Deduction``)
    deductions: list[Any] = field(default_factory=list)
    #: a payment in another currency than its invoices: rate, source, gain or loss
    fx: dict[str, Any] | None = None

    @property
    def allocated(self) -> Decimal:
        return sum((a.amount for a in self.allocations), Decimal("0"))

    def to_dict(self) -> dict[str, Any]:
        """The CONTRACTS.md §4 object (plus ``reasons``, ``short_by``, ``unapplied``)."""
        cur = self.txn.currency
        out: dict[str, Any] = {
            "transaction": self.txn.id,
            "date": self.txn.date.isoformat(),
            "amount": money_str(self.txn.amount, cur),
            "currency": cur,
            "payer": self.txn.payer,
            "reference": self.txn.reference,
            "status": self.status,
            "customer": self.customer,
            "allocations": [
                {"invoice": a.invoice, "amount": money_str(a.amount, cur)} for a in self.allocations
            ],
            "confidence": round(self.confidence, 4),
            "suggestions": [s.to_dict(cur) for s in self.suggestions],
            "reasons": self.reasons,
        }
        if self.short_by is not None:
            out["short_by"] = money_str(self.short_by, cur)
        if self.unapplied is not None:
            out["unapplied"] = money_str(self.unapplied, cur)
        if self.txn.return_reason:
            out["return"] = self.txn.return_reason
        if self.reversal_of is not None:
            out["reversal_of"] = self.reversal_of
        if self.returned_by is not None:
            out["returned_by"] = self.returned_by
        if self.deductions:
            out["deductions"] = [d.to_dict(cur) for d in self.deductions]
        if self.fx is not None:
            out["fx"] = self.fx
        return out
