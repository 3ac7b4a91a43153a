"""Reading CSV cell values: amounts in any locale and dates in a file-wide order."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from ledger.bankfiles.common import fail
from ledger.bankfiles.csv_mapping import names

_MONTHS = {m: i for i, m in enumerate(names("jan,feb,mar,apr,may,jun,jul,aug,sep,oct,nov,dec"), 1)}


def parse_money(text: str, decimal: str, name: str, where: str) -> Decimal | None:
    """``"1.234,56 €"``, ``"(12.00)"``, ``"-1,058.09"``, ``"12.00-"``, ``"5.00 DR"`` → Decimal.

    An empty cell is None (no amount in that column).
    """
    value = re.sub(r"[^\d,.\-+()]", "", text.replace("\u2212", "-"))
    if not re.search(r"\d", value):
        if text.strip() in ("", "-", "--"):
            return None
        raise fail(name, f"{where}: amount {text!r} is not a number")
    mark = re.search(r"(?i)\b(CR|DR)\.?\s*$", text)  # "100.00 DR" / "100.00 CR"
    negative = value.startswith("-") or value.endswith("-") or value.startswith("(")
    if mark:
        negative = mark.group(1).upper() == "DR"
    digits = value.strip("+-()")
    thousands = "." if decimal == "," else ","
    digits = digits.replace(thousands, "").replace(decimal, ".")
    try:
        amount = Decimal(digits)
    except InvalidOperation:
        raise fail(name, f"{where}: amount {text!r} is not a number") from None
    return -amount if negative else amount


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
