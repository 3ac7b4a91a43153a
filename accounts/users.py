"""Accounts: add, list, disable, look up by username, Slack user id or email.

Usernames are lower-case ``[a-z0-9._-]``. A disabled account keeps its history (audit
events name it) but no credential of it works any more.
"""

from __future__ import annotations

import re

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from accounts.passwords import hash_password, verify_password
from accounts.roles import BOOTSTRAP_ADMIN, Identity, check_role
from core.errors import ConflictError, NotFound, ValidationError
from ledger.models import User

USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")
SLACK_ID = re.compile(r"[UW][A-Z0-9]{2,31}")


def check_username(username: str) -> str:
    name = username.strip().lower()
    if not USERNAME.fullmatch(name):
        raise ValidationError(
            f"username {username!r}: use 1-64 of a-z, 0-9, '.', '_' or '-', starting with a letter or digit"
        )
    return name


def add_user(
    session: Session,
    username: str,
    *,
    role: str,
    password: str | None = None,
    email: str | None = None,
    slack_user_id: str | None = None,
    display_name: str | None = None,
) -> User:
    name = check_username(username)
    if find_user(session, name) is not None:
        raise ConflictError(f"user {name} already exists")
    if slack_user_id and not SLACK_ID.fullmatch(slack_user_id):
        raise ValidationError(f"Slack user id {slack_user_id!r}: expected U… or W…")
    if slack_user_id and by_slack_id(session, slack_user_id, active_only=False) is not None:
        raise ConflictError(f"Slack user {slack_user_id} is already mapped to another account")
    if email and by_email(session, email, active_only=False) is not None:
        raise ConflictError(f"{email} already belongs to another account")
    user = User(
        username=name,
        role=check_role(role),
        password_hash=hash_password(password) if password else None,
        email=email.strip().lower() if email else None,
        slack_user_id=slack_user_id or None,
        display_name=display_name,
    )
    session.add(user)
    session.flush()
    return user


def find_user(session: Session, username: str) -> User | None:
    return session.scalar(select(User).where(User.username == username.strip().lower()))


def get_user(session: Session, username: str) -> User:
    user = find_user(session, username)
    if user is None:
        raise NotFound(f"no user {username!r} (ar-agent users list)")
    return user


def by_slack_id(session: Session, slack_user_id: str, *, active_only: bool = True) -> User | None:
    query = select(User).where(User.slack_user_id == slack_user_id)
    if active_only:
        query = query.where(User.disabled.is_(False))
    return session.scalar(query)


def by_email(session: Session, email: str, *, active_only: bool = True) -> User | None:
    query = select(User).where(func.lower(User.email) == email.strip().lower())
    if active_only:
        query = query.where(User.disabled.is_(False))
    return session.scalar(query)


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.username)))


def set_disabled(session: Session, username: str, disabled: bool = True) -> User:
    user = get_user(session, username)
    user.disabled = disabled
    return user


def set_password(session: Session, username: str, password: str) -> User:
    user = get_user(session, username)
    user.password_hash = hash_password(password)
    return user


def identity_of(user: User, via: str) -> Identity:
    return Identity(username=user.username, role=user.role, via=via)


def check_password(session: Session, username: str, password: str) -> Identity | None:
    """The account's identity when the password is right and the account enabled."""
    try:
        name = check_username(username)
    except ValidationError:
        return None
    user = find_user(session, name)
    if user is None or user.disabled or not verify_password(user.password_hash, password):
        return None
    return identity_of(user, "password")


def bootstrap_admin(session: Session) -> User:
    """The ``admin`` account that ``AR_AGENT_WEB_TOKEN`` signs in as (created when missing)."""
    user = find_user(session, BOOTSTRAP_ADMIN)
    if user is None:
        user = add_user(session, BOOTSTRAP_ADMIN, role="admin", display_name="Administrator")
    return user
