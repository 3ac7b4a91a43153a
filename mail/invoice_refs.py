"""Finding the ledger's invoice numbers in free text, whatever way the customer wrote them.

Customers write "INV-1042", "INV1042", "inv 1042", "invoice #1042", "Rechnung Nr. 1042",
"facture n° 1042" or just "#1042". Each mention is reduced to a key (letters+digits, and
digits alone) and compared with the same keys of the ledger's invoice numbers. Bare
numbers without any marker only count when they are long enough not to be a year, an
amount or a day.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from ledger.models import Invoice

_MARKER = (
    r"(?:invoices?|inv|rechnung(?:snummer|en)?|factures?|fact|facturas?|fattur[ae]|factuur|"
    r"facturen|faturas?|"
    r"bill|doc(?:ument)?)\b\.?\s*(?:(?:no|nr|num|number|n°|nº|#)\.?\s*)?[:#]?\s*"
)
_MARKED = re.compile(rf"(?i)(?:{_MARKER}|#\s*|\bn[°º]\s*)([A-Z]{{0,6}}[-/ ]?\d[\d-]{{1,18}}\d)\b")
_CODED = re.compile(r"\b([A-Z]{2,6}[-/]?\d{3,18})\b", re.IGNORECASE)
MAX_REFS = 50  # invoice-like tokens looked up per text
OTHER_PREFIXES = {
    "PO",
    "REF",
    "ACH",
    "ORDER",
    "ORD",
    "SO",
    "WO",
    "CASE",
    "TICKET",
    "ACCT",
    "ACC",
    "CHK",
    "CHECK",
    "CHQ",
    "WIRE",
    "TRN",
    "TXN",
    "BAN",
    "GL",
    "ID",
}
_BARE = re.compile(r"(?<![\d.,$€£/-])\b(\d{5,18})\b(?![.,]\d)")
_LIST_TAIL = re.compile(r"^(?:\s*(?:,|and|&|und|et|y|e|en)\s*#?\s*(\d{3,18})\b)+", re.IGNORECASE)


@dataclass(frozen=True)
class Mention:
    """One invoice-like token: its letter+digit key, digit key, and whether it was marked."""

    alnum: str
    digits: str
    marked: bool
    tail: str = ""  # the last run of digits as written, used to pre-select invoices


def _ref(token: str, *, marked: bool) -> Mention:
    runs = re.findall(r"\d+", token)
    return Mention(*_keys(token), marked=marked, tail=runs[-1] if runs else "")


def _keys(value: str) -> tuple[str, str]:
    alnum = re.sub(r"[^0-9A-Za-z]", "", value).upper()
    digits = re.sub(r"\D", "", value).lstrip("0")
    return alnum, digits


def mentions(text: str) -> list[Mention]:
    """Every invoice-like token in ``text``, with whether it carried a marker."""
    refs: list[Mention] = []
    for m in _MARKED.finditer(text):
        refs.append(_ref(m.group(1), marked=True))
        tail = _LIST_TAIL.match(text[m.end() :])
        if tail:  # "invoices 1042, 1043 and 1077"
            for num in re.findall(r"\d{3,18}", tail.group(0)):
                refs.append(_ref(num, marked=True))
    for m in _CODED.finditer(text):
        prefix = re.match(r"[A-Za-z]+", m.group(1)).group(0).upper()  # type: ignore[union-attr]
        refs.append(_ref(m.group(1), marked=prefix not in OTHER_PREFIXES))
    for m in _BARE.finditer(text):
        refs.append(_ref(m.group(1), marked=False))
    return [r for r in refs if r.digits]


def find_invoice_numbers(
    session: Session, text: str, *, customer_id: str | None = None
) -> list[tuple[str, str]]:
    """(invoice number, customer id) pairs of known invoices mentioned in ``text``."""
    refs = mentions(text)
    if not refs:
        return []
    # Pre-select by the digits as written, so a large ledger is not loaded per message;
    # the exact key comparison below decides.
    tails = sorted({r.tail.lstrip("0") or r.tail for r in refs if len(r.tail) >= 3})[:MAX_REFS]
    if not tails:
        return []
    query = select(Invoice.number, Invoice.customer_id).where(
        or_(*(Invoice.number.like(f"%{t}%") for t in tails))
    )
    if customer_id:
        query = query.where(Invoice.customer_id == customer_id)
    found: dict[str, str] = {}
    rows = session.execute(query).all()
    by_alnum = {_keys(n)[0]: (n, c) for n, c in rows}
    by_digits: dict[str, list[tuple[str, str]]] = {}
    for n, c in rows:
        by_digits.setdefault(_keys(n)[1], []).append((n, c))
    for ref in refs:
        hit = by_alnum.get(ref.alnum)
        if hit:
            found.setdefault(hit[0], hit[1])
            continue
        if ref.marked or len(ref.digits) >= 5:
            matches = by_digits.get(ref.digits, [])
            if len(matches) == 1:
                found.setdefault(matches[0][0], matches[0][1])
    return list(found.items())
