"""The one formatter: money, numbers, dates and plurals through Babel, per locale.

Pages use the viewer's locale, emails and PDFs the customer's, Slack the approver's
(English unless set). Money always carries its ISO code (``12,400.00 USD``,
``12.400,00 EUR``): a reader in another country must never guess the currency. Amounts
are Decimal; the currency decides the decimals (JPY none, KWD three).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from babel.numbers import format_compact_decimal, format_currency, format_decimal
from babel.units import format_unit

DEFAULT_LOCALE = "en"
# Dates in reminders: a fixed pattern per language (what customers there expect in a letter).
_DATE_PATTERNS = {"en": "MMM d, y", "de": "dd.MM.y", "fr": "dd/MM/y", "es": "dd/MM/y"}
_MONEY_PATTERN = "#,##0.00 ¤¤"


@lru_cache(maxsize=64)
def locale_of(code: str | None) -> str:
    """A Babel locale name for a language code ("de-AT" → "de_AT"; unknown → "en")."""
    raw = (code or DEFAULT_LOCALE).replace("-", "_").strip() or DEFAULT_LOCALE
    try:
        return str(Locale.parse(raw))
    except (UnknownLocaleError, ValueError):
        return DEFAULT_LOCALE


def money(amount: Decimal, currency: str, locale: str | None = None) -> str:
    """``-12,400.50 USD`` (en), ``12.400,50 EUR`` (de): the currency's decimals, its code."""
    text = format_currency(
        amount,
        currency.upper(),
        format=_MONEY_PATTERN,
        locale=locale_of(locale),
        currency_digits=True,
    )
    return text.replace("\xa0", " ")


def compact_money(amount: Decimal, locale: str | None = None) -> str:
    """``4.2M``, ``830K``: chart labels and tight tiles (the currency is in the title)."""
    text = format_compact_decimal(amount, locale=locale_of(locale), fraction_digits=1)
    return text.replace("\xa0", " ")


def number(value: Decimal | int, locale: str | None = None, *, places: int = 0) -> str:
    pattern = "#,##0" + ("." + "0" * places if places else "")
    return format_decimal(value, format=pattern, locale=locale_of(locale))


def day(value: date, locale: str | None = None) -> str:
    """``Nov 9, 2026`` (en), ``09.11.2026`` (de), ``09/11/2026`` (fr, es), else Babel's medium."""
    name = locale_of(locale)
    pattern = _DATE_PATTERNS.get(name.split("_")[0], "medium")
    return format_date(value, pattern, locale=name)


def days(count: int, locale: str | None = None) -> str:
    """``1 day``, ``5 days``, ``1 Tag``, ``5 Tage``: the plural rules of the locale."""
    return format_unit(count, "duration-day", length="long", locale=locale_of(locale))
