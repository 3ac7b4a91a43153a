"""What a short payment's shortfall is: a deduction the policy allows, or one to resolve.

Pure. Given the invoices a payment settles and by how much it falls short, the
shortfall is an ``early_payment_discount`` (the terms' percentage of the invoices, to
the cent, paid within the discount days of the invoice date), a ``withholding_tax``
(one of the policy's rates, to the cent), a ``bank_fee`` (at most the policy's bank-fee
maximum), or else ``unexplained``: a deduction to resolve, owned by the policy's owner.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from core.money import money_str
from matching.types import MatchSettings, OpenItem

WITHIN_POLICY = ("early_payment_discount", "withholding_tax", "bank_fee")
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Deduction:
    type: str  # early_payment_discount | withholding_tax | bank_fee | unexplained
    amount: Decimal
    invoice: str  # the invoice the deduction line sits on (the last one paid)
    reason: str
    owner: str | None = None  # who resolves an unexplained deduction

    @property
    def within_policy(self) -> bool:
        return self.type in WITHIN_POLICY

    def to_dict(self, currency: str) -> dict[str, Any]:
        out: dict[str, Any] = {
            "type": self.type,
            "invoice": self.invoice,
            "amount": money_str(self.amount, currency),
            "within_policy": self.within_policy,
            "reason": self.reason,
        }
        if self.owner:
            out["owner"] = self.owner
        return out


def _share(total: Decimal, percent: Decimal) -> Decimal:
    return (total * percent / 100).quantize(CENT, rounding=ROUND_HALF_UP)


def _close(a: Decimal, b: Decimal, items: int) -> bool:
    """Equal to the cent; a set of several invoices may round one cent each."""
    return abs(a - b) <= CENT * (items - 1 if items > 1 else 0)


def policy_rate(
    short: Decimal, items: Sequence[OpenItem], paid_on: date, s: MatchSettings
) -> str | None:
    """``early_payment_discount`` / ``withholding_tax`` when ``short`` is exactly one of
    the policy's percentages of the items' balances, else None."""
    total = sum((i.balance for i in items if i.balance > 0), Decimal(0))
    if total <= 0 or short <= 0:
        return None
    if s.discount_percent > 0 and _close(short, _share(total, s.discount_percent), len(items)):
        issued = [i.issue_date for i in items if i.issue_date is not None]
        if issued and all(paid_on <= d + timedelta(days=s.discount_days) for d in issued):
            return "early_payment_discount"
    for rate in s.withholding_percents:
        if _close(short, _share(total, rate), len(items)):
            return "withholding_tax"
    return None


def classify(
    short: Decimal, items: Sequence[OpenItem], paid_on: date, s: MatchSettings
) -> Deduction:
    """The deduction line for a payment ``short`` of ``items``' balances."""
    last = [i for i in items if i.balance > 0][-1].invoice
    kind = policy_rate(short, items, paid_on, s)
    if kind == "early_payment_discount":
        return Deduction(
            kind, short, last, f"{s.discount_percent}% discount paid within {s.discount_days} days"
        )
    if kind == "withholding_tax":
        total = sum((i.balance for i in items if i.balance > 0), Decimal(0))
        rate = next(
            r for r in s.withholding_percents if _close(short, _share(total, r), len(items))
        )
        return Deduction(kind, short, last, f"withholding tax {rate}%")
    if short <= s.max_fee:
        return Deduction("bank_fee", short, last, f"bank fee up to {s.max_fee}")
    return Deduction(
        "unexplained",
        short,
        last,
        "short payment with no reason the policy allows",
        s.deduction_owner,
    )


def gross_amounts(amount: Decimal, s: MatchSettings) -> list[tuple[str, Decimal]]:
    """Invoice totals that ``amount`` pays net of one of the policy's percentages."""
    out = []
    if s.discount_percent > 0:
        out.append(("early_payment_discount", amount / (1 - s.discount_percent / 100)))
    out += [("withholding_tax", amount / (1 - r / 100)) for r in s.withholding_percents if r < 100]
    return [(k, g.quantize(CENT)) for k, g in out]
