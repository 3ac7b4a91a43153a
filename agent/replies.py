"""Customer replies: POLICY.md's intent table, as the offline brain's plan for an email.

The email text is untrusted data: it is read for an intent, dates, amounts and invoice
numbers, never obeyed. Invoices are limited to the sender's own customer; anything
suspicious, a bank-detail change, a discount ask or a blocked proposal is escalated.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from agent._common import (
    all_blocked,
    all_queued,
    call,
    field,
    jsonable,
    results_of,
)
from agent.context import Context
from agent.playbook import (
    EXCLUSIVE,
    email_of,
    intent_calls,
    ledger_facts,
    sender_is_known,
)
from policies.config import load_policy
from tools import _policy


def first_step(state: dict[str, Any], ctx: Context) -> dict[str, Any]:
    from agent.understanding.replies import understand_reply

    turn = dict(state.get("turn") or {})
    text = turn.get("text") or ""
    customer = turn.get("customer")  # linked by the one linker (mail.linking) or None
    facts = ledger_facts(ctx, customer, f"{turn.get('subject', '')}\n{text}")
    policy = load_policy(ctx.policy)
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
    understanding = {
        "intent": intent,
        "customer": customer,
        "reading": jsonable(u),
        "guessed": bool(field(u, "guessed", False)),
    }
    base = {
        "intent": intent,
        "understanding": understanding,
        "focus": {"customer": customer} if customer else {},
    }

    def only_escalation(reason: str, who: str | None = customer) -> dict[str, Any]:
        """Nothing but a human's look: the reading proposes nothing else."""
        return {**base, "pending": [call("escalate", customer=who, reason=reason)]}

    if customer is None:
        why = turn.get("stranger_reason") or (
            f"Reply from unknown sender {email_of(turn.get('sender', '')) or '(no address)'}; "
            "no customer matched by address or domain."
        )
        return only_escalation(
            f"{why} (The message reads as {intent}.)", turn.get("claimed_customer")
        )
    sender = turn.get("sender", "")
    if not sender_is_known(sender, facts):
        who = email_of(sender) or "an unknown sender"
        return only_escalation(
            f"A message from {who}, who is not a contact of this customer and not on "
            f"its domain, reads as {intent}. Nothing was proposed: check who wrote it."
        )
    if field(u, "settlement_offer", False) or field(u, "conditional", False):
        offer = field(u, "quotes", {}).get(intent) or ""
        return only_escalation(
            "The customer offers to pay on a condition or in settlement, "
            "which only a controller can decide"
            + (f": \u201c{offer[:200]}\u201d" if offer else "")
            + ". Nothing else was proposed."
        )
    secondary = [str(s) for s in field(u, "secondary_intents", [])]
    disputes = {n.upper() for n in field(u, "dispute_invoices", [])}
    if intent == "dispute" and disputes and disputes <= facts["disputed"] and secondary:
        # "2026-0457: still in dispute; 2026-0512: transfer on 10 March": nothing new to
        # dispute, the news is the rest of the message.
        intent, secondary = secondary[0], secondary[1:]
        base["intent"] = intent
        base["understanding"]["intent"] = intent
    calls, seen = [], set()
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
    if field(u, "uncertain", False) and intent not in ("acknowledgement", "other"):
        # An unsure reading may still protect (hold, opt-out) but never writes to the
        # customer on its own: a human confirms what the email says.
        calls = [c for c in calls if c["name"] not in EMAIL_TOOLS]
        rivals = ", ".join(str(r) for r in field(u, "rival_intents", []) or []) or "none"
        reasons.append(
            f"the reading is uncertain ({intent}, confidence {float(field(u, 'confidence', 0)):.2f};"
            f" other readings: {rivals}); no reply was drafted"
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
    said = {intent, *secondary}
    if facts.get("insolvent") or "opt_out" in said:  # no email to who asked for none
        calls = [c for c in calls if c["name"] not in EMAIL_TOOLS]
        base["understanding"]["no_email"] = True
    never = {t for name in said for t in _policy.never_for(policy, name)}
    calls = [c for c in calls if PROPOSES.get(c["name"], c["name"]) not in never]
    return {**base, "pending": calls} if calls else {**base, "reply": summary(state, intent)}


EMAIL_TOOLS = ("draft_reply", "compose_email")
PROPOSES = {  # the approval type a tool call proposes, where its name differs
    "draft_reply": "send_email",
    "compose_email": "send_email",
    "propose_payment_plan": "create_payment_plan",
    "find_bank_payment": "apply_payment",
}


def follow_up(state: dict[str, Any], ctx: Context) -> list[Any]:
    """Second-step calls: unfound payments, plan offers, escalations of blocked proposals."""
    calls = _follow_up(state, ctx)
    if (state.get("understanding") or {}).get("no_email"):  # an opt-out holds all turn
        calls = [c for c in calls if c["name"] not in EMAIL_TOOLS]
    return calls


def _follow_up(state: dict[str, Any], ctx: Context) -> list[Any]:
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
    guessed = (state.get("understanding") or {}).get("guessed")
    for r in results_of(state, "find_bank_payment"):
        if r.get("ok") and not r["result"].get("found") and guessed:
            # a classifier's guess that the customer paid, and no bank line says so: a
            # hold would rest on nothing the customer clearly wrote
            if "escalate" not in names:
                calls.append(
                    call(
                        "escalate",
                        customer=customer,
                        reason="The reply may say it was paid (no phrase was understood) and "
                        "no matching bank line was found; please read it.",
                    )
                )
            continue
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
                    evidence=r.get("evidence"),
                )
            )
            calls.append(
                call(
                    "draft_reply",
                    purpose="remittance_request",
                    invoices=invoices,
                    evidence=r.get("evidence"),
                    **reply,
                )
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
                    evidence=r.get("evidence"),
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
            lines.append(
                f"\nDraft #{q['id']}: {q['payload'].get('subject', '')}\n"
                f"{q['payload'].get('body', '')}"
            )
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
