"""Money is Decimal with a currency, never float."""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

from core import formatting

# ISO 4217 minor units that differ from 2.
_MINOR_UNITS = {
    "BIF": 0,
    "CLP": 0,
    "DJF": 0,
    "GNF": 0,
    "ISK": 0,
    "JPY": 0,
    "KMF": 0,
    "KRW": 0,
    "PYG": 0,
    "RWF": 0,
    "UGX": 0,
    "VND": 0,
    "VUV": 0,
    "XAF": 0,
    "XOF": 0,
    "XPF": 0,
    "BHD": 3,
    "IQD": 3,
    "JOD": 3,
    "KWD": 3,
    "LYD": 3,
    "OMR": 3,
    "TND": 3,
}
_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "CHF": "CHF "}


def minor_units(currency: str) -> int:
    """Number of decimals of ``currency`` (ISO 4217), 2 unless known otherwise."""
    return _MINOR_UNITS.get(currency.upper(), 2)


def quantum(currency: str) -> Decimal:
    return Decimal(1).scaleb(-minor_units(currency))


def round_money(amount: Decimal, currency: str) -> Decimal:
    """Round half-even to the currency's minor unit."""
    return amount.quantize(quantum(currency), rounding=ROUND_HALF_EVEN)


def parse_amount(text: str | int | Decimal) -> Decimal:
    """Parse a decimal amount string strictly ("12400.00", "-5", "1e3" is refused).

    Raises ValueError with a readable message; floats are refused on purpose.
    """
    if isinstance(text, bool | float):
        raise ValueError(
            f"{text!r} is not a decimal amount (amounts are decimal strings, never floats)"
        )
    if isinstance(text, Decimal):
        value = text
    elif isinstance(text, int):
        value = Decimal(text)
    else:
        cleaned = str(text).strip()
        if not cleaned or any(c not in "0123456789.-+" for c in cleaned):
            raise ValueError(f"{text!r} is not a decimal amount")
        try:
            value = Decimal(cleaned)
        except InvalidOperation as exc:
            raise ValueError(f"{text!r} is not a decimal amount") from exc
    if not value.is_finite():
        raise ValueError(f"{text!r} is not a decimal amount")
    return value


def format_money(
    amount: Decimal, currency: str, *, symbol: bool = False, locale: str | None = None
) -> str:
    """Format like ``12,400.00 USD`` (or ``$12,400.00`` with ``symbol=True``) through
    :func:`core.formatting.money` in ``locale`` (English by default)."""
    value = round_money(amount, currency)
    if symbol and currency.upper() in _SYMBOLS:
        places = minor_units(currency)
        sign = "-" if value < 0 else ""
        return f"{sign}{_SYMBOLS[currency.upper()]}{abs(value):,.{places}f}"
    return formatting.money(value, currency, locale)


def money_str(amount: Decimal, currency: str = "USD") -> str:
    """Plain machine string with the currency's decimals: ``12400.00``."""
    return str(round_money(amount, currency))
