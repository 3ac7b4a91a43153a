"""The offline brain for controllers: a request understood → tool calls → a reply.

``understand_request`` (agent/understanding) reads the words; this module decides which
tool answers, which customer is meant (asking "which one?" when unsure, remembering the
last customer for follow-ups) and renders the results (:mod:`agent.render`).
"""

from __future__ import annotations

import re
from dataclasses import is_dataclass, replace
from typing import Any

from rapidfuzz import fuzz
from sqlalchemy import func, select

from agent import render
from agent._common import call, field, jsonable, known_invoices_for
from agent.context import Context
from ledger.models import Customer, Invoice
from tools.customers import _plain, name_score, normalise

NEEDS_CUSTOMER = {
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
_COMMON = {
    "what",
    "does",
    "much",
    "owe",
    "owes",
    "show",
    "open",
    "invoices",
    "invoice",
    "balance",
    "please",
    "their",
    "they",
    "about",
    "with",
    "from",
    "draft",
    "reminder",
    "reminders",
    "plan",
    "payment",
    "month",
    "months",
    "weeks",
    "promised",
    "today",
    "everything",
    "which",
    "history",
    "oldest",
    "aging",
    "report",
    "dispute",
    "hold",
    "until",
    "escalate",
    "contact",
    "email",
    "update",
    "write",
    "credit",
    "note",
}
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
    "timeline",
    "oldest_invoice",
    "approvals_pending",
    "greeting",
    "help",
}
CONCESSION = re.compile(
    r"\b(discount\w*|waive\w*|waiver|write[- ]?off|written off|credit (note|memo)|bad debt|"
    r"forgive\w*|rabatt\w*|erlass\w*|gutschrift|abschreib\w*|remise|avoir|abandon de cr[ée]ance|"
    r"descuento\w*|condona\w*|nota de cr[ée]dito)\b",
    re.I,
)
AMBIGUITY_MARGIN = 0.06
MIN_SCORE = 0.75


_NAMES_CACHE: dict[tuple[int, str], tuple[Any, list[Any]]] = {}


def customer_names(ctx: Context) -> list[Any]:
    """Every customer's names for the request reader (cached until the customers change)."""
    from agent.understanding.requests import CustomerName

    with ctx.db.transaction() as session:
        stamp = session.execute(
            select(func.count(Customer.id), func.max(Customer.updated_at))
        ).one()
        key = (id(ctx.db), ctx.db.url)
        cached = _NAMES_CACHE.get(key)
        if cached is not None and cached[0] == tuple(stamp):
            return cached[1]
        rows = session.execute(select(Customer.id, Customer.name, Customer.aliases)).all()
    names = [CustomerName(id=r[0], name=r[1], aliases=list(r[2] or [])) for r in rows]
    _NAMES_CACHE[key] = (tuple(stamp), names)
    return names


def read_request(text: str, ctx: Context, customers: list[Any] | None = None) -> Any:
    """The request as understood, its invoice references limited to real invoices."""
    from agent.understanding.requests import understand_request

    with ctx.db.transaction() as session:
        numbers = known_invoices_for(session, text)
        req = understand_request(
            text,
            today=ctx.clock.now().date(),
            customers=customers if customers is not None else customer_names(ctx),
            known_invoices=numbers,
        )
        refs = list(field(req, "invoices", []))
        if refs and is_dataclass(req):
            real = {
                n.upper(): n
                for n in session.scalars(
                    select(Invoice.number).where(
                        func.upper(Invoice.number).in_([r.upper() for r in refs])
                    )
                )
            }
            req = replace(req, invoices=[real[r.upper()] for r in refs if r.upper() in real])
    return req


def _score(value: float) -> float:
    return value / 100 if value > 1 else value


def _rivals(query: str | None, customers: list[Any]) -> list[str]:
    """Customers a short name fits equally well ("Acme": Acme Industries, Acme Corporation)."""
    if not query:
        return []
    scored = [(c.id, name_score(query, [c.name, *c.aliases])) for c in customers]
    if any(s >= 100 for _, s in scored):
        return []
    return [cid for cid, s in scored if s >= 92]


def _named_in_full(customer_id: str, customers: list[Any], text: str) -> bool:
    plain = f" {_plain(text)} "
    return any(
        f" {_plain(n)} " in plain
        for c in customers
        if c.id == customer_id
        for n in [c.name, *c.aliases]
    )


def _fuzzy_fallback(text: str, customers: list[Any]) -> list[str]:
    """A misspelt single-word name ("Initek") the request reader did not match."""
    words = [w for w in re.findall(r"[\w&'-]{4,}", text) if w.lower() not in _COMMON]
    best: dict[str, float] = {}
    for c in customers:
        names = [c.name, *c.aliases]
        for w in words:
            for n in names:
                for token in normalise(n).split():
                    if len(token) >= 4 and token[0] == w[0].lower():
                        score = fuzz.ratio(w.lower(), token)
                        if score >= 75:
                            best[c.id] = max(best.get(c.id, 0), score)
    if not best:
        return []
    top = max(best.values())
    return [cid for cid, sc in best.items() if top - sc < 6]


def pick_customer(
    req: Any, focus: dict[str, Any], customers: list[Any] | None = None, text: str = ""
) -> tuple[str | None, list[str]]:
    """(customer id, ambiguous candidate ids) from the request, or the remembered one."""
    customers = customers or []
    cands = sorted(
        ((c, _score(s)) for c, s in field(req, "customer_candidates", [])), key=lambda cs: -cs[1]
    )
    if len(cands) == 1 and not _named_in_full(cands[0][0], customers, text):
        rivals = _rivals(field(req, "customer_query"), customers)
        if len(rivals) > 1 and cands[0][0] in rivals:
            return None, rivals
    if not cands and not field(req, "is_follow_up", False) and not field(req, "invoices", []):
        fallback = _fuzzy_fallback(text, customers)
        if len(fallback) > 1:
            return None, fallback
        if fallback:
            return fallback[0], []
    cands = [(c, s) for c, s in cands if s >= MIN_SCORE]
    if cands:
        top = cands[0][1]
        close = [c for c, s in cands if top - s <= AMBIGUITY_MARGIN]
        if len(close) > 1 and top < 0.995:
            return None, close
        return cands[0][0], []
    invoices = field(req, "invoices", [])
    if invoices:
        return invoices[0], []  # the tools resolve a customer from its invoice number
    if field(req, "customer_query", "") and not field(req, "is_follow_up", False):
        return field(req, "customer_query"), []  # let the tool say it found nothing
    return focus.get("customer"), []


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
                min_days_overdue=field(req, "min_days_overdue"),
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
        return [call("request_write_off", invoices=invoices, customer=customer)]
    if intent == "match_bank_file":
        return [call("match_bank_statement")] if _has_tool("match_bank_statement") else []
    return []


def _asks_concession(text: str, policy: Any) -> bool:
    """Discounts, waivers, write-offs, credit notes: only a controller grants them."""
    if CONCESSION.search(text):
        return True
    words = getattr(getattr(getattr(policy, "wording", None), "forbidden", {}), "get", None)
    category = words("concessions") if words else None
    pattern = getattr(category, "pattern", None)
    return bool(pattern and pattern.search(text))


def _has_tool(name: str) -> bool:
    from tools.registry import TOOLS

    return name in TOOLS


def plan(state: dict[str, Any], ctx: Context) -> dict[str, Any]:
    """First step of a controller turn: understand, pick the customer, call the tools."""
    text = (state.get("turn") or {}).get("text", "")
    focus = dict(state.get("focus") or {})
    customers = customer_names(ctx)
    req = read_request(text, ctx, customers)
    intent = str(field(req, "intent", "unknown"))
    customer, ambiguous = pick_customer(req, focus, customers, text)
    pending = focus.get("pending_request")
    if pending and intent in ("unknown", "greeting") and (customer or ambiguous):
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
    if intent in READ_ONLY | {"unknown"} and _asks_concession(text, ctx.policy):
        intent = base["intent"] = "write_off"  # a discount, waiver or credit note: refuse
    if (
        intent in ("balance", "open_items", "unknown")
        and not customer
        and not ambiguous
        and (field(req, "bucket") or field(req, "min_days_overdue"))
    ):
        intent = base["intent"] = "aging"  # "which customers have invoices over 90 days?"
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
        focus["pending_request"] = {"intent": intent, "text": text}
        return {**base, "focus": focus, "reply": render.which_one(names)}
    if customer is None and intent in NEEDS_CUSTOMER:
        focus["pending_request"] = {"intent": intent, "text": text}
        return {**base, "focus": focus, "reply": render.need_customer(intent)}
    calls = calls_for(intent, req, customer, text, ctx)
    if not calls:
        return {**base, "reply": render.missing_detail(intent)}
    focus.pop("pending_request", None)
    return {**base, "focus": focus, "pending": calls}


def step(state: dict[str, Any], ctx: Context) -> dict[str, Any]:
    if not state.get("results"):
        return plan(state, ctx)
    return {"reply": render.controller_reply(state), "data": render.data_of(state)}
