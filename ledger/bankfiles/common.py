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


def finalize_ids(lines: list[StatementLine], *, drop_repeats: bool = False) -> list[str]:
    """Give lines without a unique bank id the ``<date>/<seq>`` fallback id.

    With ``drop_repeats`` (formats whose ids are per transaction: OFX FITID, a CSV id
    column), a line repeating another's bank id with the same date, amount, direction,
    payer and text is the same transaction delivered twice: it is dropped (removed from
    ``lines``) and said so. An id the bank repeats for a different transaction is not an id: both
    lines are kept with the fallback id, and that is said too. Amounts written with
    fewer decimals than the currency has (``"7,5"``) get them. Returns what was said.
    """
    notes: list[str] = []
    first: dict[str, StatementLine] = {}
    kept: list[StatementLine] = []
    for line in lines:
        line.amount = pad_decimals(line.amount, line.currency)
        earlier = first.get(line.bank_id) if line.bank_id and not line.synthetic_id else None
        if drop_repeats and earlier is not None and _same_transaction(earlier, line):
            notes.append(
                f"id {line.bank_id}: repeated with the same date and amount "
                f"({line.booking_date} {line.direction} {line.amount}): dropped as a duplicate"
            )
            continue
        if earlier is not None and drop_repeats:
            notes.append(
                f"id {line.bank_id}: used for two different transactions "
                f"({earlier.booking_date} {earlier.amount}, {line.booking_date} {line.amount}): "
                "both kept"
            )
        elif line.bank_id and not line.synthetic_id:
            first[line.bank_id] = line
        kept.append(line)
    lines[:] = kept
    counts = Counter(line.bank_id for line in lines if line.bank_id and not line.synthetic_id)
    for seq, line in enumerate(lines, start=1):
        if line.synthetic_id or not line.bank_id or counts[line.bank_id] > 1:
            if line.bank_id and not line.synthetic_id:
                line.raw.setdefault("bank_ref", line.bank_id)
            line.bank_id = f"{line.booking_date.isoformat()}/{seq:04d}"
            line.synthetic_id = True
    return notes


def _same_transaction(a: StatementLine, b: StatementLine) -> bool:
    return (a.booking_date, a.amount, a.direction, a.payer_name, a.reference) == (
        b.booking_date,
        b.amount,
        b.direction,
        b.payer_name,
        b.reference,
    )
