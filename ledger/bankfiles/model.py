"""What every bank-file parser returns: statements made of transaction lines."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Literal


@dataclass
class StatementLine:
    """One booked transaction. ``amount`` is positive; ``direction`` says which way.

    ``bank_id`` is the bank's own id where the file has one (camt AcctSvcrRef / NtryRef,
    BAI2 bank reference, MT940 bank reference, OFX FITID), else ``"<date>/<seq>"`` with a
    sequence unique within the statement. ``reference`` is the remittance text matching
    reads (unstructured + structured references, SEPA /REMI/, SVWZ+, end-to-end id...).
    """

    bank_id: str
    booking_date: date
    amount: Decimal
    currency: str
    direction: Literal["credit", "debit"]
    value_date: date | None = None
    payer_name: str | None = None
    payer_account: str | None = None
    reference: str = ""
    end_to_end_id: str | None = None
    raw: dict[str, Any] = field(default_factory=dict)
    #: True when the file gave no usable id and ``bank_id`` is the ``<date>/<seq>`` fallback;
    #: the store then derives a stable dedup key from the line's content.
    synthetic_id: bool = False


@dataclass
class Statement:
    format: str  # camt052 | camt053 | camt054 | bai2 | mt940 | ofx | csv
    account: str | None
    currency: str | None
    lines: list[StatementLine]
    statement_id: str | None = None
    opening_balance: Decimal | None = None
    closing_balance: Decimal | None = None
    #: one line per record of the file that was deliberately not turned into a line
    #: (summary rows, failed payments, non-monetary records), so nothing vanishes silently
    skipped: list[str] = field(default_factory=list)
    #: set by a parser whose file carries running balances that do not follow from the
    #: lines (a CSV balance column): the import refuses the statement with this text
    balance_problem: str | None = None

    def balance_difference(self) -> Decimal | None:
        """Opening balance + lines - closing balance: 0 when the statement reconciles,
        None when the file gives no opening or closing balance."""
        if self.opening_balance is None or self.closing_balance is None:
            return None
        net = sum(
            (x.amount if x.direction == "credit" else -x.amount for x in self.lines), Decimal(0)
        )
        return self.opening_balance + net - self.closing_balance
