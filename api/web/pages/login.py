"""Log in with a name and the web token; log out."""

from __future__ import annotations

import hmac

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from api.auth import SESSION_COOKIE, sign_session
from api.web.render import page, redirect

router = APIRouter(include_in_schema=False)


@router.get("/")
def home() -> RedirectResponse:
    return redirect("/approvals")


@router.get("/login", response_model=None)
def login_form(
    request: Request, next: str = "/approvals", token: str = "", name: str = ""
) -> HTMLResponse | RedirectResponse:
    expected = request.app.state.ctx.settings.web_token or ""
    if (
        token and expected and hmac.compare_digest(token, expected)
    ):  # the link printed by `ar-agent demo`
        return _logged_in(expected, name or "demo", next)
    return page(request, "login.html", next=next)


def _logged_in(token: str, name: str, next: str) -> RedirectResponse:
    target = next if next.startswith("/") and not next.startswith("//") else "/approvals"
    response = redirect(target)
    response.set_cookie(
        SESSION_COOKIE,
        sign_session(token, name.strip()[:60] or "user"),
        httponly=True,
        samesite="lax",
        max_age=12 * 3600,
    )
    return response


@router.post("/login")
def login(
    request: Request, name: str = Form(...), token: str = Form(...), next: str = Form("/approvals")
):  # type: ignore[no-untyped-def]
    expected = request.app.state.ctx.settings.web_token or ""
    if not expected or not hmac.compare_digest(token.strip(), expected):
        response = page(
            request, "login.html", next=next, name=name, error="That token is not right."
        )
        response.status_code = 401
        return response
    return _logged_in(expected, name, next)


@router.post("/logout")
def logout() -> RedirectResponse:
    response = redirect("/login")
    response.delete_cookie(SESSION_COOKIE)
    return response
