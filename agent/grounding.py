"""Grounding: an action read from a customer's message must cite the sender's own words.

Every proposal made while the agent reads a customer email carries ``evidence``: the
exact quotes, from the sender's *own new text* (never the quoted history, a forwarded
third party or hidden HTML, which the mail module strips before the agent sees the
text), from which its intent and each field it read were taken:

    {"intent": "we will pay INV-1042 on Friday", "date": "on Friday",
     "invoices": "INV-1042", "amount": "...", "email": "...", "until": "..."}

``problems`` is the guardrail both brains meet in the graph's guard node. It refuses a
proposal whose intent quote is missing or not found verbatim (white space and case
aside) in the sender's text, and one whose invoice, date, amount or new address does
not occur in its evidence (or, for invoices, in the thread the reply answers, or the
policy's default scope). A language model that invents a field cannot queue it.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from agent.understanding.amounts import find_amounts
from agent.understanding.dates import dates_written
from agent.understanding.invoices import find_invoice_refs

__all__ = [
    "Evidence",
    "Source",
    "evidence_rows",
    "normalise_evidence",
    "problems",
    "quote_found",
]

Evidence = dict[str, str]
EXEMPT = frozenset({"escalate"})  # a human reads it; it changes nothing
_SPACE = re.compile(r"\s+")
_EDGE = re.compile(r"^[\s\"'«»“”‘’.,;:!?()\[\]-]+|[\s\"'«»“”‘’.,;:!?()\[\]-]+$")


@dataclass(frozen=True)
class Source:
    """What the quotes are checked against: the sender's own words and the thread."""

    text: str
    sender: str = ""
    thread: str = ""  # the subject and the message this one answers
    thread_invoices: Collection[str] = ()
    # The policy's scopes when none is named: all overdue invoices, or all open ones.
    default_scopes: tuple[frozenset[str], ...] = ()
    today: date = field(default_factory=date.today)
    language: str | None = None
    derived_until: date | None = None  # a hold whose end the policy sets, not the sender


def _plain(text: str) -> str:
    return _SPACE.sub(" ", text or "").strip().casefold()


def quote_found(quote: str, text: str) -> bool:
    """Is ``quote`` (trimmed of edge punctuation) written in ``text``?"""
    wanted = _plain(_EDGE.sub("", quote or ""))
    return len(wanted) >= 2 and wanted in _plain(text)


def normalise_evidence(raw: Any) -> Evidence:
    """The evidence a brain gave, as ``{field: quote}`` (lists joined, junk dropped)."""
    if not isinstance(raw, Mapping):
        return {}
    out: Evidence = {}
    for key, value in raw.items():
        if isinstance(value, list | tuple):
            value = " … ".join(str(v) for v in value if isinstance(v, str | int | float))
        if isinstance(value, str) and value.strip():
            out[str(key)] = value.strip()[:500]
    return out


LABELS = {
    "intent": "Asked",
    "date": "Date",
    "amount": "Amount",
    "invoices": "Invoices",
    "email": "Address",
    "until": "Until",
}


def evidence_rows(context: Mapping[str, Any] | None) -> list[tuple[str, str]]:
    """An approval's evidence as (label, quote) rows for the web and Slack cards."""
    ev = normalise_evidence((context or {}).get("evidence"))
    return [(LABELS.get(key, key.replace("_", " ").capitalize()), ev[key]) for key in ev]


def _quotes(evidence: Evidence, key: str) -> list[str]:
    return [q.strip() for q in evidence.get(key, "").split(" … ") if q.strip()]


def _invoices_of(payload: Mapping[str, Any]) -> list[str]:
    found = payload.get("invoices") or ([payload["invoice"]] if payload.get("invoice") else [])
    return [str(i) for i in found]


def _amount(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value)) if value not in (None, "") else None
    except InvalidOperation:
        return None


def problems(
    action_type: str, payload: Mapping[str, Any], evidence: Any, source: Source
) -> list[str]:
    """Why this proposal is not grounded in the sender's own words (empty: it is)."""
    if action_type in EXEMPT:
        return []
    ev = normalise_evidence(evidence)
    intent = ev.get("intent", "")
    if not intent:
        return ["no evidence: the sender's own words asking for this are missing"]
    issues = [
        f"evidence {q!r} is not in the sender's own text"
        for key in ev
        for q in _quotes(ev, key)
        if not quote_found(q, source.text)
    ]
    quoted = " \n".join(ev.values())
    issues += _invoice_problems(_invoices_of(payload), quoted, source)
    if action_type == "record_promise":
        issues += _date_problems("date", payload.get("date"), ev, source)
    if action_type == "hold_dunning" and payload.get("until"):
        until = date.fromisoformat(str(payload["until"])[:10])
        if until != source.derived_until:
            issues += _date_problems("until", until, ev, source)
    amount = _amount(payload.get("amount"))
    if action_type == "record_promise" and amount is not None:
        written = [a.amount for q in _quotes(ev, "amount") for a in find_amounts(q)]
        if amount not in written:
            issues.append(f"amount {amount} does not occur in its evidence")
    if action_type == "update_contact":
        issues += _contact_problems(payload, ev, source)
    return issues


def _invoice_problems(invoices: list[str], quoted: str, source: Source) -> list[str]:
    if not invoices:
        return []
    upper = {i.upper() for i in invoices}
    if upper in source.default_scopes and not find_invoice_refs(quoted, known=invoices):
        return []  # none named: the policy's default scope (all overdue / all open)
    context = f"{quoted}\n{source.thread}"
    named = {r.upper() for r in find_invoice_refs(context, known=invoices)}
    named |= {i.upper() for i in source.thread_invoices}
    missing = sorted(i for i in invoices if i.upper() not in named)
    return [f"invoice {i} is named neither in the evidence nor in the thread" for i in missing]


def _date_problems(key: str, value: Any, ev: Evidence, source: Source) -> list[str]:
    if value in (None, ""):
        return []
    wanted = value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
    quotes = _quotes(ev, key) or _quotes(ev, "intent")
    for quote in quotes:
        written = dates_written(quote, today=source.today, lang=source.language)
        if {wanted, wanted - timedelta(days=1)} & written:
            return []  # "back on the 12th" holds until the 12th; "through the 11th" too
    return [f"{key} {wanted.isoformat()} is not a date the sender wrote"]


def _contact_problems(payload: Mapping[str, Any], ev: Evidence, source: Source) -> list[str]:
    email = str(payload.get("email") or "").lower()
    if payload.get("opt_out") and email and email in source.sender.lower():
        return []  # the sender opting out its own address
    if email and any(email in q.lower() for q in _quotes(ev, "email") + _quotes(ev, "intent")):
        return []
    return [f"the address {email or '(none)'} does not occur in the sender's words"]
