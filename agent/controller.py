"""The offline brain for controllers: a request understood → tool calls → a reply.

``understand_request`` (agent/understanding) reads the words; this module decides which
tool answers, which customer is meant (asking "which one?" when unsure, remembering the
last customer for follow-ups) and renders the results (:mod:`agent.render`).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from agent import render
from agent._common import call, field, jsonable
from agent.context import Context
from ledger.models import Customer

NEEDS_CUSTOMER = {"balance", "open_items", "timeline", "payment_plan", "record_promise",
                  "open_dispute", "hold_dunning", "update_contact"}
OPTIONAL_CUSTOMER = {"aging", "promises_due", "oldest_invoice", "draft_reminders", "escalate"}
AMBIGUITY_MARGIN = 0.06
MIN_SCORE = 0.75


def customer_names(ctx: Context) -> list[Any]:
    from agent.understanding.requests import CustomerName

    with ctx.db.transaction() as session:
        rows = session.execute(select(Customer.id, Customer.name, Customer.aliases)).all()
    return [CustomerName(id=r[0], name=r[1], aliases=list(r[2] or [])) for r in rows]


def _score(value: float) -> float:
    return value / 100 if value > 1 else value


def pick_customer(req: Any, focus: dict[str, Any]) -> tuple[str | None, list[str]]:
    """(customer id, ambiguous candidate ids) from the request, or the remembered one."""
    cands = sorted(((c, _score(s)) for c, s in field(req, "customer_candidates", [])),
                   key=lambda cs: -cs[1])
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
        return [call("draft_reminders", customer=customer if intent == "draft_reminders" else None,
                     invoices=invoices or None, min_days_overdue=field(req, "min_days_overdue"))]
    if intent == "payment_plan":
        return [call("propose_payment_plan", customer=customer,
                     installments=field(req, "installments"), months=field(req, "months"),
                     frequency=field(req, "frequency"), down_payment=field(req, "down_payment"),
                     invoices=invoices or None, outside_policy="refuse")]
    if intent == "record_promise":
        when = field(req, "date")
        if when is None:
            return []
        return [call("record_promise", customer=customer, date=when, invoices=invoices or None,
                     amount=field(req, "amount"))]
    if intent == "open_dispute":
        facts = _reply_facts(text, today)
        return [call("open_dispute", customer=customer, invoices=invoices,
                     reason=field(facts, "dispute_reason", "other"), detail=text[:300])]
    if intent == "hold_dunning":
        return [call("hold_dunning", customer=customer, until=field(req, "date"),
                     invoices=invoices or None, reason=f"requested by controller: {text[:200]}")]
    if intent == "update_contact":
        facts = _reply_facts(text, today)
        email = field(facts, "new_contact_email")
        if not email:
            return []
        return [call("update_contact", customer=customer, email=email,
                     name=field(facts, "new_contact_name"))]
    if intent == "escalate":
        return [call("escalate", customer=customer, reason=f"controller asked: {text[:300]}")]
    if intent == "write_off":
        return [call("request_write_off", invoices=invoices, customer=customer)]
    if intent == "match_bank_file":
        return [call("match_bank_file")] if _has_tool("match_bank_file") else []
    return []


def _has_tool(name: str) -> bool:
    from tools.registry import TOOLS

    return name in TOOLS


def plan(state: dict[str, Any], ctx: Context) -> dict[str, Any]:
    """First step of a controller turn: understand, pick the customer, call the tools."""
    from agent.understanding.requests import understand_request

    text = (state.get("turn") or {}).get("text", "")
    focus = dict(state.get("focus") or {})
    req = understand_request(text, today=ctx.clock.now().date(), customers=customer_names(ctx))
    intent = str(field(req, "intent", "unknown"))
    customer, ambiguous = pick_customer(req, focus)
    pending = focus.get("pending_request")
    if pending and intent in ("unknown", "greeting") and (customer or ambiguous):
        # "Acme Industries" answering "which one?": replay the earlier ask for that customer.
        intent = pending["intent"]
        req = understand_request(pending.get("text", ""), today=ctx.clock.now().date(),
                                 customers=customer_names(ctx))
        text = pending.get("text", text)
    understanding = {"intent": intent, "customer": customer, "candidates": ambiguous,
                     "request": jsonable(req)}
    base = {"intent": intent, "understanding": understanding}
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
