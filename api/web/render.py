"""Rendering helpers shared by the pages: templates, the common context, redirects, flashes.

A one-time message after a redirect (``flash_redirect``) is kept in the browser's
server-side session and shown by the next page: nothing a URL says is ever printed as
a message.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from accounts.roles import Identity
from accounts.sessions import pop_flash, set_flash
from agent.grounding import evidence_rows
from api.auth import CSRF_COOKIE, SESSION_COOKIE, current_user, new_csrf, set_cookie
from api.inbox import TASK_TYPES
from api.web import HERE
from core import formatting
from core.clock import today
from ledger.models import Approval

templates = Jinja2Templates(directory=str(HERE / "templates"))
templates.env.filters["decimal"] = lambda value: Decimal(str(value))
templates.env.globals["evidence_rows"] = evidence_rows


class LoginRequired(Exception):
    """Raised by a page when nobody is logged in; answered with a redirect to /login."""


def user_or_login(request: Request) -> Identity:
    user = current_user(request)
    if user is None:
        raise LoginRequired(request.url.path)
    return user


def pending_badge(session: Session) -> int:
    """Approvals waiting for a decision (escalations are tasks: they have their own page)."""
    return (
        session.scalar(
            select(func.count())
            .select_from(Approval)
            .where(Approval.status == "pending", Approval.type.not_in(TASK_TYPES))
        )
        or 0
    )


def page(
    request: Request,
    template: str,
    *,
    active: str = "",
    session: Session | None = None,
    **values: Any,
) -> HTMLResponse:
    """Render ``template`` in the layout. Pass the request's ``session`` so the pending
    badge reads through it instead of checking out a second pool connection."""
    ctx = request.app.state.ctx
    csrf = request.cookies.get(CSRF_COOKIE) or new_csrf()
    user = current_user(request)
    if session is not None:  # the request's own session: no second pool connection
        pending = pending_badge(session)
        flash = pop_flash(session, request.cookies.get(SESSION_COOKIE)) if user else None
        session.commit()
    else:
        with ctx.db.transaction() as own:
            pending = pending_badge(own)
            flash = pop_flash(own, request.cookies.get(SESSION_COOKIE)) if user else None
    response = templates.TemplateResponse(
        request,
        template,
        {
            "user": user,
            "active": active,
            "csrf": csrf,
            "pending_count": pending,
            "today": today(ctx.clock).isoformat(),
            "fmt": formatting,
            "locale": viewer_locale(request),
            "flash": flash["text"] if flash else None,
            "flash_kind": flash["kind"] if flash else "ok",
            **values,
        },
    )
    set_cookie(request, response, CSRF_COOKIE, csrf)
    return response


def viewer_locale(request: Request) -> str:
    """The viewer's locale from the browser's Accept-Language (English when none fits)."""
    header = request.headers.get("accept-language", "")
    first = header.split(",")[0].split(";")[0].strip()
    return formatting.locale_of(first or None)


def wants_json(request: Request) -> bool:
    return "application/json" in request.headers.get("accept", "")


def redirect(path: str) -> RedirectResponse:
    return RedirectResponse(path, status_code=303)


def flash_redirect(request: Request, path: str, text: str, kind: str = "ok") -> RedirectResponse:
    """Redirect, and show ``text`` once on the next page of this browser session."""
    with request.app.state.ctx.db.transaction() as session:
        set_flash(session, request.cookies.get(SESSION_COOKIE), text, kind)
    return redirect(path)
