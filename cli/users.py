"""``ar-agent users``: accounts, roles, API tokens and login links.

Run by whoever operates the database (the same trust as ``AR_AGENT_DATABASE_URL``):

    ar-agent users add NAME --role approver [--email E] [--slack U…] [--password-stdin]
    ar-agent users list [--json]
    ar-agent users disable NAME | enable NAME
    ar-agent users password NAME [--password-stdin]
    ar-agent users token NAME [--label L]      # prints a new API token, once
    ar-agent users token list [NAME] | token revoke ID
    ar-agent users login-link NAME [--minutes M]
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from datetime import timedelta

from accounts.roles import ROLES
from accounts.sessions import issue_login_link
from accounts.tokens import issue_token, list_tokens, revoke_token
from accounts.users import add_user, list_users, set_disabled, set_password
from cli.common import open_database, settings
from core.errors import ValidationError
from ledger.db import Database


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "users",
        help="accounts, roles, API tokens and login links",
        description="Manage who may sign in and what they may do. Roles: viewer (reads), "
        "controller (also chats and proposes), approver (also decides), admin (also manages).",
    )
    acts = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    add = acts.add_parser("add", help="add an account")
    add.add_argument("username")
    add.add_argument("--role", choices=ROLES, required=True)
    add.add_argument("--email", help="matched by OpenID Connect sign-in")
    add.add_argument("--slack", metavar="USER_ID", help="the person's Slack user id (U…)")
    add.add_argument("--name", help="display name")
    add.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    add.add_argument("--no-password", action="store_true", help="no password sign-in")
    ls = acts.add_parser("list", help="every account")
    ls.add_argument("--json", action="store_true")
    for name, text in (("disable", "no credential of it works any more"), ("enable", "undo")):
        one = acts.add_parser(name, help=f"{name} an account ({text})")
        one.add_argument("username")
    pw = acts.add_parser("password", help="set an account's password")
    pw.add_argument("username")
    pw.add_argument("--password-stdin", action="store_true")
    tok = acts.add_parser(
        "token",
        help="NAME: issue an API token (shown once); list [NAME]; revoke ID",
        description="`token NAME` issues a token for NAME and prints it once; "
        "`token list [NAME]` lists tokens; `token revoke ID` revokes one.",
    )
    tok.add_argument("words", nargs="+", metavar="NAME | list [NAME] | revoke ID")
    tok.add_argument("--label", default="", help="what the token is for")
    link = acts.add_parser("login-link", help="a single-use sign-in link for the web page")
    link.add_argument("username")
    link.add_argument("--minutes", type=int, default=30)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    db = open_database()
    try:
        return ACTIONS[args.action](db, args)
    finally:
        db.dispose()


def _password(args: argparse.Namespace) -> str | None:
    if getattr(args, "no_password", False):
        return None
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if not sys.stdin.isatty():
        raise ValidationError("no terminal to ask the password on: use --password-stdin")
    first = getpass.getpass("password: ")
    if getpass.getpass("again: ") != first:
        raise ValidationError("the two passwords differ")
    return first


def _add(db: Database, args: argparse.Namespace) -> int:
    password = _password(args)
    with db.transaction() as session:
        user = add_user(
            session,
            args.username,
            role=args.role,
            password=password,
            email=args.email,
            slack_user_id=args.slack,
            display_name=args.name,
        )
        print(f"user {user.username} added as {user.role}")
    return 0


def _list(db: Database, args: argparse.Namespace) -> int:
    with db.session() as session:
        rows = [
            {
                "username": u.username,
                "role": u.role,
                "email": u.email,
                "slack": u.slack_user_id,
                "password": u.password_hash is not None,
                "disabled": u.disabled,
            }
            for u in list_users(session)
        ]
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    for r in rows:
        flags = [f for f, on in (("password", r["password"]), ("DISABLED", r["disabled"])) if on]
        print(
            f"{r['username']:<20} {r['role']:<10} {r['email'] or '-':<30} "
            f"{r['slack'] or '-':<12} {' '.join(flags)}".rstrip()
        )
    return 0


def _disable(db: Database, args: argparse.Namespace, disabled: bool = True) -> int:
    with db.transaction() as session:
        user = set_disabled(session, args.username, disabled)
        print(f"user {user.username} {'disabled' if disabled else 'enabled'}")
    return 0


def _set_password(db: Database, args: argparse.Namespace) -> int:
    password = _password(args)
    if not password:
        raise ValidationError("an empty password")
    with db.transaction() as session:
        set_password(session, args.username, password)
    print(f"password of {args.username} changed")
    return 0


def _token(db: Database, args: argparse.Namespace) -> int:
    words = args.words
    if words[0] == "revoke":
        if len(words) != 2 or not words[1].isdigit():
            raise ValidationError("usage: ar-agent users token revoke ID")
        with db.transaction() as session:
            revoke_token(session, int(words[1]))
        print(f"API token #{words[1]} revoked")
        return 0
    if words[0] == "list":
        with db.session() as session:
            for token, owner in list_tokens(session, words[1] if len(words) > 1 else None):
                state = f"revoked {token.revoked_at:%Y-%m-%d}" if token.revoked_at else "live"
                used = (
                    f"last used {token.last_used_at:%Y-%m-%d %H:%M}" if token.last_used_at else ""
                )
                print(
                    f"#{token.id:<5} {owner:<20} {token.label or '-':<24} {state} {used}".rstrip()
                )
        return 0
    if len(words) != 1:
        raise ValidationError("usage: ar-agent users token NAME [--label L]")
    with db.transaction() as session:
        row, token = issue_token(session, words[0], label=args.label)
        number = row.id
    print(f"API token #{number} for {words[0]} (shown once; keep it secret):\n{token}")
    return 0


def _login_link(db: Database, args: argparse.Namespace) -> int:
    with db.transaction() as session:
        secret = issue_login_link(session, args.username, lifetime=timedelta(minutes=args.minutes))
    base = (settings().public_url or "http://127.0.0.1:8000").rstrip("/")
    print(f"{base}/login/link/{secret}  (works once, for {args.minutes} minutes)")
    return 0


ACTIONS = {
    "add": _add,
    "list": _list,
    "disable": _disable,
    "enable": lambda db, args: _disable(db, args, False),
    "password": _set_password,
    "token": _token,
    "login-link": _login_link,
}
