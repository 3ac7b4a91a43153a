"""The one formatter (Babel): money with its code, dates per language, plural days."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from core import formatting
from core.money import format_money


def test_money_in_each_language_keeps_the_currency_code_and_its_decimals():
    amount = Decimal("-12400.5")
    assert formatting.money(amount, "USD", "en") == "-12,400.50 USD"
    assert formatting.money(amount, "EUR", "de") == "-12.400,50 EUR"
    assert formatting.money(amount, "EUR", "fr") == "-12\u202f400,50 EUR"
    assert formatting.money(Decimal("4986"), "USD", "es") == "4.986,00 USD"
    assert formatting.money(Decimal("1234.5"), "JPY", "en") == "1,234 JPY"
    assert formatting.money(Decimal("1.2345"), "KWD", "en") == "1.234 KWD"
    assert format_money(amount, "USD") == formatting.money(amount, "USD", "en")


def test_unknown_or_regional_languages_fall_back_sensibly():
    assert formatting.locale_of("de-AT") == "de_AT"
    assert formatting.locale_of("xx") == "en" and formatting.locale_of(None) == "en"
    assert formatting.money(Decimal("1000"), "EUR", "xx") == "1,000.00 EUR"


def test_dates_and_plural_days():
    day = date(2026, 11, 9)
    assert formatting.day(day, "en") == "Nov 9, 2026"
    assert formatting.day(day, "de") == "09.11.2026"
    assert formatting.day(day, "fr") == formatting.day(day, "es") == "09/11/2026"
    assert [formatting.days(n, "de") for n in (1, 2)] == ["1 Tag", "2 Tage"]
    assert [formatting.days(n, "en") for n in (1, 5)] == ["1 day", "5 days"]


def test_compact_amounts_for_charts():
    assert formatting.compact_money(Decimal("4225699.08")) == "4.2M"
    assert formatting.compact_money(Decimal("4225699.08"), "de") == "4,2 Mio."
