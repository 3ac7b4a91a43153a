"""The graph's nodes: module-level functions taking the state and returning an update.

input → brain → tools → guardrails (policy check + queue, via ``approvals.queue.propose``)
→ brain … → reply. Nothing here sends mail or changes the ledger: proposals become
pending approvals, blocked ones become ``blocked`` audit events.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any, Literal

from langgraph.runtime import Runtime
from sqlalchemy import select

from agent.already_waiting import already_waiting
from agent.context import Context
from agent.grounding import EXEMPT, Source, normalise_evidence, problems
from agent.state import State
from approvals.blocked import record_blocked, record_refusal
from approvals.queue import propose
from core.errors import Ambiguous, ARAgentError
from ledger.models import Invoice
from policies.actions import ProposedAction
from policies.results import CheckResult, Verdict
from tools._policy import claims_paid_hold_days
from tools.context import ToolContext
from tools.registry import get as get_tool

log = logging.getLogger("ar_agent.agent")

TURN_KEYS = {
    "pending": [],
    "results": [],
    "steps": 0,
    "intent": None,
    "reply": None,
    "data": {},
    "understanding": {},
}


def receive(state: State, runtime: Runtime[Context]) -> dict[str, Any]:
    """Start a turn: reset the per-turn keys and log the user's words."""
    turn = state.get("turn") or {}
    text = turn.get("text") or turn.get("body") or ""
    return {
        **TURN_KEYS,
        "messages": [{"role": "user", "content": text, "channel": runtime.context.channel}],
    }


def think(state: State, runtime: Runtime[Context]) -> dict[str, Any]:
    """Ask the brain for tool calls or the final reply."""
    ctx = runtime.context
    steps = state.get("steps", 0) + 1
    if steps > ctx.max_steps:
        return {
            "steps": steps,
            "pending": [],
            "reply": state.get("reply") or "I stopped here: that took too many steps.",
        }
    try:
        update = dict(ctx.brain.step(dict(state), ctx))
    except ARAgentError as exc:  # e.g. the model endpoint is down: say so, queue nothing
        return {"steps": steps, "pending": [], "reply": f"Sorry, I could not finish: {exc}"}
    update["steps"] = steps
    update.setdefault("pending", [])
    return update


def tool_context(ctx: Context, session: Any) -> ToolContext:
    return ToolContext(
        session=session,
        clock=ctx.clock,
        policy=ctx.policy,
        requester=ctx.requester,
        conversation_id=ctx.conversation_id,
        channel=ctx.channel,
        pay_link=ctx.pay_link,
        company_name=ctx.company_name,
    )


def act(state: State, runtime: Runtime[Context]) -> dict[str, Any]:
    """Run the pending tool calls (read the ledger, build proposals; never write).

    A call's ``evidence`` (the sender's words it rests on) is not a tool argument: it is
    attached to every proposal the call makes, for the guard node to verify.
    """
    ctx = runtime.context
    results = list(state.get("results") or [])
    with ctx.db.transaction() as session:
        tctx = tool_context(ctx, session)
        for call in state.get("pending") or []:
            args = dict(call.get("args") or {})
            evidence = normalise_evidence(args.pop("evidence", None))
            outcome: dict[str, Any] = {"id": call["id"], "name": call["name"], "args": args}
            if evidence:
                outcome["evidence"] = evidence
            try:
                with session.begin_nested():  # a failing tool leaves the session usable
                    result = get_tool(call["name"]).call(tctx, args)
            except Ambiguous as exc:
                outcome.update(ok=False, error=str(exc), result={"candidates": exc.candidates})
            except ARAgentError as exc:
                outcome.update(ok=False, error=str(exc), result={})
            except Exception as exc:  # a bug in one tool must not lose the whole answer
                log.exception("tool %s failed", call["name"])
                outcome.update(
                    ok=False, error=f"{call['name']} failed: {type(exc).__name__}", result={}
                )
            else:
                proposals = [p.model_dump(mode="json") for p in result.proposals]
                if ctx.channel == "email":
                    for p in proposals:
                        p["context"] = {**p.get("context", {}), "evidence": evidence}
                outcome.update(ok=True, result=result.for_model(), proposals=proposals)
                if result.refused:
                    outcome["refused"] = [r.model_dump(mode="json") for r in result.refused]
            results.append(outcome)  # type: ignore[arg-type]
    return {"results": results, "pending": []}


def guard(state: State, runtime: Runtime[Context]) -> dict[str, Any]:
    """Check every new proposal against the policy and queue it, or record it as blocked."""
    ctx = runtime.context
    results = [dict(r) for r in state.get("results") or []]
    with ctx.db.transaction() as session:
        for outcome in results:
            if "queued" in outcome or not (outcome.get("proposals") or outcome.get("refused")):
                continue
            queued, blocked = [], []
            for refused in outcome.get("refused") or []:
                record_refusal(
                    session,
                    type_=refused["type"],
                    payload=refused["payload"],
                    reasons=refused["reasons"],
                    requested_by=ctx.requester,
                    conversation_id=ctx.conversation_id,
                    clock=ctx.clock,
                )
                blocked.append(refused)
            for raw in outcome.get("proposals") or []:
                action = ProposedAction.model_validate(raw)
                if ctx.proposal_context:
                    action = action.model_copy(
                        update={"context": {**ctx.proposal_context, **action.context}}
                    )
                if ctx.escalate_only and action.type != "escalate":
                    record_blocked(  # whatever the brain proposed: a stranger gets no action
                        session,
                        action,
                        Verdict.from_checks([CheckResult.fail("sender", ctx.escalate_only)]),
                        clock=ctx.clock,
                    )
                    blocked.append(
                        {
                            "type": action.type,
                            "payload": action.payload,
                            "reasons": [ctx.escalate_only],
                        }
                    )
                    continue
                ungrounded = grounding_problems(state, ctx, session, action)
                if ungrounded:
                    record_blocked(
                        session,
                        action,
                        Verdict.from_checks([CheckResult.fail("evidence", p) for p in ungrounded]),
                        clock=ctx.clock,
                    )
                    blocked.append(
                        {"type": action.type, "payload": action.payload, "reasons": ungrounded}
                    )
                    continue
                waiting = already_waiting(session, action)
                if waiting is not None:
                    queued.append(
                        {
                            "id": waiting.id,
                            "type": waiting.type,
                            "payload": dict(waiting.payload),
                            "duplicate": True,
                        }
                    )
                    continue
                try:
                    with session.begin_nested():
                        res = propose(session, action, clock=ctx.clock, policy=ctx.policy)
                except ARAgentError as exc:
                    blocked.append(
                        {"type": action.type, "payload": action.payload, "reasons": [str(exc)]}
                    )
                    continue
                except Exception as exc:  # fail closed: a proposal nobody checked is not queued
                    log.exception("policy check of %s failed", action.type)
                    blocked.append(
                        {
                            "type": action.type,
                            "payload": action.payload,
                            "reasons": [f"the policy check failed ({type(exc).__name__})"],
                        }
                    )
                    continue
                if res.blocked:
                    blocked.append(
                        {
                            "type": action.type,
                            "payload": action.payload,
                            "reasons": list(getattr(res.verdict, "reasons", []) or []),
                        }
                    )
                elif res.approval is not None:
                    queued.append(
                        {
                            "id": res.approval.id,
                            "type": res.approval.type,
                            "payload": dict(res.approval.payload),
                            "duplicate": res.duplicate,
                        }
                    )
            outcome["queued"], outcome["blocked"] = queued, blocked
    return {"results": results}


def grounding_problems(
    state: State, ctx: Context, session: Any, action: ProposedAction
) -> list[str]:
    """For a customer's email: why ``action`` does not rest on the sender's own words."""
    if ctx.channel != "email" or action.type in EXEMPT:
        return []
    turn = state.get("turn") or {}
    customer = action.payload.get("customer") or turn.get("customer")
    today = ctx.clock.now().date()
    open_rows = (
        session.execute(
            select(Invoice.number, Invoice.due_date).where(
                Invoice.customer_id == customer, Invoice.balance > 0
            )
        ).all()
        if customer
        else []
    )
    overdue = [n for n, due in open_rows if due < today]
    source = Source(
        text=str(turn.get("text") or ""),
        sender=str(turn.get("sender") or ""),
        thread=str(turn.get("subject") or ""),
        thread_invoices=tuple(turn.get("invoices") or ()),
        default_scopes=(
            frozenset(n.upper() for n in overdue),
            frozenset(n.upper() for n, _ in open_rows),
        ),
        today=today,
        language=(state.get("understanding") or {}).get("reading", {}).get("language"),
        derived_until=today + timedelta(days=claims_paid_hold_days(ctx.policy)),
    )
    return problems(action.type, action.payload, action.context.get("evidence"), source)


def respond(state: State, runtime: Runtime[Context]) -> dict[str, Any]:
    """Finish the turn: log the reply and remember the customer talked about."""
    focus = dict(state.get("focus") or {})
    for outcome in state.get("results") or []:
        result = outcome.get("result") or {}
        cid = result.get("customer")
        if isinstance(cid, dict):  # find_customer
            cid, name = cid.get("id"), cid.get("name")
        else:
            name = result.get("customer_name")
        if outcome.get("ok") and isinstance(cid, str) and cid:
            if cid != focus.get("customer"):
                focus["invoices"] = []
            focus["customer"] = cid
            if name:
                focus["customer_name"] = name
        invoices = result.get("invoices")
        if (
            outcome.get("ok")
            and isinstance(invoices, list)
            and invoices
            and all(isinstance(i, str) for i in invoices)
        ):
            focus["invoices"] = invoices
    reply = state.get("reply") or ""
    return {"focus": focus, "messages": [{"role": "assistant", "content": reply}]}


def after_think(state: State) -> Literal["tools", "reply"]:
    return "tools" if state.get("pending") else "reply"
