"""Tool: draft an email to a customer (answer to a reply, or free text), for approval."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from core.errors import ValidationError
from core.money import format_money
from tools import _ledger, _templates
from tools.contacts import known_domains
from tools.context import ToolContext, ToolResult
from tools.customers import resolve
from tools.reminders import recipients

Purpose = Literal[
    "remittance_request", "dispute_ack", "plan_offer", "documents", "statement", "promise_thanks"
]


class EmailDraft(ToolResult):
    customer: str
    to: list[str]
    subject: str
    body: str
    invoices: list[str]
    language: str


def _to(cust, to: str | None) -> list[str]:
    """Reply to the sender only on a domain the customer already uses (BEC guard)."""
    if to and "@" in to and to.rsplit("@", 1)[1].lower() in known_domains(cust):
        contact = next((c for c in cust.contacts if c.email.lower() == to.lower()), None)
        if contact is None or contact.mailable:
            return [to.lower()]
    return recipients(cust)[0]


def _finish(
    ctx: ToolContext,
    cust,
    to: list[str],
    subject: str,
    body: str,
    invoices: list[str],
    lang: str,
    in_reply_to: str | None,
    why: str,
    attachments: list[dict[str, str]] | None = None,
) -> EmailDraft:
    if not to:
        raise ValidationError(f"{cust.name} has no contact that may be emailed")
    payload = {
        "customer": cust.id,
        "to": to,
        "subject": subject,
        "body": body,
        "invoices": invoices,
        "language": lang,
    }
    if in_reply_to:
        payload["in_reply_to"] = in_reply_to
    if attachments:
        payload["attachments"] = attachments
    return EmailDraft(
        customer=cust.id,
        to=to,
        subject=subject,
        body=body,
        invoices=invoices,
        language=lang,
        summary=f"Email to {', '.join(to)}: {subject} ({why}).",
        proposals=[ctx.action("send_email", payload, reason=why)],
    )


def draft_reply(
    ctx: ToolContext,
    customer: str,
    purpose: Purpose,
    to: str | None = None,
    invoices: list[str] | None = None,
    subject: str | None = None,
    plan_text: str | None = None,
    in_reply_to: str | None = None,
    language: str | None = None,
) -> EmailDraft:
    """Draft a templated answer to a customer, in the language of the message answered
    (else the customer's). Invoice copies and statements go as PDF attachments.

    Args:
        customer: Customer id or name.
        purpose: remittance_request (ask for payment details), dispute_ack, plan_offer,
            documents (invoice copies), statement (open items) or promise_thanks.
        to: The sender's address to answer (used only on a known domain).
        invoices: Invoice numbers concerned; empty means all open invoices.
        subject: Subject of the customer's email, to answer in the same thread.
        plan_text: For plan_offer: the plan in words.
        in_reply_to: Message-ID being answered.
        language: Language of the message being answered (default: the customer's).
    """
    cust = resolve(ctx, customer)
    open_ = _ledger.open_invoices(ctx.session, customer_id=cust.id)
    chosen = _ledger.invoices_by_number(ctx.session, invoices) if invoices else open_
    chosen = [i for i in chosen if i.customer_id == cust.id] or open_
    lines = [
        {
            "number": i.number,
            "balance": format_money(i.balance, i.currency),
            "amount": format_money(i.amount, i.currency),
            "due_date": i.due_date.isoformat(),
        }
        for i in chosen
    ]
    currency = _ledger.currency_of(chosen, cust.currency)
    addressees = _to(cust, to)
    contact = next(
        (c for c in cust.contacts if addressees and c.email.lower() == addressees[0]), None
    )
    subj, body, lang = _templates.render(
        f"reply_{purpose}",
        language or cust.language,
        invoices=lines,
        total=format_money(_ledger.total(chosen), currency)
        if chosen
        else format_money(Decimal(0), currency),
        contact_name=(contact.name if contact and contact.name else cust.name),
        customer_name=cust.name,
        company=ctx.company_name,
        pay_link=ctx.pay_link,
        plan_text=plan_text or "",
        hold_days=7,
    )
    if subject:
        subj = subject if subject.lower().startswith(("re:", "aw:", "sv:")) else f"Re: {subject}"
    return _finish(
        ctx,
        cust,
        addressees,
        subj,
        body,
        [i.number for i in chosen],
        lang,
        in_reply_to,
        purpose.replace("_", " "),
        attachments=_documents(purpose, [i.number for i in chosen], cust.id),
    )


def _documents(purpose: str, numbers: list[str], customer: str) -> list[dict[str, str]]:
    """The PDFs a reply carries: invoice copies, or the statement of open items."""
    if purpose == "documents":
        return [{"kind": "invoice", "invoice": n, "filename": f"{n}.pdf"} for n in numbers]
    if purpose == "statement":
        return [{"kind": "statement", "filename": f"statement-{customer}.pdf"}]
    return []


def compose_email(
    ctx: ToolContext,
    customer: str,
    subject: str,
    body: str,
    invoices: list[str] | None = None,
    to: str | None = None,
) -> EmailDraft:
    """Draft a free-text email to a customer for approval (nothing is sent until approved).

    Args:
        customer: Customer id or name.
        subject: Subject line.
        body: Plain-text body: invoice numbers, amounts with currency, due dates, how to
            pay and how to dispute. No threats, fees, legal language or discounts.
        invoices: Invoice numbers the email is about.
        to: Recipient; must be on a domain the customer already uses (default: primary contact).
    """
    cust = resolve(ctx, customer)
    numbers = [
        i.number
        for i in _ledger.invoices_by_number(ctx.session, invoices or [])
        if i.customer_id == cust.id
    ]
    return _finish(
        ctx,
        cust,
        _to(cust, to),
        subject.strip(),
        body.strip() + "\n",
        numbers,
        cust.language,
        None,
        "free-text email",
    )
