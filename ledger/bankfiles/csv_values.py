"""Reading CSV cell values: amounts in any locale and dates in a file-wide order."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from ledger.bankfiles.common import fail
from ledger.bankfiles.csv_mapping import names

_MONTHS = {m: i for i, m in enumerate(names("jan,feb,mar,apr,may,jun,jul,aug,sep,oct,nov,dec"), 1)}


# What an amount cell may hold besides digits: separators, signs, brackets, a CR/DR mark
# and a currency symbol or code. Anything else ("12,40O.00") is a typo, never dropped.
_SYMBOLS = "$€£¥₹₩₽₺₪"
_MONEY_CELL = re.compile(
    rf"""^\s*(?P<pre_sign>[-+−]?)\s*(?P<open>\(?)\s*(?P<pre_ccy>[{_SYMBOLS}]|[A-Z]{{3}}|[A-Z]{{1,2}}\$)?
    \s*(?P<pre_sign2>[-+−]?)\s*(?P<number>\d[\d.,'   ]*\d|\d)
    \s*(?P<post_ccy>[{_SYMBOLS}]|[A-Z]{{3}})?\s*(?P<close>\)?)\s*(?P<post_sign>[-+]?)
    \s*(?P<mark>(?i:CR|DR)\.?)?\s*$""",
    re.VERBOSE,
)


def parse_money(text: str, decimal: str, name: str, where: str) -> Decimal | None:
    """``"1.234,56 €"``, ``"(12.00)"``, ``"-1,058.09"``, ``"12.00-"``, ``"5.00 DR"`` → Decimal.

    An empty cell is None (no amount in that column). Only digits, separators, signs,
    brackets, CR/DR and a currency symbol or code are accepted: a cell with anything
    else is refused naming the file, the row and the text.
    """
    if text.strip() in ("", "-", "--"):
        return None
    match = _MONEY_CELL.match(text)
    if match is None or bool(match.group("open")) != bool(match.group("close")):
        raise fail(name, f"{where}: amount {text!r} is not a number")
    number = match.group("number").replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    number = number.replace("'", "")
    thousands = "." if decimal == "," else ","
    integer, _, fraction = number.rpartition(decimal) if decimal in number else (number, "", "")
    if thousands in fraction or not _grouped(integer, thousands):
        raise fail(name, f"{where}: amount {text!r} is not a number")
    try:
        amount = Decimal(integer.replace(thousands, "") + ("." + fraction if fraction else ""))
    except InvalidOperation:
        raise fail(name, f"{where}: amount {text!r} is not a number") from None
    signs = [match.group(g) for g in ("pre_sign", "pre_sign2", "post_sign")]
    negative = any(sign in ("-", "\u2212") for sign in signs) or bool(match.group("open"))
    if match.group("mark"):
        negative = match.group("mark").upper().startswith("DR")
    return -amount if negative else amount


def _grouped(integer: str, thousands: str) -> bool:
    """``1,234,567`` or ``1234567``: thousands groups of three, or none at all."""
    if thousands not in integer:
        return integer.isdigit() or integer == ""
    head, *groups = integer.split(thousands)
    return (
        1 <= len(head) <= 3 and head.isdigit() and all(len(g) == 3 and g.isdigit() for g in groups)
    )


def guess_decimal(values: list[str]) -> str:
    comma = sum(
        1 for v in values if re.search(r",\d{1,2}\D*$", v) and not re.search(r"\.\d{1,2}\D*$", v)
    )
    point = sum(1 for v in values if re.search(r"\.\d{1,2}\D*$", v))
    if comma == point == 0:
        comma = sum(1 for v in values if re.search(r"\d\.\d{3}(?:\D|$)", v))
    return "," if comma > point else "."


def date_parser(
    values: list[str], day_first: bool, fmt: str | None
) -> Callable[[str], date | None]:
    """A parser for the file's date column, with the day/month order decided once.

    ``day_first`` is the guess for a file whose dates never show a day above 12.
    """
    if fmt:

        def explicit(text: str) -> date | None:
            try:
                return datetime.strptime(text.strip(), fmt).date()
            except ValueError:
                return None

        return explicit
    for value in values:
        match = re.match(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2,4})\b", value)
        if match:
            if int(match.group(1)) > 12:
                day_first = True
                break
            if int(match.group(2)) > 12:
                day_first = False
                break
    return lambda text: _parse_date(text, day_first)


def _parse_date(text: str, day_first: bool) -> date | None:
    text = text.strip()
    try:
        if m := re.match(r"^(\d{4})[-/.]?(\d{2})[-/.]?(\d{2})(?:$|[T\s])", text):
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if m := re.match(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2,4})(?:$|\s)", text):
            first, second, year = int(m.group(1)), int(m.group(2)), _year(m.group(3))
            day, month = (first, second) if day_first else (second, first)
            return date(year, month, day)
        if m := re.match(r"^(\d{1,2})[\s\-/.]([A-Za-z]{3})[A-Za-z]*\.?[\s\-/.,]+(\d{2,4})", text):
            return date(_year(m.group(3)), _MONTHS[m.group(2).lower()], int(m.group(1)))
        if m := re.match(r"^([A-Za-z]{3})[A-Za-z]*\.?\s+(\d{1,2}),?\s+(\d{4})", text):
            return date(int(m.group(3)), _MONTHS[m.group(1).lower()], int(m.group(2)))
    except (ValueError, KeyError):
        return None
    return None


def _year(text: str) -> int:
    year = int(text)
    if len(text) == 2:
        return 2000 + year if year < 80 else 1900 + year
    return year
