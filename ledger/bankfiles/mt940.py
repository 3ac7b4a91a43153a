"""SWIFT MT940 statements and MT942 interim reports.

Fields read: :20: reference, :25: account, :28C:/:28: statement number, :60F:/:60M:
opening balance, :61: statement line, :86: information (see ``mt940_details``),
:62F:/:62M: closing balance, :34F: (MT942 floor limit, gives the currency). SWIFT
envelope blocks (``{1:...}{2:...}{4:``, ``-}``) and bank header lines are skipped;
a file may hold many statements. The :61: mark is C, D, RC (reversal of credit: a
debit), RD (a credit), or EC/ED in MT942; the funds-code letter is optional; amounts
use a decimal comma.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from ledger.bankfiles.common import (
    CURRENCIES,
    decode_text,
    fail,
    finalize_ids,
    pad_decimals,
    swift_amount,
    yymmdd,
)
from ledger.bankfiles.model import Statement, StatementLine
from ledger.bankfiles.mt940_details import SLASH_TAG, parse_details
from ledger.bankfiles.remittance_text import read_text_fields

_TAG = re.compile(r"^:(\d\d[A-Z]?|NS):(.*)$")
_MULTILINE = {"61", "86", "NS"}
_ENVELOPE = re.compile(r"^(?:\{\d:[^{}]*(?:\{[^{}]*\}[^{}]*)*\})+(?:\{4:)?|^\{4:")
_LINE61 = re.compile(
    r"^(?P<value>\d{6})(?P<entry>\d{4})?\s*(?P<mark>RC|RD|EC|ED|C|D)(?P<funds>[A-Z])?"
    r"(?P<amount>\d[\d,.]*)(?P<type>[NSF][A-Z0-9 ]{3})?(?P<ref>.*?)(?://(?P<bank>.*))?$"
)
_BALANCE = re.compile(r"^(?P<mark>[CD])(?P<date>\d{6})(?P<ccy>[A-Z]{3})(?P<amount>[\d,.]+)")
_DIRECTION = {
    "C": "credit",
    "D": "debit",
    "RC": "debit",
    "RD": "credit",
    "EC": "credit",
    "ED": "debit",
}
# "EREF"/"MARF"/"PREF" in the :61: reference only say where the reference is (in :86:).
_NO_REF = {"", "NONREF", "NOTPROVIDED", "NONE", "EREF", "MARF", "PREF", "KREF"}
_IBAN = re.compile(r"[A-Z]{2}\d\d[A-Z0-9]{10,30}")
_WRAP_WIDTH = 60
_GVC_START = re.compile(r"^\s*\d{3}[?>^|~<]\d\d")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_ACCOUNT_CCY = re.compile(r"(.*[\d\s/])\s*([A-Z]{3})")


@dataclass
class _Field:
    tag: str
    lines: list[str] = field(default_factory=list)


def looks_like_mt940(text: str) -> bool:
    """True when a line opens with an MT940/942 field tag (:20:, :25:, :60F:, :61:...)."""
    return bool(re.search(r"(?m)^:(?:20|25P?|28C?|60[FM]|61|62[FM]):", text[:20000]))


def _fields(text: str) -> list[_Field]:
    """Split the text into tagged fields, dropping envelopes and bank header lines."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    fields: list[_Field] = []
    current: _Field | None = None
    i = 0
    while i < len(lines):
        line = _ENVELOPE.sub("", _CONTROL.sub("", lines[i]).rstrip(" \t"))
        # Repair a tag broken over two lines (":" then "86:...").
        if line == ":" and i + 1 < len(lines) and re.match(r"^\d\d[A-Z]?:", lines[i + 1]):
            line = ":" + lines[i + 1]
            i += 1
        i += 1
        match = _TAG.match(line)
        if match:
            current = _Field(match.group(1), [match.group(2)])
            fields.append(current)
        elif line.strip() in ("-", "-}", "}") or line.startswith(("-}", "{5:")):
            current = None
        elif current is not None and current.tag[:2] in _MULTILINE and line.strip():
            current.lines.append(line)
        # anything else: bank header lines ("ABNANL2A", "940") between messages
    return fields


def _unwrap(lines: list[str], tag_len: int) -> str:
    """Join a multi-line :86: field.

    ``?NN`` subfield content wraps anywhere, so its lines are glued. Otherwise a line cut
    at the field width (or a ``/TAG/`` cut in two) is glued to the next one, and a shorter
    line ends a phrase: the next one follows after a space.
    """
    if _GVC_START.match(lines[0]):
        return "".join(lines)
    text = lines[0]
    previous = len(lines[0]) + tag_len
    for line in lines[1:]:
        glued = previous >= _WRAP_WIDTH and not text.endswith(" ")
        if not glued and text.lstrip().startswith("/"):
            tags_if_glued = len(SLASH_TAG.findall(text[-12:] + line[:12]))
            glued = tags_if_glued > len(SLASH_TAG.findall(text[-12:] + " " + line[:12]))
        text += line if glued else " " + line
        previous = len(line)
    return text


def parse_mt940(data: bytes, name: str) -> list[Statement]:
    """Parse an MT940/MT942 file into its statements."""
    text = decode_text(data)
    fields = _fields(text)
    if not any(f.tag == "61" for f in fields) and not any(f.tag.startswith("60") for f in fields):
        raise fail(name, "no MT940 statement found (no :60F: balance and no :61: line)")
    statements: list[Statement] = []
    current: Statement | None = None
    last_line: StatementLine | None = None
    closed = False
    for fld in fields:
        tag, first = fld.tag, fld.lines[0].strip()
        if tag == "20" or current is None or (closed and tag in ("25", "60F", "60M")):
            current = Statement(format="mt940", account=None, currency=None, lines=[])
            statements.append(current)
            last_line, closed = None, False
            if tag == "20":
                current.statement_id = first or None
                continue
        if tag in ("25", "25P"):
            # "NL68INGB0000012345EUR", "1017.490.554EUR", "0800...0722 EUR"
            with_ccy = _ACCOUNT_CCY.fullmatch(first)
            if with_ccy and with_ccy.group(2) in CURRENCIES:
                current.account = with_ccy.group(1).strip().rstrip("/")
                current.currency = current.currency or with_ccy.group(2)
            else:
                current.account = first
        elif tag in ("28C", "28"):
            current.statement_id = "/".join(filter(None, [current.statement_id, first]))
        elif tag in ("60F", "60M"):
            mark, ccy, amount = _balance(first, name, tag)
            current.currency = ccy
            current.opening_balance = amount if mark == "C" else -amount
        elif tag == "34F":
            floor = re.match(r"^([A-Z]{3})", first)
            current.currency = current.currency or (floor.group(1) if floor else None)
        elif tag == "61":
            last_line = _line(fld, current, len(current.lines) + 1, name)
            current.lines.append(last_line)
        elif tag == "86" and last_line is not None:
            _apply_86(last_line, _unwrap(fld.lines, 4))
        elif tag in ("62F", "62M"):
            mark, _ccy, amount = _balance(first, name, tag)
            current.closing_balance = amount if mark == "C" else -amount
            closed, last_line = True, None
    statements = [s for s in statements if s.lines or s.opening_balance is not None]
    for statement in statements:
        statement.skipped.extend(finalize_ids(statement.lines))
    if not statements:
        raise fail(name, "no MT940 statement found")
    return statements


def _balance(text: str, name: str, tag: str) -> tuple[str, str, Decimal]:
    match = _BALANCE.match(text.replace(" ", ""))
    amount = swift_amount(match.group("amount")) if match else None
    if match is None or amount is None:
        raise fail(name, f"MT940 :{tag}: balance {text[:30]!r} is malformed")
    ccy = match.group("ccy")
    return match.group("mark"), ccy, pad_decimals(amount, ccy)


def _line(fld: _Field, statement: Statement, number: int, name: str) -> StatementLine:
    """Parse one :61: statement line (with its supplementary-details line)."""
    match = _LINE61.match(fld.lines[0].strip())
    rest = fld.lines[1:]
    if match is None and len(fld.lines) > 1:  # field wrapped inside the line
        match = _LINE61.match((fld.lines[0] + fld.lines[1]).strip())
        rest = fld.lines[2:]
    where = f"MT940 :61: line {number}" + (
        f" of statement {statement.statement_id}" if statement.statement_id else ""
    )
    if match is None:
        raise fail(name, f"{where} is malformed ({fld.lines[0][:40]!r})")
    amount = swift_amount(match.group("amount"))
    if amount is None:
        raise fail(name, f"{where} has a malformed amount {match.group('amount')!r}")
    try:
        value_date = yymmdd(match.group("value"))
        booking = _entry_date(value_date, match.group("entry")) or value_date
    except ValueError as exc:
        raise fail(name, f"{where} has an invalid date") from exc
    if not statement.currency:
        raise fail(name, f"{where} has no currency (no :60F: opening balance before it)")
    bank_ref = (match.group("bank") or "").strip()
    customer_ref = (match.group("ref") or "").strip()
    supplementary = " ".join(s.strip() for s in rest if s.strip())
    return StatementLine(
        bank_id="" if bank_ref.upper() in _NO_REF else bank_ref,
        booking_date=booking,
        amount=amount,
        currency=statement.currency,
        direction=_DIRECTION[match.group("mark")],  # type: ignore[arg-type]
        value_date=value_date,
        reference=supplementary,
        raw={
            "mark": match.group("mark"),
            "type": (match.group("type") or "").strip() or None,
            "customer_ref": None if customer_ref.upper() in _NO_REF else customer_ref,
            "supplementary": supplementary or None,
        },
    )


def _entry_date(value_date: date, entry: str | None) -> date | None:
    """The MMDD entry date, in the year that puts it nearest the value date."""
    if not entry:
        return None
    month, day = int(entry[:2]), int(entry[2:])
    candidates = []
    for year in (value_date.year - 1, value_date.year, value_date.year + 1):
        try:
            candidates.append(date(year, month, day))
        except ValueError:
            continue
    if not candidates:
        raise ValueError(f"entry date {entry}")
    return min(candidates, key=lambda d: abs((d - value_date).days))


def _apply_86(line: StatementLine, text: str) -> None:
    if "info" in line.raw:  # a second :86: for the same line continues the first
        text = f"{line.raw['info']} {text.strip()}"
    details = parse_details(text)
    line.raw["info"] = text.strip()
    if details.fields:
        line.raw["info_fields"] = details.fields
    # No remittance part: the :61: customer reference (often the payment reference),
    # else the supplementary details, else the whole field.
    line.reference = (
        details.reference
        or line.raw.get("customer_ref")
        or details.end_to_end_id
        or line.reference
        or details.text
    )
    keyed = read_text_fields([text]) if not details.payer_name else None
    line.payer_name = details.payer_name or (keyed.payer if keyed else None)
    supplementary = line.raw.get("supplementary") or ""
    line.payer_account = (
        details.payer_account
        or (supplementary if _IBAN.fullmatch(supplementary) else None)
        or (keyed.account if keyed else None)
    )
    line.end_to_end_id = details.end_to_end_id
