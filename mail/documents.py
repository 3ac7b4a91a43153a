"""Invoice copies and account statements as PDF, in the customer's language, with the pay link.

fpdf2 draws them: pure Python, no system libraries (WeasyPrint needs Pango and cairo from
the OS, which a clean CI machine and a slim container lack). The built-in Helvetica
covers Latin-1, enough for English, German, French and Spanish; anything outside it is
replaced, never an error. Labels per language are data (``document_labels.yaml``).

A draft names what it attaches in ``payload["attachments"]``
(``{"kind": "invoice", "invoice": "INV-1042"}`` or ``{"kind": "statement"}``, each with
``filename``); the outbox renders them when it sends, from the ledger as it is then.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from fpdf import FPDF
from sqlalchemy import select
from sqlalchemy.orm import Session

from core import formatting
from core.errors import NotFound
from ledger.models import Customer, Invoice

LABELS_FILE = Path(__file__).with_name("document_labels.yaml")
PDF_MIME = "application/pdf"


@dataclass(frozen=True)
class Letterhead:
    company: str
    pay_link: str


@lru_cache(maxsize=1)
def _labels() -> dict[str, dict[str, str]]:
    data: dict[str, dict[str, str]] = yaml.safe_load(LABELS_FILE.read_text(encoding="utf-8"))
    return data


def labels_for(language: str | None) -> dict[str, str]:
    short = formatting.locale_of(language).split("_")[0]
    return _labels().get(short, _labels()["en"])


def _latin1(text: str) -> str:
    cleaned = text.replace("\u202f", " ").replace("\xa0", " ").replace("–", "-")
    return cleaned.encode("latin-1", "replace").decode("latin-1")


class _Doc(FPDF):
    def __init__(self, title: str, head: Letterhead) -> None:
        super().__init__(format="A4")
        self.set_title(_latin1(title))
        self.set_author(_latin1(head.company))
        self.set_creator("ar-agent")
        self.set_auto_page_break(auto=True, margin=18)
        self.add_page()
        self.set_font("Helvetica", "B", 16)
        self.cell(0, 9, _latin1(head.company), new_x="LMARGIN", new_y="NEXT")
        self.set_font("Helvetica", "", 13)
        self.cell(0, 8, _latin1(title), new_x="LMARGIN", new_y="NEXT")
        self.ln(3)

    def line_of(self, label: str, value: str) -> None:
        self.set_font("Helvetica", "B", 10)
        self.cell(48, 6, _latin1(label))
        self.set_font("Helvetica", "", 10)
        self.multi_cell(0, 6, _latin1(value), new_x="LMARGIN", new_y="NEXT")

    def open_items(self, header: list[str], rows: list[list[str]], widths: list[int]) -> None:
        self.set_font("Helvetica", "B", 9)
        for text, width in zip(header, widths, strict=True):
            self.cell(width, 7, _latin1(text), border="B")
        self.ln()
        self.set_font("Helvetica", "", 9)
        for row in rows:
            for n, (text, width) in enumerate(zip(row, widths, strict=True)):
                self.cell(width, 6, _latin1(text), align="R" if n >= len(row) - 2 else "L")
            self.ln()

    def pay(self, words: dict[str, str], head: Letterhead) -> None:
        self.ln(4)
        self.set_font("Helvetica", "", 10)
        self.multi_cell(0, 6, _latin1(words["pay_at"]), new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(30, 80, 160)
        self.cell(0, 6, _latin1(head.pay_link), link=head.pay_link, new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(0, 0, 0)
        self.multi_cell(0, 6, _latin1(words["dispute"]))

    def done(self) -> bytes:
        return bytes(self.output())


def _customer(session: Session, customer_id: str) -> Customer:
    customer = session.get(Customer, customer_id)
    if customer is None:
        raise NotFound(f"Customer {customer_id} not found")
    return customer


def invoice_pdf(
    session: Session, number: str, head: Letterhead, *, language: str | None = None
) -> bytes:
    """A copy of invoice ``number``: amounts, dates, balance, PO and how to pay."""
    invoice = session.scalar(select(Invoice).where(Invoice.number == number))
    if invoice is None:
        raise NotFound(f"Invoice {number} not found")
    customer = _customer(session, invoice.customer_id)
    lang = language or customer.language
    words = labels_for(lang)
    doc = _Doc(f"{words['invoice']} {invoice.number} ({words['copy']})", head)
    doc.line_of(words["customer"], f"{customer.name} ({customer.id})")
    doc.line_of(words["issued"], formatting.day(invoice.issue_date, lang))
    doc.line_of(words["due"], formatting.day(invoice.due_date, lang))
    if invoice.po_number:
        doc.line_of(words["po"], invoice.po_number)
    doc.line_of(words["amount"], formatting.money(invoice.amount, invoice.currency, lang))
    doc.line_of(words["balance"], formatting.money(invoice.balance, invoice.currency, lang))
    doc.pay(words, head)
    return doc.done()


def statement_pdf(
    session: Session,
    customer_id: str,
    head: Letterhead,
    *,
    day: date,
    language: str | None = None,
) -> bytes:
    """The customer's open items on ``day``, oldest first, with totals per currency."""
    customer = _customer(session, customer_id)
    lang = language or customer.language
    words = labels_for(lang)
    invoices = list(
        session.scalars(
            select(Invoice)
            .where(Invoice.customer_id == customer_id, Invoice.balance > 0)
            .order_by(Invoice.due_date, Invoice.number)
        )
    )
    doc = _Doc(f"{words['statement']}: {customer.name}", head)
    doc.line_of(words["customer"], f"{customer.name} ({customer.id})")
    doc.line_of(words["as_of"], formatting.day(day, lang))
    doc.ln(2)
    rows = [
        [
            i.number,
            formatting.day(i.issue_date, lang),
            formatting.day(i.due_date, lang),
            formatting.money(i.amount, i.currency, lang),
            formatting.money(i.balance, i.currency, lang),
        ]
        for i in invoices
    ]
    header = [words["invoice"], words["issued"], words["due"], words["amount"], words["balance"]]
    doc.open_items(header, rows, [34, 30, 30, 46, 46])
    totals: dict[str, Decimal] = {}
    for i in invoices:
        totals[i.currency] = totals.get(i.currency, Decimal(0)) + i.balance
    doc.ln(2)
    for currency, total in sorted(totals.items()) or [(customer.currency, Decimal(0))]:
        doc.line_of(words["total_open"], formatting.money(total, currency, lang))
    doc.pay(words, head)
    return doc.done()


def attachment_specs(
    kind: str, *, invoices: list[str] | None = None, customer: str = ""
) -> list[dict[str, Any]]:
    """What a draft attaches: one invoice copy per number, or the statement."""
    if kind == "statement":
        return [{"kind": "statement", "filename": f"statement-{customer}.pdf"}]
    return [{"kind": "invoice", "invoice": n, "filename": f"{n}.pdf"} for n in invoices or []]


def render_attachments(
    session: Session,
    specs: list[dict[str, Any]],
    *,
    customer_id: str,
    head: Letterhead,
    day: date,
    language: str | None,
) -> list[tuple[str, bytes, str]]:
    """(filename, PDF bytes, mime) for every spec a draft carries."""
    out = []
    for spec in specs:
        if spec.get("kind") == "statement":
            data = statement_pdf(session, customer_id, head, day=day, language=language)
        elif spec.get("kind") == "invoice" and spec.get("invoice"):
            data = invoice_pdf(session, str(spec["invoice"]), head, language=language)
        else:
            continue
        out.append((str(spec.get("filename") or "document.pdf"), data, PDF_MIME))
    return out
