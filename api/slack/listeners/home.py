"""App Home: the pending queue, promises due today, the aging summary and the worklist."""

from __future__ import annotations

from typing import Any

from slack_bolt import App
from slack_sdk import WebClient
from sqlalchemy import func, select

from api.deps import AppContext
from api.slack.blocks import TYPE_LABELS, escape, section, text
from ledger.models import Approval


def home_view(ctx: AppContext) -> dict[str, Any]:
    from tools.aging import BUCKETS, aging_report
    from tools.context import ToolContext
    from tools.promises_due import promises_due

    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": text("Collections today", mrkdwn=False)}
    ]
    with ctx.db.session() as session:
        pending = session.scalar(
            select(func.count()).select_from(Approval).where(Approval.status == "pending")
        )
        latest = list(
            session.scalars(
                select(Approval)
                .where(Approval.status == "pending")
                .order_by(Approval.id.desc())
                .limit(10)
            )
        )
        tool_ctx = ToolContext(session=session, clock=ctx.clock)
        aging = aging_report(tool_ctx)
        due = promises_due(tool_ctx, within_days=0).promises
        lines = [
            f"• #{a.id} {TYPE_LABELS.get(a.type, a.type)} — {escape(a.customer_id or '')}"
            for a in latest
        ]
        blocks.append(
            section(
                f"*{pending} proposals wait for approval* (cards in <#{ctx.settings.slack_channel}>)"
                if ctx.settings.slack_channel
                else f"*{pending} proposals wait for approval*"
            )
        )
        if lines:
            blocks.append(section("\n".join(lines)))
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
    from core.money import format_money

    lines = [
        f"{n}. *{escape(r.name)}* — {format_money(r.overdue, r.currency)} overdue, "
        f"oldest {r.oldest_days} days" + (f"; {escape(', '.join(r.reasons))}" if r.reasons else "")
        for n, r in enumerate(rows, 1)
    ]
    return [{"type": "divider"}, section("*Work these first*\n" + "\n".join(lines))]


def register(app: App, ctx: AppContext) -> None:
    @app.event("app_home_opened")
    def on_home(event: dict[str, Any], client: WebClient) -> None:
        if event.get("tab", "home") != "home":
            return
        client.views_publish(user_id=event["user"], view=home_view(ctx))
