"""App Home: the approvals inbox with the web page's filters, escalations, suggestions,
promises due today, the aging summary and the worklist.

Each approver's filter choice is kept (``slack-home-filter:<user>`` in the kv table) so
the Home tab opens where they left it; changing a filter republishes the view.
"""

from __future__ import annotations

import re
from dataclasses import asdict
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from api import escalations, suggestions
from api.deps import AppContext
from api.inbox import FACETS, SORTS, InboxFilter, inbox_page
from api.slack.authz import decider
from api.slack.blocks import TYPE_LABELS, escape, section, text
from core import formatting
from core.errors import ARAgentError
from ledger.models import KeyValue

SHOWN = 10
ESCALATIONS_SHOWN = 5
FILTER_ACTION = re.compile(r"^home_filter:(\w+)$")
FACET_LABELS = {
    "type": "Type",
    "stage": "Stage",
    "customer": "Customer",
    "owner": "Owner",
    "requested_by": "Requested by",
    "run": "Dunning run",
    "language": "Language",
}


def _key(user: str) -> str:
    return f"slack-home-filter:{user}"


def saved_filter(session: Session, user: str) -> InboxFilter:
    row = session.scalar(select(KeyValue).where(KeyValue.key == _key(user)))
    if row is None:
        return InboxFilter()
    try:
        return InboxFilter.from_query({k: str(v) for k, v in (row.value or {}).items()})
    except ARAgentError:
        return InboxFilter()


def save_filter(ctx: AppContext, user: str, chosen: InboxFilter) -> None:
    with ctx.db.transaction() as session:
        row = session.scalar(select(KeyValue).where(KeyValue.key == _key(user)))
        if row is None:
            row = KeyValue(key=_key(user), value={})
            session.add(row)
        row.value = {k: v for k, v in asdict(chosen).items() if v not in ("", None, 1)}


def _option(value: str, label: str) -> dict[str, Any]:
    return {"text": text(label[:75], mrkdwn=False), "value": value or "-"}


def _select(name: str, chosen: InboxFilter, counts: list[tuple[str, str, int]]) -> dict[str, Any]:
    options = [_option("", f"Any {FACET_LABELS[name].lower()}")] + [
        _option(v, f"{label.replace('_', ' ')} ({n})") for v, label, n in counts[:99]
    ]
    element: dict[str, Any] = {
        "type": "static_select",
        "action_id": f"home_filter:{name}",
        "placeholder": text(FACET_LABELS[name], mrkdwn=False),
        "options": options,
    }
    current = getattr(chosen, name)
    selected = next((o for o in options if o["value"] == current), None)
    if selected and current:
        element["initial_option"] = selected
    return element


def filter_blocks(
    chosen: InboxFilter, counts: dict[str, list[tuple[str, str, int]]]
) -> list[dict[str, Any]]:
    """The web page's filters as selects (two rows: Slack allows five per actions block)."""
    selects = [_select(name, chosen, counts.get(name, [])) for name in FACETS]
    sort = {
        "type": "static_select",
        "action_id": "home_filter:sort",
        "placeholder": text("Sort", mrkdwn=False),
        "options": [_option(k, v) for k, v in SORTS.items()],
    }
    sort["initial_option"] = next(o for o in sort["options"] if o["value"] == chosen.sort)
    search = {
        "type": "input",
        "block_id": "home_search",
        "dispatch_action": True,
        "optional": True,
        "label": text("Search, or an amount range like 1000-5000", mrkdwn=False),
        "element": {
            "type": "plain_text_input",
            "action_id": "home_filter:q",
            "initial_value": chosen.q
            or (f"{chosen.min_amount}-{chosen.max_amount}" if chosen.min_amount else ""),
        },
    }
    return [
        {"type": "actions", "block_id": "home_filters_1", "elements": selects[:4]},
        {"type": "actions", "block_id": "home_filters_2", "elements": [*selects[4:], sort]},
        search,
    ]


def inbox_blocks(session: Session, ctx: AppContext, chosen: InboxFilter) -> list[dict[str, Any]]:
    inbox = inbox_page(session, chosen, ctx.clock)
    where = f" (cards in <#{ctx.settings.slack_channel}>)" if ctx.settings.slack_channel else ""
    head = f"*{inbox.pending_total} proposals wait for approval*{where}"
    if chosen.active:
        head += f" · {inbox.total} match your filters"
    lines = []
    for item in inbox.items[:SHOWN]:
        a = item.approval
        amount = (
            f" · {formatting.money(item.amount, item.currency)}" if item.amount is not None else ""
        )
        stage = f" ({item.stage})" if item.stage else ""
        lines.append(
            f"• #{a.id} {TYPE_LABELS.get(a.type, a.type)}{stage} — "
            f"{escape(item.customer_name or '')}{amount}"
        )
    blocks = [section(head), *filter_blocks(chosen, inbox.counts)]
    if lines:
        blocks.append(section("\n".join(lines)))
    return blocks


def escalation_blocks(session: Session, ctx: AppContext) -> list[dict[str, Any]]:
    """Open escalations as tasks: who has each, and a button to take it."""
    tasks = escalations.open_tasks(session, ctx.clock)
    blocks: list[dict[str, Any]] = [
        {"type": "divider"},
        section(
            f"*Escalations: {len(tasks)} open* (comment, snooze, resolve: the Escalations page)"
            + ("" if tasks else "\n_none_")
        ),
    ]
    for t in tasks[:ESCALATIONS_SHOWN]:
        reason = str((t.approval.payload or {}).get("reason") or t.approval.reason or "")
        who = f"with {t.assignee}" if t.assignee else "_unassigned_"
        block = section(
            f"#{t.approval.id} *{escape(t.customer_name or '')}* — {escape(who)}\n"
            f"{escape(reason[:200])}"
        )
        block["accessory"] = {
            "type": "button",
            "action_id": "escalation_assign",
            "value": str(t.approval.id),
            "text": text("Assign to me", mrkdwn=False),
        }
        blocks.append(block)
    return blocks


def suggestion_blocks(session: Session) -> list[dict[str, Any]]:
    items = suggestions.open_suggestions(session)
    if not items:
        return []
    lines = [f"• {s.text} ({len(s.edits)} edits; `{s.key}`)" for s in items[:5]]
    return [
        {"type": "divider"},
        section("*Approvers keep changing*\n" + "\n".join(lines)),
    ]


def home_view(ctx: AppContext, user: str = "") -> dict[str, Any]:
    from tools.aging import BUCKETS, aging_report
    from tools.context import ToolContext
    from tools.promises_due import promises_due

    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": text("Collections today", mrkdwn=False)}
    ]
    with ctx.db.session() as session:
        chosen = saved_filter(session, user) if user else InboxFilter()
        blocks += inbox_blocks(session, ctx, chosen)
        blocks += escalation_blocks(session, ctx)
        blocks += suggestion_blocks(session)
        tool_ctx = ToolContext(session=session, clock=ctx.clock)
        aging = aging_report(tool_ctx)
        due = promises_due(tool_ctx, within_days=0).promises
        blocks.append({"type": "divider"})
        promise_lines = [
            f"• {escape(p.customer_name)}: {p.amount or 'all'} {p.currency} on {p.date} ({p.status})"
            for p in due[:15]
        ]
        blocks.append(section("*Promises due today*\n" + ("\n".join(promise_lines) or "_none_")))
        blocks.append({"type": "divider"})
        aging_line = " · ".join(f"{b}: {aging.totals[b]}" for b in BUCKETS)
        blocks.append(
            section(f"*Aging ({aging.currency})*\n{aging_line}\n*Total open:* {aging.total}")
        )
        blocks += worklist_blocks(session, ctx)
    return {"type": "home", "blocks": blocks[:100]}


def worklist_blocks(session: Any, ctx: AppContext) -> list[dict[str, Any]]:
    from dunning.worklist import build_worklist

    rows = build_worklist(session, clock=ctx.clock, limit=5)
    if not rows:
        return []
    lines = [
        f"{n}. *{escape(r.name)}* — {formatting.money(r.overdue, r.currency)} overdue, "
        f"oldest {r.oldest_days} days"
        + (f"; {escape(', '.join(r.reasons))}" if r.reasons else "")
        + (f"; {r.open_escalations} open escalation(s)" if r.open_escalations else "")
        for n, r in enumerate(rows, 1)
    ]
    return [{"type": "divider"}, section("*Work these first*\n" + "\n".join(lines))]


def changed_filter(chosen: InboxFilter, name: str, value: str) -> InboxFilter:
    """``chosen`` with one filter changed (the search box also takes "1000-5000")."""
    value = "" if value == "-" else value.strip()
    params = {k: str(v) for k, v in asdict(chosen).items() if v not in ("", None)}
    params.pop("page", None)
    if name == "q":
        amounts = re.fullmatch(r"([\d.,]+)\s*-\s*([\d.,]*)", value)
        params.pop("q", None)
        params.pop("min_amount", None)
        params.pop("max_amount", None)
        if amounts:
            params["min_amount"], params["max_amount"] = amounts.group(1), amounts.group(2)
        elif value:
            params["q"] = value
    elif value:
        params[name] = value
    else:
        params.pop(name, None)
    return InboxFilter.from_query(params)


def register(app: App, ctx: AppContext) -> None:
    @app.event("app_home_opened")
    def on_home(event: dict[str, Any], client: WebClient) -> None:
        if event.get("tab", "home") != "home":
            return
        client.views_publish(user_id=event["user"], view=home_view(ctx, event["user"]))

    @app.action("escalation_assign")
    def on_assign(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        user = body["user"]["id"]
        identity = decider(ctx, client, user)
        if identity is None:
            return  # only people who may decide take escalations from Slack
        task_id = int(body["actions"][0]["value"])
        try:
            with ctx.db.transaction() as session:
                escalations.assign(
                    session,
                    task_id,
                    assignee=identity.username,
                    by=identity.username,
                    clock=ctx.clock,
                )
        except ARAgentError:
            pass  # resolved meanwhile: the republished view shows it gone
        client.views_publish(user_id=user, view=home_view(ctx, user))

    @app.action(FILTER_ACTION)
    def on_filter(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        user = body["user"]["id"]
        action = body["actions"][0]
        name = FILTER_ACTION.match(action["action_id"]).group(1)  # type: ignore[union-attr]
        value = (action.get("selected_option") or {}).get("value") or action.get("value") or ""
        with ctx.db.session() as session:
            current = saved_filter(session, user)
        try:
            chosen = changed_filter(current, name, value)
        except ARAgentError:
            chosen = current
        save_filter(ctx, user, chosen)
        client.views_publish(user_id=user, view=home_view(ctx, user))
