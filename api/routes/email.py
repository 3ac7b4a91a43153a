"""Inbound email webhook: raw RFC 822, or the JSON/form shapes of common inbound-parse providers.

Authenticated by ``AR_AGENT_INBOUND_SECRET``: header ``X-AR-Agent-Secret`` or the HTTP
basic auth password (providers that only take a URL put it there:
``https://inbound:SECRET@host/email/inbound``); a secret in the query string is ignored,
since URLs end up in logs. The message is stored before anything else; the response
carries what the agent proposed.
"""

from __future__ import annotations

import base64
import contextlib
from email.message import EmailMessage
from email.utils import make_msgid
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from starlette.concurrency import run_in_threadpool

from accounts.secrets import same_secret
from api.deps import ContextDep
from core.errors import ValidationError

router = APIRouter(prefix="/email", tags=["email"])
MAX_BYTES = 25 * 1024 * 1024


def _authorised(request: Request, secret: str) -> bool:
    offered = [request.headers.get("x-ar-agent-secret", "")]
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("basic "):
        with contextlib.suppress(ValueError, UnicodeDecodeError):
            offered.append(base64.b64decode(auth[6:]).decode().split(":", 1)[-1])
    return any(same_secret(o, secret) for o in offered)


def _from_fields(fields: dict[str, Any]) -> bytes:
    """Build an RFC 822 message from a provider's parsed fields (Postmark, Mailgun, SendGrid)."""
    get = lambda *names: next((str(fields[n]) for n in names if fields.get(n)), "")  # noqa: E731
    msg = EmailMessage()
    headers = fields.get("Headers") or []
    extra = {h.get("Name", ""): h.get("Value", "") for h in headers if isinstance(h, dict)}
    msg["From"] = get("From", "from", "sender")
    msg["To"] = get("To", "to", "recipient", "OriginalRecipient")
    if get("Cc", "cc"):
        msg["Cc"] = get("Cc", "cc")
    msg["Subject"] = get("Subject", "subject")
    msg["Message-ID"] = (
        get("MessageID", "Message-Id", "message-id") or extra.get("Message-ID") or make_msgid()
    )
    for name in ("In-Reply-To", "References", "Auto-Submitted", "X-Autoreply", "Precedence"):
        value = extra.get(name) or fields.get(name) or fields.get(name.lower())
        if value:
            msg[name] = str(value)
    text = get("TextBody", "body-plain", "text", "stripped-text")
    html = get("HtmlBody", "body-html", "html")
    if not (msg["From"] and (text or html)):
        raise ValidationError("the webhook body has no raw message and no From/text fields")
    msg.set_content(text or " ")
    if html:
        msg.add_alternative(html, subtype="html")
    return bytes(msg)


async def raw_message(request: Request) -> bytes:
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind in ("application/json",):
        data = await request.json()
        if not isinstance(data, dict):
            raise ValidationError("expected a JSON object")
        if data.get("raw") or data.get("RawEmail"):
            return str(data.get("raw") or data.get("RawEmail")).encode()
        return _from_fields(data)
    if kind in ("multipart/form-data", "application/x-www-form-urlencoded"):
        form = await request.form()
        for name in ("email", "body-mime", "raw"):  # SendGrid "send raw", Mailgun mime route
            if form.get(name):
                value = form[name]
                return value.encode() if isinstance(value, str) else await value.read()  # type: ignore[union-attr]
        return _from_fields({k: v for k, v in form.items() if isinstance(v, str)})
    body = await request.body()
    if not body.strip():
        raise ValidationError("empty body: send the raw RFC 822 message")
    return body


@router.post("/inbound")
async def inbound(request: Request, ctx: ContextDep) -> dict[str, Any]:
    secret = ctx.settings.inbound_secret
    if not secret:
        raise HTTPException(503, "inbound email is off: set AR_AGENT_INBOUND_SECRET")
    if not _authorised(request, secret):
        raise HTTPException(401, "wrong or missing inbound secret")
    if int(request.headers.get("content-length") or 0) > MAX_BYTES:
        raise HTTPException(413, "message over 25 MB")
    raw = await raw_message(request)
    from agent.inbox import process_inbound
    from api.services import agent_service

    result = await run_in_threadpool(
        process_inbound, ctx.db, raw, clock=ctx.clock, service=agent_service(ctx), source="webhook"
    )
    notify = ctx.extras.get("after_proposals")
    if notify:
        notify()
    return result
