"""Load a ledger file (CONTRACTS.md §2, JSON or CSV) into the database in one transaction.

The whole file is validated before anything is written; any bad row raises a
:class:`~core.errors.ValidationError` naming file, row and field, and the database stays
exactly as it was. Without ``replace`` the import is an upsert: customers and invoices
already in the database are updated (a daily ERP export can be re-imported), payments
already imported are skipped. With ``replace`` the ledger is emptied first (pending
approvals are expired: they were drafted against the old books).
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session
from tqdm import tqdm

from core.errors import ValidationError
from ledger import models as m
from ledger.validation import (
    Problems,
    clean_customers,
    clean_disputes,
    clean_invoices,
    clean_payments,
    clean_promises,
    json_locator,
)

CHUNK = 5000


@dataclass
class ImportSummary:
    customers: int = 0
    contacts: int = 0
    invoices: int = 0
    payments: int = 0
    promises: int = 0
    disputes: int = 0
    updated_customers: int = 0
    updated_invoices: int = 0
    skipped_payments: int = 0

    def describe(self) -> str:
        parts = [f"{self.customers} customers", f"{self.invoices} invoices"]
        parts += [
            f"{n} {label}"
            for n, label in (
                (self.payments, "payments"),
                (self.promises, "promises"),
                (self.disputes, "disputes"),
            )
            if n
        ]
        text = "imported " + ", ".join(parts)
        if self.updated_customers or self.updated_invoices:
            text += f" ({self.updated_customers} customers and {self.updated_invoices} invoices updated)"
        if self.skipped_payments:
            text += f"; {self.skipped_payments} payments already present were skipped"
        return text


def read_ledger_file(path: str | Path) -> tuple[dict[str, Any], Problems]:
    """Parse a .json or .csv ledger file into the §2 document shape."""
    path = Path(path)
    name = path.name
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ValidationError(f"{path}: cannot read ({exc.strerror})") from exc
    if path.suffix.lower() == ".csv":
        return csv_to_document(raw, name)
    try:
        doc = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise ValidationError(f"{name}: not UTF-8 text") from exc
    except json.JSONDecodeError as exc:
        raise ValidationError(
            f"{name}: invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        ) from exc
    if not isinstance(doc, dict):
        raise ValidationError(
            f"{name}: the top level must be an object with customers and invoices"
        )
    return doc, Problems(name, json_locator)


def load_ledger_file(
    session: Session, path: str | Path, *, replace: bool = False, progress: bool = False
) -> ImportSummary:
    doc, problems = read_ledger_file(path)
    return _load(session, doc, problems, replace=replace, progress=progress)


def load_ledger(
    session: Session,
    data: dict[str, Any],
    *,
    source: str = "<inline>",
    replace: bool = False,
    progress: bool = False,
) -> ImportSummary:
    """Load a §2 document given as a mapping (eval suites carry ledgers inline)."""
    return _load(session, data, Problems(source, json_locator), replace=replace, progress=progress)


def _load(
    session: Session, doc: dict[str, Any], problems: Problems, *, replace: bool, progress: bool
) -> ImportSummary:
    currency = str(doc.get("currency") or "USD").upper()
    for required in ("customers", "invoices"):
        if required not in doc:
            problems.errors.append(f"{required}: is required")
    problems.raise_if_any()

    existing_customers = set() if replace else set(session.scalars(select(m.Customer.id)))
    customers = clean_customers(problems, doc, currency)
    customer_currency = {c["id"]: c["currency"] for c in customers}
    known_customers = existing_customers | set(customer_currency)
    invoices = clean_invoices(problems, doc, currency, known_customers)
    existing_numbers = set() if replace else set(session.scalars(select(m.Invoice.number)))
    known_invoices = existing_numbers | {i["number"] for i in invoices}
    payments = clean_payments(problems, doc, currency, known_customers, known_invoices)
    promises = clean_promises(problems, doc, known_customers, known_invoices)
    disputes = clean_disputes(problems, doc, known_customers, known_invoices)
    problems.raise_if_any()

    # Everything below runs in the caller's transaction: any failure rolls it all back.
    summary = ImportSummary()
    if replace:
        clear_ledger(session)
    _write_customers(session, customers, existing_customers, summary)
    _write_invoices(session, invoices, existing_numbers, summary, progress)
    invoice_ids = dict(session.execute(select(m.Invoice.number, m.Invoice.id)).all())
    _write_payments(session, payments, invoice_ids, summary)
    _write_promises(session, promises, invoice_ids, summary)
    _write_disputes(session, disputes, invoice_ids, summary)
    session.flush()
    return summary


def clear_ledger(session: Session) -> None:
    """Empty the books (not the audit log) and expire approvals drafted against them."""
    now = datetime.now(UTC)
    pending = list(
        session.scalars(select(m.Approval.id).where(m.Approval.status.in_(("pending", "approved"))))
    )
    if pending:
        session.execute(
            update(m.Approval)
            .where(m.Approval.id.in_(pending))
            .values(status="expired", error="ledger replaced by an import", updated_at=now)
        )
        session.execute(
            insert(m.AuditEvent),
            [
                {
                    "approval_id": a,
                    "actor": "import",
                    "event": "expired",
                    "from_status": None,
                    "to_status": "expired",
                    "detail": {"reason": "ledger replaced"},
                    "at": now,
                }
                for a in pending
            ],
        )
    session.execute(update(m.Communication).values(customer_id=None))
    for table in (
        m.Allocation,
        m.Payment,
        m.promise_invoices,
        m.Promise,
        m.Dispute,
        m.Installment,
        m.plan_invoices,
        m.PaymentPlan,
        m.DunningHold,
        m.communication_invoices,
        m.BankTransaction,
        m.Invoice,
        m.Contact,
        m.Customer,
    ):
        session.execute(delete(table))


def _chunks(rows: list[dict[str, Any]], size: int = CHUNK) -> list[list[dict[str, Any]]]:
    return [rows[i : i + size] for i in range(0, len(rows), size)]


def _write_customers(
    session: Session, customers: list[dict[str, Any]], existing: set[str], summary: ImportSummary
) -> None:
    now = datetime.now(UTC)
    new = [c for c in customers if c["id"] not in existing]
    old = [c for c in customers if c["id"] in existing]
    fields = lambda c: {k: v for k, v in c.items() if not k.startswith("_")}  # noqa: E731
    for chunk in _chunks(new):
        session.execute(
            insert(m.Customer), [fields(c) | {"created_at": now, "updated_at": now} for c in chunk]
        )
    for c in old:
        session.execute(
            update(m.Customer).where(m.Customer.id == c["id"]).values(**fields(c), updated_at=now)
        )
    if old:
        session.execute(
            delete(m.Contact).where(
                m.Contact.customer_id.in_([c["id"] for c in old if c["_contacts"]])
            )
        )
    contacts = [
        ct | {"customer_id": c["id"], "created_at": now, "updated_at": now}
        for c in customers
        for ct in c["_contacts"]
    ]
    for chunk in _chunks(contacts):
        session.execute(insert(m.Contact), chunk)
    summary.customers, summary.updated_customers, summary.contacts = (
        len(new),
        len(old),
        len(contacts),
    )


def _write_invoices(
    session: Session,
    invoices: list[dict[str, Any]],
    existing: set[str],
    summary: ImportSummary,
    progress: bool,
) -> None:
    now = datetime.now(UTC)
    new = [
        i | {"created_at": now, "updated_at": now} for i in invoices if i["number"] not in existing
    ]
    bar = tqdm(
        total=len(invoices),
        unit="invoice",
        desc="importing",
        disable=not progress or len(invoices) < 2000,
        file=None,
        leave=False,
    )
    for chunk in _chunks(new):
        session.execute(insert(m.Invoice), chunk)
        bar.update(len(chunk))
    old = [i for i in invoices if i["number"] in existing]
    if old:
        ids = dict(
            session.execute(
                select(m.Invoice.number, m.Invoice.id).where(
                    m.Invoice.number.in_([i["number"] for i in old])
                )
            ).all()
        )
        session.execute(
            update(m.Invoice), [i | {"id": ids[i["number"]], "updated_at": now} for i in old]
        )
        bar.update(len(old))
    bar.close()
    summary.invoices, summary.updated_invoices = len(new), len(old)


def _write_payments(
    session: Session,
    payments: list[dict[str, Any]],
    invoice_ids: dict[str, int],
    summary: ImportSummary,
) -> None:
    now = datetime.now(UTC)
    present = set(
        session.scalars(select(m.Payment.id).where(m.Payment.id.in_([p["id"] for p in payments])))
    )
    new = [p for p in payments if p["id"] not in present]
    for chunk in _chunks(new):
        session.execute(
            insert(m.Payment),
            [
                {k: v for k, v in p.items() if not k.startswith("_")}
                | {"created_at": now, "updated_at": now}
                for p in chunk
            ],
        )
    allocations = [
        {
            "payment_id": p["id"],
            "invoice_id": invoice_ids[a["invoice"]],
            "amount": a["amount"],
            "created_at": now,
            "updated_at": now,
        }
        for p in new
        for a in p["_allocations"]
    ]
    for chunk in _chunks(allocations):
        session.execute(insert(m.Allocation), chunk)
    summary.payments, summary.skipped_payments = len(new), len(payments) - len(new)


def _write_promises(
    session: Session,
    promises: list[dict[str, Any]],
    invoice_ids: dict[str, int],
    summary: ImportSummary,
) -> None:
    present = {
        (p.customer_id, p.date, frozenset(i.number for i in p.invoices))
        for p in session.scalars(select(m.Promise))
    }
    promises = [
        p
        for p in promises
        if (p["customer_id"], p["date"], frozenset(p["_invoices"])) not in present
    ]
    for p in promises:
        promise = m.Promise(
            customer_id=p["customer_id"],
            date=p["date"],
            amount=p["amount"],
            status=p["status"],
            source="import",
        )
        session.add(promise)
        session.flush()
        if p["_invoices"]:
            session.execute(
                insert(m.promise_invoices),
                [{"promise_id": promise.id, "invoice_id": invoice_ids[n]} for n in p["_invoices"]],
            )
    summary.promises = len(promises)


def _write_disputes(
    session: Session,
    disputes: list[dict[str, Any]],
    invoice_ids: dict[str, int],
    summary: ImportSummary,
) -> None:
    now = datetime.now(UTC)
    present = set(session.execute(select(m.Dispute.invoice_id, m.Dispute.opened, m.Dispute.reason)))
    rows = [
        {k: v for k, v in d.items() if not k.startswith("_")}
        | {"invoice_id": invoice_ids[d["_invoice"]], "created_at": now, "updated_at": now}
        for d in disputes
        if (invoice_ids[d["_invoice"]], d["opened"], d["reason"]) not in present
    ]
    if rows:
        session.execute(insert(m.Dispute), rows)
    summary.disputes = len(rows)


# --- CSV: a flat export of the invoices table with customer columns -----------------

CSV_ALIASES = {
    "number": (
        "number",
        "invoice",
        "invoice_number",
        "invoice_no",
        "invoice #",
        "doc_number",
        "document",
    ),
    "customer": ("customer", "customer_id", "customer_code", "account", "account_id"),
    "customer_name": ("customer_name", "name", "company", "account_name"),
    "issue_date": ("issue_date", "invoice_date", "date", "issued"),
    "due_date": ("due_date", "due", "due date"),
    "amount": ("amount", "total", "invoice_amount", "original_amount"),
    "balance": ("balance", "open_amount", "amount_due", "outstanding", "open_balance"),
    "currency": ("currency", "ccy", "curr"),
    "po_number": ("po_number", "po", "purchase_order"),
    "terms_days": ("terms_days", "terms", "payment_terms"),
    "credit_limit": ("credit_limit",),
    "timezone": ("timezone", "time_zone", "tz"),
    "language": ("language", "lang"),
    "contact_email": ("contact_email", "email", "ap_email"),
    "contact_name": ("contact_name", "contact"),
    "aliases": ("aliases", "alias"),
}


def _canon(header: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", header.strip().lower()).strip("_")


def csv_to_document(raw: bytes, name: str) -> tuple[dict[str, Any], Problems]:
    """Turn an invoice CSV (one row per invoice, customer columns repeated) into §2 shape."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    try:  # newline="" lets the csv module see bare CRs and quoted line breaks as they are
        return _csv_rows_to_document(
            csv.DictReader(io.StringIO(text, newline=""), dialect=dialect), name
        )
    except csv.Error as exc:
        raise ValidationError(f"{name}: not a readable CSV file ({exc})") from exc


def _csv_rows_to_document(
    reader: csv.DictReader[str], name: str
) -> tuple[dict[str, Any], Problems]:
    headers = {_canon(h): h for h in (reader.fieldnames or [])}
    column: dict[str, str] = {}
    for key, aliases in CSV_ALIASES.items():
        for alias in aliases:
            if _canon(alias) in headers:
                column[key] = headers[_canon(alias)]
                break
    missing = [
        k for k in ("number", "customer", "issue_date", "due_date", "amount") if k not in column
    ]
    if missing:
        raise ValidationError(
            f"{name}: missing column(s) {', '.join(missing)} "
            f"(found: {', '.join(reader.fieldnames or []) or 'no header'})"
        )
    customers: dict[str, dict[str, Any]] = {}
    invoices: list[dict[str, Any]] = []
    for row in reader:

        def get(key: str, row: dict[str, str | None] = row) -> str:
            return (row.get(column[key]) or "").strip() if key in column else ""

        cid = get("customer")
        if cid and cid not in customers:
            contact = {
                "email": get("contact_email"),
                "name": get("contact_name") or None,
                "primary": True,
            }
            customers[cid] = {
                "id": cid,
                "name": get("customer_name") or cid,
                "terms_days": get("terms_days") or None,
                "credit_limit": get("credit_limit") or None,
                "timezone": get("timezone") or None,
                "language": get("language") or None,
                "aliases": get("aliases") or None,
                "contacts": [contact] if contact["email"] else [],
            }
        invoices.append(
            {
                k: get(k) or None
                for k in (
                    "number",
                    "customer",
                    "issue_date",
                    "due_date",
                    "amount",
                    "balance",
                    "currency",
                    "po_number",
                )
            }
        )
    doc = {"customers": list(customers.values()), "invoices": invoices}

    def locate(section: str, index: int) -> str:
        if section == "invoices":
            return f"row {index + 2}"  # +1 header, +1 one-based
        return f"customer {list(customers)[index]!r}" if index < len(customers) else section

    return doc, Problems(name, locate, separator=": ")
