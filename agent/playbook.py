"""POLICY.md's customer-reply table as code: the tool calls each intent proposes.

Also the small ledger facts the table needs (the sender's customer, its open and overdue
invoices). Who sent a reply is decided by the one linker, ``mail.linking``, before this.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select

from agent._common import call, field, known_invoices_for
from agent.context import Context
from agent.understanding.invoices import find_invoice_refs
from ledger.models import Contact, Customer, Dispute, Invoice
from mail.senders import address_belongs
from policies.actions import INTENTS

TAX_OR_BANK = re.compile(
    r"w-?9|w-?8|tax|vat|steuer|fiscal|bank|iban|kbis|rib|certificat|partita iva|\biva\b|"
    r"bancari|bancaire|bancári|belasting|fiscaal|ust-id|umsatzsteuer|nif\b|cnpj|residên",
    re.I,
)
QUESTION_ABOUT_LEDGER = re.compile(
    r"balance|how much|owe|outstanding|open (items|invoices)|statement|amount|saldo|offen|"
    r"solde|montant|importe|pendiente|which invoice|what invoice|invoice",
    re.I,
)


EXCLUSIVE = {"promise_to_pay", "payment_plan_request"}


def email_of(sender: str) -> str:
    m = re.search(r"[\w.+'-]+@[\w-]+(\.[\w-]+)+", sender or "")
    return m.group(0).lower() if m else ""


def ledger_facts(ctx: Context, customer: str | None, text: str) -> dict[str, Any]:
    with ctx.db.transaction() as session:
        all_numbers = known_invoices_for(session, text, customer=customer)
        if customer is None:
            return {
                "known": all_numbers,
                "mine": set(),
                "open": [],
                "overdue": [],
                "disputed": set(),
            }
        cust = session.get(Customer, customer)
        emails = [
            e.lower()
            for e in session.scalars(select(Contact.email).where(Contact.customer_id == customer))
        ]
        rows = session.execute(
            select(Invoice.number, Invoice.balance, Invoice.due_date).where(
                Invoice.customer_id == customer
            )
        ).all()
        disputed = set(
            session.scalars(
                select(Invoice.number)
                .join(Dispute, Dispute.invoice_id == Invoice.id)
                .where(Dispute.customer_id == customer, Dispute.status == "open")
            )
        )
    today = ctx.clock.now().date()
    return {
        "known": all_numbers,
        "mine": {r[0].upper() for r in rows},
        "open": [r[0] for r in rows if r[1] > 0],
        "overdue": [r[0] for r in rows if r[1] > 0 and r[2] < today],
        "insolvent": bool(cust and cust.insolvent),
        "disputed": {n.upper() for n in disputed},
        "emails": set(emails),
        "domains": {e.rsplit("@", 1)[-1] for e in emails if "@" in e},
    }


def sender_is_known(sender: str, facts: dict[str, Any]) -> bool:
    """The address is on file, or on one of the customer's own (non free-mail) domains."""
    return address_belongs(
        email_of(sender), facts.get("emails", set()), facts.get("domains", set())
    )


def _own(numbers: list[str], facts: dict[str, Any]) -> list[str]:
    return [n for n in dict.fromkeys(numbers) if n.upper() in facts["mine"]]


_THE_REST = re.compile(
    r"\b(?:the )?(?:rest|remainder|remaining|balance)\b|\b(?:o|el|der|le|il|de) (?:restante|resto|"
    r"rest|reste|restbetrag|saldo restante)\b|\brestante\b|\brestbetrag\b",
    re.I,
)


def _scoped(intent: str, u: Any, named: list[str], facts: dict[str, Any]) -> list[str]:
    """The invoices this intent is about: those its own clauses name; else those named in
    the message or thread that no other intent's clause claims ("A was paid, B goes out
    Friday": the promise is about B only)."""
    quotes: dict[str, str] = field(u, "quotes", {})
    own = _own(find_invoice_refs(quotes.get(intent, ""), known=facts["known"]), facts)
    if own:
        return own
    if _THE_REST.search(quotes.get(intent, "")):  # "the rest, 1,860.00, on the 27th"
        paid = _own(find_invoice_refs(quotes.get("claims_paid", ""), known=facts["known"]), facts)
        if paid:
            return paid
    claimed = {
        ref.upper()
        for name, quote in quotes.items()
        if name != intent and name in INTENTS
        for ref in find_invoice_refs(quote, known=facts["known"])
    }
    return [n for n in named if n.upper() not in claimed]


def _promised_amount(u: Any) -> Any:
    """The amount of the promise clause; the reply's amount only when promising is its point."""
    schedule = field(u, "promises", [])
    if schedule and schedule[0][1] is not None:
        return schedule[0][1]
    return field(u, "amount") if field(u, "intent") == "promise_to_pay" else None


def evidence(u: Any, intent: str, **facts: str) -> dict[str, str]:
    """The sender's words behind a call: its intent's clause and each fact's sentence."""
    quotes: dict[str, str] = field(u, "quotes", {})
    ev = {"intent": quotes.get(intent) or quotes.get(str(field(u, "intent", ""))) or ""}
    ev.update({key: quotes[name] for key, name in facts.items() if quotes.get(name)})
    if quotes.get("invoices"):
        ev["invoices"] = quotes["invoices"]
    return ev


def intent_calls(
    intent: str,
    u: Any,
    turn: dict[str, Any],
    customer: str,
    facts: dict[str, Any],
    ctx: Context,
    done: set[str],
) -> list[Any]:
    """Tool calls for one intent (POLICY.md, customer replies table)."""
    today = ctx.clock.now().date()
    named = _scoped(
        intent,
        u,
        _own(list(field(u, "invoices", [])) + list(turn.get("invoices") or []), facts),
        facts,
    )
    said = evidence(u, intent)
    sender, subject = turn.get("sender", ""), turn.get("subject", "")
    reply = dict(
        customer=customer,
        to=email_of(sender) or None,
        subject=subject or None,
        in_reply_to=turn.get("message_id"),
        language=field(u, "language", None),  # answer in the language the customer wrote in
    )
    if intent == "promise_to_pay":
        when = field(u, "promised_date")
        if when is None or when < today:
            return [
                call(
                    "escalate",
                    customer=customer,
                    reason="Customer promised to pay but gave no usable date; please confirm one.",
                )
            ]
        disputed = {n.upper() for n in _own(list(field(u, "dispute_invoices", [])), facts)}
        scope = [n for n in named if n.upper() not in disputed] or None
        return [
            call(
                "record_promise",
                customer=customer,
                date=when,
                invoices=scope,
                amount=_promised_amount(u),
                evidence=evidence(
                    u,
                    intent,
                    date="promised_date",
                    amount="promised_amount"
                    if field(u, "quotes", {}).get("promised_amount")
                    else "amount",
                ),
            )
        ]
    if intent == "claims_paid":
        return [
            call(
                "find_bank_payment",
                customer=customer,
                amount=field(u, "amount"),
                reference=field(u, "payment_reference"),
                invoices=named or None,
                paid_on=field(u, "paid_date"),
                evidence=said,
            )
        ]
    if intent == "dispute":
        disputed = _own(list(field(u, "dispute_invoices", [])), facts) or named
        if not disputed and len(facts["open"]) == 1:
            disputed = facts["open"]
        if not disputed:
            return [
                call(
                    "escalate",
                    customer=customer,
                    reason="Customer disputes an invoice but did not say which one.",
                )
            ]
        return [
            call(
                "open_dispute",
                customer=customer,
                invoices=disputed,
                reason=field(u, "dispute_reason", "other"),
                detail=(turn.get("text") or "")[:300],
                evidence=said,
            ),
            call("draft_reply", purpose="dispute_ack", invoices=disputed, evidence=said, **reply),
        ]
    if intent == "payment_plan_request":
        return [
            call(
                "propose_payment_plan",
                customer=customer,
                installments=field(u, "requested_installments"),
                months=field(u, "requested_months"),
                frequency=field(u, "requested_frequency"),
                invoices=named or None,
                outside_policy="closest",
                evidence=said,
            )
        ]
    if intent == "document_request":
        kind = str(field(u, "document_kind", "") or "")
        asked = field(u, "quotes", {}).get(intent, "")
        if (
            kind and TAX_OR_BANK.search(kind) and "invoice" not in kind and "statement" not in kind
        ) or (not kind and TAX_OR_BANK.search(f"{asked}\n{field(u, 'body', '')}")):
            kind = kind or "tax or bank documents"
            return [
                call(
                    "escalate",
                    customer=customer,
                    reason=f"Customer asks for tax or bank documents ({kind}); a human must send them.",
                )
            ]
        purpose = "statement" if "statement" in kind else "documents"
        return [
            call("draft_reply", purpose=purpose, invoices=named or None, evidence=said, **reply)
        ]
    if intent in ("contact_change", "opt_out") and not sender_is_known(sender, facts):
        return [
            call(
                "escalate",
                customer=customer,
                reason=(
                    f"{intent.replace('_', ' ')} requested from {email_of(sender) or 'an unknown sender'}, "
                    "an address the customer has never used: verify by phone before changing anything."
                ),
            )
        ]
    if intent == "contact_change":
        email = field(u, "new_contact_email")
        if not email:
            return [
                call(
                    "escalate",
                    customer=customer,
                    reason="Customer announced a contact change without a usable address.",
                )
            ]
        return [
            call(
                "update_contact",
                customer=customer,
                email=email,
                name=field(u, "new_contact_name"),
                replaces=email_of(sender) or None,
                evidence=evidence(u, intent, email="new_contact_email"),
            )
        ]
    if intent == "out_of_office":
        back = field(u, "return_date")
        if back is None or back < today:
            return []
        if not field(u, "is_auto_reply", False) and field(u, "intent") != "out_of_office":
            return []  # "Ms Weber is out this week, I'm covering": someone is here to talk to
        return [
            call(
                "hold_dunning",
                customer=customer,
                until=back,
                invoices=None,
                reason=f"contact out of office until {back.isoformat()}",
                evidence=evidence(u, intent, until="return_date"),
            )
        ]
    if intent == "opt_out":
        calls = []
        if email_of(sender):
            calls.append(
                call(
                    "update_contact",
                    customer=customer,
                    email=email_of(sender),
                    opt_out=True,
                    evidence=said,
                )
            )
        calls.append(
            call(
                "escalate",
                customer=customer,
                reason="Contact asked not to be emailed any more; choose another contact.",
            )
        )
        return calls
    if intent == "insolvency":
        return [
            call(
                "hold_dunning",
                customer=customer,
                reason="insolvency notice (legal hold)",
                evidence=said,
            ),
            call(
                "escalate",
                customer=customer,
                reason="Customer reports insolvency or administration: legal hold, file the claim.",
            ),
        ]
    if intent == "question":
        if QUESTION_ABOUT_LEDGER.search(turn.get("text") or ""):
            return [
                call(
                    "draft_reply",
                    purpose="statement",
                    invoices=named or None,
                    evidence=said,
                    **reply,
                )
            ]
        return [
            call(
                "escalate",
                customer=customer,
                reason="Customer asks a question the ledger cannot answer.",
            )
        ]
    if intent == "acknowledgement":
        return []
    return [
        call("escalate", customer=customer, reason="Customer reply needs a human (unclear intent).")
    ]
