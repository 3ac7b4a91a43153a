"""OpenID Connect sign-in with Authlib's Starlette client (any provider with discovery).

Set ``AR_AGENT_OIDC_DISCOVERY_URL`` (the provider's ``.well-known/openid-configuration``),
``AR_AGENT_OIDC_CLIENT_ID`` and ``AR_AGENT_OIDC_CLIENT_SECRET``; the redirect URI to
register is ``<AR_AGENT_PUBLIC_URL>/login/oidc/callback``. The flow is the authorization
code flow with PKCE and a nonce; Authlib checks the ID token's signature against the
provider's JWKS, its issuer, audience, expiry and nonce.

The flow's state lives in the database (several ``serve`` processes may share one), and
the browser holds a cookie naming its state: a callback from another browser is refused.
The verified ID token signs in the account whose email matches (``email_verified`` must
not be false) or, for "Sign in with Slack", whose Slack user id matches; nobody else.
"""

from __future__ import annotations

import json
import time
from typing import Any

import httpx
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.starlette_client import OAuth, OAuthError
from fastapi import Request
from joserfc.errors import JoseError
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from accounts.roles import Identity
from accounts.users import by_email, by_slack_id, identity_of
from api.deps import AppContext
from ledger.db import Database
from ledger.models import KeyValue

STATE_COOKIE = "ar_oidc"
NAME = "oidc"
SLACK_USER_CLAIM = "https://slack.com/user_id"


class DatabaseStateCache:
    """Authlib's cache interface over the ``kv`` table: the flow's state, nonce and PKCE
    verifier, for ten minutes, readable by any process."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def get(self, key: str) -> str | None:
        with self.db.session() as session:
            row = session.scalar(select(KeyValue).where(KeyValue.key == f"oidc:{key}"))
            if row is None or row.value.get("exp", 0) < time.time():
                return None
            return str(row.value["data"])

    async def set(self, key: str, value: str, expires_in: int | None = None) -> None:
        exp = time.time() + (expires_in or 600)
        try:
            with self.db.transaction() as session:
                session.add(KeyValue(key=f"oidc:{key}", value={"data": value, "exp": exp}))
        except IntegrityError:  # a state is random: a clash means a replay; refuse it
            raise OAuthError(description="state already used") from None

    async def delete(self, key: str) -> None:
        with self.db.transaction() as session:
            session.execute(delete(KeyValue).where(KeyValue.key == f"oidc:{key}"))


def oidc_app(ctx: AppContext) -> Any:
    """The registered Authlib client for the configured provider (built once)."""
    if "oidc" not in ctx.extras:
        settings = ctx.settings
        oauth = OAuth(cache=DatabaseStateCache(ctx.db))
        oauth.register(
            NAME,
            client_id=settings.oidc_client_id,
            client_secret=settings.oidc_client_secret,
            server_metadata_url=settings.oidc_discovery_url,
            client_kwargs={"scope": "openid email profile", "code_challenge_method": "S256"},
        )
        ctx.extras["oidc"] = oauth.create_client(NAME)
    return ctx.extras["oidc"]


def callback_url(request: Request, ctx: AppContext) -> str:
    base = (ctx.settings.public_url or str(request.base_url)).rstrip("/")
    return f"{base}/login/oidc/callback"


async def start(request: Request, ctx: AppContext) -> tuple[Any, str]:
    """The redirect to the provider, and the state for the browser's cookie."""
    request.scope["session"] = {}
    response = await oidc_app(ctx).authorize_redirect(request, callback_url(request, ctx))
    marker = next(k for k in request.scope["session"] if k.startswith(f"_state_{NAME}_"))
    return response, marker.removeprefix(f"_state_{NAME}_")


async def finish(request: Request, ctx: AppContext) -> Identity:
    """Exchange the code, verify the ID token and find the account; raise OAuthError if not."""
    cookie_state = request.cookies.get(STATE_COOKIE)
    if not cookie_state or cookie_state != request.query_params.get("state"):
        raise OAuthError(description="this sign-in was not started from this browser")
    request.scope["session"] = {f"_state_{NAME}_{cookie_state}": {"exp": time.time() + 600}}
    try:
        token = await oidc_app(ctx).authorize_access_token(request)
    except OAuthError:
        raise
    except (AuthlibBaseError, JoseError, httpx.HTTPError, KeyError, ValueError) as exc:
        # a bad signature, issuer, audience, nonce or expiry; or the provider unreachable
        raise OAuthError(description=f"the ID token was not accepted ({exc!r:.120})") from exc
    claims = dict(token.get("userinfo") or {})
    if not claims:
        raise OAuthError(description="the provider sent no ID token")
    identity = account_for(ctx, claims)
    if identity is None:
        who = claims.get("email") or claims.get("sub")
        raise OAuthError(
            description=f"no enabled account for {who}; an admin can add one "
            f"(ar-agent users add NAME --email {claims.get('email') or 'EMAIL'})"
        )
    return identity


def account_for(ctx: AppContext, claims: dict[str, Any]) -> Identity | None:
    with ctx.db.session() as session:
        slack_id = claims.get(SLACK_USER_CLAIM)
        user = by_slack_id(session, str(slack_id)) if slack_id else None
        email = claims.get("email")
        if user is None and email and claims.get("email_verified") is not False:
            user = by_email(session, str(email))
        return identity_of(user, "oidc") if user else None


def describe(exc: OAuthError) -> str:
    return str(exc.description or exc.error or json.dumps(str(exc)))[:300]
