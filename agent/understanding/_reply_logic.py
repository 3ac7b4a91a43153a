"""The steps behind ``replies.understand_reply``: vote, resolve, choose, extract.

Kept apart from ``replies`` so that module shows the API and the intent ordering,
and this one the mechanics.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from agent.understanding import reply_vocab as money
from agent.understanding import reply_vocab_admin as admin
from agent.understanding._cues import Hit, scan
from agent.understanding._text import fold, sentences
from agent.understanding.amounts import find_amounts
from agent.understanding.dates import find_dates
from agent.understanding.invoices import find_invoice_refs
from agent.understanding.plan_terms import find_plan_terms
from agent.understanding.reply_facts import (
    find_contact_name,
    find_emails,
    find_payment_reference,
    reply_body,
)

__all__ = [
    "analyse",
    "auto_reply_kind",
    "choose_intent",
    "confidence",
    "extract_facts",
    "reply_body",
]

CUES = [
    *money.PROMISE,
    *money.CLAIMS_PAID,
    *money.NOT_RECEIVED_INVOICE,
    *money.DISPUTE,
    *money.PLAN,
    *money.HARDSHIP,
    *admin.DOCUMENT,
    *admin.CONTACT,
    *admin.OUT_OF_OFFICE,
    *admin.OPT_OUT,
    *admin.INSOLVENCY,
    *admin.QUESTION,
    *admin.ACKNOWLEDGEMENT,
]
THRESHOLD = 1.0
_BILLING_NOUN = re.compile(
    r"\b(?:invoices?|inv|bill(?:ed|ing)?|charge[sd]?|amount|price|total|balance|statement|"
    r"rechnung\w*|betrag|preis|facture\w*|montant|prix|factura\w*|importe|precio|factuur|"
    r"fattura|importo|po|fee|fees|rate|quote|order|units?|goods)\b|[$€£]\s?\d|\d\s?(?:€|eur|usd)\b"
)
_CONDITION_BEFORE = re.compile(
    r"\b(?:before|so that|so|in order to|until|unless|bevor|damit|um|avant de|avant que|pour|"
    r"pour que|afin de|antes de|antes de que|para|para que|voordat|om|prima di|per)\s+"
    r"(?:\w+\s+){0,2}$"
)
_WH_QUESTION = re.compile(
    r"^\W*(?:where|what|which|who|to whom|wohin|wo|welche\w*|an wen|ou|a quel\w*|quel\w*|a qui|"
    r"donde|a donde|adonde|cual\w*|a quien|waar|welke|dove|quale)\b.*\?\s*$"
)
_ATTACHED = re.compile(
    r"\b(?:attached|enclosed|attaching|see below|anbei|beigefugt|ci-joint|"
    r"ci-jointe?s?|en piece jointe|adjunt[oa]s?|in de bijlage|in allegato)\b"
)
_UNTIL = re.compile(
    r"\b(?:until|till|til|before|after|not before|by|bis|erst|vor|avant|apres|"
    r"hasta|antes de|despues de|tot|na|fino a|dopo|once|when)\b"
)
_IN_FULL_OR_NOW = re.compile(
    r"\b(?:in full|full amount|whole|entire|at once|all at once|right "
    r"now|at the moment|currently|at this time|this month|yet|now|"
    r"momentan|derzeit|zurzeit|actuellement|en ce moment|ahora|"
    r"actualmente|en este momento)\b"
)
_RETURN_CUE = re.compile(
    r"\b(?:until|till|back|return\w*|reply|respond|bis|wieder|ab|zuruck|jusqu'?au|retour|des|"
    r"hasta|regres\w*|vuelta|a partir|tot|terug|vanaf|fino al|rientro)\b"
)
_INCLUSIVE = re.compile(
    r"\b(?:through|thru|inclusive|including|einschlie\w*|inclus\w*|"
    r"incluido|t/m|tot en met|compreso)\b"
)
_AUTO_SUBJECT = re.compile(
    r"\b(?:automatic reply|auto(?:matic)?[- ]?(?:reply|response)|autoreply|out of (?:the )?office|"
    r"abwesenheit\w*|automatische antwort|reponse automatique|respuesta automatica|"
    r"fuera de la oficina|afwezigheid|risposta automatica)\b|^auto:"
)


@dataclass
class Analysis:
    """Votes and clause bookkeeping for one reply body."""

    raw: list[str]
    folded: list[str]
    hits: list[Hit]
    scores: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    tags: dict[str, dict[str, float]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(float))
    )
    clauses_of: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    evidence: list[str] = field(default_factory=list)
    refuse_dates: list[date] = field(default_factory=list)
    suspicious: bool = False
    hedged: bool = False
    bank_change: bool = False
    permanent: bool = False
    strong: set[str] = field(default_factory=set)
    counted: dict[tuple[str, str], float] = field(default_factory=dict)


def analyse(body: str, *, today: date, language: str) -> Analysis:
    """Vote on intents for every clause of ``body``."""
    raw = sentences(body)
    folded = [fold(c) for c in raw]
    suspicious = {i for i, c in enumerate(folded) if admin.SUSPICIOUS.search(c)}
    voting = ["" if i in suspicious else c for i, c in enumerate(folded)]
    analysis = Analysis(raw, folded, scan(voting, CUES))
    analysis.suspicious = bool(suspicious)
    analysis.hedged = any(admin.HEDGE.search(c) for c in voting)
    analysis.bank_change = any(admin.BANK_CHANGE.search(c) for c in voting)
    analysis.permanent = any(admin.PERMANENT.search(c) for c in voting)
    for index in suspicious:
        analysis.evidence.append(f"suspicious: {raw[index][:60]!r}")
    hits = _drop_shadowed(analysis.hits)
    for hit in hits:
        weight = _effective_weight(hit, voting[hit.clause], analysis)
        if weight <= 0:
            continue
        if hit.label == "refuse":
            _resolve_refusal(hit, raw, voting, today, language, analysis)
            continue
        label = {"not_received_invoice": "document_request"}.get(hit.label, hit.label)
        tag = "invoice_copy" if hit.label == "not_received_invoice" else hit.tag
        _vote(analysis, label, weight, hit.clause, tag, hit.text, hit.source)
    _boost_dated_promises(analysis, raw, voting, today, language)
    if analysis.scores.get("hardship", 0) and analysis.scores.get("payment_plan_request", 0):
        analysis.scores["payment_plan_request"] += analysis.scores["hardship"]
        analysis.strong.add("payment_plan_request")
    return analysis


def _vote(
    a: Analysis,
    label: str,
    weight: float,
    clause: int,
    tag: str | None,
    text: str,
    source: str = "",
) -> None:
    """Count a cue once per message (repeating a word is not more evidence)."""
    key = (label, source or text)
    added = max(0.0, weight - a.counted.get(key, 0.0))
    a.counted[key] = max(weight, a.counted.get(key, 0.0))
    a.scores[label] += added
    a.clauses_of[label].add(clause)
    if weight >= THRESHOLD:
        a.strong.add(label)  # hints alone (weak cues) never decide an intent
    if tag:
        a.tags[label][tag] += weight
    a.evidence.append(f"{label}: {text.strip()[:60]!r}")


def _drop_shadowed(hits: list[Hit]) -> list[Hit]:
    """A claim of payment inside a promise ("will be paid") is part of the promise."""
    promises = [h for h in hits if h.label in {"promise_to_pay", "refuse"} and h.weight >= 1.5]
    return [
        h
        for h in hits
        if not (
            h.label == "claims_paid"
            and any(
                p.clause == h.clause and p.start <= h.end and h.start <= p.end for p in promises
            )
        )
    ]


def _effective_weight(hit: Hit, clause: str, a: Analysis) -> float:
    if hit.label in {"promise_to_pay", "refuse"} and _WH_QUESTION.search(clause):
        return 0.0  # "What account should we send the wire to?" asks, it does not promise
    if hit.label == "dispute" and hit.tag is None and hit.weight <= 1.0:
        return hit.weight if _BILLING_NOUN.search(clause) else 0.6
    if hit.label == "document_request" and hit.weight <= 1.0:
        if _ATTACHED.search(clause) or not (admin.REQUEST_VERB.search(clause) or "?" in clause):
            return 0.0
        if hit.tag == "bank_details" and admin.BANK_CHANGE.search(clause):
            return 0.0
        return hit.weight + 1.0
    if hit.label in {"promise_to_pay", "refuse"} and _CONDITION_BEFORE.search(
        clause[max(0, hit.start - 40) : hit.start]
    ):
        return 0.0  # "... before we can pay": a condition, not a promise
    if hit.label == "acknowledgement" and hit.negated:
        return 0.0
    return hit.weight


def _resolve_refusal(
    hit: Hit, raw: list[str], voting: list[str], today: date, language: str, a: Analysis
) -> None:
    clause = voting[hit.clause]
    rest = raw[hit.clause][hit.start :]
    dates = [d for d in find_dates(rest, today=today, lang=language) if d.date >= today]
    if dates and _UNTIL.search(clause[hit.start :]):
        a.refuse_dates.append(dates[0].date)
        _vote(a, "promise_to_pay", 1.6, hit.clause, None, f"not until {dates[0].text}")
    elif _IN_FULL_OR_NOW.search(clause) or a.scores.get("hardship"):
        _vote(a, "payment_plan_request", 1.2, hit.clause, None, hit.text)
    else:
        _vote(a, "dispute", 1.0, hit.clause, "refusal", hit.text)


def _boost_dated_promises(
    a: Analysis, raw: list[str], voting: list[str], today: date, language: str
) -> None:
    """A weak payment mention plus a future date in the same clause is a promise."""
    for index in sorted(a.clauses_of.get("promise_to_pay", set())):
        if not voting[index]:
            continue
        if any(d.date >= today for d in find_dates(raw[index], today=today, lang=language)):
            a.scores["promise_to_pay"] += 0.5
            a.strong.add("promise_to_pay")
            return


def auto_reply_kind(
    kind: str | None, headers: Mapping[str, str] | None, subject: str
) -> str | None:
    """Return the auto-reply kind from the caller, the headers or the subject, else None."""
    if kind:
        return kind
    lowered = {k.lower(): str(v).lower() for k, v in (headers or {}).items()}
    auto_submitted = lowered.get("auto-submitted", "no")
    if auto_submitted and auto_submitted != "no":
        return "auto_reply"
    if any(h in lowered for h in ("x-autoreply", "x-autorespond", "x-auto-response-suppress")):
        return "auto_reply"
    if lowered.get("precedence") in {"auto_reply", "auto-reply"}:
        return "auto_reply"
    if _AUTO_SUBJECT.search(fold(subject or "")):
        return "auto_reply"
    return None


def choose_intent(
    a: Analysis, priority: Sequence[str], *, auto: str | None
) -> tuple[str, list[str]]:
    """Return the primary intent and the other detected ones, in priority order."""
    detected = [i for i in priority if a.scores.get(i, 0) >= THRESHOLD and i in a.strong]
    if auto in {"bounce", "delivery_failure", "dsn", "ndr"}:
        return "other", detected
    if auto:
        allowed = [i for i in ("insolvency", "out_of_office", "contact_change") if i in detected]
        if not allowed and auto in {"vacation", "out_of_office", "ooo"}:
            allowed = ["out_of_office"]
        primary = allowed[0] if allowed else "acknowledgement"
        return primary, [i for i in detected if i != primary]
    if not detected:
        return "other", []
    if "contact_change" in detected and "out_of_office" in detected and a.permanent:
        detected.remove("out_of_office")  # "left / permanently / going forward": not an absence
    return detected[0], detected[1:]


def confidence(a: Analysis, intent: str, *, auto: str | None) -> float:
    """Map the winning score to 0..1, lowered by hedges, injection text and close rivals."""
    if intent == "other":
        return 0.3 if not a.scores else 0.4
    score = a.scores.get(intent, THRESHOLD if auto else 0.0)
    value = min(0.97, 0.5 + 0.15 * score)
    if a.hedged and intent in {"promise_to_pay", "payment_plan_request"}:
        value -= 0.15
    if a.suspicious:
        value -= 0.2
    return round(max(0.05, value), 2)


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
    facts["amount"] = _amount_for(intent, a, amounts) or (amounts[0] if amounts else None)
    promises = _promise_schedule(a, today, language)
    if a.refuse_dates and not promises:
        promises = [(a.refuse_dates[0], None)]
    if not promises and intent == "promise_to_pay":
        future = [d.date for d in find_dates(body, today=today, lang=language) if d.date >= today]
        promises = [(future[0], None)] if future else []
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
    facts["requests_discount"] = bool(admin.DISCOUNT.search(fold(body)))
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
                money_found = next((f.amount for f in amounts if f.currency), None)
                schedule.append((dates[0].date, money_found))
    return schedule


def _return_date(a: Analysis, body: str, today: date, language: str) -> date | None:
    clauses = sorted(a.clauses_of.get("out_of_office", set())) or range(len(a.raw))
    candidates: list[tuple[int, date]] = []
    for index in clauses:
        clause = a.raw[index]
        for found in find_dates(clause, today=today, lang=language):
            if found.date < today:
                continue
            words_before = fold(clause[max(0, found.start - 30) : found.start]).split()[-3:]
            before = " ".join(words_before)
            if _INCLUSIVE.search(before):
                candidates.append((2, found.date + timedelta(days=1)))
            elif _RETURN_CUE.search(before):
                candidates.append((2, found.date))
            else:
                candidates.append((1, found.date))
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
    disputed = find_invoice_refs(clauses, known=known) if clauses else []
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
