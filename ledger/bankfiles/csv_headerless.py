"""Headerless CSV exports (Triodos, ASN, old Rabobank, Erste George...): columns by content.

A file whose first rows name no columns is read when its content leaves no doubt: every
row has the same number of cells, exactly one column holds dates in every row, exactly
one holds amounts (or one amount and one debit/credit mark column), and a currency
column is taken when its cells are all currency codes. Text columns become the payer
(the first mostly-letters column) and the reference (all text columns). When two
columns could be the amount or the date, the file is refused with what to pass
(``--columns date=N,amount=N``): a guess between two amounts is never made.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence

from ledger.bankfiles.common import CURRENCIES
from ledger.bankfiles.csv_mapping import CsvMapping

DELIMITERS = (",", ";", "\t", "|")
_DATE = re.compile(r"^(\d{4}[-/.]?\d{2}[-/.]?\d{2}|\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4})$")
_AMOUNT = re.compile(r"^[-+]?\(?[-+]?\d[\d.,' ]*\)?[-+]?$")
_IBAN_OR_NUMBER = re.compile(r"^([A-Z]{2}\d{2}[A-Z0-9]{10,30}|[\d .\-/]+)$")


class Ambiguous(Exception):
    """The content does not say which column is which; the message says what to pass."""


def _rows(text: str, delimiter: str) -> list[list[str]]:
    return [
        r for r in csv.reader(io.StringIO(text), delimiter=delimiter) if any(c.strip() for c in r)
    ]


def _all(cells: Sequence[str], pattern: re.Pattern[str]) -> bool:
    values = [c.strip() for c in cells if c.strip()]
    return bool(values) and all(pattern.match(v) for v in values)


def infer_headerless(text: str, marks: frozenset[str]) -> tuple[str, CsvMapping] | None:
    """(delimiter, mapping with 0-based column numbers) for a headerless export, or None
    when the text does not look like one. Raises :class:`Ambiguous` when it does but two
    columns compete for the date or the amount."""
    sample = "\n".join(text.splitlines()[:200])
    for delimiter in DELIMITERS:
        rows = _rows(sample, delimiter)
        if len(rows) < 1 or len({len(r) for r in rows}) != 1 or len(rows[0]) < 3:
            continue
        columns = list(zip(*rows, strict=True))
        dates = [i for i, col in enumerate(columns) if _all(col, _DATE)]
        amounts = [
            i
            for i, col in enumerate(columns)
            if i not in dates
            and _all(col, _AMOUNT)
            and any(re.search(r"[.,]\d{1,2}\)?[-+]?$", c.strip()) for c in col)
        ]
        if not dates or not amounts:
            continue
        directions = [
            i for i, col in enumerate(columns) if all(c.strip().lower() in marks for c in col)
        ]
        currencies = [
            i for i, col in enumerate(columns) if all(c.strip().upper() in CURRENCIES for c in col)
        ]
        if len(amounts) > 1:
            listed = ", ".join(str(i + 1) for i in amounts)
            raise Ambiguous(
                f"headerless CSV: columns {listed} all hold amounts; say which with "
                "--columns date=N,amount=N (or credit=N,debit=N)"
            )
        texts = [
            i
            for i, col in enumerate(columns)
            if i not in dates + amounts + directions + currencies
            and any(re.search(r"[A-Za-z]{3}", c) for c in col)
            and not _all(col, _IBAN_OR_NUMBER)
        ]
        ibans = [
            i
            for i, col in enumerate(columns)
            if i not in dates + amounts + directions + currencies + texts
            and _all(col, re.compile(r"^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$"))
        ]
        own = [i for i in ibans if len({c.strip() for c in columns[i]}) == 1 and len(rows) > 1]
        counter = [i for i in ibans if i not in own]
        payer = next((i for i in texts if _mostly_names(columns[i])), None)
        mapping = CsvMapping(
            date=dates[0],
            value_date=dates[1] if len(dates) > 1 else None,
            amount=amounts[0],
            direction=directions[0] if directions else None,
            currency=currencies[0] if currencies else None,
            payer=payer,
            payer_account=counter[0] if counter else None,
            reference=[i for i in texts if i != payer] or ([payer] if payer is not None else []),
            account=columns[own[0]][0].strip() if own else None,
        )
        return delimiter, mapping
    return None


def _mostly_names(cells: Sequence[str]) -> bool:
    """A column of short, letter-only values (a name), not free text with numbers."""
    values = [c.strip() for c in cells if c.strip()]
    return bool(values) and all(
        len(v) <= 40 and not re.search(r"\d", v) and len(v.split()) <= 5 for v in values
    )
