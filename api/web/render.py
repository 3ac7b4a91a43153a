"""Rendering helpers shared by the pages: templates, the common context, redirects."""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from agent.grounding import evidence_rows
from api.auth import CSRF_COOKIE, current_user, new_csrf
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


def user_or_login(request: Request) -> str:
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
    if session is not None:
        pending = pending_badge(session)
    else:
        with ctx.db.session() as own:
            pending = pending_badge(own)
    flash = request.query_params.get("flash")
    response = templates.TemplateResponse(
        request,
        template,
        {
            "user": current_user(request),
            "active": active,
            "csrf": csrf,
            "pending_count": pending,
            "today": today(ctx.clock).isoformat(),
            "fmt": formatting,
            "locale": viewer_locale(request),
            "flash": flash,
            "flash_kind": request.query_params.get("kind", "ok"),
            **values,
        },
    )
    response.set_cookie(CSRF_COOKIE, csrf, httponly=True, samesite="strict")
    return response


def viewer_locale(request: Request) -> str:
    """The viewer's locale from the browser's Accept-Language (English when none fits)."""
    header = request.headers.get("accept-language", "")
    first = header.split(",")[0].split(";")[0].strip()
    return formatting.locale_of(first or None)


def wants_json(request: Request) -> bool:
    return "application/json" in request.headers.get("accept", "")


def redirect(path: str, flash: str | None = None, kind: str = "ok") -> RedirectResponse:
    if flash:
        sep = "&" if "?" in path else "?"
        anchor = ""
        if "#" in path:
            path, anchor = path.split("#", 1)
            anchor = "#" + anchor
        path = f"{path}{sep}flash={quote(flash)}&kind={kind}{anchor}"
    return RedirectResponse(path, status_code=303)
