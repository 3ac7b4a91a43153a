"""The offline brain's words: replies to controllers built from tool results."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import func, select

from agent._common import all_blocked, all_queued
from core.money import format_money
from ledger.models import Customer, Invoice

MAX_CHOICES = 8

HELP = """I can help with receivables. Try:
- "how much does Globex owe?" / "open items for Initech"
- "aging report" / "top 5 debtors" / "which promises are due this week?"
- "timeline for Globex" / "what's their oldest invoice?"
- "draft reminders for everything 30+ days late"
- "propose a 4-month plan for Initech"
- "Globex promised to pay INV-1042 on Friday" / "put Initech on hold until 1 December"
- "what's waiting for approval?"
Nothing is sent or booked until an approver says yes."""

INTENT_WORDS = {
    "balance": "the balance",
    "open_items": "the open items",
    "timeline": "the timeline",
    "payment_plan": "a payment plan",
    "record_promise": "a promise",
    "open_dispute": "a dispute",
    "hold_dunning": "a dunning hold",
    "update_contact": "a contact change",
}


GREETING = (
    "Hello! I can look up balances, aging, promises and customer history, draft reminders "
    "and propose payment plans, promises, disputes and holds; everything waits for an "
    'approver. Say "help" for examples.'
)


def help_text(*, greeting: bool = False) -> str:
    return GREETING if greeting else HELP


def not_understood() -> str:
    return "Sorry, I didn't understand that. " + HELP


def which_one(names: list[str]) -> str:
    """A short list to pick from; nothing is looked up or queued until the answer."""
    shown = names[:MAX_CHOICES]
    more = len(names) - len(shown)
    lines = "\n".join(f"- {n}" for n in shown)
    extra = f"\n(and {more} more: say more of the name)" if more > 0 else ""
    return (
        f"Which customer do you mean? {len(names)} match:\n{lines}{extra}\n"
        "Answer with the name or the id."
    )


def unknown_customer(name: str) -> str:
    return (
        f"Customer not found: no customer matches {name!r} by name, alias, invoice number "
        "or email domain. Which customer do you mean?"
    )


def need_customer(intent: str) -> str:
    return f"Which customer do you mean for {INTENT_WORDS.get(intent, 'that')}?"


def missing_detail(intent: str) -> str:
    if intent == "record_promise":
        return "By which date did they promise to pay?"
    if intent == "update_contact":
        return "What is the new contact's email address?"
    if intent == "match_bank_file":
        return "Cash application isn't available in this build; run `ar-agent match BANKFILE`."
    return "I need a bit more detail to do that."


def candidate_names(ctx: Any, ids: list[str]) -> list[str]:
    """ "Globex Manufacturing LLC (C-0180), owes 120,400.00 USD" per candidate, largest first."""
    with ctx.db.transaction() as session:
        names = dict(
            session.execute(select(Customer.id, Customer.name).where(Customer.id.in_(ids))).all()
        )
        owed: dict[str, dict[str, Decimal]] = {}
        for cust, currency, total in session.execute(
            select(Invoice.customer_id, Invoice.currency, func.sum(Invoice.balance))
            .where(Invoice.customer_id.in_(ids), Invoice.balance > 0)
            .group_by(Invoice.customer_id, Invoice.currency)
        ):
            owed.setdefault(cust, {})[currency] = Decimal(total)

    def total(i: str) -> Decimal:
        return sum(owed.get(i, {}).values(), Decimal(0))

    def describe(i: str) -> str:
        amounts = " + ".join(format_money(v, c) for c, v in sorted(owed.get(i, {}).items()))
        return f"{names.get(i, i)} ({i}), owes {amounts or '0.00'}"

    return [describe(i) for i in sorted(ids, key=lambda i: (-total(i), i))]


def _money(value: str | None, currency: str) -> str:
    return format_money(Decimal(value or "0"), currency)


def _balance(r: dict[str, Any], min_days: int | None = None) -> str:
    lines = [r["summary"]]
    items = r["open_items"]
    if min_days is not None:
        items = [i for i in items if i["days_overdue"] >= min_days]
        sums: dict[str, Decimal] = {}
        for i in items:
            sums[i["currency"]] = sums.get(i["currency"], Decimal("0")) + Decimal(i["balance"])
        owed = " and ".join(format_money(v, c) for c, v in sums.items()) or "nothing"
        lines.append(f"{min_days}+ days overdue: {owed}.")
    for i in items:
        late = f"{i['days_overdue']} days overdue" if i["days_overdue"] > 0 else "not yet due"
        lines.append(
            f"- {i['number']}: {_money(i['balance'], i['currency'])}, due {i['due_date']} ({late})"
        )
    return "\n".join(lines)


LOWER_BOUND = {"current": -(10**6), "1-30": 1, "31-60": 31, "61-90": 61, "90+": 91}


def _aging(r: dict[str, Any], bucket: str | None = None, min_days: int | None = None) -> str:
    lines = [r["summary"]]
    rows = r["rows"]
    if bucket or min_days is not None:
        chosen = [bucket] if bucket else [b for b, lo in LOWER_BOUND.items() if lo >= min_days]
        chosen = chosen or ["90+"]
        label = bucket or f"{min(LOWER_BOUND[b] for b in chosen)}+"
        amounts = [
            (row, sum((Decimal(row["buckets"].get(b, "0")) for b in chosen), Decimal("0")))
            for row in rows
        ]
        amounts = sorted((a for a in amounts if a[1]), key=lambda a: -a[1])
        lines.append(
            f"Customers with {label} days past due:"
            if amounts
            else f"Nothing is {label} days past due."
        )
        for row, amount in amounts[:15]:
            lines.append(f"- {row['customer_name']}: {format_money(amount, row['currency'])}")
    elif len(rows) > 1:
        for row in rows[:15]:
            cur = row["currency"]
            parts = ", ".join(
                f"{b} {_money(v, cur)}" for b, v in row["buckets"].items() if Decimal(v)
            )
            lines.append(f"- {row['customer_name']}: {_money(row['total'], cur)} ({parts})")
    return "\n".join(lines)


def _top(r: dict[str, Any]) -> str:
    lines = ["Top debtors:"]
    for n, d in enumerate(r["debtors"], 1):
        lines.append(
            f"{n}. {d['customer_name']}: {_money(d['total'], d['currency'])} "
            f"({_money(d['overdue'], d['currency'])} overdue)"
        )
    return "\n".join(lines) if r["debtors"] else "Nobody owes anything."


def _timeline(r: dict[str, Any]) -> str:
    lines = [f"History of {r['customer_name']}:"]
    lines += [f"- {e['date']} {e['text']}" for e in r["events"]]
    return "\n".join(lines) if r["events"] else f"No history yet for {r['customer_name']}."


RENDERERS = {
    "customer_balance": _balance,
    "aging_report": _aging,
    "top_debtors": _top,
    "customer_timeline": _timeline,
}


def describe_action(a: dict[str, Any]) -> str:
    p = a.get("payload") or {}
    t = a.get("type")
    if t == "send_email":
        return f'email to {", ".join(p.get("to") or [])}: "{p.get("subject", "")}"'
    if t == "create_payment_plan":
        return (
            f"payment plan for {p.get('customer')} ({len(p.get('installments') or [])} instalments)"
        )
    if t == "record_promise":
        return (
            f"promise {p.get('customer')} {', '.join(p.get('invoices') or [])} by {p.get('date')}"
        )
    if t == "hold_dunning":
        return f"dunning hold {p.get('customer')} until {p.get('until') or 'further notice'}"
    if t == "apply_payment":
        return (
            f"apply {p.get('amount')} from bank line {p.get('transaction')} to "
            f"{p.get('invoice')} ({p.get('customer')})"
        )
    if t == "open_dispute":
        return f"dispute {p.get('invoice')} ({p.get('reason')}) for {p.get('customer')}"
    if t == "update_contact":
        flag = " (opt out)" if p.get("opt_out") else ""
        return f"contact {p.get('email')}{flag} for {p.get('customer')}"
    if t == "escalate":
        return f"escalation {p.get('customer') or ''}: {p.get('reason', '')}".strip()
    return f"{t} {p.get('customer') or ''}".strip()


def controller_reply(state: dict[str, Any]) -> str:
    """Words for every tool result, then what was queued and what the policy blocked."""
    parts = []
    for r in state.get("results") or []:
        if not r.get("ok"):
            parts.append(r.get("error") or "That didn't work.")
            continue
        res = r.get("result") or {}
        if res.get("refusal"):
            parts.append(res["refusal"])
            continue
        request = (state.get("understanding") or {}).get("request") or {}
        if r["name"] == "aging_report":
            parts.append(_aging(res, request.get("bucket"), request.get("min_days_overdue")))
            continue
        if r["name"] == "customer_balance":
            parts.append(_balance(res, request.get("min_days_overdue")))
            continue
        renderer = RENDERERS.get(r["name"])
        parts.append(renderer(res) if renderer else res.get("summary", ""))
    queued = all_queued(state)
    new = [q for q in queued if not q.get("duplicate")]
    waiting = [q for q in queued if q.get("duplicate")]
    if new:
        parts.append(
            "Queued for approval:\n" + "\n".join(f"- #{q['id']} {describe_action(q)}" for q in new)
        )
    if waiting:
        parts.append(
            "Already waiting for approval, not queued again:\n"
            + "\n".join(f"- #{q['id']} {describe_action(q)}" for q in waiting)
        )
    for b in all_blocked(state):
        parts.append(
            f"Blocked by policy ({b['type']}): " + "; ".join(b.get("reasons") or ["not allowed"])
        )
    if (
        not queued
        and any(r.get("proposals") for r in state.get("results") or [])
        and not all_blocked(state)
    ):
        parts.append("Nothing was queued.")
    return "\n\n".join(p for p in parts if p)


def data_of(state: dict[str, Any]) -> dict[str, Any]:
    return {r["name"]: r.get("result") for r in state.get("results") or [] if r.get("ok")}
