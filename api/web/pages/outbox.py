"""The outbox: every email that left (or waits to leave), newest first."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from sqlalchemy import select

from api.web.render import page, user_or_login
from ledger.models import Communication

router = APIRouter(include_in_schema=False)


@router.get("/outbox", response_class=HTMLResponse)
def outbox(request: Request) -> HTMLResponse:
    user_or_login(request)
    ctx = request.app.state.ctx
    with ctx.db.session() as session:
        rows = session.scalars(
            select(Communication)
            .where(Communication.direction == "out")
            .order_by(Communication.id.desc())
            .limit(200)
        )
        messages = [
            {
                "id": c.id,
                "subject": c.subject,
                "status": c.status,
                "to": c.to_addrs,
                "sent_at": c.sent_at.strftime("%Y-%m-%d %H:%M UTC") if c.sent_at else None,
                "message_id": c.message_id,
                "body": c.body_text,
                "error": c.error,
            }
            for c in rows
        ]
    note = ctx.extras.get("transport_note") or (
        f"Mail goes out through {ctx.settings.smtp_url.split('@')[-1]}"
        if ctx.settings.smtp_url
        else "No SMTP server is configured (AR_AGENT_SMTP_URL): approved mail waits here."
    )
    return page(request, "outbox.html", active="Outbox", messages=messages, transport_note=note)
