"""BAI2 cash-management files (Bank Administration Institute, version 2).

Records: 01 file header, 02 group header (as-of date, currency), 03 account (id,
currency, summary balances), 16 transaction detail, 88 continuation, 49/98/99 trailers.
Records end with ``/`` or a line break; several may share one physical line. Amounts are
unsigned integers in the currency's minor unit; the type code says credit or debit:
100-399 credits, 400-699 debits (BAI2 ranges); customized codes 900-959 are read as
credits, 960-999 as debits, loan codes 700-759 credits and 760-799 debits (flagged in
``raw["direction_guessed"]``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from core.money import minor_units
from ledger.bankfiles.common import clean, decode_text, fail, finalize_ids, yymmdd
from ledger.bankfiles.model import Statement, StatementLine
from ledger.bankfiles.remittance_text import read_text_fields

_CODES = "01|02|03|16|49|88|98|99"
# A record ends at a line break, or at "/" followed by blanks and another record.
_RECORD_SPLIT = re.compile(rf"/[ \t]+(?=(?:{_CODES}),)")
_START = re.compile(rf"^(?:{_CODES}),")
# Funds type → number of extra fields after it (D is variable, handled apart).
_FUNDS_FIELDS = {"": 0, "0": 0, "1": 0, "2": 0, "Z": 0, "V": 2, "S": 3}
_OPENING_CODES = ("010", "040")
_CLOSING_CODES = ("015", "045")
# GS-style keyed continuation lines naming the parties.
_DEBTOR_KEYS = ("DBNM:", "ORIGINATOR:", "ORG:")
_CREDITOR_KEYS = ("CRNM:", "BENEFICIARY:", "BNF:")


@dataclass
class _Record:
    number: int
    fields: list[str]
    continuations: list[str] = field(default_factory=list)

    @property
    def code(self) -> str:
        return self.fields[0]


def is_bai2(text: str) -> bool:
    """True when the text opens with a BAI2 file header (``01,``) record."""
    head = text.lstrip("\ufeff \r\n\t")[:200]
    return head.startswith("01,") and ("\n02," in head or "/" in head or " 02," in head)


def _records(text: str, name: str) -> list[_Record]:
    """Split the text into records, folding 88 continuations into their parent."""
    raw: list[str] = []
    for physical in text.splitlines():
        if not physical.strip():
            continue
        for piece in _RECORD_SPLIT.split(physical.strip()):
            if _START.match(piece) or not raw:
                raw.append(piece)
            else:  # a record wrapped onto the next physical line
                raw[-1] += piece
    records: list[_Record] = []
    for number, chunk in enumerate(raw, start=1):
        if not _START.match(chunk):
            raise fail(name, f"BAI2 record {number} does not start with a record code")
        body = chunk.rstrip()
        if body.endswith("/"):
            body = body[:-1]
        if chunk.startswith("88,") and records:
            records[-1].continuations.append(body[3:])
            continue
        records.append(_Record(number, body.split(",")))
    return records


def _money(text: str, currency: str, name: str, where: str) -> Decimal:
    text = text.strip()
    if not re.fullmatch(r"[+-]?\d+", text):
        raise fail(name, f"BAI2 {where}: amount {text!r} is not a whole number of minor units")
    return Decimal(int(text)).scaleb(-minor_units(currency))


def _direction(type_code: int) -> tuple[str | None, bool]:
    """(direction, guessed) for a BAI2 detail type code."""
    if 100 <= type_code <= 399:
        return "credit", False
    if 400 <= type_code <= 699:
        return "debit", False
    if 700 <= type_code <= 759 or 900 <= type_code <= 959:
        return "credit", True
    if 760 <= type_code <= 799 or 960 <= type_code <= 999:
        return "debit", True
    return None, False


def parse_bai2(data: bytes, name: str) -> list[Statement]:
    """Parse a BAI2 file into one statement per account (03) block."""
    text = decode_text(data)
    records = _records(text, name)
    if not records or records[0].code != "01":
        raise fail(name, "BAI2 file does not start with a 01 file header record")
    statements: list[Statement] = []
    group_date: date | None = None
    group_ccy = "USD"
    current: Statement | None = None
    for rec in records:
        f = rec.fields
        if rec.code == "02":
            group_date = _date_field(f, 4, name, rec.number)
            group_ccy = (f[6].strip() if len(f) > 6 else "") or "USD"
        elif rec.code == "03":
            if group_date is None:
                raise fail(name, f"BAI2 record {rec.number}: account before any 02 group header")
            current = _account(rec, group_ccy, name)
            statements.append(current)
        elif rec.code == "16":
            if current is None or group_date is None:
                raise fail(name, f"BAI2 record {rec.number}: transaction outside an account")
            line = _detail(rec, current.currency or group_ccy, group_date, name)
            if line is not None:
                current.lines.append(line)
            else:
                current.skipped.append(f"record {rec.number}: non-monetary (type 890)")
        elif rec.code == "49":
            current = None
    if not any(r.code == "99" for r in records):
        raise fail(name, "BAI2 file is truncated (no 99 file trailer)")
    for statement in statements:
        statement.skipped.extend(finalize_ids(statement.lines))
    return statements


def _date_field(f: list[str], index: int, name: str, number: int) -> date:
    value = f[index].strip() if len(f) > index else ""
    try:
        return yymmdd(value)
    except (ValueError, IndexError) as exc:
        raise fail(name, f"BAI2 record {number}: date {value!r} is not YYMMDD") from exc


def _account(rec: _Record, group_ccy: str, name: str) -> Statement:
    f = rec.fields
    currency = (f[2].strip() if len(f) > 2 else "") or group_ccy
    # Summary triplets (type, amount, count, funds...) continue on 88 records.
    summary = f[3:] + [x for c in rec.continuations for x in c.split(",")]
    balances: dict[str, Decimal] = {}
    for i in range(0, len(summary) - 1):
        code, amount = summary[i].strip(), summary[i + 1].strip()
        if re.fullmatch(r"0\d\d", code) and re.fullmatch(r"[+-]?\d+", amount):
            balances.setdefault(code, _money(amount, currency, name, f"record {rec.number}"))
    return Statement(
        format="bai2",
        account=f[1].strip() if len(f) > 1 else None,
        currency=currency,
        lines=[],
        opening_balance=next((balances[c] for c in _OPENING_CODES if c in balances), None),
        closing_balance=next((balances[c] for c in _CLOSING_CODES if c in balances), None),
    )


def _detail(rec: _Record, currency: str, as_of: date, name: str) -> StatementLine | None:
    f = rec.fields
    where = f"record {rec.number}"
    if len(f) < 3 or not re.fullmatch(r"\d{3}", f[1].strip()):
        raise fail(name, f"BAI2 {where}: transaction has no type code")
    type_code = int(f[1])
    direction, guessed = _direction(type_code)
    if type_code == 890:  # "contains non-monetary information"
        return None
    if direction is None:
        raise fail(name, f"BAI2 {where}: type code {type_code:03d} is not a transaction code")
    amount = _money(f[2], currency, name, where)
    if amount < 0:  # not allowed by BAI2, but seen: the sign wins over the type code
        amount, direction = -amount, ("debit" if direction == "credit" else "credit")
    funds = f[3].strip().upper() if len(f) > 3 else ""
    pos = 4
    value_date = None
    if funds == "D":
        count = int(f[4]) if len(f) > 4 and f[4].strip().isdigit() else 0
        pos = 5 + 2 * count
    else:
        if funds == "V" and len(f) > 4 and f[4].strip():
            value_date = _date_field(f, 4, name, rec.number)
        pos += _FUNDS_FIELDS.get(funds, 0)
    bank_ref = f[pos].strip() if len(f) > pos else ""
    customer_ref = f[pos + 1].strip() if len(f) > pos + 1 else ""
    text = ",".join(f[pos + 2 :]) if len(f) > pos + 2 else ""
    texts = [clean(text)] + [clean(c) for c in rec.continuations]
    texts = [t for t in texts if t]
    keyed = read_text_fields(texts)
    parties = _DEBTOR_KEYS if direction == "credit" else _CREDITOR_KEYS
    payer = _party(texts, parties) or (keyed.payer if direction == "credit" else None)
    return StatementLine(
        bank_id=bank_ref,
        booking_date=as_of,
        amount=amount,
        currency=currency,
        direction=direction,  # type: ignore[arg-type]
        value_date=value_date,
        payer_name=payer,
        payer_account=keyed.account if direction == "credit" else None,
        reference=" ".join(t for t in [customer_ref, *keyed.documents, *texts] if t),
        raw={
            "type_code": f"{type_code:03d}",
            "funds_type": funds,
            "customer_ref": customer_ref or None,
            **({"direction_guessed": True} if guessed else {}),
        },
    )


def _party(texts: list[str], keys: tuple[str, ...]) -> str | None:
    for text in texts:
        for key in keys:
            if text.upper().startswith(key):
                return clean(text[len(key) :]) or None
    return None
