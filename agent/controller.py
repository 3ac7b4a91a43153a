"""The offline brain for controllers: a request understood → tool calls → a reply.

``understand_request`` (agent/understanding) reads the words; this module decides which
tool answers, which customer is meant (asking "which one?" when unsure, remembering the
last customer for follow-ups) and renders the results (:mod:`agent.render`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from agent import render
from agent._common import call, field, jsonable
from agent.context import Context
from agent.customer_pick import (
    answer_to_which_one,
    asks_concession,
    concession_kind,
    customer_names,
    pick_customer,
    read_request,
)
from agent.understanding._fold import fold
from agent.understanding.amounts import find_amounts
from agent.understanding.customers import match_customers
from agent.understanding.lexicon import language_named

NEEDS_CUSTOMER = {
    "apply_payment",
    "send_documents",
    "balance",
    "open_items",
    "timeline",
    "payment_plan",
    "record_promise",
    "open_dispute",
    "hold_dunning",
    "update_contact",
}
OPTIONAL_CUSTOMER = {"aging", "promises_due", "oldest_invoice", "draft_reminders", "escalate"}
NO_DOWN_PAYMENT = re.compile(
    r"\b(no|zero|without( a)?|nothing|0)\s+(down|deposit|upfront|up-front)|"
    r"\bohne anzahlung|\bsans (acompte|apport)|\bsin (entrada|anticipo)",
    re.I,
)
READ_ONLY = {
    "balance",
    "open_items",
    "aging",
    "top_debtors",
    "promises_due",
    "disputes",
    "timeline",
    "oldest_invoice",
    "approvals_pending",
    "greeting",
    "help",
}


BUCKET_DAYS = {
    "current": (None, 0),
    "1-30": (1, 30),
    "31-60": (31, 60),
    "61-90": (61, 90),
    "90+": (91, None),
}


BETWEEN = re.compile(
    r"\b(?:between|from|zwischen|entre)\s+(\d{1,3})\s*(?:and|to|-|und|et|y)\s*(\d{1,3})\s*(?:days?|tage?n?|jours?|d[ií]as?)",
    re.I,
)


def days_range(req: Any, text: str = "") -> tuple[int | None, int | None]:
    """(min, max) days past due: "between 1 and 30 days", a bucket like "1-30", "30+"."""
    m = BETWEEN.search(text)
    if m:
        low, high = sorted((int(m.group(1)), int(m.group(2))))
        return low, high
    low, high = BUCKET_DAYS.get(str(field(req, "bucket", "")), (None, None))
    explicit = field(req, "min_days_overdue")
    return (explicit if explicit is not None else low), high


LEDGER_WIDE = re.compile(
    r"\b(total|overall|altogether|combined|in all|all (our )?customers|every(one|body| customer)|"
    r"whole|portfolio|ledger|company[- ]wide|insgesamt|gesamt|alle kunden|au total|tous les clients|"
    r"en total|todos los clientes)\b",
    re.I,
)
_CAPITALISED = re.compile(r"(?<!^)(?<![.?!]\s)\b([A-Z][\w&'.-]+(?:\s+[A-Z][\w&'.-]+)*)")


def _unknown_name(text: str) -> str | None:
    """A capitalised name in the middle of the sentence ("does Cyberdyne Systems owe")."""
    for m in _CAPITALISED.finditer(text.strip()):
        name = m.group(1).strip(".")
        if name not in {"I", "AR", "USD", "EUR", "GBP"} and not name.isupper():
            return name
    return None


def _reply_facts(text: str, today: Any) -> Any:
    """The customer-reply reader on a controller's words (dispute reason, contact email)."""
    from agent.understanding.replies import understand_reply

    return understand_reply(text, today=today)


def calls_for(intent: str, req: Any, customer: str | None, text: str, ctx: Context) -> list[Any]:
    today = ctx.clock.now().date()
    invoices = list(field(req, "invoices", []))
    if intent in ("balance", "open_items"):
        return [call("customer_balance", customer=customer)]
    if intent == "aging":
        return [call("aging_report", customer=customer)]
    if intent == "top_debtors":
        return [call("top_debtors", limit=field(req, "limit", 5))]
    if intent == "promises_due":
        return [call("promises_due", customer=customer)]
    if intent == "disputes":
        return [call("open_disputes", customer=customer)]
    if intent == "send_documents":  # to the customer's contacts on file, for approval
        purpose = (
            "statement"
            if re.search(r"statement|kontoauszug|releve|extracto", text, re.I)
            else "documents"
        )
        return [call("draft_reply", customer=customer, purpose=purpose, invoices=invoices or None)]
    if intent == "apply_payment":  # only a bank line the ledger holds can be applied
        return [
            call(
                "find_bank_payment",
                customer=customer,
                amount=field(req, "amount"),
                invoices=invoices or None,
                paid_on=field(req, "date"),
            )
        ]
    if intent == "timeline":
        return [call("customer_timeline", customer=customer)]
    if intent == "oldest_invoice":
        return [call("oldest_invoice", customer=customer)]
    if intent == "approvals_pending":
        return [call("pending_approvals")]
    if intent in ("draft_reminders", "dunning_run"):
        return [
            call(
                "draft_reminders",
                customer=customer if intent == "draft_reminders" else None,
                invoices=invoices or None,
                min_days_overdue=days_range(req, text)[0],
                max_days_overdue=days_range(req, text)[1],
            )
        ]
    if intent == "payment_plan":
        frequency = field(req, "frequency")
        installments = field(req, "installments")
        if installments is None and frequency == "weekly" and field(req, "weeks"):
            installments = field(req, "weeks")
        down = field(req, "down_payment")
        if down is None and NO_DOWN_PAYMENT.search(text):
            down = 0
        return [
            call(
                "propose_payment_plan",
                customer=customer,
                installments=installments,
                months=field(req, "months"),
                frequency=frequency,
                down_payment=down,
                down_payment_percent=field(req, "down_payment_percent"),
                invoices=invoices or None,
                outside_policy="refuse",
            )
        ]
    if intent == "record_promise":
        when = field(req, "date")
        if when is None:
            return []
        return [
            call(
                "record_promise",
                customer=customer,
                date=when,
                invoices=invoices or None,
                amount=field(req, "amount"),
            )
        ]
    if intent == "open_dispute":
        reason = field(req, "dispute_reason") or field(
            _reply_facts(text, today), "dispute_reason", "other"
        )
        return [
            call(
                "open_dispute",
                customer=customer,
                invoices=invoices,
                reason=reason,
                detail=text[:300],
            )
        ]
    if intent == "hold_dunning":
        return [
            call(
                "hold_dunning",
                customer=customer,
                until=field(req, "date"),
                invoices=invoices or None,
                reason=f"requested by controller: {text[:200]}",
            )
        ]
    if intent == "update_contact":
        facts = _reply_facts(text, today)
        email = field(req, "email") or field(facts, "new_contact_email")
        if not email:
            return []
        return [
            call(
                "update_contact",
                customer=customer,
                email=email,
                name=field(facts, "new_contact_name"),
            )
        ]
    if intent == "escalate":
        return [call("escalate", customer=customer, reason=f"controller asked: {text[:300]}")]
    if intent == "write_off":
        return [
            call(
                "request_write_off",
                invoices=invoices,
                customer=customer,
                kind=concession_kind(text),
                amount=field(req, "amount"),
            )
        ]
    if intent == "match_bank_file":
        return [call("match_bank_statement")] if _has_tool("match_bank_statement") else []
    return []


EXCLUDABLE = {"draft_reminders", "list_invoices"}  # tools taking ``exclude`` (customer ids)


def invoice_list_call(req: Any, customer: str | None, text: str, left_out: Exclusion) -> Any:
    """The filters a controller put on an invoice list, as a ``list_invoices`` call."""
    low, high = days_range(req, text)
    amounts = find_amounts(text)
    floor = next((a for a in amounts if _MIN_AMOUNT.search(text[: a.start])), None)
    if low is None and re.search(
        r"overdue|past due|late|überfällig|en retard|vencid|scadut|achterstallig|atrasad",
        text,
        re.I,
    ):
        low = 0
    return call(
        "list_invoices",
        customer=customer,
        min_days_overdue=low,
        max_days_overdue=high,
        min_amount=floor.amount if floor else None,
        currency=floor.currency if floor else None,
        language=language_named(fold(text)),
        without_disputed=left_out.disputed or None,
        without_promised=left_out.promised or None,
    )


def _has_tool(name: str) -> bool:
    from tools.registry import TOOLS

    return name in TOOLS


_EXCLUSION = re.compile(
    r"\s*[-,;(]?\s*\b(?:except(?:\s+for)?|excluding|exclude|but\s+not|other\s+than|apart\s+from|"
    r"not\s+including|(?:but\s+)?(?:leave|leaving)\s+out|(?:but\s+)?skip(?:ping)?|without|"
    r"au(?:ss|ß)er|ausgenommen|ohne|sauf|except[ée]|hormis|excepto|salvo|menos|tranne|eccetto|"
    r"escluso|esclusa|behalve|uitgezonderd|exceto|fora)\b\s+(?P<names>[^.;!?\n]+)"
    r"|\s*[-,;]?\s*\b(?:leave|leaving|keep)\s+(?P<names2>[^.;!?\n]+?)\s+out\b[^.;!?\n]*",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Exclusion:
    """What a request leaves out: customers, invoices, disputed or promised ones."""

    customers: list[str]
    invoices: list[str]
    disputed: bool = False
    promised: bool = False


def split_exclusion(text: str, customers: list[Any]) -> tuple[str, Exclusion]:
    """ "Reminders for everything 30+ days late except Contoso", "F-88166 only - leave
    F-88102 out", "skip anything disputed": the request without its exclusion, and what
    the exclusion names."""
    m = _EXCLUSION.search(text)
    if not m:
        return text, Exclusion([], [])
    words = m["names"] or m["names2"] or ""
    folded = words.lower()
    left_out = Exclusion(
        customers=[c for c, _ in match_customers(words, customers).candidates],
        invoices=[
            r.upper() for r in re.findall(r"\b[A-Za-z]{0,5}[-/]?\d{3,}(?:[-/]\d+)?\b", words)
        ],
        disputed=bool(re.search(r"disput|litig|reklam|contest|geschil|betwist", folded)),
        promised=bool(re.search(r"promis|zusage|promes|toezegging|compromiss", folded)),
    )
    if not (left_out.customers or left_out.invoices or left_out.disputed or left_out.promised):
        return text, left_out
    return (text[: m.start()] + text[m.end() :]).strip(), left_out


_INVOICE_LIST = re.compile(
    r"\b(?:list|show|which|what|give|all|every|any)\b.{0,40}\b(?:invoices|rechnungen|factures|"
    r"facturas|fatture|facturen|faturas)\b|\b(?:invoices|rechnungen|factures|facturas|fatture|"
    r"facturen|faturas)\b.{0,40}\b(?:over|above|more than|older than|past due|overdue|late|"
    r"greater than|larger than|exceeding)\b",
    re.IGNORECASE,
)
_MIN_AMOUNT = re.compile(
    r"\b(?:above|over|more than|greater than|larger than|exceeding|at least)\s*$", re.I
)


def plan(state: dict[str, Any], ctx: Context) -> dict[str, Any]:
    """First step of a controller turn: understand, pick the customer, call the tools."""
    text = (state.get("turn") or {}).get("text", "")
    focus = dict(state.get("focus") or {})
    customers = customer_names(ctx)
    text, left_out = split_exclusion(text, customers)
    req = read_request(text, ctx, customers)
    if left_out.invoices and field(req, "invoices", []):
        req = replace(req, invoices=[i for i in req.invoices if i.upper() not in left_out.invoices])
    intent = str(field(req, "intent", "unknown"))
    customer, ambiguous = pick_customer(req, focus, customers, text)
    pending = focus.get("pending_request")
    chosen = (
        answer_to_which_one(text, pending.get("candidates") or [], customers) if pending else None
    )
    if pending and chosen and intent in ("unknown", "greeting", "balance", "open_items"):
        # "C-0180" or "Globex Manufacturing" answering "which one?": the earlier ask, read
        # again from its words (so it takes the same path), for the customer chosen.
        customer, ambiguous = chosen, []
        text = pending.get("text", text)
        req = read_request(text, ctx, customers)
        read_as = str(field(req, "intent", "unknown"))
        intent = read_as if read_as != "unknown" else pending["intent"]
    elif pending and intent in ("unknown", "greeting") and (customer or ambiguous):
        # "Acme Industries" answering "which one?": replay the earlier ask for that customer.
        intent = pending["intent"]
        req = read_request(pending.get("text", ""), ctx, customers)
        text = pending.get("text", text)
    understanding = {
        "intent": intent,
        "customer": customer,
        "candidates": ambiguous,
        "request": jsonable(req),
    }
    base = {"intent": intent, "understanding": understanding}
    if asks_concession(text, ctx.policy) and not re.search(r"\?\s*$", text):
        intent = base["intent"] = "write_off"  # a discount, waiver or credit note: refuse
    if (
        intent in ("balance", "open_items", "aging", "open_dispute", "promises_due", "unknown")
        and _INVOICE_LIST.search(text)
        and not field(req, "invoices", [])
    ):  # "list every invoice over 60 days late", "overdue invoices above 10,000 EUR"
        intent = base["intent"] = "invoice_list"
        if not ambiguous:  # a customer named in full narrows the list; no name, every one
            focus.pop("pending_request", None)
            call_ = invoice_list_call(req, customer, text, left_out)
            if left_out.customers:
                call_["args"]["exclude"] = left_out.customers
            return {**base, "focus": focus, "pending": [call_]}
    named = bool(field(req, "customer_candidates", []) or field(req, "invoices", []))
    if (
        intent in ("balance", "open_items", "unknown", "aging")
        and not named
        and not ambiguous
        and (field(req, "bucket") or field(req, "min_days_overdue") is not None)
    ):
        # "which customers have invoices over 90 days?", "who else is over 60?": the ledger
        intent = base["intent"] = "aging"
        customer = None
    if (
        intent in ("balance", "open_items")
        and customer is None
        and not ambiguous
        and not field(req, "is_follow_up", False)
    ):
        unknown_name = _unknown_name(text)
        if unknown_name and not LEDGER_WIDE.search(text):
            return {**base, "reply": render.unknown_customer(unknown_name)}
        if LEDGER_WIDE.search(text):
            intent = base["intent"] = "aging"  # "how much is overdue in total?"
    if intent in ("greeting", "help"):
        return {**base, "reply": render.help_text(greeting=intent == "greeting")}
    if intent == "unknown":
        if customer and not ambiguous:
            intent = "balance"
            base["intent"] = intent
        else:
            return {**base, "reply": render.not_understood()}
    if ambiguous:
        names = render.candidate_names(ctx, ambiguous)
        focus["pending_request"] = {"intent": intent, "text": text, "candidates": ambiguous}
        return {**base, "focus": focus, "reply": render.which_one(names)}
    if customer is None and intent in NEEDS_CUSTOMER:
        focus["pending_request"] = {"intent": intent, "text": text}
        return {**base, "focus": focus, "reply": render.need_customer(intent)}
    calls = calls_for(intent, req, customer, text, ctx)
    for c in calls:
        if left_out.customers and c["name"] in EXCLUDABLE:
            c["args"]["exclude"] = left_out.customers
    if not calls:
        return {**base, "reply": render.missing_detail(intent)}
    focus.pop("pending_request", None)
    return {**base, "focus": focus, "pending": calls}


def step(state: dict[str, Any], ctx: Context) -> dict[str, Any]:
    if not state.get("results"):
        return plan(state, ctx)
    return {"reply": render.controller_reply(state), "data": render.data_of(state)}
