"""Per-user API tokens: shown once when issued, kept only as a SHA-256, revocable."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from accounts.roles import Identity
from accounts.secrets import new_token, token_hash
from accounts.users import get_user, identity_of
from core.errors import NotFound
from ledger.models import ApiToken, User, utcnow

LAST_USED_PRECISION = timedelta(minutes=5)


def issue_token(session: Session, username: str, *, label: str = "") -> tuple[ApiToken, str]:
    """A new token for ``username``: the row and the token itself (its only appearance)."""
    user = get_user(session, username)
    token = new_token("ar_")
    row = ApiToken(user_id=user.id, label=label, token_hash=token_hash(token))
    session.add(row)
    session.flush()
    return row, token


def revoke_token(session: Session, token_id: int, *, now: datetime | None = None) -> ApiToken:
    row = session.get(ApiToken, token_id)
    if row is None:
        raise NotFound(f"no API token #{token_id} (ar-agent users token list)")
    row.revoked_at = row.revoked_at or now or utcnow()
    return row


def list_tokens(session: Session, username: str | None = None) -> list[tuple[ApiToken, str]]:
    query = select(ApiToken, User.username).join(User, User.id == ApiToken.user_id)
    if username:
        query = query.where(User.id == get_user(session, username).id)
    return [(t, name) for t, name in session.execute(query.order_by(ApiToken.id)).all()]


def token_identity(session: Session, token: str) -> Identity | None:
    """Whose live token this is (None when unknown, revoked or the account disabled)."""
    row = session.execute(
        select(ApiToken, User)
        .join(User, User.id == ApiToken.user_id)
        .where(ApiToken.token_hash == token_hash(token))
    ).first()
    if row is None:
        return None
    api_token, user = row
    if api_token.revoked_at is not None or user.disabled:
        return None
    now = utcnow()
    if api_token.last_used_at is None or now - api_token.last_used_at > LAST_USED_PRECISION:
        api_token.last_used_at = now  # not on every request: one write per token per minutes
    return identity_of(user, "api_token")
