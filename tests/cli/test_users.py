"""``ar-agent users``: add, list, disable, tokens (shown once, revocable), login links."""

from __future__ import annotations

import io
import json

import pytest

from accounts.tokens import token_identity
from cli.main import main
from core.settings import get_settings
from ledger.db import Database


@pytest.fixture
def cli_db(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'users.db'}"
    monkeypatch.setenv("AR_AGENT_DATABASE_URL", url)
    monkeypatch.setenv("AR_AGENT_PUBLIC_URL", "https://ar.example.com")
    get_settings.cache_clear()
    db = Database(url)
    yield db
    db.dispose()
    get_settings.cache_clear()


def test_add_list_disable(cli_db, capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("a-long-password\n"))
    assert (
        main(
            [
                "users",
                "add",
                "Alice",
                "--role",
                "approver",
                "--slack",
                "U0ALICE",
                "--email",
                "alice@example.com",
                "--password-stdin",
            ]
        )
        == 0
    )
    assert main(["users", "add", "carl", "--role", "controller", "--no-password"]) == 0
    assert main(["users", "add", "alice", "--role", "viewer", "--no-password"]) == 1
    assert "already exists" in capsys.readouterr().err
    assert main(["users", "disable", "carl"]) == 0
    capsys.readouterr()
    assert main(["users", "list", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["username"], r["role"], r["password"], r["disabled"]) for r in rows] == [
        ("alice", "approver", True, False),
        ("carl", "controller", False, True),
    ]


def test_token_is_shown_once_and_can_be_revoked(cli_db, capsys):
    main(["users", "add", "bob", "--role", "approver", "--no-password"])
    capsys.readouterr()
    assert main(["users", "token", "bob", "--label", "ci"]) == 0
    out = capsys.readouterr().out
    token = out.strip().splitlines()[-1]
    with cli_db.transaction() as s:
        assert token_identity(s, token).username == "bob"
    assert main(["users", "token", "list"]) == 0
    listing = capsys.readouterr().out
    assert "bob" in listing and "ci" in listing and token not in listing
    assert main(["users", "token", "revoke", "1"]) == 0
    with cli_db.session() as s:
        assert token_identity(s, token) is None


def test_login_link(cli_db, capsys):
    main(["users", "add", "bob", "--role", "approver", "--no-password"])
    capsys.readouterr()
    assert main(["users", "login-link", "bob", "--minutes", "5"]) == 0
    assert capsys.readouterr().out.startswith("https://ar.example.com/login/link/")
    assert main(["users", "login-link", "nobody"]) == 1
