"""Accounts for tests: add a person with a role and get their API token."""

from __future__ import annotations

from accounts.tokens import issue_token
from accounts.users import add_user
from ledger.db import Database


def add_account(
    db: Database,
    username: str,
    role: str = "approver",
    *,
    password: str | None = None,
    slack: str | None = None,
    email: str | None = None,
) -> str:
    """Create the account; return a fresh API token of it."""
    with db.transaction() as session:
        add_user(session, username, role=role, password=password, slack_user_id=slack, email=email)
        _, token = issue_token(session, username, label="test")
    return token


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
