"""The chat console: the same agent and memory as Slack, one conversation per browser session."""

from __future__ import annotations

import secrets
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from sqlalchemy import select

from api.auth import check_csrf, set_cookie
from api.services import agent_service
from api.web.render import flash_redirect, page, redirect, user_or_login
from core.errors import ARAgentError
from ledger.models import KeyValue

router = APIRouter(include_in_schema=False)
CHAT_COOKIE = "ar_chat"
KEEP_TURNS = 60


def _transcript_key(conversation: str) -> str:
    return f"chat:{conversation}"


def load_turns(db: Any, conversation: str) -> list[dict[str, str]]:
    with db.session() as session:
        row = session.scalar(select(KeyValue).where(KeyValue.key == _transcript_key(conversation)))
        return list(row.value.get("turns", [])) if row else []


def save_turns(db: Any, conversation: str, turns: list[dict[str, str]]) -> None:
    with db.transaction() as session:
        row = session.scalar(select(KeyValue).where(KeyValue.key == _transcript_key(conversation)))
        if row is None:
            session.add(
                KeyValue(key=_transcript_key(conversation), value={"turns": turns[-KEEP_TURNS:]})
            )
        else:
            row.value = {"turns": turns[-KEEP_TURNS:]}


@router.get("/chat", response_class=HTMLResponse)
def chat_page(request: Request) -> HTMLResponse:
    user_or_login(request)
    conversation = request.cookies.get(CHAT_COOKIE) or f"web-{secrets.token_hex(8)}"
    turns = load_turns(request.app.state.ctx.db, conversation)
    response = page(request, "chat.html", active="Chat", turns=turns)
    set_cookie(request, response, CHAT_COOKIE, conversation)
    return response


@router.post("/chat", response_model=None)
async def chat(request: Request) -> RedirectResponse | JSONResponse:
    user = user_or_login(request)
    form = await request.form()
    check_csrf(request, str(form.get("csrf") or ""))
    wants_json = "application/json" in request.headers.get("accept", "")
    if not user.can("propose"):
        refusal = f"{user.username} is a {user.role}: asking the agent needs the controller role"
        if wants_json:
            return JSONResponse({"text": refusal}, status_code=403)
        return flash_redirect(request, "/chat", refusal, "error")
    if form.get("new"):
        response = redirect("/chat")
        set_cookie(request, response, CHAT_COOKIE, f"web-{secrets.token_hex(8)}")
        return response
    text = str(form.get("text") or "").strip()
    conversation = request.cookies.get(CHAT_COOKIE) or f"web-{secrets.token_hex(8)}"
    ctx = request.app.state.ctx
    try:
        reply = agent_service(ctx).chat(text, conversation_id=conversation, user=user.username)
        answer = reply.text
    except ARAgentError as exc:
        answer = f"Sorry, that did not work: {exc}"
    hook = ctx.extras.get("after_proposals")
    if hook:
        hook()
    turns = load_turns(ctx.db, conversation) + [
        {"role": "user", "text": text},
        {"role": "agent", "text": answer},
    ]
    save_turns(ctx.db, conversation, turns)
    response: RedirectResponse | JSONResponse
    response = JSONResponse({"text": answer}) if wants_json else redirect("/chat")
    set_cookie(request, response, CHAT_COOKIE, conversation)
    return response
