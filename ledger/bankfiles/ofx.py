"""OFX statements: SGML OFX 1.x (unclosed leaf tags) and XML OFX 2.x, one tolerant reader.

Reads bank (``STMTRS``) and credit-card (``CCSTMTRS``) statements: account
(``BANKACCTFROM``/``CCACCTFROM``), ``CURDEF``, ``LEDGERBAL`` and every ``STMTTRN``
(TRNAMT signed, FITID, NAME or PAYEE/NAME, MEMO, DTPOSTED, DTUSER, CHECKNUM, REFNUM).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from html import unescape

from ledger.bankfiles.common import (
    clean,
    decimal_or_none,
    decode_text,
    fail,
    finalize_ids,
    join_text,
)
from ledger.bankfiles.model import Statement, StatementLine

_TOKEN = re.compile(r"<(/?)([A-Za-z0-9._]+)[^>]*>([^<]*)")


@dataclass
class _Node:
    tag: str
    text: str = ""
    children: list[_Node] = field(default_factory=list)

    def find(self, tag: str) -> _Node | None:
        for child in self.children:
            if child.tag == tag:
                return child
        return None

    def value(self, path: str) -> str | None:
        node: _Node | None = self
        for tag in path.split("/"):
            node = node.find(tag) if node else None
        return clean(unescape(node.text)) or None if node else None

    def iter(self, tag: str) -> Iterator[_Node]:
        """Every descendant named ``tag``, depth first."""
        for child in self.children:
            if child.tag == tag:
                yield child
            yield from child.iter(tag)


def looks_like_ofx(text: str) -> bool:
    """True for an OFX 1.x header, an OFX 2.x processing instruction or an <OFX> body."""
    head = text[:4000].upper()
    return "OFXHEADER" in head or "<OFX>" in head or "<?OFX" in head


def _tree(text: str) -> _Node:
    """Build a tree; a tag followed by text is a leaf whether or not it is closed."""
    start = text.upper().find("<OFX>")
    tokens = _TOKEN.findall(text[max(start, 0) :])
    closed = {tag.upper() for closing, tag, _ in tokens if closing}
    root = _Node("ROOT")
    stack = [root]
    for closing, tag, trailing in tokens:
        tag = tag.upper()
        if closing:
            if any(node.tag == tag for node in stack[1:]):
                while stack[-1].tag != tag:
                    stack.pop()
                stack.pop()
            continue  # closing tag of a leaf: nothing to do
        if trailing.strip() or tag not in closed:  # SGML leaves are never closed
            stack[-1].children.append(_Node(tag, trailing.strip()))
        else:
            node = _Node(tag)
            stack[-1].children.append(node)
            stack.append(node)
    return root


def _date(text: str | None) -> date | None:
    match = re.match(r"(\d{4})(\d\d)(\d\d)", text or "")
    if not match:
        return None
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


def _amount(text: str | None) -> Decimal | None:
    if text is None:
        return None
    text = text.replace(" ", "")
    if "," in text and "." in text:  # "12,400.00" or "12.400,00": the last mark is decimal
        thousands = "," if text.rfind(",") < text.rfind(".") else "."
        text = text.replace(thousands, "")
    return decimal_or_none(text.replace(",", "."))


def parse_ofx(data: bytes, name: str) -> list[Statement]:
    """Parse every bank and credit-card statement in an OFX file."""
    text = decode_text(data)
    if "<OFX>" not in text.upper():
        raise fail(name, "OFX file has no <OFX> body")
    root = _tree(text)
    statements: list[Statement] = []
    for kind in ("STMTRS", "CCSTMTRS", "INVSTMTRS"):
        for stmt in root.iter(kind):
            statements.append(_statement(stmt, name, len(statements) + 1))
    if not statements:
        raise fail(name, "OFX file holds no bank or credit-card statement (STMTRS)")
    investment = [s for s in statements if s.format == "ofx-investment"]
    if investment and not any(s.lines for s in investment) and len(investment) == len(statements):
        raise fail(
            name,
            "OFX investment statement holds no cash transactions (INVBANKTRAN); "
            "trades and positions are not payments",
        )
    for statement in statements:
        statement.format = "ofx"
    return statements


def _statement(stmt: _Node, name: str, number: int) -> Statement:
    currency = stmt.value("CURDEF")
    investment = stmt.tag == "INVSTMTRS"
    account = (
        stmt.value("BANKACCTFROM/ACCTID")
        or stmt.value("CCACCTFROM/ACCTID")
        or stmt.value("INVACCTFROM/ACCTID")
    )
    lines = []
    if investment:  # only the cash lines of a brokerage statement are payments
        transactions = [t for bank in stmt.iter("INVBANKTRAN") for t in bank.iter("STMTTRN")]
    else:
        transactions = [trn for tl in stmt.iter("BANKTRANLIST") for trn in tl.iter("STMTTRN")]
    for index, trn in enumerate(transactions, start=1):
        lines.append(_line(trn, currency, name, f"OFX statement {number} transaction {index}"))
    notes = finalize_ids(lines, drop_repeats=True)
    return Statement(
        format="ofx-investment" if investment else "ofx",
        account=account,
        currency=currency,
        lines=lines,
        statement_id=account,
        closing_balance=None if investment else _amount(stmt.value("LEDGERBAL/BALAMT")),
        skipped=notes,
    )


def _line(trn: _Node, currency: str | None, name: str, where: str) -> StatementLine:
    amount = _amount(trn.value("TRNAMT"))
    if amount is None:
        raise fail(name, f"{where} has no valid TRNAMT")
    posted = _date(trn.value("DTPOSTED")) or _date(trn.value("DTUSER"))
    if posted is None:
        raise fail(name, f"{where} has no valid DTPOSTED")
    ccy = trn.value("CURRENCY/CURSYM") or trn.value("ORIGCURRENCY/CURSYM") or currency
    if not ccy:
        raise fail(name, f"{where} has no currency (no CURDEF)")
    payer = trn.value("NAME") or trn.value("PAYEE/NAME")
    return StatementLine(
        bank_id=trn.value("FITID") or "",
        booking_date=posted,
        amount=abs(amount),
        currency=ccy,
        direction="debit" if amount < 0 else "credit",
        value_date=_date(trn.value("DTUSER")),
        payer_name=payer,
        payer_account=trn.value("BANKACCTTO/ACCTID"),
        reference=join_text([trn.value("MEMO"), trn.value("REFNUM"), trn.value("CHECKNUM")]),
        raw={
            "type": trn.value("TRNTYPE"),
            "check_number": trn.value("CHECKNUM"),
            "ref_number": trn.value("REFNUM"),
            "memo": trn.value("MEMO"),
        },
    )
