"""Rendering helpers shared by the pages: templates, the common context, redirects."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates
from sqlalchemy import func, select

from agent.grounding import evidence_rows
from api.auth import CSRF_COOKIE, current_user, new_csrf
from api.web import HERE
from core.clock import today
from ledger.models import Approval

templates = Jinja2Templates(directory=str(HERE / "templates"))
templates.env.globals["evidence_rows"] = evidence_rows


class LoginRequired(Exception):
    """Raised by a page when nobody is logged in; answered with a redirect to /login."""


def user_or_login(request: Request) -> str:
    user = current_user(request)
    if user is None:
        raise LoginRequired(request.url.path)
    return user


def page(request: Request, template: str, *, active: str = "", **values: Any) -> HTMLResponse:
    ctx = request.app.state.ctx
    csrf = request.cookies.get(CSRF_COOKIE) or new_csrf()
    with ctx.db.session() as session:
        pending = session.scalar(
            select(func.count()).select_from(Approval).where(Approval.status == "pending")
        )
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
            "flash": flash,
            "flash_kind": request.query_params.get("kind", "ok"),
            **values,
        },
    )
    response.set_cookie(CSRF_COOKIE, csrf, httponly=True, samesite="strict")
    return response


def redirect(path: str, flash: str | None = None, kind: str = "ok") -> RedirectResponse:
    if flash:
        sep = "&" if "?" in path else "?"
        anchor = ""
        if "#" in path:
            path, anchor = path.split("#", 1)
            anchor = "#" + anchor
        path = f"{path}{sep}flash={quote(flash)}&kind={kind}{anchor}"
    return RedirectResponse(path, status_code=303)
