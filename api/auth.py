"""Web login and CSRF.

The web page and the REST API require the token ``AR_AGENT_WEB_TOKEN`` (``serve`` makes
one up and prints it when unset; the demo prints its own). A browser logs in once with
its name and the token and gets an HMAC-signed session cookie; scripts send
``Authorization: Bearer <token>``. Forms carry a CSRF token that must match the
``ar_csrf`` cookie (double submit); bearer requests are not cookie-authenticated and
need none.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from urllib.parse import quote

from fastapi import HTTPException, Request

from core.logs import bind

SESSION_COOKIE = "ar_session"
CSRF_COOKIE = "ar_csrf"
SESSION_SECONDS = 12 * 3600


def _key(token: str) -> bytes:
    return hashlib.sha256(b"ar-agent-web:" + token.encode()).digest()


def sign_session(token: str, user: str, now: float | None = None) -> str:
    expires = int((now or time.time()) + SESSION_SECONDS)
    body = f"{quote(user, safe='')}|{expires}"
    mac = hmac.new(_key(token), body.encode(), hashlib.sha256).hexdigest()
    return f"{body}|{mac}"


def read_session(token: str, cookie: str | None, now: float | None = None) -> str | None:
    """The user name in a valid, unexpired session cookie, else None."""
    if not cookie or cookie.count("|") != 2:
        return None
    user, expires, mac = cookie.split("|")
    expected = hmac.new(_key(token), f"{user}|{expires}".encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(mac, expected):
        return None
    if not expires.isdigit() or int(expires) < (now or time.time()):
        return None
    from urllib.parse import unquote

    return unquote(user)


def bearer_ok(request: Request, token: str) -> bool:
    header = request.headers.get("authorization", "")
    return header.lower().startswith("bearer ") and hmac.compare_digest(header[7:].strip(), token)


def current_user(request: Request) -> str | None:
    """Who is calling: ``web:<name>`` from the cookie, ``api`` for a bearer token, else None."""
    token = request.app.state.ctx.settings.web_token
    if not token:
        return None
    if bearer_ok(request, token):
        who = request.headers.get("x-ar-user", "api")
    else:
        user = read_session(token, request.cookies.get(SESSION_COOKIE))
        who = f"web:{user}" if user else None
    bind(user=who)  # on every log line of this request
    return who


def require_user(request: Request) -> str:
    user = current_user(request)
    if user is None:
        raise HTTPException(
            status_code=401, detail="Log in with the web token (see `ar-agent serve` output)"
        )
    return user


def new_csrf() -> str:
    return secrets.token_urlsafe(24)


def check_csrf(request: Request, submitted: str | None) -> None:
    token = request.app.state.ctx.settings.web_token
    if token and bearer_ok(request, token):
        return
    cookie = request.cookies.get(CSRF_COOKIE)
    if not cookie or not submitted or not hmac.compare_digest(cookie, submitted):
        raise HTTPException(
            status_code=403,
            detail="The form expired or came from another site: reload the page and try again",
        )
