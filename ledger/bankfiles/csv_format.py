"""CSV bank and payment-provider exports, guided by a ``CsvMapping``.

The delimiter, the header row (metadata lines above it are skipped), the decimal mark
and the date order are guessed from the whole file unless the mapping fixes them. A
date order is decided per file, never per row: a day above 12 in the first position
means day-first, in the second month-first; a file that never says is read month-first
only when it looks American (decimal point and US dollars), day-first otherwise. Summary rows without a date
(``Balance at end of period``) are skipped; rows whose status says the payment failed
are skipped too.
"""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal

from ledger.bankfiles.common import CURRENCIES, clean, decode_text, fail, finalize_ids, join_text
from ledger.bankfiles.csv_headerless import Ambiguous, infer_headerless
from ledger.bankfiles.csv_mapping import CsvMapping, guess_columns, is_header, names, normalise
from ledger.bankfiles.csv_values import date_parser, guess_decimal, parse_money
from ledger.bankfiles.model import Statement, StatementLine
from ledger.bankfiles.remittance_text import read_text_fields

_DELIMITERS = (",", ";", "\t", "|")
_DEBIT_MARKS = frozenset(
    names("d, dr, debit, debet, s, soll, af, -, dbit, cargo, debe, out, withdrawal, lastschrift")
)
_CREDIT_MARKS = frozenset(
    names("c, cr, credit, h, haben, bij, +, crdt, abono, haber, in, deposit, gutschrift")
)
_FAILED = frozenset(
    names(
        "failed, denied, declined, canceled, cancelled, voided, expired, fallido, rechazado, "
        "denegado, cancelado, caducado, abgelehnt, fehlgeschlagen, abgebrochen, echoue, refuse, annule"
    )
)
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}[A-Z0-9]{10,30}\b")
_ACCOUNT_LABEL = re.compile(
    r"(?i)\b(?:account(?: number| no\.?)?|kontonummer|konto|cuenta|compte|rekeningnummer)"
    r"\s*:\s*([A-Z0-9][A-Z0-9 ./-]{3,})"
)


_NO_COLUMNS = (
    "CSV has no header row naming a date and an amount column and its content does not "
    "say which column is which; give them with --columns date=N,amount=N,... "
    "(column numbers from 1 or header names) or a saved bank profile (--profile FILE)"
)


def looks_like_csv(text: str) -> bool:
    """True when some delimiter yields a header row with a date and an amount column, or
    the rows read as a headerless export (dates and amounts in fixed columns)."""
    if _find_header(text, None) is not None:
        return True
    try:
        return infer_headerless(text, _DEBIT_MARKS | _CREDIT_MARKS) is not None
    except Ambiguous:
        return True


def _rows(text: str, delimiter: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


def _find_header(text: str, mapping: CsvMapping | None) -> tuple[str, list[list[str]], int] | None:
    """(delimiter, rows, header index) for the first row that reads as a header."""
    delimiters = (mapping.delimiter,) if mapping and mapping.delimiter else _DELIMITERS
    sample = "\n".join(text.splitlines()[:60])
    best: tuple[str, int] | None = None
    for delimiter in delimiters:
        try:
            rows = _rows(sample, delimiter)
        except csv.Error:
            continue
        start = mapping.skip_rows if mapping else 0
        for index in range(start, min(len(rows), start + 40)):
            if len(rows[index]) > 1 and (
                is_header(rows[index]) or _names_mapped(rows[index], mapping)
            ):
                if best is None or index < best[1]:
                    best = (delimiter, index)
                break
    if best is None:
        return None
    return best[0], _rows(text, best[0]), best[1]


def _headerless(text: str, mapping: CsvMapping) -> tuple[str, list[list[str]], int] | None:
    """A file without header row, read by the column numbers the mapping gives."""
    if not isinstance(mapping.date, int) or not any(
        isinstance(c, int) for c in (mapping.amount, mapping.credit, mapping.debit)
    ):
        return None
    sample = text.splitlines()[:20]
    delimiter = mapping.delimiter or max(
        _DELIMITERS, key=lambda d: min(len(r) for r in _rows("\n".join(sample), d) or [[]])
    )
    return delimiter, _rows(text, delimiter), mapping.skip_rows - 1


def _by_content(
    text: str, mapping: CsvMapping, name: str
) -> tuple[tuple[str, list[list[str]], int], CsvMapping]:
    """A headerless export read by what its columns hold (see ``csv_headerless``)."""
    try:
        inferred = infer_headerless(text, _DEBIT_MARKS | _CREDIT_MARKS)
    except Ambiguous as exc:
        raise fail(name, str(exc)) from None
    if inferred is None:
        raise fail(name, _NO_COLUMNS)
    delimiter, guessed = inferred
    for option in ("default_currency", "decimal", "date_format", "account"):
        if getattr(mapping, option):
            setattr(guessed, option, getattr(mapping, option))
    return (delimiter, _rows(text, delimiter), -1), guessed


def _names_mapped(row: list[str], mapping: CsvMapping | None) -> bool:
    if mapping is None or not isinstance(mapping.date, str):
        return False
    names = {normalise(c) for c in row}
    wanted = [mapping.date, mapping.amount or mapping.credit or mapping.debit]
    return all(isinstance(w, str) and normalise(w) in names for w in wanted)


def _columns(header: list[str], mapping: CsvMapping, name: str) -> dict[str, list[int]]:
    """Guessed columns, overridden by whatever the mapping names explicitly."""
    found = guess_columns(header)
    names = [normalise(h) for h in header]
    for meaning in (
        "date",
        "amount",
        "credit",
        "debit",
        "direction",
        "currency",
        "payer",
        "payer_account",
        "id",
        "value_date",
        "balance",
        "status",
    ):
        wanted = getattr(mapping, meaning)
        if wanted is not None:
            found[meaning] = [_index(wanted, names, name)]
    if mapping.reference:
        found["reference"] = [_index(w, names, name) for w in mapping.reference]
    if mapping.amount is not None:
        found.pop("credit", None)
        found.pop("debit", None)
    return found


def _index(wanted: str | int, names: list[str], name: str) -> int:
    if isinstance(wanted, int):
        return wanted
    try:
        return names.index(normalise(wanted))
    except ValueError:
        raise fail(name, f"CSV has no column {wanted!r}") from None


def parse_csv(
    data: bytes, name: str, mapping: CsvMapping | None = None, default_currency: str | None = None
) -> list[Statement]:
    """Parse a CSV export into one statement."""
    mapping = mapping or CsvMapping()
    text = decode_text(data)
    if not text.strip():
        raise fail(name, "file is empty")
    found = _find_header(text, mapping) or _headerless(text, mapping)
    if found is None:
        found, mapping = _by_content(text, mapping, name)
    delimiter, rows, header_at = found
    header = rows[header_at] if header_at >= 0 else []
    cols = _columns(header, mapping, name)
    if "date" not in cols or not ({"amount", "credit", "debit"} & cols.keys()):
        raise fail(name, "CSV mapping needs a date column and an amount or credit/debit column")
    body = [(n + 1, r) for n, r in enumerate(rows) if n > header_at and any(c.strip() for c in r)]
    _currency_named_valuta(cols, [r for _, r in body[:20]])
    _marks_column_is_direction(cols, [r for _, r in body])
    money_cols = [c for k in ("amount", "credit", "debit") for c in cols.get(k, [])]
    money_cells = [_cell(r, c) for _, r in body for c in money_cols]
    decimal = mapping.decimal or guess_decimal(money_cells)
    currency = (
        mapping.default_currency
        or _header_currency(header, money_cols)
        or _meta_currency(rows[: max(header_at, 0)])
        or _symbol_currency(money_cells)
        or _country_currency(header)
        or default_currency
        or _iban_currency(mapping.account or _meta_account(rows[: max(header_at, 0)]))
    )
    ccy_values = {_first(r, cols, "currency").upper() for _, r in body[:50]} - {""}
    us_style = decimal == "." and (currency or next(iter(ccy_values), "USD")) == "USD"
    parse_date = date_parser(
        [_cell(r, cols["date"][0]) for _, r in body], not us_style, mapping.date_format
    )
    lines: list[StatementLine] = []
    skipped: list[str] = []
    balances: list[tuple[int, StatementLine, Decimal | None]] = []
    for number, row in body:
        if header and any(cell.strip() for cell in row[len(header) :]):
            raise fail(
                name,
                f"CSV row {number} has {len(row)} cells but the header names {len(header)} "
                f"(a separator inside an unquoted value?): {clean(delimiter.join(row))[:60]!r}",
            )
        line = _line(row, number, cols, header, decimal, parse_date, currency, name)
        if isinstance(line, StatementLine):
            lines.append(line)
            balance_text = _first(row, cols, "balance")
            balance = parse_money(balance_text, decimal, name, f"CSV row {number}")
            balances.append((number, line, balance))
        else:
            skipped.append(f"row {number}: {line}")
    problems: list[str] = []
    if not {"net", "fee", "netto", "neto"} & {normalise(h) for h in header}:
        # payment-provider exports keep their balance after fees: it does not follow gross
        for ccy in sorted({line.currency for _, line, _ in balances}):
            problem = _running_balance_problem([b for b in balances if b[1].currency == ccy])
            if problem:
                problems.append(problem)
    skipped.extend(finalize_ids(lines, drop_repeats=True))
    currencies = {line.currency for line in lines}
    return [
        Statement(
            format="csv",
            account=mapping.account or _meta_account(rows[: max(header_at, 0)]),
            currency=currencies.pop() if len(currencies) == 1 else None,
            lines=lines,
            skipped=skipped,
            balance_problem=problems[0] if problems else None,
        )
    ]


def _currency_named_valuta(cols: dict[str, list[int]], sample: list[list[str]]) -> None:
    """A "value date" column holding ``EUR``-like codes is the currency column."""
    if "value_date" not in cols or "currency" in cols:
        return
    values = [_cell(r, cols["value_date"][0]) for r in sample]
    if values and all(re.fullmatch(r"[A-Za-z]{3}", v) for v in values if v):
        cols["currency"] = cols.pop("value_date")


def _marks_column_is_direction(cols: dict[str, list[int]], body: list[list[str]]) -> None:
    """A text column whose every value is a debit/credit mark (Chase's ``Details``:
    CREDIT/DEBIT) is the direction column, not remittance text."""
    if "direction" in cols:
        return
    for index in list(cols.get("reference", [])):
        values = {_cell(r, index).lower() for r in body} - {""}
        if values and values <= (_DEBIT_MARKS | _CREDIT_MARKS) and not values <= {"-", "+"}:
            cols["reference"].remove(index)
            cols["direction"] = [index]
            return


def _running_balance_problem(rows: list[tuple[int, StatementLine, Decimal | None]]) -> str | None:
    """A running balance column must agree with the amounts, read top-down (oldest first)
    or bottom-up (newest first); otherwise the file was not read right: the first row
    where neither order holds, said in words (the import refuses the statement)."""
    known = [(n, line, b) for n, line, b in rows if b is not None]
    if len(known) < 2 or len(known) != len(rows):
        return None

    def signed(line: StatementLine) -> Decimal:
        return line.amount if line.direction == "credit" else -line.amount

    def first_break(seq: list[tuple[int, StatementLine, Decimal]]) -> int | None:
        for (_, _, before), (number, line, after) in zip(seq, seq[1:], strict=False):
            if before + signed(line) != after:
                return number
        return None

    down = first_break(known)
    up = first_break(known[::-1]) if down is not None else None
    if down is None or up is None:
        return None
    number, line, after = next(r for r in known if r[0] == down)
    return (
        f"CSV row {number}: the running balance {after} does not follow from the amount "
        f"{signed(line)} in either row order"
    )


# Accounts in these countries' IBANs are held in euros.
_EURO_IBANS = frozenset(
    [
        "AT",
        "BE",
        "CY",
        "DE",
        "EE",
        "ES",
        "FI",
        "FR",
        "GR",
        "HR",
        "IE",
        "IT",
        "LT",
        "LU",
        "LV",
        "MT",
        "NL",
        "PT",
        "SI",
        "SK",
    ]
)


def _iban_currency(account: str | None) -> str | None:
    """The statement's own account is a euro-area IBAN: euros."""
    compact = (account or "").replace(" ", "").upper()
    return "EUR" if _IBAN.fullmatch(compact) and compact[:2] in _EURO_IBANS else None


def _country_currency(header: list[str]) -> str | None:
    """A UK export names its columns ``Sort Code``: pounds."""
    return "GBP" if any(normalise(h) == "sort code" for h in header) else None


def _cell(row: list[str], index: int | None) -> str:
    if index is None or index >= len(row):
        return ""
    return row[index].strip()


def _first(row: list[str], cols: dict[str, list[int]], key: str) -> str:
    return _cell(row, cols[key][0]) if key in cols else ""


def _line(row, number, cols, header, decimal, parse_date, currency, name) -> StatementLine | str:
    """The row's statement line, or why the row is not a transaction."""
    where = f"CSV row {number}"
    date_text = _first(row, cols, "date")
    if not re.search(r"\d", date_text):
        return f"no date ({clean(' '.join(row))[:40]!r})"  # summary / footer row
    status = _first(row, cols, "status")
    if status.lower() in _FAILED:
        return f"status {status}"
    signed = _signed_amount(row, cols, decimal, name, where)
    if signed is None:
        return "no amount"
    if signed == 0:
        return f"zero amount ({clean(' '.join(row))[:40]!r})"  # a notice, not a movement
    booked = parse_date(date_text)
    if booked is None:
        raise fail(name, f"{where}: date {date_text!r} not understood")
    value_text = _first(row, cols, "value_date")
    ccy = (_first(row, cols, "currency").upper() or currency or "XXX")[:3]
    names = [h.strip() for h in header] + [str(i) for i in range(len(header), len(row))]
    raw = {names[i]: cell for i, cell in enumerate(row) if cell.strip()}
    if ccy == "XXX":
        raw["currency_unknown"] = True
    texts = [_cell(row, i) for i in cols.get("reference", [])]
    keyed = read_text_fields(texts)
    payer = _first(row, cols, "payer") or keyed.payer
    if payer is None and "payer" not in cols and texts:
        payer = clean(texts[0]) or None  # the description is all the file says about who
        raw["payer_from"] = "description"
    return StatementLine(
        bank_id=_first(row, cols, "id"),
        booking_date=booked,
        amount=abs(signed),
        currency=ccy,
        direction="debit" if signed < 0 else "credit",
        value_date=parse_date(value_text) if value_text else None,
        payer_name=payer or None,
        payer_account=_first(row, cols, "payer_account") or keyed.account,
        reference=join_text(keyed.documents + texts),
        raw=raw,
    )


def _signed_amount(row, cols, decimal, name, where) -> Decimal | None:
    if "amount" in cols:
        value = parse_money(_first(row, cols, "amount"), decimal, name, where)
        if value is None or "direction" not in cols:
            return value
        mark = clean(_first(row, cols, "direction")).lower()
        if mark in _DEBIT_MARKS:
            return -abs(value)
        if mark in _CREDIT_MARKS:
            return abs(value)
        raise fail(name, f"{where}: debit/credit mark {mark!r} not understood")
    credit = parse_money(_first(row, cols, "credit"), decimal, name, where)
    debit = parse_money(_first(row, cols, "debit"), decimal, name, where)
    if credit is None and debit is None:
        return None
    if credit and debit:
        return credit - abs(debit)
    if credit:
        return credit  # a negative value in a credit column is a debit
    return -abs(debit) if debit else Decimal("0")


def _header_currency(header: list[str], money_cols: list[int]) -> str | None:
    for index in money_cols:
        match = re.search(r"\b([A-Z]{3})\b", header[index]) if index < len(header) else None
        if match and match.group(1) in CURRENCIES:
            return match.group(1)
    return None


def _symbol_currency(cells: list[str]) -> str | None:
    """``$``, ``€``, ``£`` or ``¥`` written in the amounts."""
    for cell in cells:
        for symbol, code in (("€", "EUR"), ("£", "GBP"), ("$", "USD"), ("¥", "JPY")):
            if symbol in cell:
                return code
    return None


def _meta_currency(rows: list[list[str]]) -> str | None:
    for row in rows:
        for cell in row:
            for token in re.findall(r"\b[A-Z]{3}\b", cell):
                if token in CURRENCIES:
                    return token
    return None


def _meta_account(rows: list[list[str]]) -> str | None:
    """An IBAN or ``Account Number : X`` in the lines above the header."""
    for cell in (c for row in rows for c in row):
        if m := _IBAN.search(cell.replace(" ", "")):
            return m.group(0)
        if m := _ACCOUNT_LABEL.search(cell):
            return m.group(1).strip()
    return None
