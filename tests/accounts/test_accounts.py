"""Accounts: argon2 passwords, hashed API tokens, server-side sessions, login links."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from accounts.roles import Identity, role_allows
from accounts.secrets import same_secret
from accounts.sessions import (
    end_session,
    issue_login_link,
    prune_expired,
    redeem_login_link,
    session_identity,
    start_session,
)
from accounts.tokens import issue_token, revoke_token, token_identity
from accounts.users import add_user, bootstrap_admin, by_slack_id, check_password, set_disabled
from core.errors import ConflictError, PermissionDenied, ValidationError
from ledger.models import ApiToken, User, WebSession, utcnow


def test_passwords_are_argon2_and_checked(db):
    with db.transaction() as s:
        add_user(s, "Alice", role="approver", password="correct horse")
    with db.session() as s:
        stored = s.scalar(select(User.password_hash).where(User.username == "alice"))
        assert stored.startswith("$argon2id$") and "correct horse" not in stored
        assert check_password(s, "alice", "correct horse") == Identity(
            "alice", "approver", "password"
        )
        assert check_password(s, "alice", "wrong horse!") is None
        assert check_password(s, "nobody", "correct horse") is None
        assert check_password(s, "ALICE\u00e9", "correct horse") is None


def test_account_rules(db):
    with db.transaction() as s:
        add_user(s, "bob", role="approver", slack_user_id="U0BOB")
    with db.transaction() as s, pytest.raises(ConflictError):
        add_user(s, "BOB", role="viewer")
    with db.transaction() as s, pytest.raises(ConflictError, match="already mapped"):
        add_user(s, "bobby", role="viewer", slack_user_id="U0BOB")
    for bad in ({"role": "boss"}, {"role": "viewer", "password": "short"}):
        with db.transaction() as s, pytest.raises(ValidationError):
            add_user(s, "carl", **bad)
    with db.transaction() as s, pytest.raises(ValidationError):
        add_user(s, "has space", role="viewer")


def test_roles_are_ordered():
    assert role_allows("admin", "decide") and role_allows("approver", "propose")
    assert not role_allows("controller", "decide") and not role_allows("viewer", "propose")
    with pytest.raises(PermissionDenied, match="needs the approver role"):
        Identity("carl", "controller", "t").require("decide")


def test_api_tokens_are_hashed_shown_once_and_revocable(db):
    with db.transaction() as s:
        add_user(s, "bob", role="approver")
        row, token = issue_token(s, "bob", label="script")
        number = row.id
    with db.transaction() as s:
        assert token not in {t.token_hash for t in s.scalars(select(ApiToken))}
        assert token_identity(s, token) == Identity("bob", "approver", "api_token")
        assert token_identity(s, token + "x") is None
        revoke_token(s, number)
    with db.session() as s:
        assert token_identity(s, token) is None


def test_a_disabled_account_has_no_live_credential(db):
    with db.transaction() as s:
        add_user(s, "eve", role="approver", password="eve-password", slack_user_id="U0EVE")
        _, token = issue_token(s, "eve")
        cookie = start_session(s, "eve", via="password")
        set_disabled(s, "eve")
    with db.session() as s:
        assert token_identity(s, token) is None
        assert session_identity(s, cookie) is None
        assert check_password(s, "eve", "eve-password") is None
        assert by_slack_id(s, "U0EVE") is None


def test_sessions_end_at_logout_and_expiry(db):
    with db.transaction() as s:
        add_user(s, "ann", role="viewer")
        cookie = start_session(s, "ann", via="password")
        old = start_session(s, "ann", via="password", now=utcnow() - timedelta(hours=13))
    with db.transaction() as s:
        assert session_identity(s, cookie) == Identity("ann", "viewer", "password")
        assert session_identity(s, old) is None
        assert s.scalar(select(WebSession.token_hash).limit(1)) != cookie  # hashed at rest
        assert end_session(s, cookie)
    with db.session() as s:
        assert session_identity(s, cookie) is None


def test_expired_sessions_are_pruned(db):
    with db.transaction() as s:
        add_user(s, "ann", role="viewer")
        live = start_session(s, "ann", via="password")
        start_session(s, "ann", via="password", now=utcnow() - timedelta(days=3))
    with db.transaction() as s:
        assert prune_expired(s) == 1
        assert session_identity(s, live) is not None


def test_login_links_work_once(db):
    with db.transaction() as s:
        add_user(s, "ann", role="viewer")
        link = issue_login_link(s, "ann")
    with db.transaction() as s:
        assert session_identity(s, link) is None  # a link is not a session
        assert redeem_login_link(s, link) == Identity("ann", "viewer", "login_link")
    with db.transaction() as s:
        assert redeem_login_link(s, link) is None


def test_bootstrap_admin_is_created_once(db):
    with db.transaction() as s:
        first = bootstrap_admin(s).id
    with db.transaction() as s:
        assert bootstrap_admin(s).id == first and bootstrap_admin(s).role == "admin"


@pytest.mark.parametrize(
    "offered, expected, same",
    [
        ("abc", "abc", True),
        ("abc", "abd", False),
        ("t\u00f6ken", "token", False),
        ("\udcff", "x", False),
        (b"\xff\xfe", "x", False),
        ("", "", False),
        (None, "x", False),
    ],
)
def test_secrets_compare_any_bytes(offered, expected, same):
    assert same_secret(offered, expected) is same


def test_the_lockout_ends_after_its_window_and_a_success_clears_the_count(db):
    from accounts import throttle

    start = utcnow()
    with db.transaction() as s:
        for _ in range(throttle.MAX_FAILURES):
            throttle.record_failure(s, "ann", now=start)
    with db.transaction() as s:
        assert throttle.locked_out(s, "ANN", now=start + timedelta(minutes=1))
        assert not throttle.locked_out(s, "ann", now=start + throttle.WINDOW)
        throttle.record_failure(s, "ann", now=start + throttle.WINDOW)  # a new window
        assert not throttle.locked_out(s, "ann", now=start + throttle.WINDOW)
        throttle.clear_failures(s, "ann")
        assert not throttle.locked_out(s, "ann")
