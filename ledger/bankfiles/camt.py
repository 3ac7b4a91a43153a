"""ISO 20022 cash-management statements: camt.052 (report), camt.053 (statement),
camt.054 (notification), every version (.001.02 through .001.08 and later).

Namespaces are stripped so one reader serves all versions. An entry (``Ntry``) becomes
one line; a batch entry whose transaction details (``TxDtls``) carry amounts adding up
to the booked amount is split into one line per transaction, because remittance
matching works per payer. Otherwise the booked entry stays whole, its details' texts
joined.
XML is parsed with defusedxml (no entities, no external references).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from ledger.bankfiles.common import clean, decimal_or_none, fail, finalize_ids, join_text
from ledger.bankfiles.model import Statement, StatementLine
from ledger.bankfiles.remittance_text import read_text_fields

# Root child element → (format, statement element name).
_KINDS = {
    "BkToCstmrAcctRpt": ("camt052", "Rpt"),
    "BkToCstmrStmt": ("camt053", "Stmt"),
    "BkToCstmrDbtCdtNtfctn": ("camt054", "Ntfctn"),
}
_OPENING = ("OPBD", "PRCD", "OPAV", "ITBD")
_CLOSING = ("CLBD", "CLAV", "ITBD")
_NO_REF = {"NOTPROVIDED", "NONREF", "NONE", ""}
_TECHNICAL = re.compile(r"\?[A-Z]+\?\d*")  # PostFinance "?REJECT?0", "?ERROR?000" codes


def load_xml(data: bytes, name: str) -> Element:
    """Parse XML safely and strip namespaces from every tag."""
    try:
        root = fromstring(data)
    except DefusedXmlException as exc:
        raise fail(name, f"XML with forbidden constructs refused ({type(exc).__name__})") from exc
    except ParseError as exc:
        raise fail(name, f"not well-formed XML ({exc})") from exc
    for element in root.iter():
        if isinstance(element.tag, str) and "}" in element.tag:
            element.tag = element.tag.rsplit("}", 1)[1]
    return root


def parse_camt(data: bytes, name: str, expected: str | None = None) -> list[Statement]:
    """Parse a camt.052/053/054 document into statements (one per Stmt/Rpt/Ntfctn)."""
    root = load_xml(data, name)
    # <Document><BkToCstmrStmt>, possibly inside a business-message envelope (AppHdr).
    body = next((el for el in root.iter() if el.tag in _KINDS), None)
    if body is None:
        raise fail(name, f"XML is not an ISO 20022 camt.052/053/054 document (<{root.tag}>)")
    kind, element_name = _KINDS[body.tag]
    if expected and expected != kind:
        raise fail(name, f"looks like {_label(kind)}, not {_label(expected)}")
    statements = [_statement(el, kind, name) for el in body.findall(element_name)]
    if not statements:
        raise fail(name, f"{_label(kind)} document holds no <{element_name}> block")
    return statements


def _label(kind: str) -> str:
    return f"camt.{kind[4:]}"


def _text(el: Element | None, path: str) -> str | None:
    if el is None:
        return None
    found = el.find(path)
    if found is None or found.text is None:
        return None
    return found.text.strip() or None


def _account(el: Element | None) -> str | None:
    """IBAN or other account id under an ``Acct``/``DbtrAcct``/``CdtrAcct`` element."""
    return _text(el, "Id/IBAN") or _text(el, "Id/Othr/Id") or _text(el, "Id/BBAN")


def _date(el: Element | None) -> date | None:
    """``Dt`` or ``DtTm`` (or ``CreDtTm``) child of a date choice element."""
    value = _text(el, "Dt") or _text(el, "DtTm") or _text(el, "CreDtTm")
    if not value:
        return None
    try:
        if len(value) > 10:
            return datetime.fromisoformat(value.replace("Z", "+00:00")).date()
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _amount(el: Element | None) -> tuple[Decimal | None, str | None]:
    if el is None or el.text is None:
        return None, None
    return decimal_or_none(el.text), el.get("Ccy")


def _signed_balance(bal: Element) -> Decimal | None:
    value, _ = _amount(bal.find("Amt"))
    if value is None:
        return None
    return -value if _text(bal, "CdtDbtInd") == "DBIT" else value


def _balances(stmt: Element) -> tuple[Decimal | None, Decimal | None]:
    found: dict[str, Decimal] = {}
    for bal in stmt.findall("Bal"):
        code = _text(bal, "Tp/CdOrPrtry/Cd") or _text(bal, "Tp/CdOrPrtry/Prtry") or ""
        value = _signed_balance(bal)
        if value is not None and code not in found:
            found[code] = value
    opening = next((found[c] for c in _OPENING if c in found), None)
    closing = next((found[c] for c in _CLOSING if c in found), None)
    return opening, closing


def _statement(stmt: Element, kind: str, name: str) -> Statement:
    acct = stmt.find("Acct")
    currency = _text(acct, "Ccy")
    opening, closing = _balances(stmt)
    created = _date(stmt)  # CreDtTm: the date of a notification without booking dates
    lines: list[StatementLine] = []
    for number, entry in enumerate(stmt.findall("Ntry"), start=1):
        lines.extend(_entry_lines(entry, number, kind, name, currency, created))
    notes = finalize_ids(lines)
    return Statement(
        format=kind,
        skipped=notes,
        account=_account(acct),
        currency=currency or (lines[0].currency if lines else None),
        lines=lines,
        statement_id=_text(stmt, "Id"),
        opening_balance=opening,
        closing_balance=closing,
    )


def _direction(code: str | None) -> str | None:
    return {"CRDT": "credit", "DBIT": "debit"}.get(code or "")


def _entry_lines(
    entry: Element,
    number: int,
    kind: str,
    name: str,
    stmt_ccy: str | None,
    created: date | None,
) -> list[StatementLine]:
    where = f"{_label(kind)} entry {number}"
    amount, ccy = _amount(entry.find("Amt"))
    if amount is None:
        raise fail(name, f"{where} has no amount")
    direction = _direction(_text(entry, "CdtDbtInd"))
    if direction is None:
        raise fail(name, f"{where} has no credit/debit indicator (CdtDbtInd)")
    # the booking date is optional in the schema: the value date, then the statement's date
    booked = _date(entry.find("BookgDt")) or _date(entry.find("ValDt")) or created
    if booked is None:
        raise fail(name, f"{where} has no booking date, value date or statement date")
    currency = ccy or stmt_ccy
    if not currency:
        raise fail(name, f"{where} has no currency")
    entry_id = _text(entry, "AcctSvcrRef") or _text(entry, "NtryRef")
    details = entry.findall("NtryDtls/TxDtls")
    value_date = _date(entry.find("ValDt"))
    raw: dict[str, Any] = {
        "status": _text(entry, "Sts/Cd") or _text(entry, "Sts"),
        "entry_ref": _text(entry, "NtryRef"),
        "additional_info": _text(entry, "AddtlNtryInf"),
        "bank_tx_code": _bank_code(entry),
        "reversal": _text(entry, "RvslInd") in ("true", "1"),
    }
    if not _splits(details, amount, currency):
        line = StatementLine(
            bank_id=entry_id or "",
            booking_date=booked,
            amount=amount,
            currency=currency,
            direction=direction,  # type: ignore[arg-type]
            value_date=value_date,
            raw=raw,
        )
        _apply_details(line, details, raw["additional_info"])
        return [line]
    lines = []
    for index, tx in enumerate(details, start=1):
        tx_amount, _ = _tx_amount(tx)
        tx_ref = _text(tx, "Refs/AcctSvcrRef")
        line = StatementLine(
            bank_id=tx_ref or (f"{entry_id}/{index}" if entry_id else ""),
            booking_date=booked,
            amount=tx_amount,  # type: ignore[arg-type]
            currency=currency,
            direction=direction,  # type: ignore[arg-type]
            value_date=value_date,
            raw={**raw, "entry_amount": str(amount), "batch_index": index},
        )
        _apply_details(line, [tx], raw["additional_info"])
        lines.append(line)
    return lines


def _splits(details: list[Element], amount: Decimal, currency: str) -> bool:
    """Split a batch only when its transactions add up to the booked entry amount."""
    if len(details) < 2:
        return False
    amounts = [_tx_amount(tx) for tx in details]
    if any(value is None or (ccy or currency) != currency for value, ccy in amounts):
        return False
    return sum(value for value, _ in amounts if value is not None) == amount


def _bank_code(entry: Element) -> str | None:
    domain = _text(entry, "BkTxCd/Domn/Cd")
    if domain:
        return "/".join(
            filter(
                None,
                [
                    domain,
                    _text(entry, "BkTxCd/Domn/Fmly/Cd"),
                    _text(entry, "BkTxCd/Domn/Fmly/SubFmlyCd"),
                ],
            )
        )
    return _text(entry, "BkTxCd/Prtry/Cd")


def _exchange(line: StatementLine, tx: Element) -> None:
    """The instructed amount in another currency and the bank's exchange rate, if given
    (``AmtDtls/InstdAmt`` with ``CcyXchg``): the evidence an FX match is checked against."""
    instructed, ccy = _amount(tx.find("AmtDtls/InstdAmt/Amt"))
    if instructed is not None and ccy and ccy != line.currency:
        line.raw.setdefault("instructed_amount", str(instructed))
        line.raw.setdefault("instructed_currency", ccy)
    for path in ("AmtDtls/InstdAmt/CcyXchg", "AmtDtls/TxAmt/CcyXchg", "AmtDtls/CntrValAmt/CcyXchg"):
        node = tx.find(path)
        rate = _text(node, "XchgRate") if node is not None else None
        if rate and decimal_or_none(rate):
            line.raw.setdefault(
                "exchange",
                {"rate": rate, "source": _text(node, "SrcCcy"), "target": _text(node, "TrgtCcy")},
            )
            return


def _tx_amount(tx: Element) -> tuple[Decimal | None, str | None]:
    for path in ("AmtDtls/TxAmt/Amt", "Amt", "AmtDtls/InstdAmt/Amt"):
        value, ccy = _amount(tx.find(path))
        if value is not None:
            return value, ccy
    return None, None


def _party(tx: Element, role: str) -> tuple[str | None, str | None]:
    """Name and account of ``Dbtr``/``Cdtr`` (v2-v7 ``Dbtr/Nm``, v8+ ``Dbtr/Pty/Nm``)."""
    name = (
        _text(tx, f"RltdPties/{role}/Nm")
        or _text(tx, f"RltdPties/{role}/Pty/Nm")
        or _text(tx, f"RltdPties/Ultmt{role}/Nm")
        or _text(tx, f"RltdPties/Ultmt{role}/Pty/Nm")
    )
    return name, _account(tx.find(f"RltdPties/{role}Acct"))


def _remittance(tx: Element) -> list[str]:
    parts = [el.text or "" for el in tx.findall("RmtInf/Ustrd")]
    for strd in tx.findall("RmtInf/Strd"):
        parts += [el.text or "" for el in strd.findall("CdtrRefInf/Ref")]
        parts += [el.text or "" for el in strd.findall("RfrdDocInf/Nb")]
        parts += [el.text or "" for el in strd.findall("AddtlRmtInf")]
    return [p for p in (clean(p) for p in parts) if p and not _TECHNICAL.fullmatch(p)]


def _apply_details(line: StatementLine, details: list[Element], entry_info: str | None) -> None:
    """Fill payer, reference and end-to-end id from the entry's transaction details."""
    role = "Dbtr" if line.direction == "credit" else "Cdtr"
    texts: list[str] = []
    e2e_ids: list[str] = []
    for tx in details:
        name, account = _party(tx, role)
        line.payer_name = line.payer_name or name
        line.payer_account = line.payer_account or account
        texts += _remittance(tx)
        e2e = _text(tx, "Refs/EndToEndId")
        if e2e and e2e.upper() not in _NO_REF:
            e2e_ids.append(e2e)
        extra = _text(tx, "AddtlTxInf")
        if extra:
            line.raw.setdefault("additional_tx_info", extra)
        _exchange(line, tx)
    if not texts:
        texts = [t for t in (line.raw.get("additional_tx_info"), entry_info) if t]
    if not line.payer_name or not line.payer_account:  # US banks key the payer into the text
        keyed = read_text_fields(texts)
        line.payer_name = line.payer_name or keyed.payer
        line.payer_account = line.payer_account or keyed.account
        texts = keyed.documents + texts
    line.reference = join_text(texts)
    if e2e_ids:
        line.end_to_end_id = e2e_ids[0]
        if len(e2e_ids) > 1:
            line.raw["end_to_end_ids"] = e2e_ids
