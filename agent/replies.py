"""Customer replies: POLICY.md's intent table, as the offline brain's plan for an email.

The email text is untrusted data: it is read for an intent, dates, amounts and invoice
numbers, never obeyed. Invoices are limited to the sender's own customer; anything
suspicious, a bank-detail change, a discount ask or a blocked proposal is escalated.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select

from agent._common import (
    all_blocked,
    all_queued,
    call,
    field,
    jsonable,
    known_invoices_for,
    results_of,
)
from agent.context import Context
from ledger.models import Contact, Customer, Invoice
from tools import _policy

TAX_OR_BANK = re.compile(r"w-?9|w-?8|tax|vat|steuer|fiscal|bank|iban|kbis|rib|certificate", re.I)
QUESTION_ABOUT_LEDGER = re.compile(
    r"balance|how much|owe|outstanding|open (items|invoices)|statement|amount|saldo|offen|"
    r"solde|montant|importe|pendiente|which invoice|what invoice|invoice",
    re.I,
)


EXCLUSIVE = {"promise_to_pay", "payment_plan_request"}


def email_of(sender: str) -> str:
    m = re.search(r"[\w.+'-]+@[\w-]+(\.[\w-]+)+", sender or "")
    return m.group(0).lower() if m else ""


def link_customer(session: Any, sender: str, text: str) -> str | None:
    """The customer by sender address, then sender domain (fallback when no linker ran)."""
    email = email_of(sender)
    if email:
        cid = session.scalar(select(Contact.customer_id).where(func.lower(Contact.email) == email))
        if cid:
            return cid
        domain = email.rsplit("@", 1)[1]
        ids = set(
            session.scalars(
                select(Contact.customer_id).where(func.lower(Contact.email).like(f"%@{domain}"))
            )
        )
        if len(ids) == 1:
            return ids.pop()
    numbers = {
        n.upper(): c for n, c in session.execute(select(Invoice.number, Invoice.customer_id))
    }
    found = {
        c
        for n, c in numbers.items()
        if re.search(rf"(?<![\w-]){re.escape(n)}(?![\w-])", text.upper())
    }
    return found.pop() if len(found) == 1 else None


def _ledger_facts(ctx: Context, customer: str | None, text: str) -> dict[str, Any]:
    with ctx.db.transaction() as session:
        all_numbers = known_invoices_for(session, text, customer=customer)
        if customer is None:
            return {"known": all_numbers, "mine": set(), "open": [], "overdue": []}
        cust = session.get(Customer, customer)
        rows = session.execute(
            select(Invoice.number, Invoice.balance, Invoice.due_date).where(
                Invoice.customer_id == customer
            )
        ).all()
    today = ctx.clock.now().date()
    return {
        "known": all_numbers,
        "mine": {r[0].upper() for r in rows},
        "open": [r[0] for r in rows if r[1] > 0],
        "overdue": [r[0] for r in rows if r[1] > 0 and r[2] < today],
        "insolvent": bool(cust and cust.insolvent),
    }


def _own(numbers: list[str], facts: dict[str, Any]) -> list[str]:
    return [n for n in dict.fromkeys(numbers) if n.upper() in facts["mine"]]


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
    named = _own(list(field(u, "invoices", [])) + list(turn.get("invoices") or []), facts)
    sender, subject = turn.get("sender", ""), turn.get("subject", "")
    reply = dict(
        customer=customer,
        to=email_of(sender) or None,
        subject=subject or None,
        in_reply_to=turn.get("message_id"),
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
                amount=field(u, "amount"),
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
            ),
            call("draft_reply", purpose="dispute_ack", invoices=disputed, **reply),
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
            )
        ]
    if intent == "document_request":
        kind = str(field(u, "document_kind", "") or "")
        if kind and TAX_OR_BANK.search(kind) and "invoice" not in kind and "statement" not in kind:
            return [
                call(
                    "escalate",
                    customer=customer,
                    reason=f"Customer asks for tax or bank documents ({kind}); a human must send them.",
                )
            ]
        purpose = "statement" if "statement" in kind else "documents"
        return [call("draft_reply", purpose=purpose, invoices=named or None, **reply)]
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
            )
        ]
    if intent == "out_of_office":
        back = field(u, "return_date")
        if back is None or back < today:
            return []
        return [
            call(
                "hold_dunning",
                customer=customer,
                until=back,
                invoices=None,
                reason=f"contact out of office until {back.isoformat()}",
            )
        ]
    if intent == "opt_out":
        calls = []
        if email_of(sender):
            calls.append(
                call("update_contact", customer=customer, email=email_of(sender), opt_out=True)
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
            call("hold_dunning", customer=customer, reason="insolvency notice (legal hold)"),
            call(
                "escalate",
                customer=customer,
                reason="Customer reports insolvency or administration: legal hold, file the claim.",
            ),
        ]
    if intent == "question":
        if QUESTION_ABOUT_LEDGER.search(turn.get("text") or ""):
            return [call("draft_reply", purpose="statement", invoices=named or None, **reply)]
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


def first_step(state: dict[str, Any], ctx: Context) -> dict[str, Any]:
    from agent.understanding.replies import understand_reply

    turn = dict(state.get("turn") or {})
    text = turn.get("text") or ""
    customer = turn.get("customer")
    if customer is None:
        with ctx.db.transaction() as session:
            customer = link_customer(
                session, turn.get("sender", ""), f"{turn.get('subject', '')}\n{text}"
            )
    facts = _ledger_facts(ctx, customer, f"{turn.get('subject', '')}\n{text}")
    u = understand_reply(
        text,
        today=ctx.clock.now().date(),
        subject=turn.get("subject", ""),
        headers=turn.get("headers"),
        known_invoices=tuple(facts["known"]),
        auto_reply_kind=turn.get("auto_reply_kind"),
    )
    intent = str(field(u, "intent", "other"))
    if (
        intent == "promise_to_pay"
        and field(u, "promised_date") is None
        and (field(u, "requested_installments") or field(u, "requested_months"))
    ):
        intent = "payment_plan_request"  # "can we pay in three instalments?" has no date
    understanding = {"intent": intent, "customer": customer, "reading": jsonable(u)}
    base = {
        "intent": intent,
        "understanding": understanding,
        "focus": {"customer": customer} if customer else {},
    }
    if customer is None:
        return {
            **base,
            "pending": [
                call(
                    "escalate",
                    reason=(
                        f"Reply from unknown sender {email_of(turn.get('sender', '')) or '(no address)'} "
                        f"({intent}); no customer matched by address, domain or invoice number."
                    ),
                )
            ],
        }
    calls, seen = [], set()
    secondary = [str(s) for s in field(u, "secondary_intents", [])]
    if intent not in ("question", "other"):
        secondary = [s for s in secondary if s not in ("question", "other")]
    if intent in EXCLUSIVE:  # a plan already schedules the payments a promise would
        secondary = [s for s in secondary if s not in EXCLUSIVE]
    for name in [intent, *secondary]:
        if name in seen or name in ("acknowledgement",):
            continue
        seen.add(name)
        calls.extend(intent_calls(name, u, {**turn, "text": text}, customer, facts, ctx, seen))
    reasons = []
    if field(u, "suspicious", False):
        reasons.append(
            "the email contains instructions aimed at the system (possible prompt injection)"
        )
    if field(u, "mentions_bank_change", False):
        reasons.append(
            "the email mentions new bank details (possible payment fraud); verify by phone"
        )
    if field(u, "requests_discount", False):
        reasons.append(
            "the customer asks for a discount or waiver, which only a controller can grant"
        )
    if reasons and not any(c["name"] == "escalate" for c in calls):
        calls.append(
            call("escalate", customer=customer, reason="; ".join(reasons).capitalize() + ".")
        )
    elif reasons:
        for c in calls:
            if c["name"] == "escalate":
                c["args"]["reason"] += " Also: " + "; ".join(reasons) + "."
                break
    if facts.get("insolvent"):
        calls = [c for c in calls if c["name"] not in ("draft_reply", "compose_email")]
    return {**base, "pending": calls} if calls else {**base, "reply": summary(state, intent)}


def follow_up(state: dict[str, Any], ctx: Context) -> list[Any]:
    """Second-step calls: unfound payments, plan offers, escalations of blocked proposals."""
    turn = state.get("turn") or {}
    customer = (state.get("understanding") or {}).get("customer")
    calls: list[Any] = []
    names = {r["name"] for r in state.get("results") or []}
    reply = dict(
        customer=customer,
        to=email_of(turn.get("sender", "")) or None,
        subject=turn.get("subject") or None,
        in_reply_to=turn.get("message_id"),
    )
    for r in results_of(state, "find_bank_payment"):
        if r.get("ok") and not r["result"].get("found") and "hold_dunning" not in names:
            args = r.get("args") or {}
            today = ctx.clock.now().date()
            until = today + timedelta(days=_policy.claims_paid_hold_days(ctx.policy))
            invoices = args.get("invoices")
            calls.append(
                call(
                    "hold_dunning",
                    customer=customer,
                    until=until,
                    invoices=invoices,
                    reason="customer says it has paid; waiting for remittance details",
                )
            )
            calls.append(
                call("draft_reply", purpose="remittance_request", invoices=invoices, **reply)
            )
    for r in results_of(state, "propose_payment_plan"):
        plan = (r.get("result") or {}).get("proposed")
        if r.get("ok") and plan and r.get("queued") and "draft_reply" not in names:
            res = r["result"]
            from tools.payment_plan import Plan

            text = Plan.model_validate(plan).describe(res["currency"])
            if res.get("violations"):
                text += (
                    " (we cannot offer the plan exactly as asked: "
                    + "; ".join(res["violations"])
                    + ")"
                )
            calls.append(
                call(
                    "draft_reply",
                    purpose="plan_offer",
                    invoices=res.get("invoices"),
                    plan_text=text,
                    **reply,
                )
            )
    blocked = [b for b in all_blocked(state) if b["type"] != "escalate"]
    tried = any(
        str((r.get("args") or {}).get("reason", "")).startswith("Policy blocked")
        for r in results_of(state, "escalate")
    )
    if blocked and not tried:
        why = "; ".join(f"{b['type']}: {', '.join(b.get('reasons') or [])}" for b in blocked)
        if customer:
            calls.append(
                call(
                    "escalate",
                    customer=customer,
                    reason=f"Policy blocked a proposal for this reply ({why}).",
                )
            )
    failed = [r for r in state.get("results") or [] if not r.get("ok") and r["name"] != "escalate"]
    if (
        failed
        and customer
        and not any(c["name"] == "escalate" for c in calls)
        and "escalate" not in names
    ):
        calls.append(
            call(
                "escalate",
                customer=customer,
                reason="Could not act on the reply: "
                + "; ".join(r.get("error", "") for r in failed),
            )
        )
    return calls


def summary(state: dict[str, Any], intent: str) -> str:
    """For the controller: what the reply was read as, what waits for approval, the drafts."""
    from agent.render import describe_action

    queued = all_queued(state)
    lines = [f"Customer reply read as {intent}."]
    lines += [f"- #{q['id']} {describe_action(q)}" for q in queued] or ["Nothing queued."]
    for b in all_blocked(state):
        lines.append(f"Blocked by policy ({b['type']}): {'; '.join(b.get('reasons') or [])}.")
    for q in queued:
        if q["type"] == "send_email":
            lines.append(f"\nDraft #{q['id']}: {q['payload'].get('subject', '')}\n"
                         f"{q['payload'].get('body', '')}")
    return "\n".join(lines)


def step(state: dict[str, Any], ctx: Context) -> dict[str, Any]:
    if not state.get("results"):
        return first_step(state, ctx)
    calls = follow_up(state, ctx)
    if calls:
        return {"pending": calls}
    intent = str(state.get("intent") or "other")
    return {"reply": summary(state, intent), "intent": intent}


def handle_customer_reply(
    db: Any,
    *,
    clock: Any,
    policy: Any = None,
    sender: str,
    subject: str,
    text: str,
    customer: str | None = None,
    invoices: list[str] | tuple[str, ...] = (),
    auto_reply_kind: str | None = None,
    conversation_id: str | None = None,
    message_id: str | None = None,
    model: str | None = "offline",
) -> dict[str, Any]:
    """Run one customer reply through the agent graph; return CONTRACTS' ingest JSON shape:
    ``{customer, invoices, intent, reply_text, proposals, blocked}``."""
    from agent.service import AgentService

    service = AgentService(db, clock=clock, policy=policy, model=model, checkpointer=False)
    return service.handle_customer_reply(
        sender=sender,
        subject=subject,
        text=text,
        customer=customer,
        invoices=invoices,
        auto_reply_kind=auto_reply_kind,
        conversation_id=conversation_id,
        message_id=message_id,
    )
