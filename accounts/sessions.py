"""Server-side web sessions and single-use login links.

The browser's cookie holds a random id; the table keeps only its SHA-256, the account,
an expiry and ``revoked_at``. Logging out revokes the row, so a copied cookie stops
working at once; disabling an account ends its sessions too. A login link is a row of
kind ``login_link``: it opens one session, once, within its lifetime.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from accounts.roles import Identity
from accounts.secrets import new_token, token_hash
from accounts.users import get_user, identity_of
from ledger.models import User, WebSession, utcnow

SESSION_LIFETIME = timedelta(hours=12)
LOGIN_LINK_LIFETIME = timedelta(minutes=30)


def start_session(session: Session, username: str, *, via: str, now: datetime | None = None) -> str:
    """Open a session for ``username``; returns the cookie value."""
    user = get_user(session, username)
    return _new_row(session, user, kind="session", via=via, lifetime=SESSION_LIFETIME, now=now)


def _new_row(
    session: Session,
    user: User,
    *,
    kind: str,
    via: str,
    lifetime: timedelta,
    now: datetime | None,
) -> str:
    secret = new_token("")
    start = now or utcnow()
    session.add(
        WebSession(
            kind=kind,
            token_hash=token_hash(secret),
            user_id=user.id,
            via=via,
            created_at=start,
            expires_at=start + lifetime,
        )
    )
    session.flush()
    return secret


def _live(
    session: Session, secret: str | None, kind: str, now: datetime | None
) -> tuple[WebSession, User] | None:
    if not secret:
        return None
    row = session.execute(
        select(WebSession, User)
        .join(User, User.id == WebSession.user_id)
        .where(WebSession.token_hash == token_hash(secret), WebSession.kind == kind)
    ).first()
    if row is None:
        return None
    web, user = row
    if web.revoked_at is not None or web.expires_at <= (now or utcnow()) or user.disabled:
        return None
    return web, user


def session_identity(
    session: Session, cookie: str | None, *, now: datetime | None = None
) -> Identity | None:
    live = _live(session, cookie, "session", now)
    return identity_of(live[1], live[0].via) if live else None


def end_session(session: Session, cookie: str | None, *, now: datetime | None = None) -> bool:
    """Revoke the session behind ``cookie``; False when there was none."""
    if not cookie:
        return False
    result = session.execute(
        update(WebSession)
        .where(
            WebSession.token_hash == token_hash(cookie),
            WebSession.kind == "session",
            WebSession.revoked_at.is_(None),
        )
        .values(revoked_at=now or utcnow())
    )
    return bool(getattr(result, "rowcount", 0))


def issue_login_link(
    session: Session,
    username: str,
    *,
    lifetime: timedelta = LOGIN_LINK_LIFETIME,
    now: datetime | None = None,
) -> str:
    """A single-use secret for ``/login/link/<secret>``, valid for ``lifetime``."""
    user = get_user(session, username)
    return _new_row(session, user, kind="login_link", via="login_link", lifetime=lifetime, now=now)


def redeem_login_link(
    session: Session, secret: str | None, *, now: datetime | None = None
) -> Identity | None:
    """Use a login link: its identity the first time within its lifetime, else None.

    The compare-and-set on ``revoked_at`` makes a link work once even when two requests
    race with it.
    """
    live = _live(session, secret, "login_link", now)
    if live is None:
        return None
    web, user = live
    claimed = session.execute(
        update(WebSession)
        .where(WebSession.id == web.id, WebSession.revoked_at.is_(None))
        .values(revoked_at=now or utcnow())
    )
    if not getattr(claimed, "rowcount", 0):
        return None
    return identity_of(user, "login_link")


def set_flash(session: Session, cookie: str | None, text: str, kind: str = "ok") -> None:
    """Keep a one-time message for the next page of this browser session."""
    if cookie:
        session.execute(
            update(WebSession)
            .where(WebSession.token_hash == token_hash(cookie), WebSession.kind == "session")
            .values(flash={"text": text[:2000], "kind": "error" if kind == "error" else "ok"})
        )


def pop_flash(session: Session, cookie: str | None) -> dict[str, Any] | None:
    if not cookie:
        return None
    row = session.scalar(
        select(WebSession).where(
            WebSession.token_hash == token_hash(cookie), WebSession.kind == "session"
        )
    )
    if row is None or not row.flash:
        return None
    flash, row.flash = row.flash, None
    return flash


def prune_expired(session: Session, *, now: datetime | None = None) -> int:
    """Delete sessions and login links that expired over a day ago; returns how many."""
    cutoff = (now or utcnow()) - timedelta(days=1)
    result = session.execute(delete(WebSession).where(WebSession.expires_at < cutoff))
    return int(getattr(result, "rowcount", 0) or 0)
