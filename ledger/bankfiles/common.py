"""Helpers every bank-file parser shares: decoding, amounts, dates, ids, errors."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from datetime import date
from decimal import Decimal, InvalidOperation

from core.errors import UnsupportedFile
from core.money import quantum
from ledger.bankfiles.model import StatementLine

_WS = re.compile(r"\s+")
#: Currencies recognised when a code must be picked out of free text.
CURRENCIES = frozenset(
    re.findall(
        r"[A-Z]{3}",
        "EUR USD GBP CHF JPY CAD AUD NZD SEK NOK DKK PLN CZK HUF RON BGN HRK MKD RSD RUB UAH TRY "
        "ILS AED SAR QAR KWD BHD OMR EGP ZAR NGN KES MAD MXN BRL ARS CLP COP PEN UYU INR PKR CNY "
        "HKD TWD SGD MYR THB IDR PHP VND KRW ISK",
    )
)


def fail(name: str, reason: str) -> UnsupportedFile:
    """Build the one-line error every parser raises: ``"<file>: <reason>"``."""
    reason = _WS.sub(" ", reason).strip()
    return UnsupportedFile(f"{name}: {reason}")


def decode_text(data: bytes) -> str:
    """Decode a text bank file: UTF-8 (with or without BOM), UTF-16 with BOM, else cp1252."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def clean(text: str | None) -> str:
    """Collapse whitespace runs to one space and strip."""
    return _WS.sub(" ", text or "").strip()


def join_text(parts: Sequence[str | None], sep: str = " | ") -> str:
    """Join the non-empty, distinct, cleaned parts in order."""
    seen: list[str] = []
    for part in parts:
        value = clean(part)
        if value and value not in seen:
            seen.append(value)
    return sep.join(seen)


def decimal_or_none(text: str) -> Decimal | None:
    """``Decimal(text)`` for a plain decimal string, else None."""
    try:
        value = Decimal(text.strip())
    except (InvalidOperation, AttributeError):
        return None
    return value if value.is_finite() else None


def swift_amount(text: str) -> Decimal | None:
    """Parse a SWIFT amount (``1234,56`` or ``12,`` or ``0,5``); None when malformed."""
    text = text.strip()
    if not re.fullmatch(r"\d+(?:[,.]\d*)?", text):
        return None
    integer, _, fraction = text.replace(".", ",").partition(",")
    return Decimal(f"{integer}.{fraction or '0'}")


def yymmdd(text: str) -> date:
    """Parse ``YYMMDD`` with the usual pivot (00-79 → 2000s, 80-99 → 1900s)."""
    yy, mm, dd = int(text[0:2]), int(text[2:4]), int(text[4:6])
    return date(2000 + yy if yy < 80 else 1900 + yy, mm, dd)


def pad_decimals(amount: Decimal, currency: str) -> Decimal:
    """Write ``amount`` with the currency's decimals when no digit is lost.

    ``7.5 EUR`` → ``7.50``; ``1560395.0 JPY`` → ``1560395``; ``1.005 EUR`` stays as is.
    """
    exact = amount.quantize(quantum(currency))
    return exact if exact == amount else amount


def finalize_ids(lines: list[StatementLine]) -> None:
    """Give lines without a unique bank id the ``<date>/<seq>`` fallback id.

    An id the bank repeats inside one statement is not an id: those lines fall back too.
    Amounts written with fewer decimals than the currency has (``"7,5"``) get them.
    """
    for line in lines:
        line.amount = pad_decimals(line.amount, line.currency)
    counts = Counter(line.bank_id for line in lines if line.bank_id and not line.synthetic_id)
    for seq, line in enumerate(lines, start=1):
        if line.synthetic_id or not line.bank_id or counts[line.bank_id] > 1:
            if line.bank_id and not line.synthetic_id:
                line.raw.setdefault("bank_ref", line.bank_id)
            line.bank_id = f"{line.booking_date.isoformat()}/{seq:04d}"
            line.synthetic_id = True
