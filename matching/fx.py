"""Payments in another currency than their invoices: matched on the reference, at a rate.

Pure. When a payment's reference names (exactly) invoices of one customer in one other
currency, the set is a candidate at the rate the payment implies. The rate is checked
against the statement's own evidence (the instructed amount in the invoices' currency,
or the bank's ``CcyXchg`` rate), else the policy's reference rate for the pair: within
``fx_tolerance_percent`` the difference is an FX gain or loss line and the match may be
``auto`` when the payer's name agrees; with only the implied rate, or outside the
tolerance, a person reviews it. Never ``auto`` on a guess.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from core.money import money_str
from matching.types import MatchSettings, OpenItem, Txn

RATE = Decimal("0.000001")


def reference_rate(
    txn: Txn, invoice_ccy: str, total: Decimal, s: MatchSettings
) -> tuple[Decimal, str] | None:
    """Units of the payment's currency per one of the invoices', and where it came from."""
    if txn.instructed and txn.instructed[1] == invoice_ccy and txn.instructed[0] > 0:
        return txn.amount / txn.instructed[0], "statement (instructed amount)"
    if txn.exchange:
        rate, source, target = txn.exchange
        if rate > 0 and source == invoice_ccy and target in (txn.currency, None):
            return rate, "statement (CcyXchg)"
        if rate > 0 and source == txn.currency and target == invoice_ccy:
            return 1 / rate, "statement (CcyXchg)"
    rates = dict(s.fx_rates)
    if f"{invoice_ccy}{txn.currency}" in rates:
        return rates[f"{invoice_ccy}{txn.currency}"], "policy"
    if f"{txn.currency}{invoice_ccy}" in rates:
        return 1 / rates[f"{txn.currency}{invoice_ccy}"], "policy"
    return None


def assess(txn: Txn, items: Sequence[OpenItem], s: MatchSettings) -> tuple[bool, dict[str, Any]]:
    """(rate checked and within tolerance, the ``fx`` line) for paying ``items`` with ``txn``."""
    invoice_ccy = items[0].currency
    total = sum((i.balance for i in items), Decimal(0))
    implied = txn.amount / total
    found = reference_rate(txn, invoice_ccy, total, s)
    line: dict[str, Any] = {
        "invoice_currency": invoice_ccy,
        "payment_currency": txn.currency,
        "invoices_total": money_str(total, invoice_ccy),
        "implied_rate": str(implied.quantize(RATE)),
    }
    if found is None:
        line |= {"rate": str(implied.quantize(RATE)), "source": "implied", "gain_loss": "0.00"}
        return False, line
    rate, source = found
    expected = (total * rate).quantize(Decimal("0.01"))
    deviation = abs(implied / rate - 1) * 100
    line |= {
        "rate": str(rate.quantize(RATE)),
        "source": source,
        # paid more than the invoices are worth at the rate: a gain; less: a loss
        "gain_loss": money_str(txn.amount - expected, txn.currency),
        "deviation_percent": str(deviation.quantize(Decimal("0.01"))),
    }
    return deviation <= s.fx_tolerance_percent, line
