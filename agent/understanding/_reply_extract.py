"""Facts of a customer reply once its intents are voted: dates, amounts, invoices,
references, dispute reason, plan terms, contacts. Used by ``replies.understand_reply``.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from agent.understanding import vocabulary as vocab
from agent.understanding._reply_logic import THRESHOLD, Analysis
from agent.understanding._text import fold
from agent.understanding.amounts import find_amounts
from agent.understanding.dates import find_dates
from agent.understanding.invoices import find_invoice_refs
from agent.understanding.lexicon import marker
from agent.understanding.plan_terms import find_plan_terms
from agent.understanding.reply_facts import find_contact_name, find_emails, find_payment_reference

__all__ = ["extract_facts"]

_RETURN_CUE = re.compile(
    r"\b(?:until|till|back|return\w*|reply|respond|bis|wieder|ab|zuruck|jusqu'?au|retour|des|"
    r"hasta|regres\w*|vuelta|a partir|tot|terug|vanaf|fino al|rientro)\b"
)
_INCLUSIVE = re.compile(
    r"\b(?:through|thru|inclusive|including|einschlie\w*|inclus\w*|"
    r"incluido|t/m|tot en met|compreso)\b"
)


def extract_facts(
    body: str,
    a: Analysis,
    intent: str,
    *,
    today: date,
    language: str,
    subject: str,
    headers: Mapping[str, str] | None,
    known_invoices: Collection[str],
) -> dict[str, Any]:
    """Return the ReplyUnderstanding fields other than intent and bookkeeping."""
    invoices = find_invoice_refs(body, known=known_invoices) or find_invoice_refs(
        subject, known=known_invoices
    )
    facts: dict[str, Any] = {"invoices": invoices}
    amounts = _amounts(body, invoices)
    # The amount of the clause that asked, else one written with its currency: a bare
    # number elsewhere (a postcode in a signature, a PO) is no amount of the customer's.
    facts["amount"] = _amount_for(intent, a, amounts)
    promises = _promise_schedule(a, today, language)
    if a.refuse_dates and not promises:
        promises = [(a.refuse_dates[0], None)]
    if not promises and intent == "promise_to_pay":
        future = [d.date for d in find_dates(body, today=today, lang=language) if d.date >= today]
        moved = marker("rescheduled").search(fold(body))
        promises = [(future[-1 if moved else 0], None)] if future else []
    facts["promises"] = promises
    facts["promised_date"] = promises[0][0] if promises else None
    if intent == "promise_to_pay" and promises and promises[0][1] is not None:
        facts["amount"] = promises[0][1]
    paid_text = " ".join(a.raw[i] for i in sorted(a.clauses_of.get("claims_paid", ())))
    past = [
        d.date
        for d in find_dates(paid_text, today=today, lang=language, prefer_future=False)
        if d.date <= today
    ]
    facts["paid_date"] = past[0] if past else None
    exclude = {i.upper() for i in invoices} | {re.sub(r"\D", "", i) for i in invoices}
    facts["payment_reference"] = find_payment_reference(body, exclude=exclude)
    facts["return_date"] = _return_date(a, body, today, language)
    facts.update(_dispute_facts(a, body, invoices, known_invoices))
    terms = find_plan_terms(body)
    facts["requested_installments"] = terms.installments
    facts["requested_months"] = terms.months
    facts["requested_frequency"] = terms.frequency
    facts["installment_amount"] = terms.installment_amount
    facts["requests_discount"] = bool(vocab.DISCOUNT.search(fold(body)))
    facts["settlement_offer"] = bool(marker("settlement_offer").search(fold(body)))
    facts["mentions_bank_change"] = a.bank_change
    facts.update(_contact_facts(body, headers))
    doc_tags = a.tags.get("document_request", {})
    facts["document_kind"] = max(doc_tags, key=doc_tags.__getitem__) if doc_tags else None
    return facts


def _amounts(body: str, invoices: list[str]) -> list[Any]:
    digits = {re.sub(r"\D", "", i).lstrip("0") for i in invoices}
    return [
        f
        for f in find_amounts(body)
        if not (f.currency is None and str(f.amount).lstrip("0") in digits)
    ]


def _amount_for(intent: str, a: Analysis, amounts: list[Any]) -> Decimal | None:
    clauses = a.clauses_of.get(intent, set())
    offsets, position = [], 0
    for clause in a.raw:
        offsets.append(position)
        position += len(clause) + 1
    with_currency = sorted(amounts, key=lambda f: f.currency is None)
    for found in with_currency:
        for index in clauses:
            if a.raw[index] and found.text in a.raw[index]:
                return found.amount
    return next((f.amount for f in with_currency if f.currency), None)


def _promise_schedule(a: Analysis, today: date, language: str) -> list[tuple[date, Decimal | None]]:
    schedule: list[tuple[date, Decimal | None]] = []
    for index in sorted(a.clauses_of.get("promise_to_pay", set())):
        for segment in re.split(r"\band\b|\bund\b|\bet\b|\by\b|;|,\s", a.raw[index]):
            dates = [d for d in find_dates(segment, today=today, lang=language) if d.date >= today]
            if dates:
                amounts = find_amounts(segment)
                money_found = next((f.amount for f in amounts if f.currency), None) or next(
                    (f.amount for f in amounts if re.search(r"[.,]\d{2}$", f.text)), None
                )  # "the remaining 3,240.00 ... will go out Friday": cents make it money
                # "slipped from this week's run to the December 11 run": the new date
                moved = marker("rescheduled").search(fold(segment))
                schedule.append((dates[-1 if moved else 0].date, money_found))
    return schedule


def _return_date(a: Analysis, body: str, today: date, language: str) -> date | None:
    absent = a.clauses_of.get("out_of_office", set())
    candidates: list[tuple[int, date]] = []
    for index in range(len(a.raw)):  # "Ich bin nicht im Büro. Ab dem 21.12. wieder da."
        clause = a.raw[index]
        for found in find_dates(clause, today=today, lang=language):
            if found.date < today:
                continue
            words_before = fold(clause[max(0, found.start - 30) : found.start]).split()[-3:]
            before = " ".join(words_before)
            rank = 2 if index in absent else 0
            if _INCLUSIVE.search(before):
                candidates.append((rank + 2, found.date + timedelta(days=1)))
            elif _RETURN_CUE.search(before):
                candidates.append((rank + 2, found.date))
            elif index in absent:
                candidates.append((rank + 1, found.date))
    return max(candidates)[1] if candidates else None


_REASON_ORDER = (
    "not_received",
    "duplicate",
    "already_credited",
    "quality",
    "quantity",
    "pricing",
    "tax",
    "refusal",
)


def _dispute_facts(
    a: Analysis, body: str, invoices: list[str], known: Collection[str]
) -> dict[str, Any]:
    tags = a.tags.get("dispute", {})
    reason = None
    if a.scores.get("dispute", 0) >= THRESHOLD:
        ranked = sorted(
            tags.items(),
            key=lambda kv: (kv[0] == "refusal", -kv[1], _REASON_ORDER.index(kv[0])),
        )
        reason = ranked[0][0] if ranked else "other"
        reason = {"refusal": "other"}.get(reason, reason)
        reason = {"quality": "quality", "not_received": "not_received"}.get(reason, reason)
    clauses = " ".join(a.raw[i] for i in sorted(a.clauses_of.get("dispute", ())))
    # A hint ("the amount", "importe") that never made a dispute disputes no invoice.
    disputed = find_invoice_refs(clauses, known=known) if clauses and reason else []
    return {"dispute_reason": reason, "dispute_invoices": disputed or (invoices if reason else [])}


def _contact_facts(body: str, headers: Mapping[str, str] | None) -> dict[str, Any]:
    sender = ""
    for key, value in (headers or {}).items():
        if key.lower() in {"from", "reply-to", "sender"}:
            sender += " " + str(value).lower()
    emails = [e for e in find_emails(body) if e not in sender]
    email = emails[0] if emails else None
    name = find_contact_name(body, email=email) if email or emails else find_contact_name(body)
    return {"new_contact_email": email, "new_contact_name": name}
