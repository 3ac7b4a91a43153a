"""Write parsed statements to the ledger's ``bank_transactions`` table, once.

A line the bank gave an id to is keyed by that id. A line without one gets a stable
content key, ``<date>/<digest>``, from account, date, amount, currency, direction,
payer and reference plus its occurrence number among identical lines, so importing the
same file again (or an overlapping one) finds it. When a bank id is already stored for a
different account, amount or date, the two are different transactions: the new one is
keyed ``<account>:<bank id>`` instead of being dropped as a duplicate.
"""

from __future__ import annotations

import hashlib
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from tqdm import tqdm

from ledger.bankfiles.model import Statement, StatementLine
from ledger.models import BankTransaction

PROGRESS_THRESHOLD = 2000  # lines; smaller imports stay quiet
_CHUNK = 500


@dataclass
class ImportResult:
    """How many lines were stored, and how many were already there."""

    new: int = 0
    duplicates: int = 0
    bank_ids: list[str] = field(default_factory=list)  # keys of the new rows, in file order
    #: the stored key of every line, new or already there, in file order
    all_keys: list[str] = field(default_factory=list)


def _digest(*parts: object) -> str:
    return hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).hexdigest()


def _fit(value: str | None, size: int) -> str | None:
    """Values longer than the column keep a prefix and a digest of the whole."""
    if value is None or len(value) <= size:
        return value
    return f"{value[: size - 13]}#{_digest(value)[:12]}"


def line_key(statement: Statement, line: StatementLine, occurrence: int = 0) -> str:
    """The ``bank_transactions.bank_id`` a line is stored under."""
    if not line.synthetic_id and line.bank_id:
        return _fit(line.bank_id, 255) or ""
    digest = _digest(
        statement.account,
        line.booking_date,
        line.amount,
        line.currency,
        line.direction,
        line.payer_name,
        line.reference,
        occurrence,
    )
    return f"{line.booking_date.isoformat()}/{digest[:16]}"


def _keyed(statements: Iterable[Statement]) -> Iterator[tuple[Statement, StatementLine, str]]:
    """Each line with its key before collision handling (prefer ``ImportResult.all_keys``)."""
    seen: Counter[tuple[Any, ...]] = Counter()
    for statement in statements:
        for line in statement.lines:
            content = (
                statement.account,
                line.booking_date,
                line.amount,
                line.currency,
                line.direction,
                line.payer_name,
                line.reference,
            )
            occurrence = seen[content] if line.synthetic_id else 0
            seen[content] += 1
            yield statement, line, line_key(statement, line, occurrence)


def _same(row: BankTransaction, statement: Statement, line: StatementLine) -> bool:
    return (
        (row.account or None) == (_fit(statement.account, 64) or None)
        and row.amount == line.amount
        and row.booking_date == line.booking_date
        and row.direction == line.direction
    )


def _same_line(a: tuple[Statement, StatementLine], b: tuple[Statement, StatementLine]) -> bool:
    return (a[0].account, a[1].amount, a[1].booking_date, a[1].direction) == (
        b[0].account,
        b[1].amount,
        b[1].booking_date,
        b[1].direction,
    )


def _existing(session: Session, keys: list[str]) -> dict[str, BankTransaction]:
    found: dict[str, BankTransaction] = {}
    for start in range(0, len(keys), _CHUNK):
        chunk = keys[start : start + _CHUNK]
        rows = session.scalars(select(BankTransaction).where(BankTransaction.bank_id.in_(chunk)))
        found.update({row.bank_id: row for row in rows})
    return found


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (Decimal, date)):
        return str(value)
    return value


def store_statements(
    session: Session, statements: list[Statement], source_file: str | None = None
) -> ImportResult:
    """Insert the statements' lines as ``BankTransaction`` rows, skipping known ones.

    Runs inside the caller's transaction (rows are flushed, not committed). Shows a
    progress bar on stderr for imports above ``PROGRESS_THRESHOLD`` lines.
    """
    keyed = list(_keyed(statements))
    wanted = [key for _, _, key in keyed]
    wanted += [_fit(f"{s.account}:{key}", 255) or "" for s, _, key in keyed]
    existing = _existing(session, wanted)
    result = ImportResult()
    pending: dict[str, tuple[Statement, StatementLine]] = {}
    bar = tqdm(
        keyed,
        desc="bank lines",
        unit="line",
        file=sys.stderr,
        disable=len(keyed) <= PROGRESS_THRESHOLD,
    )
    for statement, line, key in bar:
        row = existing.get(key)
        earlier = pending.get(key)
        if (row is not None and not _same(row, statement, line)) or (
            earlier is not None and not _same_line(earlier, (statement, line))
        ):
            key = _fit(f"{statement.account}:{key}", 255) or key
            row = existing.get(key)
        result.all_keys.append(key)
        if row is not None or key in pending:
            result.duplicates += 1
            continue
        pending[key] = (statement, line)
        session.add(_row(key, statement, line, source_file))
        result.new += 1
        result.bank_ids.append(key)
    session.flush()
    return result


def _row(
    key: str, statement: Statement, line: StatementLine, source: str | None
) -> BankTransaction:
    raw = dict(line.raw)
    raw.setdefault("format", statement.format)
    if statement.statement_id:
        raw.setdefault("statement_id", statement.statement_id)
    if line.bank_id != key:
        raw.setdefault("line_id", line.bank_id)
    return BankTransaction(
        bank_id=key,
        account=_fit(statement.account, 64),
        booking_date=line.booking_date,
        value_date=line.value_date,
        amount=line.amount,
        currency=line.currency[:3],
        direction=line.direction,
        payer_name=_fit(line.payer_name, 255),
        payer_account=_fit(line.payer_account, 64),
        reference=line.reference or None,
        end_to_end_id=_fit(line.end_to_end_id, 255),
        source_file=_fit(source, 1024),
        raw=_jsonable(raw),
    )
