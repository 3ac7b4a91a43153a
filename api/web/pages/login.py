"""Sign in (password, OpenID Connect, single-use login link) and sign out.

Each sign-in opens a server-side session (``accounts.sessions``); signing out revokes it.
"""

from __future__ import annotations

import httpx
from authlib.integrations.starlette_client import OAuthError
from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.concurrency import run_in_threadpool

from accounts.roles import Identity
from accounts.sessions import end_session, redeem_login_link, start_session
from accounts.throttle import clear_failures, locked_out, record_failure
from accounts.users import check_password
from api.auth import SESSION_COOKIE, check_csrf, set_cookie, set_session_cookie
from api.web import oidc
from api.web.render import page, redirect

router = APIRouter(include_in_schema=False)


def safe_next(target: str | None) -> str:
    """Only a path on this site (no ``//host`` or ``\\host``) may follow a sign-in."""
    target = target or ""
    if target.startswith("/") and not target.startswith(("//", "/\\")) and "\\" not in target:
        return target
    return "/approvals"


@router.get("/")
def home() -> RedirectResponse:
    return redirect("/approvals")


def _form(request: Request, next: str, **values: object) -> HTMLResponse:
    settings = request.app.state.ctx.settings
    return page(
        request,
        "login.html",
        next=safe_next(next),
        oidc_name=settings.oidc_name if settings.oidc_enabled else None,
        **values,
    )


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str = "/approvals") -> HTMLResponse:
    return _form(request, next)


def signed_in(request: Request, identity: Identity, next: str | None) -> RedirectResponse:
    with request.app.state.ctx.db.transaction() as session:
        cookie = start_session(session, identity.username, via=identity.via)
    response = redirect(safe_next(next))
    set_session_cookie(request, response, cookie)
    return response


@router.post("/login", response_model=None)
async def login(
    request: Request,
    username: str = Form(...),
    password: str = Form(...),
    next: str = Form("/approvals"),
) -> HTMLResponse | RedirectResponse:
    ctx = request.app.state.ctx

    def verify() -> Identity | str:
        with ctx.db.transaction() as session:
            if locked_out(session, username):
                return "Too many wrong passwords for this account: try again in 15 minutes."
            identity = check_password(session, username, password)
            if identity is None:
                record_failure(session, username)
                return "That username and password do not match."
            clear_failures(session, username)
            return identity

    outcome = await run_in_threadpool(verify)  # argon2 takes a moment on purpose
    if isinstance(outcome, str):
        response = _form(request, next, username=username, error=outcome)
        response.status_code = 401
        return response
    identity = outcome
    return signed_in(request, identity, next)


@router.get("/login/link/{secret}", response_model=None)
def login_link(request: Request, secret: str) -> HTMLResponse | RedirectResponse:
    """A single-use link (``ar-agent demo``, ``ar-agent users login-link``)."""
    with request.app.state.ctx.db.transaction() as session:
        identity = redeem_login_link(session, secret)
    if identity is None:
        response = _form(
            request,
            "/approvals",
            error="That sign-in link was already used or has expired: ask for a new one.",
        )
        response.status_code = 401
        return response
    return signed_in(request, identity, "/approvals")


@router.get("/login/oidc", response_model=None)
async def login_oidc(request: Request, next: str = "/approvals") -> HTMLResponse | RedirectResponse:
    ctx = request.app.state.ctx
    if not ctx.settings.oidc_enabled:
        return redirect("/login")
    try:
        response, state = await oidc.start(request, ctx)
    except (OAuthError, httpx.HTTPError, OSError, ValueError) as exc:
        failed = _form(request, next, error=f"The sign-in provider is not reachable: {exc}")
        failed.status_code = 502
        return failed
    set_cookie(request, response, oidc.STATE_COOKIE, state, samesite="lax", max_age=600)
    set_cookie(request, response, "ar_next", safe_next(next), samesite="lax", max_age=600)
    return response  # type: ignore[no-any-return]


@router.get("/login/oidc/callback", response_model=None)
async def login_oidc_callback(request: Request) -> HTMLResponse | RedirectResponse:
    ctx = request.app.state.ctx
    try:
        identity = await oidc.finish(request, ctx)
    except OAuthError as exc:
        response = _form(request, "/approvals", error=f"Sign-in refused: {oidc.describe(exc)}")
        response.status_code = 401
        response.delete_cookie(oidc.STATE_COOKIE)
        return response
    done = signed_in(request, identity, request.cookies.get("ar_next"))
    done.delete_cookie(oidc.STATE_COOKIE)
    done.delete_cookie("ar_next")
    return done


@router.post("/logout")
async def logout(request: Request) -> RedirectResponse:
    form = await request.form()
    check_csrf(request, str(form.get("csrf") or ""))
    with request.app.state.ctx.db.transaction() as session:
        end_session(session, request.cookies.get(SESSION_COOKIE))
    response = redirect("/login")
    response.delete_cookie(SESSION_COOKIE)
    return response
