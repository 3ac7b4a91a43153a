"""The outbox: every email that left (or waits to leave), newest first.

An email whose delivery is unknown (the server never confirmed the end of DATA) or that
failed can be resent (same Message-ID) or closed by a person; both are audited.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy import select

from api.auth import check_csrf
from api.web.render import flash_redirect, page, user_or_login
from core.errors import ARAgentError
from ledger.models import Communication
from mail import outbox_rows as delivery

router = APIRouter(include_in_schema=False)
DECIDABLE = ("delivery_unknown", "failed")
STATUS_NOTES = {
    "delivery_unknown": "The server never confirmed this message (no answer after it was "
    "handed over): it may or may not have arrived. Resend it (same Message-ID, so mail "
    "programs can drop a duplicate) or close it. It is never resent automatically.",
    "submitting": "Being handed to the mail server now.",
}


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
        messages = [_message(c) for c in rows]
    note = ctx.extras.get("transport_note") or (
        f"Mail goes out through {ctx.settings.smtp_url.split('@')[-1]}"
        if ctx.settings.smtp_url
        else "No SMTP server is configured (AR_AGENT_SMTP_URL): approved mail waits here."
    )
    return page(request, "outbox.html", active="Outbox", messages=messages, transport_note=note)


@router.post("/outbox/{comm_id}/resend")
async def resend(request: Request, comm_id: int) -> RedirectResponse:
    return await _decide(request, comm_id, delivery.resend, "queued to be sent again")


@router.post("/outbox/{comm_id}/close")
async def close(request: Request, comm_id: int) -> RedirectResponse:
    return await _decide(request, comm_id, delivery.close, "closed")


async def _decide(request: Request, comm_id: int, action: Any, done: str) -> RedirectResponse:
    user = user_or_login(request)
    form = await request.form()
    check_csrf(request, str(form.get("csrf") or ""))
    ctx = request.app.state.ctx
    try:  # resending or closing an email is a decision: an approver's
        action(ctx.db, comm_id, clock=ctx.clock, actor=user.require("decide").username)
    except ARAgentError as exc:
        return flash_redirect(request, "/outbox", str(exc), "error")
    return flash_redirect(request, "/outbox", f"Email {comm_id} {done}")


def _message(c: Communication) -> dict[str, Any]:
    meta = c.meta or {}
    recipients = meta.get("recipients") or {}
    return {
        "id": c.id,
        "subject": c.subject,
        "status": c.status,
        "status_label": c.status.replace("_", " "),
        "status_note": STATUS_NOTES.get(c.status),
        "decidable": c.status in DECIDABLE,
        "to": c.to_addrs,
        "cc": c.cc_addrs,
        "sent_at": c.sent_at.strftime("%Y-%m-%d %H:%M UTC") if c.sent_at else None,
        "message_id": c.message_id,
        "body": c.body_text,
        "error": c.error,
        "refused": {a: r for a, r in recipients.items() if not str(r).startswith("2")},
        "bounced": meta.get("bounced") or {},
    }
