"""Validate a ledger document (CONTRACTS.md §2) into clean records, naming every bad field.

Errors read like ``ledger.json: invoices[5].amount: '12,40O.00' is not a decimal amount``
(JSON) or ``ledger.csv: row 7: amount: ...`` (CSV), so a controller can fix the file.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from core.errors import ValidationError
from core.money import parse_amount

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
CURRENCY = re.compile(r"^[A-Z]{3}$")
MAX_LISTED = 5

CUSTOMER_KEYS = {
    "id",
    "name",
    "aliases",
    "terms_days",
    "credit_limit",
    "timezone",
    "language",
    "contacts",
    "currency",
    "insolvent",
    "credit_hold",
    "owner",
}
INVOICE_KEYS = {
    "number",
    "customer",
    "issue_date",
    "due_date",
    "amount",
    "balance",
    "currency",
    "po_number",
    "document_path",
}


@dataclass
class Problems:
    """Collects validation errors; raises them together as one readable error."""

    source: str
    locate: Callable[[str, int], str]
    errors: list[str] = field(default_factory=list)
    separator: str = "."  # "invoices[5].amount" in JSON, "row 7: amount" in CSV

    def add(self, section: str, index: int, key: str | None, message: str) -> None:
        where = self.locate(section, index)
        self.errors.append(
            f"{where}{self.separator}{key}: {message}" if key else f"{where}: {message}"
        )

    def raise_if_any(self) -> None:
        if not self.errors:
            return
        head = f"{self.source}: {self.errors[0]}"
        more = len(self.errors) - 1
        if more:
            listed = "; ".join(self.errors[1:MAX_LISTED])
            tail = f" (and {more - (MAX_LISTED - 1)} more)" if more > MAX_LISTED - 1 else ""
            head += f" — also: {listed}{tail}"
        raise ValidationError(head)


def json_locator(section: str, index: int) -> str:
    return f"{section}[{index}]"


class _Field:
    """Typed field readers that report into Problems instead of raising."""

    def __init__(self, problems: Problems, section: str, index: int, record: dict[str, Any]):
        self.p, self.section, self.index, self.record = problems, section, index, record
        self.ok = True

    def bad(self, key: str | None, message: str) -> None:
        self.ok = False
        self.p.add(self.section, self.index, key, message)

    def text(self, key: str, *, required: bool = False, default: str | None = None) -> str | None:
        value = self.record.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.bad(key, "is required")
            return default
        if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
            return str(value)
        if not isinstance(value, str):
            self.bad(key, f"{value!r} is not text")
            return default
        return value.strip()

    def amount(
        self, key: str, *, required: bool = False, minimum: Decimal | None = None
    ) -> Decimal | None:
        value = self.record.get(key)
        if value is None or value == "":
            if required:
                self.bad(key, "is required")
            return None
        try:
            parsed = parse_amount(value)
        except ValueError:
            self.bad(key, f"{value!r} is not a decimal amount")
            return None
        if minimum is not None and parsed < minimum:
            self.bad(key, f"{value!r} must be at least {minimum}")
            return None
        return parsed

    def day(self, key: str, *, required: bool = False) -> date | None:
        value = self.record.get(key)
        if value is None or value == "":
            if required:
                self.bad(key, "is required")
            return None
        try:
            return date.fromisoformat(str(value).strip()[:10])
        except ValueError:
            self.bad(key, f"{value!r} is not an ISO date (YYYY-MM-DD)")
            return None

    def integer(self, key: str, *, default: int, minimum: int = 0) -> int:
        value = self.record.get(key)
        if value is None or value == "":
            return default
        try:
            number = int(str(value).strip())
        except ValueError:
            self.bad(key, f"{value!r} is not a whole number")
            return default
        if number < minimum:
            self.bad(key, f"{value!r} must be at least {minimum}")
            return default
        return number

    def flag(self, key: str) -> bool:
        value = self.record.get(key)
        if isinstance(value, bool) or value is None:
            return bool(value)
        text = str(value).strip().lower()
        if text in {"true", "yes", "1", "y", "x"}:
            return True
        if text in {"false", "no", "0", "n", ""}:
            return False
        self.bad(key, f"{value!r} is not true or false")
        return False

    def currency(self, key: str, default: str) -> str:
        value = self.record.get(key)
        if value is None or value == "":
            return default
        code = str(value).strip().upper()
        if not CURRENCY.match(code):
            self.bad(key, f"{value!r} is not a three-letter currency code")
            return default
        return code

    def customer_ref(self, known: set[str]) -> str | None:
        """A required customer id that must exist (in the file or the database)."""
        customer = self.text("customer", required=True)
        if customer and customer not in known:
            self.bad("customer", f"{customer!r} is not a known customer id")
        return customer

    def invoice_refs(self, key: str, known: set[str], *, required: bool = False) -> list[str]:
        """Invoice numbers (one or a list) that must exist."""
        if key == "invoices":
            numbers = self.string_list(key)
        else:
            single = self.text(key, required=required)
            numbers = [single] if single else []
        for number in numbers:
            if number not in known:
                self.bad(key, f"{number!r} is not a known invoice number")
        return numbers

    def string_list(self, key: str) -> list[str]:
        value = self.record.get(key)
        if value is None or value == "":
            return []
        if isinstance(value, str):
            return [v.strip() for v in re.split(r"[;|]", value) if v.strip()]
        if isinstance(value, list) and all(isinstance(v, (str, int)) for v in value):
            return [str(v).strip() for v in value]
        self.bad(key, f"{value!r} is not a list of text")
        return []


def _records(
    problems: Problems, doc: dict[str, Any], section: str
) -> Iterable[tuple[int, dict[str, Any]]]:
    items = doc.get(section) or []
    if not isinstance(items, list):
        problems.errors.append(f"{section}: must be a list")
        return []
    out = []
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            problems.add(section, i, None, "must be an object")
            continue
        out.append((i, item))
    return out


def clean_customers(
    problems: Problems, doc: dict[str, Any], default_currency: str
) -> list[dict[str, Any]]:
    customers: list[dict[str, Any]] = []
    seen: set[str] = set()
    for i, rec in _records(problems, doc, "customers"):
        f = _Field(problems, "customers", i, rec)
        cid = f.text("id", required=True)
        name = f.text("name", required=True)
        if cid and cid in seen:
            f.bad("id", f"{cid!r} appears twice")
        tz = f.text("timezone", default="UTC") or "UTC"
        try:
            ZoneInfo(tz)
        except (ZoneInfoNotFoundError, ValueError):
            f.bad("timezone", f"{tz!r} is not an IANA time zone (e.g. America/Chicago)")
        contacts = []
        raw_contacts = rec.get("contacts") or []
        if not isinstance(raw_contacts, list):
            f.bad("contacts", "must be a list")
            raw_contacts = []
        for j, contact in enumerate(raw_contacts):
            cf = _Field(problems, "customers", i, contact if isinstance(contact, dict) else {})
            email = cf.text("email")
            if not isinstance(contact, dict) or not email or not EMAIL.match(email):
                f.bad(
                    f"contacts[{j}].email",
                    f"{(contact or {}).get('email') if isinstance(contact, dict) else contact!r} is not an email address",
                )
                continue
            contacts.append(
                {
                    "name": cf.text("name"),
                    "email": email.lower(),
                    "role": cf.text("role"),
                    "primary": cf.flag("primary"),
                    "opt_out": cf.flag("opt_out"),
                }
            )
        if contacts and not any(c["primary"] for c in contacts):
            contacts[0]["primary"] = True
        record = {
            "id": cid,
            "name": name,
            "aliases": f.string_list("aliases"),
            "terms_days": f.integer("terms_days", default=30),
            "credit_limit": f.amount("credit_limit", minimum=Decimal(0)),
            "currency": f.currency("currency", default_currency),
            "timezone": tz,
            "language": (f.text("language", default="en") or "en").lower()[:8],
            "insolvent": f.flag("insolvent"),
            "credit_hold": f.flag("credit_hold"),
            "owner": f.text("owner"),
            "extra": {k: v for k, v in rec.items() if k not in CUSTOMER_KEYS},
            "_contacts": contacts,
        }
        if f.ok and cid:
            seen.add(cid)
            customers.append(record)
    return customers


def clean_invoices(
    problems: Problems, doc: dict[str, Any], default_currency: str, known_customers: set[str]
) -> list[dict[str, Any]]:
    invoices: list[dict[str, Any]] = []
    seen: set[str] = set()
    for i, rec in _records(problems, doc, "invoices"):
        f = _Field(problems, "invoices", i, rec)
        number = f.text("number", required=True)
        if number and number in seen:
            f.bad("number", f"{number!r} appears twice")
        customer = f.customer_ref(known_customers)
        issued = f.day("issue_date", required=True)
        due = f.day("due_date", required=True)
        amount = f.amount("amount", required=True)
        balance = f.amount("balance")
        if balance is None:
            balance = amount
        if amount is not None and balance is not None:
            if amount >= 0 and not (0 <= balance <= amount):
                f.bad(
                    "balance", f"{rec.get('balance')!r} must be between 0 and the amount {amount}"
                )
            if amount < 0 and not (amount <= balance <= 0):
                f.bad(
                    "balance",
                    f"{rec.get('balance')!r} must be between the credit amount {amount} and 0",
                )
        if issued and due and due < issued:
            f.bad("due_date", f"{due.isoformat()} is before the issue date {issued.isoformat()}")
        record = {
            "number": number,
            "customer_id": customer,
            "issue_date": issued,
            "due_date": due,
            "amount": amount,
            "balance": balance,
            "currency": f.currency("currency", default_currency),
            "po_number": f.text("po_number"),
            "document_path": f.text("document_path"),
            "extra": {k: v for k, v in rec.items() if k not in INVOICE_KEYS},
        }
        if f.ok and number:
            seen.add(number)
            invoices.append(record)
    return invoices


def clean_payments(
    problems: Problems,
    doc: dict[str, Any],
    default_currency: str,
    known_customers: set[str],
    known_invoices: set[str],
) -> list[dict[str, Any]]:
    payments: list[dict[str, Any]] = []
    seen: set[str] = set()
    for i, rec in _records(problems, doc, "payments"):
        f = _Field(problems, "payments", i, rec)
        pid = f.text("id") or f"IMPORTED-{i + 1}"
        if pid in seen:
            f.bad("id", f"{pid!r} appears twice")
        customer = f.customer_ref(known_customers)
        amount = f.amount("amount", required=True, minimum=Decimal("0.01"))
        allocations: list[dict[str, Any]] = []
        allocated = Decimal(0)
        for j, alloc in enumerate(rec.get("allocations") or []):
            af = _Field(problems, "payments", i, alloc if isinstance(alloc, dict) else {})
            inv = af.text("invoice")
            alloc_amount = af.amount("amount", minimum=Decimal("0.01"))
            if not inv or inv not in known_invoices:
                f.bad(f"allocations[{j}].invoice", f"{inv!r} is not a known invoice number")
            elif alloc_amount is None:
                f.bad(f"allocations[{j}].amount", "is required")
            else:
                allocations.append({"invoice": inv, "amount": alloc_amount})
                allocated += alloc_amount
        if amount is not None and allocated > amount:
            f.bad("allocations", f"allocate more than the payment amount {amount}")
        record = {
            "id": pid,
            "customer_id": customer,
            "date": f.day("date", required=True),
            "amount": amount,
            "currency": f.currency("currency", default_currency),
            "reference": f.text("reference"),
            "payer_name": f.text("payer_name"),
            "_allocations": allocations,
        }
        if f.ok:
            seen.add(pid)
            payments.append(record)
    return payments


def clean_promises(
    problems: Problems, doc: dict[str, Any], known_customers: set[str], known_invoices: set[str]
) -> list[dict[str, Any]]:
    promises = []
    for i, rec in _records(problems, doc, "promises"):
        f = _Field(problems, "promises", i, rec)
        customer = f.customer_ref(known_customers)
        numbers = f.invoice_refs("invoices", known_invoices)
        record = {
            "customer_id": customer,
            "date": f.day("date", required=True),
            "amount": f.amount("amount", minimum=Decimal(0)),
            "status": f.text("status", default="open"),
            "_invoices": numbers,
        }
        if f.ok:
            promises.append(record)
    return promises


def clean_disputes(
    problems: Problems, doc: dict[str, Any], known_customers: set[str], known_invoices: set[str]
) -> list[dict[str, Any]]:
    disputes = []
    for i, rec in _records(problems, doc, "disputes"):
        f = _Field(problems, "disputes", i, rec)
        customer = f.customer_ref(known_customers)
        invoice = next(iter(f.invoice_refs("invoice", known_invoices, required=True)), None)
        record = {
            "customer_id": customer,
            "reason": f.text("reason", default="other"),
            "detail": f.text("detail"),
            "opened": f.day("opened", required=True),
            "status": f.text("status", default="open"),
            "_invoice": invoice,
        }
        if f.ok:
            disputes.append(record)
    return disputes
