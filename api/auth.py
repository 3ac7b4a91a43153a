"""Who is calling: identity only from a credential, never from a name the caller types.

- ``Authorization: Bearer <token>``: a user's API token (``ar-agent users token``), or
  ``AR_AGENT_WEB_TOKEN``, the bootstrap credential of the ``admin`` account.
- The ``ar_session`` cookie of a browser that signed in (password, OpenID Connect or a
  single-use login link): a random id looked up in the ``web_sessions`` table.

Credentials are read from headers and cookies only (a token in a URL is ignored), and
compared in constant time whatever bytes they hold. Forms carry a CSRF token that must
match the ``ar_csrf`` cookie (double submit); bearer requests carry no cookie and need none.
"""

from __future__ import annotations

import secrets

from fastapi import HTTPException, Request
from fastapi.responses import Response

from accounts.roles import Identity
from accounts.secrets import same_secret
from accounts.sessions import SESSION_LIFETIME, session_identity
from accounts.tokens import token_identity
from accounts.users import bootstrap_admin, identity_of
from api.deps import AppContext
from core.logs import bind

SESSION_COOKIE = "ar_session"
CSRF_COOKIE = "ar_csrf"
_CACHE = "ar_identity"


def _ctx(request: Request) -> AppContext:
    return request.app.state.ctx  # type: ignore[no-any-return]


def bearer_token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    if header[:7].lower() != "bearer ":
        return None
    return header[7:].strip() or None


def bearer_identity(ctx: AppContext, token: str) -> Identity | None:
    """The identity behind a bearer token: the web token is ``admin``, else an API token."""
    with ctx.db.transaction() as session:
        if same_secret(token, ctx.settings.web_token):
            admin = bootstrap_admin(session)  # created on first use when missing
            return None if admin.disabled else identity_of(admin, "web_token")
        return token_identity(session, token)


def current_user(request: Request) -> Identity | None:
    """The caller's identity (cached on the request), or None."""
    if _CACHE in request.scope:
        return request.scope[_CACHE]  # type: ignore[no-any-return]
    ctx = _ctx(request)
    token = bearer_token(request)
    identity: Identity | None
    if token is not None:
        identity = bearer_identity(ctx, token)
    else:
        cookie = request.cookies.get(SESSION_COOKIE)
        identity = None
        if cookie:
            with ctx.db.session() as session:
                identity = session_identity(session, cookie)
    request.scope[_CACHE] = identity
    bind(user=identity.username if identity else None)  # on every log line of this request
    return identity


def require_user(request: Request) -> Identity:
    user = current_user(request)
    if user is None:
        raise HTTPException(
            status_code=401,
            detail="Sign in, or send Authorization: Bearer <your API token>",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return user


def is_https(request: Request) -> bool:
    """Whether the browser reached us over HTTPS: ``AR_AGENT_PUBLIC_URL`` says so, or the
    request's scheme (uvicorn sets it from ``X-Forwarded-Proto`` only for the proxies in
    ``AR_AGENT_TRUSTED_PROXIES``)."""
    public = (_ctx(request).settings.public_url or "").lower()
    return public.startswith("https://") or request.url.scheme == "https"


def set_cookie(
    request: Request, response: Response, name: str, value: str, **kwargs: object
) -> None:
    """Every cookie we set: HttpOnly, SameSite, and Secure behind HTTPS."""
    kwargs.setdefault("samesite", "strict")
    response.set_cookie(name, value, httponly=True, secure=is_https(request), **kwargs)  # type: ignore[arg-type]


def set_session_cookie(request: Request, response: Response, value: str) -> None:
    # Lax: the first page after an OpenID Connect redirect is a cross-site navigation.
    set_cookie(
        request,
        response,
        SESSION_COOKIE,
        value,
        samesite="lax",
        max_age=int(SESSION_LIFETIME.total_seconds()),
    )


def new_csrf() -> str:
    return secrets.token_urlsafe(24)


def check_csrf(request: Request, submitted: str | None) -> None:
    if bearer_token(request) is not None and current_user(request) is not None:
        return
    cookie = request.cookies.get(CSRF_COOKIE)
    if not same_secret(submitted, cookie):
        raise HTTPException(
            status_code=403,
            detail="The form expired or came from another site: reload the page and try again",
        )
